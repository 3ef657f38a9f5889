"""Per-column encoders: remembered cells, bounded memos, and the row encoder."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.normalise import (
    NORMALISED_KEYS,
    cell,
    clear_caches,
    encoders,
    normalise_country,
    row_cells,
)

KEYS = sorted(NORMALISED_KEYS)
COUNTRIES = st.sampled_from([None, "", "us", "US", "gb", "United Kingdom", "Atlantis"])
values = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.sampled_from(["New York", "ny", "94107-1234", "SW1A 1AA", "(650) 555-0100"]),
    st.integers(min_value=-5, max_value=10**11),
    st.floats(allow_nan=False, allow_infinity=False),
)


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.lists(values, min_size=4, max_size=4), COUNTRIES),
        min_size=1,
        max_size=8,
    ),
    schema=st.lists(st.sampled_from(KEYS), min_size=4, max_size=4),
    hash_extern_id=st.booleans(),
)
def test_row_encoder_equals_cell_on_every_cell_row_after_row(
    rows, schema, hash_extern_id
):
    # Rows share memos: a cell remembered under one country must not leak to another.
    clear_caches()
    settings_ = {"hash_extern_id": hash_extern_id, "default_region": "GB"}

    for row, country in rows:
        expected = [
            cell(key, value, country=country, **settings_)
            for key, value in zip(schema, row, strict=True)
        ]
        assert row_cells(schema, row, country=country, **settings_) == expected


@pytest.mark.parametrize("key", ["CT", "ZIP", "ST", "FN"])
def test_a_full_memo_starts_afresh_and_keeps_answering(key, monkeypatch):
    monkeypatch.setattr(encoders, "MEMO_SIZE", 3)
    clear_caches()
    names = [f"Place {letter}" for letter in "abcdefg"]

    first = [cell(key, name, country="us") for name in names]
    again = [cell(key, name, country="us") for name in reversed(names)]

    assert again == list(reversed(first))
    assert len(set(first)) == len(names)


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        pytest.param("DOBM", 7, cell("DOBM", "07"), id="number-in-remembered-column"),
        pytest.param("ZIP", 94107, cell("ZIP", "94107"), id="number-zip"),
        pytest.param("GEN", None, "", id="none-in-remembered-column"),
    ],
)
def test_remembered_columns_take_values_that_are_not_text(key, value, expected):
    clear_caches()

    assert cell(key, value, country="us") == expected


def test_state_is_remembered_per_country():
    clear_caches()

    in_us = cell("ST", "Georgia", country="us")
    elsewhere = cell("ST", "Georgia", country="ge")

    assert in_us == cell("ST", "ga")
    assert elsewhere == cell("ST", "georgia", country="ge")
    assert in_us != elsewhere


def test_home_country_is_remembered_and_cleared():
    clear_caches()

    assert encoders.home_country(" United Kingdom ") == "gb"
    assert encoders.home_country(" United Kingdom ") == "gb"
    assert encoders.home_country(None) == ""
    assert encoders.home_country(826) == normalise_country(826)

    clear_caches()
    assert encoders._HOMES == {}
