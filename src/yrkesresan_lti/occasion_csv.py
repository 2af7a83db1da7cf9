"""Course occasions in CSV: the format a coordinator edits in Excel (docs/occasions.md).

One row per occasion, a header row first. The delimiter is found by :class:`csv.Sniffer` on
the header (``;`` as Swedish Excel writes it, ``,`` or tab); the file is UTF-8, with or
without the byte-order mark Excel's "CSV UTF-8" writes, or UTF-16 with its byte-order mark
(Excel's "Unicode Text", tab-separated). Columns (Swedish names, English
aliases accepted; the order is free):

=====================  ==============  =====================================================
column                 alias           value
=====================  ==============  =====================================================
kurs                   course          the course's catalog IRI (required)
tillfälle              occasion        slug, e.g. ``ht-2027`` (required)
region                 region          the RSS running it, e.g. ``GR`` (required)
dagar                  days            ``2027-09-14 09:00-16:00, 2027-09-28 09:00-16:00``
plats                  place           address or room (a place or a meeting link)
möteslänk              meeting_url     http(s) link of a digital course day
utbildare              trainers        trainer keys of the register, comma-separated
platser                capacity        seats, 1 to 10000 (required)
sista_anmälningsdag    deadline        ``YYYY-MM-DD``, before the first day (required)
kommuner               municipalities  platform issuers that may register; empty: all
status                 status          ``planned``, ``open`` (default), ``held`` or ``cancelled``
titel                  title           Swedish title; empty: ``Kurstillfälle <slug>``
=====================  ==============  =====================================================

A text cell a spreadsheet would read as a formula (``=…``, ``+…``, ``-…``, ``@…``) is written
with a leading apostrophe and read back without it (:mod:`yrkesresan_lti.spreadsheet`).

:func:`parse_occasions` checks every row and raises one
:class:`~yrkesresan_lti.exceptions.OccasionCsvError` listing each problem by line and
column, so a caller imports all rows or none. :func:`write_occasions` writes the same format.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass

from yrkesresan_lti.exceptions import OccasionCsvError
from yrkesresan_lti.i18n import N_
from yrkesresan_lti.occasion_plan import (
    OccasionStatus,
    PlannedDay,
    PlannedOccasion,
    check_occasion,
)
from yrkesresan_lti.spreadsheet import defused, restore

COLUMNS: dict[str, str] = {
    "kurs": "course",
    "tillfälle": "occasion",
    "region": "region",
    "dagar": "days",
    "plats": "place",
    "möteslänk": "meeting_url",
    "utbildare": "trainers",
    "platser": "capacity",
    "sista_anmälningsdag": "deadline",
    "kommuner": "municipalities",
    "status": "status",
    "titel": "title",
}
"""Swedish header → field (the English alias is the field's name)."""
REQUIRED = ("course", "occasion", "region", "days", "capacity", "deadline")
DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$")
MAX_BYTES = 2_000_000
_SEATS = re.compile("[0-9]{1,6}")
"""A capacity cell: whole seats in ASCII digits (the range is checked with the occasion)."""

CsvProblem = tuple[int, str, str, dict[str, str]]
"""(line, column header, English message id, details)."""


@dataclass(frozen=True)
class Row:
    line: int
    cells: dict[str, str]
    """field → stripped cell text."""


def _decode(data: bytes) -> str:
    """UTF-8 (with or without Excel's byte-order mark), or UTF-16 with its byte-order mark:
    Excel's "Unicode Text (*.txt)", tab-separated."""
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    try:
        return data.decode("utf-16") if utf16 else data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise OccasionCsvError(
            f"line {line}: not UTF-8",
            [(line, "", N_("the file is not UTF-8: in Excel, save it as 'CSV UTF-8'"), {})],
        ) from None


def _reader(text: str) -> tuple[list[str], Iterator[list[str]]]:
    header_line = text.splitlines()[0] if text.strip() else ""
    if not header_line.strip():
        raise OccasionCsvError("empty file", [(1, "", N_("the file is empty"), {})])
    try:
        dialect = csv.Sniffer().sniff(header_line, delimiters=";,\t")
    except csv.Error:
        raise OccasionCsvError(
            "no delimiter",
            [(1, "", N_("cannot tell the columns apart: separate them with ';' or ','"), {})],
        ) from None
    # newline="": the csv module finds the line ends itself (\r\n, \n, or the lone \r
    # of Excel for Mac's "CSV (Macintosh)")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter, quotechar='"')
    try:
        header = next(reader)
    except csv.Error:
        raise OccasionCsvError("unreadable header", [_unreadable(1)]) from None
    return header, reader


def _unreadable(line: int) -> CsvProblem:
    return (
        line,
        "",
        N_("this line cannot be read as CSV: a cell is longer than 128 kB or a quote is stray"),
        {},
    )


def _read(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of each row; a row the csv module cannot read ends the file with
    :class:`OccasionCsvError` naming its line."""
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            line = reader.line_num  # type: ignore[attr-defined]
            raise OccasionCsvError(f"line {line}: unreadable", [_unreadable(line)]) from None
        yield reader.line_num, cells  # type: ignore[attr-defined]


def _fields(header: list[str]) -> tuple[list[str], list[CsvProblem]]:
    aliases = {**COLUMNS, **{field: field for field in COLUMNS.values()}}
    fields, problems = [], []
    for name in header:
        key = name.strip().casefold()
        field_name = aliases.get(key)
        if field_name is None:
            problems.append((1, name, N_("unknown column %(name)s"), {"name": name}))
        fields.append(field_name or "")
    for required in REQUIRED:
        if required not in fields:
            problems.append(
                (
                    1,
                    _header(required),
                    N_("the column %(name)s is missing"),
                    {"name": _header(required)},
                )
            )
    return fields, problems


def _header(field_name: str) -> str:
    return next((sv for sv, en in COLUMNS.items() if en == field_name), field_name)


def _rows(data: bytes) -> tuple[list[Row], list[CsvProblem]]:
    if len(data) > MAX_BYTES:
        raise OccasionCsvError(
            "too large", [(1, "", N_("the file is larger than 2 MB: split it"), {})]
        )
    header, reader = _reader(_decode(data))
    fields, problems = _fields(header)
    rows = []
    for line, cells in _read(reader):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(fields):
            problems.append(
                (
                    line,
                    "",
                    N_("the row has %(found)s columns, the header %(expected)s"),
                    {"found": str(len(cells)), "expected": str(len(fields))},
                )
            )
            continue
        unsafe = [name for name, cell in zip(header, cells, strict=True) if "\x00" in cell]
        for name in unsafe:  # PostgreSQL cannot store NUL (UTF-8 decoding refused surrogates)
            problems.append((line, name, N_("the cell holds a NUL character"), {}))
        if not unsafe:
            cells_of = zip(fields, cells, strict=True)
            rows.append(Row(line, {f: restore(c.strip()) for f, c in cells_of if f}))
    return rows, problems


def parse_day(text: str) -> PlannedDay:
    """``2027-09-14 09:00-16:00`` as a day; ValueError (with the text) otherwise."""
    match = DAY.match(text.strip())
    if match is None:
        raise ValueError(text)
    date, start, end = match.groups()
    return PlannedDay(
        dt.date.fromisoformat(date),
        dt.time.fromisoformat(start.zfill(5)),
        dt.time.fromisoformat(end.zfill(5)),
    )


def _list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


class _RowParser:
    def __init__(self, row: Row) -> None:
        self.row = row
        self.problems: list[CsvProblem] = []

    def problem(self, field_name: str, message: str, **details: str) -> None:
        self.problems.append((self.row.line, _header(field_name), message, details))

    def text(self, field_name: str) -> str | None:
        return self.row.cells.get(field_name) or None

    def required(self, field_name: str) -> str:
        value = self.text(field_name)
        if value is None:
            self.problem(field_name, N_("empty: this column is required"))
        return value or ""

    def date(self, field_name: str) -> dt.date:
        value = self.required(field_name)
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            if value:
                self.problem(field_name, N_("%(value)s is not a date YYYY-MM-DD"), value=value)
            return dt.date.min

    def capacity(self) -> int:
        value = self.required("capacity")
        if value and not _SEATS.fullmatch(value):  # ASCII digits: "²".isdigit() is true
            self.problem("capacity", N_("%(value)s is not a whole number"), value=value[:40])
            return 0
        return int(value) if value else 0

    def days(self) -> tuple[PlannedDay, ...]:
        found = []
        for part in _list(self.required("days")):
            try:
                found.append(parse_day(part))
            except ValueError:
                self.problem(
                    "days",
                    N_("%(value)s is not a course day like 2027-09-14 09:00-16:00"),
                    value=part,
                )
        return tuple(found)

    def status(self) -> OccasionStatus:
        value = (self.text("status") or "open").casefold()
        if value not in tuple(OccasionStatus):
            self.problem("status", N_("%(value)s: use planned, open or held"), value=value)
            return OccasionStatus.OPEN
        return OccasionStatus(value)

    def occasion(self) -> PlannedOccasion:
        return PlannedOccasion(
            course_iri=self.required("course"),
            slug=self.required("occasion"),
            region=self.required("region"),
            days=self.days(),
            capacity=self.capacity(),
            registration_deadline=self.date("deadline"),
            place=self.text("place"),
            meeting_url=self.text("meeting_url"),
            trainers=_list(self.text("trainers") or ""),
            municipalities=_list(self.text("municipalities") or ""),
            status=self.status(),
            title=self.text("title"),
        )


def parse_occasions(
    data: bytes,
    *,
    courses: Collection[str],
    trainers: Collection[str],
    registered: Callable[[str], int] | Mapping[str, int] = lambda _iri: 0,
    statuses: Mapping[str, OccasionStatus] | None = None,
) -> list[PlannedOccasion]:
    """Every occasion of the CSV ``data``, checked; :class:`OccasionCsvError` lists every
    problem (line, column) when there is any, so nothing is imported."""
    count = registered if callable(registered) else lambda iri: registered.get(iri, 0)
    statuses = statuses or {}
    rows, problems = _rows(data)
    found: list[PlannedOccasion] = []
    seen: dict[str, int] = {}
    for row in rows:
        parser = _RowParser(row)
        occasion = parser.occasion()
        was = statuses.get(occasion.iri)
        cancelled = OccasionStatus.CANCELLED
        if (occasion.status == cancelled) != (was == cancelled):
            parser.problem(
                "status",
                N_(
                    "cancel with 'yrkesresan occasion cancel'; a cancelled occasion stays cancelled"
                ),
            )
        bad = {column for _, column, _, _ in parser.problems}
        for p in check_occasion(
            occasion, courses=courses, trainers=trainers, registered=count(occasion.iri)
        ):
            if _header(p.field) not in bad and not (p.field == "deadline" and "dagar" in bad):
                parser.problem(p.field, p.message, **p.details)
        if occasion.iri in seen:
            parser.problem(
                "occasion",
                N_("the same occasion as on line %(line)s"),
                line=str(seen[occasion.iri]),
            )
        seen.setdefault(occasion.iri, row.line)
        problems.extend(parser.problems)
        found.append(occasion)
    if not rows and not problems:
        problems.append((2, "", N_("the file has no occasions under its header"), {}))
    if problems:
        problems.sort(key=lambda p: p[0])
        raise OccasionCsvError(f"{len(problems)} problem(s) in the CSV file", problems)
    return found


def _day_text(day: PlannedDay) -> str:
    return f"{day.date.isoformat()} {day.start:%H:%M}-{day.end:%H:%M}"


def write_occasions(occasions: Iterable[PlannedOccasion], out: io.StringIO | None = None) -> str:
    """The occasions in the import format (``;``-separated, header in Swedish)."""
    buffer = out or io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(list(COLUMNS))
    for o in occasions:
        writer.writerow(
            defused(
                [
                    o.course_iri,
                    o.slug,
                    o.region,
                    ", ".join(_day_text(d) for d in o.days),
                    o.place or "",
                    o.meeting_url or "",
                    ", ".join(o.trainers),
                    str(o.capacity),
                    o.registration_deadline.isoformat(),
                    ", ".join(o.municipalities),
                    o.status.value,
                    o.title or "",
                ]
            )
        )
    return buffer.getvalue()
