"""Phone numbers: country codes, regions, placeholders, and the fast path."""

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.normalise import normalise_phone
from harness.normalise.phone import (
    _LEADING_LABEL,
    _TRAILING_LABEL,
    _fast_digits,
    _without_extension,
    _without_labels,
    library_digits,
)


@pytest.mark.parametrize(
    ("value", "context", "expected"),
    [
        pytest.param("(650) 555-0100", {"country": "US"}, "16505550100", id="us"),
        pytest.param("650.555.0100x123", {"country": "us"}, "16505550100", id="ext"),
        pytest.param("001-650-555-0100", {}, "16505550100", id="00-prefix"),
        pytest.param("011 44 7700 900123", {"country": "US"}, "447700900123", id="idd"),
        pytest.param(
            "07700 900123", {"default_region": "GB"}, "447700900123", id="dflt"
        ),
        pytest.param("+44 (0) 7700 900123", {}, "447700900123", id="trunk-zero"),
        pytest.param("+39 06 1234 5678", {}, "390612345678", id="italian-zero-kept"),
        pytest.param("650 555 0100", {}, "", id="no-country-dropped"),
        pytest.param("555-0100", {"country": "US"}, "", id="local-only"),
        pytest.param("+1 000 000 0000", {}, "", id="all-zero-placeholder"),
        pytest.param("+1 999 999 9999", {}, "", id="repeated-digit-placeholder"),
        pytest.param("call me", {"country": "US"}, "", id="not-a-number"),
        pytest.param("07700 900123", {"country": "Atlantis"}, "", id="unknown-country"),
        pytest.param("Tel. +44 7700 900123", {}, "447700900123", id="leading-label"),
        pytest.param(
            "+44 7700 900123 (mobile)", {}, "447700900123", id="trailing-label"
        ),
        pytest.param(
            "phone: 0044 7700 900123",
            {"default_region": "US"},
            "447700900123",
            id="label-and-00-prefix",
        ),  # fmt: skip
        pytest.param("+44 7700 900123 ext. 5", {}, "447700900123", id="ext-word"),
    ],
)
def test_phone(value, context, expected):
    assert normalise_phone(value, **context) == expected


def test_unknown_default_region_is_refused():
    with pytest.raises(ValueError, match="default_region 'ZZ'"):
        normalise_phone("650 555 0100", default_region="ZZ")


def _example_numbers():
    formats = (
        phonenumbers.PhoneNumberFormat.E164,
        phonenumbers.PhoneNumberFormat.INTERNATIONAL,
        phonenumbers.PhoneNumberFormat.NATIONAL,
    )
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        number = phonenumbers.example_number(region)
        if number is not None:
            for shape in formats:
                yield region, phonenumbers.format_number(number, shape)


@pytest.mark.parametrize(("region", "text"), list(_example_numbers()))
def test_fast_path_agrees_with_library_on_every_region(region, text):
    fast = _fast_digits(_without_extension(text), region)

    assert fast is None or fast == library_digits(text, region)


@pytest.mark.parametrize(
    ("region", "text"),
    [
        pytest.param("AS", "6130724", id="nanp-territory-local-number"),
        pytest.param("DK", "+09213938946500", id="plus-then-zero"),
        pytest.param("GB", "07700 900123x12", id="trunk-zero-with-extension"),
    ],
)
def test_fast_path_defers_or_agrees(region, text):
    fast = _fast_digits(_without_extension(text), region)

    assert fast is None or fast == library_digits(text, region)


@settings(max_examples=500)
@given(
    region=st.sampled_from(sorted(phonenumbers.SUPPORTED_REGIONS)),
    plus=st.booleans(),
    digits=st.text("0123456789", min_size=1, max_size=16),
    separator=st.sampled_from(["", " ", "-", "."]),
    extension=st.sampled_from(["", "x1", "x12345", " x 77"]),
)
def test_fast_path_agrees_with_library_on_any_digits(
    region, plus, digits, separator, extension
):
    text = ("+" if plus else "") + separator.join(digits) + extension
    fast = _fast_digits(_without_extension(text), region)

    assert fast is None or fast == library_digits(text, region)


@settings(max_examples=500)
@given(
    text=st.text(
        st.sampled_from(list("0123456789+() .-xTelphon:") + ["١", "²", "é", "\n"]),
        min_size=1,
        max_size=20,
    )
)
def test_labels_are_dropped_as_both_label_patterns_drop_them(text):
    # phone_digits calls _without_labels unless the text starts and ends in a digit.
    if text[0].isdigit() and text[-1].isdigit():
        return

    both = _TRAILING_LABEL.sub("", _LEADING_LABEL.sub("", text))

    assert _without_labels(text) == both
