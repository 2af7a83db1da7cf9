"""The statistics page's charts (server-rendered SVG, :mod:`yrkesresan_adapter.pages.charts`
and h14m's map), each paired on the page with a table of the same figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from yrkesresan_adapter.pages.charts import ChartRow, bar_chart
from yrkesresan_adapter.web.i18n import gettext as _
from yrkesresan_lti.i18n import N_
from yrkesresan_lti.municipalities import sweden_map_svg
from yrkesresan_lti.reports.figures import Dimension, Figures, Row
from yrkesresan_lti.reports.tabular import UNKNOWN_COUNTY, UNKNOWN_MUNICIPALITY

RATING_NAMES = (
    N_("Mycket dålig"),
    N_("Dålig"),
    N_("Varken bra eller dålig"),
    N_("Bra"),
    N_("Mycket bra"),
)


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    svg: str
    table_id: str
    """The table on the page with the same figures."""


def label(figures: Figures, dimension: Dimension | None, key: str | None) -> str:
    """A group's name on the page (:func:`yrkesresan_lti.reports.tabular.label` in the
    page's language)."""
    if dimension is None:
        return _("Totalt")
    if key is None:
        unknown = UNKNOWN_COUNTY if dimension == "county" else UNKNOWN_MUNICIPALITY
        return _(unknown)
    if dimension == "year":  # "2026" is a year here, not Gagnef's kommunkod
        return key
    return figures.labels.get(key, key)


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def participants_chart(
    figures: Figures, rows: Sequence[Row], dimension: Dimension, title: str
) -> Chart | None:
    """Participants per group, the largest group's bar full."""
    if not rows:
        return None
    most = max(row.participants for row in rows)
    chart_id = f"chart-participants-{dimension}"
    svg = bar_chart(
        [
            ChartRow(
                label(figures, dimension, row.key),
                _percent(row.participants, most),
                str(row.participants),
            )
            for row in rows
        ],
        title=title,
        desc=_("Antal deltagare per grupp; den största gruppens stapel är full."),
        chart_id=chart_id,
    )
    return Chart(chart_id, title, svg, f"by-{dimension}")


def good_share_chart(figures: Figures, rows: Sequence[Row]) -> Chart | None:
    """The share rating 4–5 per course ("för få svar" below five answers)."""
    answered = [row for row in rows if row.evaluation.responses]
    if not answered:
        return None
    title = _("Andel som tycker att kursen är bra eller mycket bra")
    chart_rows = []
    for row in answered:
        share = row.evaluation.good_share
        value = _("för få svar") if share is None else f"{round(share * 100)} %"
        percent = 0 if share is None else round(share * 100)
        chart_rows.append(ChartRow(label(figures, "course", row.key), percent, value))
    svg = bar_chart(
        chart_rows,
        title=title,
        desc=_("Andel av svaren med betyg 4 eller 5, per kurs; visas från fem svar."),
        chart_id="chart-good-share",
    )
    return Chart("chart-good-share", title, svg, "by-course")


def rating_chart(figures: Figures) -> Chart | None:
    """How many gave each overall rating 1–5 (only from five answers)."""
    evaluation = figures.total.evaluation
    if not evaluation.shown:
        return None
    title = _("Betyg på kurserna som helhet")
    svg = bar_chart(
        [
            ChartRow(f"{rating} – {_(name)}", _percent(count, evaluation.responses), str(count))
            for rating, (name, count) in enumerate(
                zip(RATING_NAMES, evaluation.distribution, strict=True), 1
            )
        ],
        title=title,
        desc=_("Antal svar per betyg, av %(n)s svar.", n=evaluation.responses),
        chart_id="chart-ratings",
    )
    return Chart("chart-ratings", title, svg, "evaluation")


def participants_map(figures: Figures, lang: str) -> str:
    """The map of Sweden coloured by participants per municipality."""
    return sweden_map_svg(
        figures.participants_by_municipality(),
        title=_("Deltagare per kommun"),
        description=_(
            "Sveriges kommuner färgade efter antal deltagare; samma siffror finns i tabellen "
            "bredvid kartan."
        ),
        legend_label=_("Deltagare"),
        lang=lang,
    )
