"""ZIP codes: the fast paths for ASCII text agree with the patterns they skip."""

from hypothesis import given
from hypothesis import strategies as st

from harness.normalise.places import (
    _NOT_IN_ZIP,
    _UK_POSTCODE,
    _US_ZIP,
    _zip_characters,
    zip_code,
)

HOMES = st.sampled_from(["", "us", "gb", "de"])


@given(text=st.text(st.characters(max_codepoint=127)))
def test_zip_characters_of_ascii_text_are_those_the_pattern_keeps(text):
    assert _zip_characters(text.lower()) == _NOT_IN_ZIP.sub("", text.lower())


@given(text=st.text(st.sampled_from("0123456789-٣ aB"), max_size=12), home=HOMES)
def test_zip_codes_are_those_the_patterns_give(text, home):
    code = _NOT_IN_ZIP.sub("", text.lower()).strip("-")
    expected = code
    if home in ("", "us") and (us_zip := _US_ZIP.fullmatch(code)):
        expected = us_zip.group(1)
    elif home in ("", "gb") and (postcode := _UK_POSTCODE.fullmatch(code)):
        expected = postcode.group(1) + postcode.group(2)

    assert zip_code(text, home) == expected
