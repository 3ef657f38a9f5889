"""Folding to a-z: the bytes fast path for ASCII text agrees with the pattern."""

from hypothesis import given
from hypothesis import strategies as st

from harness.normalise.text import _NOT_A_TO_Z, ascii_letters


@given(text=st.text(st.characters(max_codepoint=127)))
def test_ascii_letters_of_ascii_text_are_the_a_to_z_the_pattern_keeps(text):
    assert ascii_letters(text) == _NOT_A_TO_Z.sub("", text.lower())


@given(text=st.text(min_size=1))
def test_ascii_letters_of_any_text_are_a_to_z_only(text):
    letters = ascii_letters(text)

    assert letters == _NOT_A_TO_Z.sub("", letters)
