"""SCB's municipalities and counties as data (issue 14, point 3)."""

from __future__ import annotations

import pytest

from yrkesresan_lti.exceptions import UnknownCounty, UnknownMunicipality, YrkesresanError
from yrkesresan_lti.municipalities import (
    UNKNOWN_NAME_SV,
    counties,
    county,
    find_municipality,
    municipalities,
    municipality,
)


def test_all_290_municipalities_and_21_counties_by_code() -> None:
    codes = [m.code for m in municipalities()]
    assert len(codes) == 290
    assert codes == sorted(codes)
    assert len(set(codes)) == 290
    assert all(len(code) == 4 and code.isdigit() for code in codes)
    assert [c.code for c in counties()] == sorted(c.code for c in counties())
    assert len(counties()) == 21


def test_every_county_has_municipalities_and_every_municipality_a_county() -> None:
    by_county = {c.code: 0 for c in counties()}
    for item in municipalities():
        assert item.county.code == item.code[:2]
        by_county[item.county.code] += 1
    assert all(count > 0 for count in by_county.values())


def test_a_known_municipality_has_its_official_name_and_county() -> None:
    goteborg = municipality("1480")
    assert goteborg.name == "Göteborg"
    assert goteborg.county.code == "14"
    assert goteborg.county.name == "Västra Götalands län"
    assert municipality("0180").name == "Stockholm"
    assert county("01").name == "Stockholms län"


@pytest.mark.parametrize("code", ["9999", "148", "14800", "", "abcd", "0000"])
def test_an_unknown_kommunkod_is_refused_with_a_typed_error(code: str) -> None:
    with pytest.raises(UnknownMunicipality) as caught:
        municipality(code)
    assert isinstance(caught.value, YrkesresanError)
    assert caught.value.details["value"] == code


def test_an_unknown_county_is_refused() -> None:
    with pytest.raises(UnknownCounty):
        county("99")


@pytest.mark.parametrize(
    ("text", "code"),
    [("1480", "1480"), ("Göteborg", "1480"), ("  göteborg ", "1480"), ("Malmö kommun", "1280")],
)
def test_a_municipality_is_found_by_code_or_unambiguous_name(text: str, code: str) -> None:
    assert find_municipality(text).code == code


def test_a_name_that_is_no_municipality_is_refused() -> None:
    with pytest.raises(UnknownMunicipality) as caught:
        find_municipality("Atlantis")
    assert caught.value.reason == "name"


def test_the_unknown_name_is_swedish_and_explicit() -> None:
    assert UNKNOWN_NAME_SV == "okänd kommun"
    assert all(m.name != UNKNOWN_NAME_SV for m in municipalities())
