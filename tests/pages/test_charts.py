"""The server-rendered SVG bar chart."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from yrkesresan_adapter.pages.charts import ChartRow, bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)


def test_chart_is_labelled_by_its_title_and_desc() -> None:
    root = parse(bar_chart([ChartRow("Mål", 40)], title="Gruppen", desc="Andel", chart_id="c1"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{SVG}title").text == "Gruppen"  # type: ignore[union-attr]
    assert root.find(f"{SVG}desc").text == "Andel"  # type: ignore[union-attr]


def test_bar_length_follows_percent_and_is_clamped() -> None:
    rows = [ChartRow("a", 0), ChartRow("b", 50), ChartRow("c", 100), ChartRow("d", 180)]
    root = parse(bar_chart(rows, title="t", desc="d", chart_id="c"))
    widths = [
        int(r.get("width", "")) for r in root.iter(f"{SVG}rect") if r.get("class") == "chart-bar"
    ]
    track = next(int(r.get("width", "")) for r in root.iter(f"{SVG}rect"))
    assert widths == [0, track // 2, track, track]


def test_hostile_labels_are_escaped() -> None:
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
    markup = bar_chart([ChartRow(hostile, 10)], title=hostile, desc=hostile, chart_id='x"y')
    root = parse(markup)  # still well-formed XML
    assert "<script>" not in markup
    assert "<img" not in markup
    assert root.find(f"{SVG}title").text == hostile  # type: ignore[union-attr]


def test_long_labels_are_wrapped_whole_onto_lines() -> None:
    label = "Kunskap om barnets rättigheter enligt barnkonventionen och socialtjänstlagen"
    markup = bar_chart([ChartRow(label, 10)], title="t", desc="d", chart_id="c")
    texts = [t.text or "" for t in parse(markup).iter(f"{SVG}text")]
    lines = texts[:-1]  # the last text is the value
    assert len(lines) > 1
    assert " ".join(lines) == label  # nothing cut off
    assert all(len(line) <= 36 for line in lines)
    assert f"<title>{label}: 10 %</title>" in markup


def test_a_label_longer_than_four_lines_ends_with_an_ellipsis() -> None:
    label = "Barnrättsperspektivsutbildningsansvarighetsmål" * 20
    markup = bar_chart([ChartRow(label, 10)], title="t", desc="d", chart_id="c")
    lines = [t.text or "" for t in parse(markup).iter(f"{SVG}text")][:-1]
    assert len(lines) == 4
    assert lines[-1].endswith("…")
    assert f"<title>{label}: 10 %</title>" in markup


def test_value_text_overrides_percent() -> None:
    markup = bar_chart([ChartRow("a", 30, "3 av 10")], title="t", desc="d", chart_id="c")
    assert "3 av 10" in markup
