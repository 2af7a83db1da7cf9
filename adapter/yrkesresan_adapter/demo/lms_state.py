"""The demo platform's course state in one JSON file under the instance folder.

Placed links (from deep-linking responses), their line items, the latest score per (line
item, user) and the client-assertion ids already used. Demo state only: it stays out of the
tool's database (whose schema is the production one) and is reset by deleting the file.
Every change runs under an exclusive lock (a thread lock plus ``flock`` on a lock file, so
several threads and worker processes serialise) and is written to a temporary file that
replaces the old one, so a reader always sees a whole, consistent file.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from yrkesresan_adapter.demo.texts import N_, demo_text
from yrkesresan_lti.exceptions import PlatformSimulatorError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: the thread lock alone (one process)
    fcntl = None  # type: ignore[assignment]

STATE_FILE = "demo-platform.json"
T = TypeVar("T")
DemoState = dict[str, Any]


def empty_state() -> DemoState:
    return {"next_id": 1, "links": [], "line_items": [], "scores": {}, "used_jtis": {}}


@dataclass(frozen=True)
class PlacedLink:
    """A resource link the tool returned through deep linking, placed in the demo course."""

    id: int
    title: str
    node: str | None
    custom: dict[str, str]
    line_item_id: int | None

    @property
    def resource_link_id(self) -> str:
        return f"demo-link-{self.id}"

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> PlacedLink:
        custom = {str(k): str(v) for k, v in dict(body.get("custom") or {}).items()}
        return cls(
            id=int(body["id"]),
            title=str(body["title"]),
            node=custom.get("yrkesresan_node"),
            custom=custom,
            line_item_id=body.get("line_item_id"),
        )


def _unreadable(path: Path) -> PlatformSimulatorError:
    error = PlatformSimulatorError(
        demo_text(
            N_(
                "Demokursens fil {path} kan inte läsas. Ta bort filen för att börja om med en "
                "tom demokurs."
            ),
            path=path,
        )
    )
    error.temporary = True
    return error


class DemoPlatformStore:
    """Reads and changes the demo state file at ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    @classmethod
    def in_instance(cls, instance_path: Path) -> DemoPlatformStore:
        return cls(instance_path.resolve() / STATE_FILE)

    def read(self) -> DemoState:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return empty_state()
        except OSError as err:
            raise _unreadable(self.path) from err
        try:
            loaded = json.loads(text)
        except ValueError as err:
            raise _unreadable(self.path) from err
        if not isinstance(loaded, dict):
            raise _unreadable(self.path)
        state: DemoState = {**empty_state(), **loaded}
        return state

    def update(self, change: Callable[[DemoState], T]) -> T:
        """Apply ``change`` to the state under the lock and save it; returns its result.
        When ``change`` raises, nothing is saved."""
        with self._locked():
            state = self.read()
            result = change(state)
            self._write(state)
            return result

    # --- views -------------------------------------------------------------------------
    def links(self) -> list[PlacedLink]:
        return [PlacedLink.from_json(body) for body in self.read()["links"]]

    def link_by_resource_link(self, resource_link_id: str) -> PlacedLink | None:
        return next((x for x in self.links() if x.resource_link_id == resource_link_id), None)

    def line_item(self, number: int) -> dict[str, Any] | None:
        found = [i for i in self.read()["line_items"] if i["number"] == number]
        return found[0] if found else None

    # --- files ---------------------------------------------------------------------------
    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, open(self.path.with_suffix(".lock"), "a") as handle:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            yield

    def _write(self, state: DemoState) -> None:
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}")
        tmp.write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.path)
