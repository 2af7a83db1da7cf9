"""The admin's statistics page (Administrator role only, 403 otherwise).

``/pages/admin/statistics/``
    The programme's figures from the tool's database (:mod:`.query`), filtered by year,
    region (county), municipality, journey and course: the key figures, the evaluation
    (distribution, share 4–5, answers; "för få svar" under five), every breakdown as a
    table, completions per course and knowledge goal, charts each with its table, and the
    map of Sweden by participants per municipality with a table beside it. Only counts are
    shown, never a person. A filter that names nothing answers 400 with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, render_template, request

from yrkesresan_adapter.pages.common import launched
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.stats import charts
from yrkesresan_adapter.stats.labels import with_labels
from yrkesresan_adapter.stats.query import FigureQueries
from yrkesresan_adapter.web.i18n import current_language, text
from yrkesresan_adapter.web.i18n import gettext as _
from yrkesresan_lti.catalog import Catalog
from yrkesresan_lti.error_texts import ERROR_TEXTS
from yrkesresan_lti.exceptions import Forbidden, InvalidReportFilter, UnknownMunicipality
from yrkesresan_lti.lti.context import ToolRole
from yrkesresan_lti.municipalities import counties, municipalities
from yrkesresan_lti.reports.figures import DIMENSIONS, Figures, Filters
from yrkesresan_lti.reports.filter_args import parse_filters
from yrkesresan_lti.reports.tabular import DIMENSION_TITLES, FIGURE_HEADERS

bp = Blueprint("pages_statistics", __name__, url_prefix="/pages/admin/statistics")
FILTERS = ("year", "region", "municipality", "journey", "course")


def _require_admin() -> None:
    if launched().context.role != ToolRole.ADMIN:
        raise Forbidden("the statistics are for the LMS's administrators")


def _problem(err: InvalidReportFilter | UnknownMunicipality) -> tuple[str, str]:
    field = err.reason if isinstance(err, InvalidReportFilter) else "municipality"
    field = "region" if field == "county" else field
    message = ERROR_TEXTS.get((err.code, err.reason))
    return field, _(message, **err.details) if message else str(err)


@bp.get("/")
def index() -> tuple[str, int]:
    _require_admin()
    pages = PagesService.of()
    catalog = pages.catalog()
    lang = current_language()
    given = {name: request.args.get(name, "").strip() for name in FILTERS}
    try:
        filters = parse_filters(catalog, **given)
    except (InvalidReportFilter, UnknownMunicipality) as err:
        field, message = _problem(err)
        return _page(catalog, given, error=(field, message)), 400
    with pages.sessions() as db:
        figures = FigureQueries().figures(db, filters)
    figures = with_labels(figures, catalog, lang)
    return _page(catalog, given, figures=figures, filters=filters, lang=lang), 200


def _page(
    catalog: Catalog,
    given: Mapping[str, str],
    *,
    figures: Figures | None = None,
    filters: Filters | None = None,
    lang: str = "sv",
    error: tuple[str, str] | None = None,
) -> str:
    courses = sorted(
        ((c.slug, text(c.title)) for _j, _s, c in catalog.courses()), key=lambda c: c[1]
    )
    context: dict[str, Any] = {
        "given": given,
        "error": error,
        "county_options": [(c.code, c.name) for c in counties()],
        "municipality_options": sorted(
            ((m.code, m.name) for m in municipalities()), key=lambda m: m[1]
        ),
        "journey_options": [(j.slug, text(j.title)) for j in catalog.journeys],
        "course_options": list(dict.fromkeys(courses)),
        "headers": [_(h) for h in FIGURE_HEADERS],
        "dimension_titles": {d: _(DIMENSION_TITLES[d]) for d in DIMENSIONS},
        "dimensions": DIMENSIONS,
        "label": charts.label,
        "active_nav": "statistics",
    }
    if figures is not None:
        context |= {
            "figures": figures,
            "filters": filters,
            "map_svg": charts.participants_map(figures, lang),
            "charts": [
                c
                for c in (
                    charts.participants_chart(
                        figures,
                        figures.breakdown("course"),
                        "course",
                        _("Deltagare per kurs"),
                    ),
                    charts.participants_chart(
                        figures,
                        figures.breakdown("county"),
                        "county",
                        _("Deltagare per län"),
                    ),
                    charts.good_share_chart(figures, figures.breakdown("course")),
                    charts.rating_chart(figures),
                )
                if c is not None
            ],
            "map_rows": sorted(
                (
                    (figures.labels.get(row.key, row.key), row.participants)
                    for row in figures.breakdown("municipality")
                    if row.key is not None and row.participants
                ),
                key=lambda r: r[0],
            ),
        }
    return render_template("pages/statistics.html", **context)
