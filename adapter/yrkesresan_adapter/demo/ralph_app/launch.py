"""Start Ralph's LRS API (FS backend, Basic auth) — run with the Ralph venv's Python.

Configuration comes from the environment set by :class:`yrkesresan_adapter.demo.ralph.RalphServer`:
``RALPH_*`` settings plus ``YRKESRESAN_RALPH_HOST/PORT/USERNAME/PASSWORD``. The password
arrives through the environment (never the command line) and only its bcrypt hash is
written, to Ralph's auth file.

Ralph 5.1's FS data backend creates its file with ``CREATE`` by default, so every write
after the first fails; ``default_operation_type`` is switched to ``APPEND`` before
``ralph.api`` (which instantiates the backend) is imported. Its FS LRS backend also
compares ``verb``/``activity`` query values (pydantic ``IRI`` objects) with plain strings,
so those filters never match; :func:`patch_iri_filters` passes them on as strings.
"""

from __future__ import annotations

import importlib
import json
import os
from pathlib import Path


def write_auth_file(path: Path, username: str, password: str) -> None:
    bcrypt = importlib.import_module("bcrypt")
    hashed = bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=4)).decode()
    users = [
        {
            "agent": {"account": {"homePage": "https://yrkesresan.se", "name": username}},
            "scopes": ["all"],
            "hash": hashed,
            "username": username,
        }
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(json.dumps(users), encoding="utf-8")


def patch_iri_filters() -> None:
    backend = importlib.import_module("ralph.backends.lrs.fs").FSLRSBackend
    by_verb, by_activity = backend._add_filter_by_verb, backend._add_filter_by_activity

    def verb_filter(filters: list[object], verb_id: object) -> None:
        by_verb(filters, str(verb_id) if verb_id else verb_id)

    def activity_filter(filters: list[object], object_id: object, related: object) -> None:
        by_activity(filters, str(object_id) if object_id else object_id, related)

    backend._add_filter_by_verb = staticmethod(verb_filter)
    backend._add_filter_by_activity = staticmethod(activity_filter)


def main() -> None:
    write_auth_file(
        Path(os.environ["RALPH_AUTH_FILE"]),
        os.environ["YRKESRESAN_RALPH_USERNAME"],
        os.environ.pop("YRKESRESAN_RALPH_PASSWORD"),
    )
    # Fail at start-up, not on the first request, if Ralph cannot read the users file.
    basic = importlib.import_module("ralph.api.auth.basic")
    basic.get_stored_credentials(Path(os.environ["RALPH_AUTH_FILE"]))
    base = importlib.import_module("ralph.backends.data.base")
    fs = importlib.import_module("ralph.backends.data.fs")
    fs.FSDataBackend.default_operation_type = base.BaseOperationType.APPEND
    patch_iri_filters()
    api = importlib.import_module("ralph.api")
    uvicorn = importlib.import_module("uvicorn")
    uvicorn.run(
        api.app,
        host=os.environ["YRKESRESAN_RALPH_HOST"],
        port=int(os.environ["YRKESRESAN_RALPH_PORT"]),
        log_level=os.environ.get("YRKESRESAN_RALPH_LOG_LEVEL", "warning"),
        access_log=False,
    )


if __name__ == "__main__":
    main()
