"""The CSV format of occasions: Excel's ';' and BOM, every bad row reported by line and
column, nothing returned when anything is wrong."""

from __future__ import annotations

import codecs
import datetime as dt

import pytest

from yrkesresan_lti.exceptions import OccasionCsvError
from yrkesresan_lti.occasion_csv import parse_occasions, write_occasions
from yrkesresan_lti.occasion_plan import OccasionStatus

COURSE = "https://yrkesresan.se/id/journeys/barn-och-unga/courses/samtal"
HEADER = "kurs;tillfälle;region;dagar;plats;utbildare;platser;sista_anmälningsdag"
DAYS = "2027-09-14 09:00-16:00, 2027-09-28 09:00-15:30"
ROW = f"{COURSE};ht-2027;GR;{DAYS};Göteborg;anna;20;2027-09-01"


def parse(text: str, *, encoding: str = "utf-8", **kwargs: object) -> list:  # type: ignore[type-arg]
    options = {"courses": {COURSE}, "trainers": {"anna"}, **kwargs}
    if encoding == "utf-16-be-bom":
        data = codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    else:
        data = text.encode(encoding)
    return parse_occasions(data, **options)  # type: ignore[arg-type]


def problems(text: str, **kwargs: object) -> list[tuple[int, str, str]]:
    with pytest.raises(OccasionCsvError) as caught:
        parse(text, **kwargs)
    return [
        (line, column, message % details)
        for line, column, message, details in caught.value.problems
    ]


def test_excel_semicolon_file_with_bom_is_read() -> None:
    (occasion,) = parse(f"{HEADER}\r\n{ROW}\r\n", encoding="utf-8-sig")
    assert occasion.iri == f"{COURSE}/occasions/ht-2027"
    assert [d.date for d in occasion.days] == [dt.date(2027, 9, 14), dt.date(2027, 9, 28)]
    assert occasion.days[1].end == dt.time(15, 30)
    assert (occasion.place, occasion.trainers, occasion.capacity) == ("Göteborg", ("anna",), 20)


def test_comma_separated_file_with_quoted_lists_is_read() -> None:
    header = HEADER.replace(";", ",")
    row = f'{COURSE},ht-2027,GR,"{DAYS}","Göteborg, GR",anna,20,2027-09-01'
    (occasion,) = parse(f"{header}\n{row}\n")
    assert occasion.place == "Göteborg, GR"
    assert len(occasion.days) == 2


def test_export_reads_back_the_same() -> None:
    found = parse(f"{HEADER}\n{ROW}\n")
    assert parse(write_occasions(found)) == found


def test_text_a_spreadsheet_would_run_is_exported_as_text_and_reads_back_the_same() -> None:
    header = HEADER + ";titel"
    row = ROW.replace(";Göteborg;", ";-3 våningen;") + ';"=HYPERLINK(""https://evil.example"")"'
    found = parse(f"{header}\n{row}\n")
    assert (found[0].place, found[0].title) == ("-3 våningen", '=HYPERLINK("https://evil.example")')
    exported = write_occasions(found)
    assert ";'-3 våningen;" in exported
    assert ';"\'=HYPERLINK(""https://evil.example"")"' in exported
    assert parse(exported) == found


def test_a_meeting_link_no_browser_could_open_is_a_problem_of_its_column() -> None:
    header = HEADER + ";möteslänk"
    (found,) = problems(f"{header}\n{ROW};https://[\n")
    assert found[:2] == (2, "möteslänk")


def test_every_bad_row_is_reported_by_line_and_column() -> None:
    bad_days = (
        f"{COURSE};vt-2028;GR;2028-03-10 09:00-16:00, 2028-03-01 09:00-16:00;X;anna;5;2028-02-01"
    )
    overlap = (
        f"{COURSE};vt-2029;GR;2029-03-10 09:00-12:00, 2029-03-10 13:00-16:00;X;anna;5;2029-02-01"
    )
    late = f"{COURSE};ht-2028;GR;2028-09-10 09:00-16:00;X;anna;5;2028-09-11"
    unknown = f"{COURSE}-x;ht-2029;GR;2029-09-10 09:00-16:00;X;bertil;many;2029-09-01"
    found = problems("\n".join([HEADER, ROW, bad_days, overlap, late, unknown]) + "\n")
    assert [(line, column) for line, column, _ in found] == [
        (3, "dagar"),
        (4, "dagar"),
        (5, "sista_anmälningsdag"),
        (6, "platser"),
        (6, "kurs"),
        (6, "utbildare"),
    ]
    assert "same date" in found[1][2]
    assert "not before the first course day" in found[2][2]


