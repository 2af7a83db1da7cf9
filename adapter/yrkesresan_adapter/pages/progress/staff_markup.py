"""The staff table's rows as HTML, built in Python once per page.

A region's page shows 100 rows of ~15 cells: in Jinja each row costs dozens of attribute
look-ups, filter calls and escapes. Here the parts every row shares (labels, the person
link's base, one cell per percent) are escaped once, and each row joins its few own
values. The markup is byte for byte what the template wrote before (the template passes
its own labels, so they are escaped exactly as ``{{ … }}`` would).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from jinja2.filters import do_urlencode
from markupsafe import Markup, escape

from yrkesresan_adapter.pages.labels import short_datetime
from yrkesresan_adapter.pages.numbers import shown_percent
from yrkesresan_adapter.pages.progress.staff import StaffRow

_CELLS = [
    (
        '"><span class="cell-bar" aria-hidden="true"><span class="cell-fill '
        f'cell-fill--{(p // 10) * 10}"></span></span>{p} %</td>'
    )
    for p in range(101)
]


class RowMarkup:
    """Called with a :class:`StaffRow`, its ``<tr>`` and the whitespace around it.

    ``labels``: the data-labels of the state, total, occasion and activity cells, the text
    for a person without an occasion and for no activity; ``occasions``: ``sub`` → the
    occasion's title when one course is in view (``None``: no occasion column)."""

    def __init__(
        self,
        person_base: str,
        labels: Sequence[str],
        state_labels: Mapping[str, str],
        column_labels: Sequence[str],
        occasions: Mapping[str, str] | None,
    ) -> None:
        state, total, occasion, not_registered, activity, never = map(escape, labels)
        self._link = (
            f'\n      <tr>\n        <th scope="row"><a href="{escape(person_base)}&amp;person='
        )
        self._state = {
            value: f'<td data-label="{state}"><span class="badge badge--{escape(value)}">'
            f"{escape(label)}</span></td>"
            for value, label in state_labels.items()
        }
        self._total = f'\n        <td class="num" data-label="{total}">'
        self._columns = [f'<td class="num" data-label="{escape(label)}' for label in column_labels]
        self._occasions = occasions
        self._occasion = f'<td data-label="{occasion}"><bdi>'
        self._not_registered = not_registered
        self._activity = f'\n        <td data-label="{activity}">'
        self._never = never

    def __call__(self, row: StaffRow) -> Markup:
        person = row.person
        parts = [
            self._link,
            escape(do_urlencode(person.sub)),
            '"><bdi>',
            escape(person.name or person.sub),
            "</bdi></a></th>\n        ",
            self._state[row.state.value],
            self._total,
            str(shown_percent(row.done, row.total)),
            " %</td>\n        ",
            *[prefix + _CELLS[p] for prefix, p in zip(self._columns, row.percents(), strict=True)],
            "\n        ",
        ]
        if self._occasions is not None:
            title = self._occasions.get(person.sub)
            parts += [
                self._occasion,
                escape(title) if title else self._not_registered,
                "</bdi></td>",
            ]
        parts.append(self._activity)
        moment = person.last_activity_at
        if moment:
            parts += [
                '<time datetime="',
                escape(moment.isoformat()),
                '">',
                escape(short_datetime(moment)),
                "</time>",
            ]
        else:
            parts.append(self._never)
        parts.append("</td>\n      </tr>\n    ")
        return Markup("".join(parts))  # noqa: S704 - every value above is escaped
