"""Normalising where a person lives: country, state, city and ZIP code.

Country and US-state lookups go through pycountry once per distinct value and are
cached, because pycountry's lookups are slow and these columns repeat a lot.
"""

import functools
import re

import pycountry

from harness.normalise.text import as_text, ascii_letters

# Everyday names pycountry does not know, by their a-z letters; "our choice".
_COUNTRY_ALIASES = {
    "uk": "gb",
    "greatbritain": "gb",
    "england": "gb",
    "scotland": "gb",
    "wales": "gb",
    "northernireland": "gb",
    "america": "us",
    "unitedstatesofamerica": "us",
}

_NOT_IN_ZIP = re.compile("[^a-z0-9-]+")
_KEPT_IN_ZIP = b"abcdefghijklmnopqrstuvwxyz0123456789-"
_NOT_IN_ZIP_BYTES = bytes(byte for byte in range(128) if byte not in _KEPT_IN_ZIP)
_US_ZIP = re.compile(r"(\d{5})(?:-?\d{4})?")
_UK_POSTCODE = re.compile(r"([a-z]{1,2}\d[a-z\d]?)(\d)[a-z]{2}")


def normalise_country(value: object) -> str:
    """ISO 3166-1 alpha-2, lower-case, from an alpha-2, alpha-3 or English name."""
    return _country_code(as_text(value))


def normalise_state(value: object, *, country: object = None) -> str:
    """A US state's 2-letter code from its name or code, else a-z letters only.

    US names are mapped only when the user's country is the US or unknown.
    """
    return state_code(as_text(value), _country_code(as_text(country)))


def state_code(text: str, home: str) -> str:
    """`normalise_state` for stripped text and the user's alpha-2 code (or "")."""
    letters = ascii_letters(text)
    if home in ("", "us"):
        return _us_states().get(letters, letters)
    return letters


def normalise_city(value: object) -> str:
    """a-z only, lower-case, accents folded (São Paulo -> saopaulo)."""
    return ascii_letters(as_text(value))


def normalise_zip(value: object, *, country: object = None) -> str:
    """Lower-case a-z, digits and hyphens; US ZIP+4 cut to 5 digits; UK to sector.

    US and UK shapes are recognised when the user's country is that country or
    unknown, so a foreign code that happens to look alike is kept whole.
    """
    return zip_code(as_text(value), _country_code(as_text(country)))


def zip_code(text: str, home: str) -> str:
    """`normalise_zip` for stripped text and the user's alpha-2 code (or "")."""
    # The usual US shapes, 12345 and 12345-6789, skip the patterns below.
    if home in ("", "us") and text.isascii():
        if len(text) == 5 and text.isdigit():
            return text
        if len(text) == 10 and text[5] == "-" and (text[:5] + text[6:]).isdigit():
            return text[:5]

    code = _zip_characters(text.lower()).strip("-")
    if home in ("", "us") and len(code) == 5 and code.isdigit():
        return code
    if home in ("", "us") and (us_zip := _US_ZIP.fullmatch(code)):
        return us_zip.group(1)
    if home in ("", "gb") and (postcode := _UK_POSTCODE.fullmatch(code)):
        return postcode.group(1) + postcode.group(2)
    return code


def _zip_characters(lowered: str) -> str:
    if lowered.isascii():
        return lowered.encode().translate(None, _NOT_IN_ZIP_BYTES).decode()
    return _NOT_IN_ZIP.sub("", lowered)


@functools.lru_cache(maxsize=4096)
def _country_code(text: str) -> str:
    if not text:
        return ""
    try:
        return pycountry.countries.lookup(text).alpha_2.lower()
    except LookupError:
        pass

    letters = ascii_letters(text)
    if letters in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[letters]
    try:
        return pycountry.countries.lookup(letters).alpha_2.lower()
    except LookupError:
        return ""


@functools.cache
def _us_states() -> dict[str, str]:
    """a-z letters of each US state, district and territory name and code -> code."""
    states = {}
    for division in pycountry.subdivisions.get(country_code="US"):
        code = division.code.removeprefix("US-").lower()
        states[ascii_letters(division.name)] = code
        states[code] = code
    return states
