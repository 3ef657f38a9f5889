"""Properties every column keeps, whatever the input."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.normalise import (
    NORMALISED_KEYS,
    cell,
    is_hashed,
    is_sha256_hex,
    normalise,
    row_cells,
    sha256_hex,
)

EMPTY_DIGEST = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
HASHED = sorted(key for key in NORMALISED_KEYS if is_hashed(key))
COUNTRIES = st.sampled_from(
    [None, "us", "US", "gb", "United Kingdom", "de", "Atlantis"]
)

raw_values = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.sampled_from(
        ["+44 7700 900123", "(650) 555-0100", "New York", "São Paulo", "Female"]
        + ["94107-1234", "SW1A 1AA", "United States", " Jane ", "Ó Brien"]
    ),
    st.integers(min_value=-10_000, max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
)


@settings(max_examples=300)
@given(
    key=st.sampled_from(sorted(NORMALISED_KEYS)), value=raw_values, country=COUNTRIES
)
def test_normalising_twice_equals_once(key, value, country):
    once = normalise(key, value, country=country)
    # A normalised phone is E.164 without its "+": it reads back as international.
    again = f"+{once}" if key == "PHONE" and once else once

    assert normalise(key, again, country=country) == once


@settings(max_examples=300)
@given(key=st.sampled_from(HASHED), value=raw_values, country=COUNTRIES)
def test_hashed_cells_are_digests_or_empty(key, value, country):
    sent = cell(key, value, country=country)

    assert sent == "" or (is_sha256_hex(sent) and sent == sent.lower())
    assert sent != EMPTY_DIGEST


@given(key=st.sampled_from(HASHED), digest=st.text(min_size=1).map(sha256_hex))
def test_digests_pass_through_in_any_case(key, digest):
    assert cell(key, digest.upper()) == digest
    assert cell(key, f"  {digest} ", encoding="sha256") == digest


def test_sha256_of_empty_string_is_refused():
    with pytest.raises(ValueError, match="empty cell must stay empty"):
        sha256_hex("")


@pytest.mark.parametrize(
    ("encoding", "value", "expected"),
    [
        pytest.param("md5", "1bc29b36f623ba82aaf6724fd3b16718", "", id="md5-unusable"),
        pytest.param("sha256", "not a digest", "", id="sha256-not-a-digest"),
        pytest.param(
            "RAW", "Alice@Example.com", sha256_hex("alice@example.com"), id="raw"
        ),
    ],
)
def test_identity_encodings(encoding, value, expected):
    assert cell("EMAIL", value, encoding=encoding) == expected


def test_prehashed_device_id_is_unusable_unless_device_ids_are_hashed():
    digest = sha256_hex("6d92078a-8246-4ba4-ae5b-76104861e7dc")

    assert cell("MADID", digest, encoding="sha256") == ""
    assert cell("MADID", digest, encoding="sha256", hash_device_ids=True) == digest


def test_hash_device_ids_setting_hashes_the_lowercase_id():
    sent = cell("MADID", "6D92078A-8246-4BA4-AE5B-76104861E7DC", hash_device_ids=True)

    assert sent == sha256_hex("6d92078a-8246-4ba4-ae5b-76104861e7dc")


def test_unknown_encoding_is_refused():
    with pytest.raises(ValueError, match="EMAIL: unknown identity encoding 'base64'"):
        cell("EMAIL", "alice@example.com", encoding="base64")


def test_unknown_column_is_refused():
    with pytest.raises(ValueError, match="'DATA_PROCESSING_OPTIONS' is not a column"):
        normalise("DATA_PROCESSING_OPTIONS", "LDU")


def test_wrong_value_type_names_the_column():
    with pytest.raises(TypeError, match="FN: expected text or a number, got list"):
        cell("FN", ["Jane"])


@settings(max_examples=200)
@given(
    row=st.lists(
        st.tuples(st.sampled_from(sorted(NORMALISED_KEYS)), raw_values),
        min_size=1,
        max_size=6,
    ),
    country=COUNTRIES,
)
def test_row_cells_equal_cell_on_each_column(row, country):
    schema = [key for key, _ in row]
    values = [value for _, value in row]

    cells = row_cells(schema, values, country=country, default_region="GB")

    assert cells == [
        cell(key, value, country=country, default_region="GB") for key, value in row
    ]


def test_repeated_values_give_the_same_cells_as_the_first_time():
    schema = ["FN", "ST", "ZIP", "DOBM"]

    first = row_cells(schema, ["Jane", "New York", "94107", 1], country="us")
    again = row_cells(schema, ["Jane", "New York", "94107", 1], country="us")

    assert (
        first
        == again
        == [
            cell(key, value)
            for key, value in zip(schema, ["Jane", "New York", "94107", 1], strict=True)
        ]
    )


def test_a_row_value_of_the_wrong_type_names_its_column():
    with pytest.raises(TypeError, match="ST: expected text or a number, got list"):
        row_cells(["FN", "ST"], ["Jane", ["NY"]])
    with pytest.raises(TypeError, match="DOBM: expected text or a number, got bool"):
        row_cells(["DOBM"], [True])


def test_a_row_must_fit_its_schema():
    with pytest.raises(ValueError, match="a row of 1 values does not fit a schema"):
        row_cells(["EMAIL", "PHONE"], ["alice@example.com"])
