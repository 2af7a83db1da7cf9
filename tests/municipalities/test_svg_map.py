"""The SVG map of Sweden (issue 14): every municipality drawn, coloured by value, accessible,
escaped, deterministic, small enough to inline."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from yrkesresan_lti.municipalities import municipalities, sweden_map_svg
from yrkesresan_lti.municipalities.svg_map import COLOURS, class_limits, value_class

SVG = "{http://www.w3.org/2000/svg}"


def _map(values: dict[str, int], **texts: str) -> str:
    arguments = {
        "title": "Deltagare per kommun",
        "description": "Antal deltagare per kommun 2026.",
        "legend_label": "Deltagare",
        **texts,
    }
    return sweden_map_svg(values, **arguments)


def _paths(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {
        path.attrib["data-code"]: path
        for path in root.iter(f"{SVG}path")
        if "data-code" in path.attrib
    }


def test_every_one_of_the_290_municipalities_is_drawn_with_its_name_and_value() -> None:
    paths = _paths(_map({"1480": 120}))
    assert set(paths) == {m.code for m in municipalities()}
    for path in paths.values():
        assert path.attrib["d"].startswith("M")
    title = paths["1480"].find(f"{SVG}title")
    assert title is not None
    assert title.text == "Göteborg: 120"
    stockholm = paths["0180"].find(f"{SVG}title")
    assert stockholm is not None
    assert stockholm.text == "Stockholm: 0"


def test_the_map_is_an_image_labelled_by_its_title_and_description() -> None:
    root = ET.fromstring(_map({}))
    assert root.attrib["role"] == "img"
    title_id, desc_id = root.attrib["aria-labelledby"].split()
    ids = {e.attrib.get("id"): e for e in root.iter()}
    assert ids[title_id].text == "Deltagare per kommun"
    assert ids[desc_id].text == "Antal deltagare per kommun 2026."
    assert root.attrib["lang"] == "sv"


def test_municipalities_are_coloured_by_value_in_five_sequential_classes() -> None:
    values = {"0114": 1, "0115": 2, "0117": 3, "0120": 4, "1480": 1000}
    paths = _paths(_map(values))
    classes = {
        code: re.search(r"yr-map-c(\d)", path.attrib["class"]).group(1)  # type: ignore[union-attr]
        for code, path in paths.items()
    }
    assert classes["0180"] == "0"  # absent = 0
    # quartiles of 1, 2, 3, 4, 1000: up to 2, 3, 4, 1000
    assert [classes[c] for c in ("0114", "0115", "0117", "0120", "1480")] == [
        "1",
        "1",
        "2",
        "3",
        "4",
    ]
    assert paths["1480"].attrib["fill"] == COLOURS[4]  # inline fallback without CSS
    assert paths["0180"].attrib["fill"] == COLOURS[0]


def test_the_legend_names_each_class_range() -> None:
    svg = _map({"0114": 5, "0115": 10, "0117": 1200, "0120": 20, "1480": 30}, lang="sv")
    legend = ET.fromstring(svg).find(f".//{SVG}g[@class='yr-map-legend']")
    assert legend is not None
    texts = [t.text for t in legend.iter(f"{SVG}text")]
    assert texts[0] == "Deltagare"
    assert texts[1] == "0"
    assert texts[-1] == "31–1\u00a0200"
    english = _map({"1480": 1200}, lang="en")
    assert "Göteborg: 1,200" in english


@pytest.mark.parametrize(
    ("values", "limits"),
    [
        ({}, ()),
        ({"a": 0}, ()),
        ({"a": 7}, (7,)),
        ({"a": 1, "b": 2, "c": 3, "d": 4}, (1, 2, 3, 4)),
        ({"a": 5, "b": 5, "c": 5}, (5,)),
        ({str(i): i for i in range(1, 101)}, (25, 50, 75, 100)),
    ],
)
def test_class_limits_are_quartiles_of_the_values_above_zero(
    values: dict[str, int], limits: tuple[int, ...]
) -> None:
    assert class_limits(values) == limits
    for value in values.values():
        assert 0 <= value_class(value, limits) <= 4


def test_texts_are_escaped() -> None:
    svg = _map(
        {},
        title='<script>alert("x")</script>',
        description="A & B",
        legend_label="<b>",
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "A &amp; B" in svg
    ET.fromstring(svg)  # still well-formed XML


def test_the_map_is_deterministic_has_no_script_and_is_small_enough_to_inline() -> None:
    values = {m.code: int(m.code) % 97 for m in municipalities()}
    first = _map(values)
    assert first == _map(dict(reversed(list(values.items()))))
    assert "<script" not in first
    assert "http" not in first.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert len(first.encode()) < 300_000
