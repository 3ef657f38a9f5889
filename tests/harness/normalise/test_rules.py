"""Per-column rules beyond the bug reports: Facebook's table and our own choices."""

import datetime

import pytest

from harness.normalise import (
    first_initial,
    lookalike_value,
    normalise,
    normalise_birth_year,
    normalise_city,
    normalise_country,
    normalise_email,
    normalise_gender,
    normalise_madid,
    normalise_name,
    normalise_state,
    normalise_zip,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("  Joe@Example.COM ", "joe@example.com", id="trim-and-lower"),
        pytest.param("not an email", "", id="no-at-sign"),
        pytest.param("@example.com", "", id="no-local-part"),
    ],
)
def test_email(value, expected):
    assert normalise_email(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("Mary-Jane", "maryjane", id="hyphen-removed"),
        pytest.param("Anne Marie", "annemarie", id="space-removed"),
        pytest.param("Zoë", "zoë", id="accent-kept"),
        pytest.param("Zoe\u0308", "zo\u00eb", id="decomposed-composed-nfc"),
        pytest.param("Дмитрий", "дмитрий", id="cyrillic-kept"),
        pytest.param("R2-D2", "rd", id="digits-removed"),
    ],
)
def test_name(value, expected):
    assert normalise_name(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("J.", "j", id="initial-with-dot"),
        pytest.param("Élodie", "é", id="accented-initial"),
        pytest.param("", "", id="no-name"),
    ],
)
def test_first_initial(value, expected):
    assert first_initial(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("M", "m", id="letter"),
        pytest.param(" FEMALE ", "f", id="word-any-case"),
        pytest.param("man", "m", id="man"),
        pytest.param("x", "", id="other-letter"),
        pytest.param("unknown", "", id="unknown"),
    ],
)
def test_gender(value, expected):
    assert normalise_gender(value) == expected


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        pytest.param("CA", None, "ca", id="us-code"),
        pytest.param("california", None, "ca", id="us-name-lower"),
        pytest.param("N.Y.", None, "ny", id="dotted-code"),
        pytest.param("District of Columbia", "US", "dc", id="district"),
        pytest.param("Puerto Rico", "United States", "pr", id="territory"),
        pytest.param("Île-de-France", "fr", "iledefrance", id="foreign-region"),
        pytest.param("Georgia", "ge", "georgia", id="not-us-not-mapped"),
    ],
)
def test_state(value, country, expected):
    assert normalise_state(value, country=country) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("San Francisco", "sanfrancisco", id="spaces-removed"),
        pytest.param("Winston-Salem", "winstonsalem", id="hyphen-removed"),
        pytest.param("Düsseldorf", "dusseldorf", id="umlaut-folded"),
        pytest.param("Straße", "strasse", id="sharp-s"),
        pytest.param("Москва", "", id="non-latin-dropped"),
    ],
)
def test_city(value, expected):
    assert normalise_city(value) == expected


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        pytest.param("94107-1234", None, "94107", id="zip-plus-4"),
        pytest.param("941071234", "us", "94107", id="zip-plus-4-no-hyphen"),
        pytest.param(" 94107 ", None, "94107", id="trimmed"),
        pytest.param(94107, None, "94107", id="number"),
        pytest.param("SW1A 1AA", "gb", "sw1a1", id="uk-sector"),
        pytest.param("K1A 0B1", "ca", "k1a0b1", id="canada-spaces-removed"),
        pytest.param("123456789", "de", "123456789", id="foreign-kept-whole"),
    ],
)
def test_zip(value, country, expected):
    assert normalise_zip(value, country=country) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("US", "us", id="alpha-2"),
        pytest.param("deu", "de", id="alpha-3"),
        pytest.param("Germany", "de", id="name"),
        pytest.param("UK", "gb", id="uk-alias"),
        pytest.param("U.S.A.", "us", id="dotted"),
        pytest.param("Atlantis", "", id="unknown"),
        pytest.param("XX", "", id="unknown-code"),
    ],
)
def test_country(value, expected):
    assert normalise_country(value) == expected


def test_birth_year_range():
    this_year = datetime.date.today().year

    assert normalise_birth_year(1990) == "1990"
    assert normalise_birth_year(1899) == ""
    assert normalise_birth_year(this_year + 1) == ""


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        pytest.param("DOBM", "1", "01", id="month-padded"),
        pytest.param("DOBM", 13, "", id="month-too-big"),
        pytest.param("DOBD", "31", "31", id="day"),
        pytest.param("DOBD", "0", "", id="day-zero"),
    ],
)
def test_birth_month_and_day(key, value, expected):
    assert normalise(key, value) == expected


def test_all_zero_device_id_is_unusable():
    assert normalise_madid("00000000-0000-0000-0000-000000000000") == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(12, 12, id="int"),
        pytest.param("12.5", 12.5, id="text-float"),
        pytest.param("7", 7, id="text-int"),
        pytest.param(0, 0, id="zero"),
        pytest.param(-1, None, id="negative"),
        pytest.param("lots", None, id="not-a-number"),
        pytest.param(float("nan"), None, id="nan"),
        pytest.param(True, None, id="boolean"),
        pytest.param(None, None, id="missing"),
    ],
)
def test_lookalike_value(value, expected):
    assert lookalike_value(value) == expected