def test_wrong_encoding_and_missing_columns_import_nothing() -> None:
    (latin,) = problems(f"{HEADER}\n{ROW}\n", encoding="latin-1")
    assert latin[0] == 1
    assert "UTF-8" in latin[2]
    missing = problems("kurs;tillfälle\nx;y\n")
    assert {column for _, column, _ in missing} >= {"region", "dagar", "platser"}
    assert problems(HEADER + "\n")[-1][2] == "the file has no occasions under its header"
    assert "separate them" in problems("kurs\n")[0][2]  # one column: no delimiter to find


def test_capacity_below_registered_and_duplicate_rows_are_refused() -> None:
    iri = f"{COURSE}/occasions/ht-2027"
    (below,) = problems(f"{HEADER}\n{ROW}\n", registered={iri: 21})
    assert below[:2] == (2, "platser")
    assert "below the 21 already registered" in below[2]
    (twice,) = problems(f"{HEADER}\n{ROW}\n{ROW}\n")
    assert twice[:2] == (3, "tillfälle")


def test_cancelling_through_a_csv_is_refused() -> None:
    row = ROW + ";cancelled"
    (found,) = problems(f"{HEADER};status\n{row}\n")
    assert found[1] == "status"
    iri = f"{COURSE}/occasions/ht-2027"
    (reopen,) = problems(f"{HEADER}\n{ROW}\n", statuses={iri: OccasionStatus.CANCELLED})
    assert reopen[1] == "status"


def test_excels_unicode_text_is_read() -> None:
    """Excel's "Unicode Text (*.txt)": UTF-16 little-endian with its byte-order mark, tabs."""
    text = f"{HEADER}\r\n{ROW}\r\n".replace(";", "\t")
    (occasion,) = parse(text, encoding="utf-16")
    assert (occasion.place, occasion.capacity) == ("Göteborg", 20)
    (big_endian,) = parse(text.replace("Göteborg", "Malmö"), encoding="utf-16-be-bom")
    assert big_endian.place == "Malmö"


def test_an_excel_for_mac_file_with_carriage_returns_only_is_read() -> None:
    (occasion,) = parse(f"{HEADER}\r{ROW}\r")  # "CSV (Macintosh)": the csv module raised
    assert occasion.place == "Göteborg"


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (ROW.replace("Göteborg", "Göte\x00borg"), "plats", "the cell holds a NUL character"),
        (ROW.replace("Göteborg", "G" * 200_000), "", "cannot be read as CSV"),
        (ROW.replace(";20;", ";" + "9" * 5000 + ";"), "platser", "is not a whole number"),
        (ROW.replace(";20;", ";²;"), "platser", "is not a whole number"),  # isdigit(), not int
    ],
    ids=["nul", "cell over 128 kB", "5000 digits", "superscript two"],
)
def test_a_cell_nothing_could_store_is_a_problem_of_its_line_not_a_crash(
    row: str, column: str, message: str
) -> None:
    """These raised from the csv module or int() (a 500 for the upload page), or reached
    storage (a NUL, which PostgreSQL refuses)."""
    (found,) = problems(f"{HEADER}\n{row}\n")
    assert found[:2] == (2, column)
    assert message in found[2]
    assert len(found[2]) < 200  # the 5,000 digits are not quoted back whole


def test_a_header_nothing_could_read_is_a_problem_of_line_one() -> None:
    (found,) = problems(HEADER.replace("plats", "p" * 200_000) + f"\n{ROW}\n")
    assert found[:2] == (1, "")
    assert "cannot be read as CSV" in found[2]
