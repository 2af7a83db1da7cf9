"""The programme's figures as one self-contained HTML file (``yrkesresan report --format html``).

Everything is inside the file: the CSS, the charts (:mod:`.charts`) and the map of Sweden
(:func:`~yrkesresan_lti.municipalities.sweden_map_svg`) as inline SVG. It loads nothing
from the network and needs no JavaScript, so it can be mailed, archived or opened offline.
Every chart has a table with the same figures beside it; ``<html lang>`` is the report's
language. Texts go through :func:`~yrkesresan_lti.i18n.gettext` (Swedish with the
adapter's catalogs): call it inside :func:`~yrkesresan_lti.i18n.language` to choose.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from html import escape

from yrkesresan_lti.i18n import N_, gettext
from yrkesresan_lti.municipalities import sweden_map_svg
from yrkesresan_lti.municipalities.svg_map import format_number
from yrkesresan_lti.reports.charts import bar_chart_svg
from yrkesresan_lti.reports.facts import SWEDEN
from yrkesresan_lti.reports.figures import DIMENSIONS, Dimension, Figures, Row
from yrkesresan_lti.reports.tabular import (
    DIMENSION_TITLES,
    FIGURE_HEADERS,
    TOO_FEW_ANSWERS,
    figure_cells,
    label,
)

RATING_NAMES = (
    N_("1 – very bad"),
    N_("2 – bad"),
    N_("3 – neither good nor bad"),
    N_("4 – good"),
    N_("5 – very good"),
)

FILTER_NAMES = {
    "year": N_("Year"),
    "county": N_("Region (county)"),
    "municipality": N_("Municipality"),
    "journey": N_("Journey"),
    "course": N_("Course"),
}

STYLE = """
:root{color-scheme:light;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
color:#1a1a1a;background:#fff;line-height:1.45}
body{margin:0 auto;max-width:72rem;padding:1rem}
h1{font-size:1.8rem;margin:.5rem 0}h2{font-size:1.35rem;margin-top:2.2rem;
border-bottom:2px solid #2c7fb8;padding-bottom:.2rem}
.meta{color:#444}
dl.key{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:.6rem;
margin:1rem 0}
dl.key div{border:1px solid #c8c8c8;border-radius:.4rem;padding:.5rem .7rem}
dl.key dt{font-size:.9rem;color:#444}dl.key dd{margin:0;font-size:1.5rem;font-weight:600}
.pair{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}
.pair figure{flex:1 1 26rem;margin:0}.pair .table{flex:1 1 22rem}
svg{max-width:100%;height:auto}figure.map{max-width:40rem;margin:0 auto}
.table{overflow-x:auto}.table:focus{outline:3px solid #2c7fb8;outline-offset:2px}
table{border-collapse:collapse;font-variant-numeric:tabular-nums;margin:.5rem 0}
caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border-bottom:1px solid #d0d0d0;padding:.3rem .55rem;vertical-align:top}
thead th{border-bottom:2px solid #1a1a1a;text-align:left}
td.n,th.n{text-align:right}
footer{margin-top:3rem;color:#444;font-size:.9rem}
"""


def html_report(
    figures: Figures, *, lang: str, source: str, created: datetime, title: str | None = None
) -> str:
    """The whole report as an HTML document (``source``: where the figures come from)."""
    heading = title or gettext("Yrkesresan: what the programme did")
    when = created.astimezone(SWEDEN).strftime("%Y-%m-%d %H:%M")
    body = [
        f"<h1>{escape(heading)}</h1>",
        '<p class="meta">'
        + escape(gettext("Source: %(source)s. Created %(when)s.", source=source, when=when))
        + "</p>",
        *_filters(figures),
        *_key_figures(figures, lang),
        *_map(figures, lang),
        *_evaluation(figures.total, lang),
    ]
    for dimension in DIMENSIONS:
        if dimension != "municipality":
            body.extend(_breakdown(figures, dimension, lang))
    body.extend(_municipality_table(figures, lang))
    body.extend(_goals(figures, lang))
    body.append(
        "<footer><p>"
        + escape(
            gettext(
                "Distinct counts (participants, municipalities, users) are not additive: a "
                "learner in two groups counts once in each and once in the total. Voided "
                "statements do not count."
            )
        )
        + "</p></footer>"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(heading)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + "\n</main>\n</body>\n</html>\n"
    )


def _filters(figures: Figures) -> Iterator[str]:
    given = [
        f"{gettext(FILTER_NAMES[name])}: {figures.labels.get(str(value), str(value))}"
        for name, value in vars(figures.filters).items()
        if value is not None
    ]
    if given:
        text = gettext("Only what matches: %(filters)s.", filters="; ".join(given))
        yield f'<p class="meta">{escape(text)}</p>'


def _key_figures(figures: Figures, lang: str) -> Iterator[str]:
    yield f"<h2>{escape(gettext('Figures'))}</h2>"
    yield '<dl class="key">'
    for header, cell in zip(FIGURE_HEADERS, figure_cells(figures.total), strict=True):
        yield f"<div><dt>{escape(gettext(header))}</dt><dd>{escape(_cell(cell, lang))}</dd></div>"
    yield "</dl>"


def _map(figures: Figures, lang: str) -> Iterator[str]:
    heading = gettext("Participants per municipality")
    yield f'<h2 id="map">{escape(heading)}</h2>'
    svg = sweden_map_svg(
        figures.participants_by_municipality(),
        title=gettext("Map of Sweden: participants per municipality"),
        description=gettext(
            "Each municipality is coloured by its number of participants; the table "
            "“%(table)s” below has the figures.",
            table=gettext(DIMENSION_TITLES["municipality"]),
        ),
        legend_label=gettext("Participants"),
        lang=lang,
    )
    yield f'<figure class="map">{svg}</figure>'


def _evaluation(total: Row, lang: str) -> Iterator[str]:
    heading = gettext("Overall rating of the courses (1–5)")
    yield f"<h2>{escape(heading)}</h2>"
    evaluation = total.evaluation
    if not evaluation.shown:
        yield f"<p>{escape(gettext(TOO_FEW_ANSWERS))}</p>"
        return
    names = [gettext(name) for name in RATING_NAMES]
    items = list(zip(names, evaluation.distribution, strict=True))
    share = f"{round((evaluation.good_share or 0.0) * 100)} %"
    yield (
        "<p>"
        + escape(
            gettext(
                "%(share)s rate the course good or very good (%(count)s answers).",
                share=share,
                count=format_number(evaluation.responses, lang),
            )
        )
        + "</p>"
    )
    chart = bar_chart_svg(
        items, title=heading, description=gettext("Answers per rating"), lang=lang
    )
    table = _table(
        heading,
        [gettext("Rating"), gettext("Answers")],
        [[name, count] for name, count in items],
        lang,
    )
    yield f'<div class="pair"><figure>{chart}</figure>{_scroller(heading, table)}</div>'


def _breakdown(figures: Figures, dimension: Dimension, lang: str) -> Iterator[str]:
    rows = figures.breakdown(dimension)
    if not rows:
        return
    heading = gettext(DIMENSION_TITLES[dimension])
    yield f"<h2>{escape(heading)}</h2>"
    names = [label(figures, dimension, row.key) for row in rows]
    chart = bar_chart_svg(
        [(name, row.participants) for name, row in zip(names, rows, strict=True)],
        title=f"{heading}: {gettext('Participants')}",
        description=gettext("Participants per group; the table beside has every figure."),
        lang=lang,
    )
    yield f'<div class="pair"><figure>{chart}</figure></div>'
    yield from _figures_table(heading, names, rows, lang)


def _municipality_table(figures: Figures, lang: str) -> Iterator[str]:
    rows = figures.breakdown("municipality")
    heading = gettext(DIMENSION_TITLES["municipality"])
    yield f'<h2 id="municipalities">{escape(heading)}</h2>'
    names = [label(figures, "municipality", row.key) for row in rows]
    yield from _figures_table(heading, names, rows, lang)


def _figures_table(
    heading: str, names: Sequence[str], rows: Sequence[Row], lang: str
) -> Iterator[str]:
    headers = [gettext("Group"), *map(gettext, FIGURE_HEADERS)]
    cells = [[name, *figure_cells(row)] for name, row in zip(names, rows, strict=True)]
    yield _scroller(heading, _table(heading, headers, cells, lang))


def _goals(figures: Figures, lang: str) -> Iterator[str]:
    if not figures.goals:
        return
    heading = gettext("Knowledge goals reached")
    yield f"<h2>{escape(heading)}</h2>"
    headers = [gettext("Knowledge goal"), gettext("Course"), gettext("Reached")]
    cells: list[list[object]] = [
        [figures.labels.get(g.goal, g.goal), figures.labels.get(g.course, g.course), g.reached]
        for g in figures.goals
    ]
    yield _scroller(heading, _table(heading, headers, cells, lang))


def _scroller(name: str, table: str) -> str:
    """A table in a box that scrolls sideways on a narrow screen, reachable by keyboard."""
    label = escape(name, quote=True)
    return f'<div class="table" tabindex="0" role="region" aria-label="{label}">{table}</div>'


def _table(
    caption: str, headers: Sequence[str], rows: Sequence[Sequence[object]], lang: str
) -> str:
    """A table whose first column names the row; numbers right-aligned."""
    numeric = ' class="n"'
    head = "".join(
        f'<th scope="col"{"" if i == 0 else numeric}>{escape(h)}</th>'
        for i, h in enumerate(headers)
    )
    lines = [f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>"]
    for row in rows:
        first, *rest = row
        cells = "".join(
            f'<td class="n">{escape(_cell(cell, lang))}</td>'
            if isinstance(cell, int)
            else f"<td>{escape(_cell(cell, lang))}</td>"
            for cell in rest
        )
        lines.append(f'<tr><th scope="row">{escape(str(first))}</th>{cells}</tr>')
    lines.append("</tbody></table>")
    return "".join(lines)


def _cell(value: object, lang: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return format_number(value, lang)
    return str(value)
