"""Normalising a person's own fields: email, names, first initial, gender, birth date.

Each function takes a raw value (text, number or None) and returns the plaintext
Facebook hashes, or "" when the value is unusable. Rules: Facebook's multi-key
normalisation table; the choices of our own are listed in docs/behaviour.md.
"""

import datetime
import unicodedata

from harness.normalise.text import as_text, ascii_letters, digits_only

_GENDERS = {"m": "m", "male": "m", "man": "m", "f": "f", "female": "f", "woman": "f"}

# Unicode categories kept in a name: letters and the marks that belong to them.
_NAME_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me"})


def normalise_email(value: object) -> str:
    """Trim and lower-case; "" unless it looks like local@domain."""
    return email_of(as_text(value))


def email_of(text: str) -> str:
    """`normalise_email` for text already stripped (the hot path: no checks again)."""
    email = text.lower()
    local, at, domain = email.partition("@")
    if not (local and at and domain):
        return ""
    return email


def normalise_name(value: object) -> str:
    """NFC, lower-case, letters of any script only (Mary-Jane -> maryjane, José)."""
    text = unicodedata.normalize("NFC", as_text(value)).lower()
    if text.isascii():
        return ascii_letters(text)

    kept = "".join(
        char for char in text if unicodedata.category(char) in _NAME_CATEGORIES
    )
    return unicodedata.normalize("NFC", _without_leading_marks(kept))


def first_initial(value: object) -> str:
    """The first letter of the normalised first name, with its combining marks."""
    name = normalise_name(value)
    if not name:
        return ""

    end = 1
    while end < len(name) and unicodedata.category(name[end]).startswith("M"):
        end += 1
    return name[:end]


def normalise_gender(value: object) -> str:
    """ "m" or "f" from m/male/man or f/female/woman in any case; anything else ""."""
    return _GENDERS.get(ascii_letters(as_text(value)), "")


def normalise_birth_year(value: object) -> str:
    """Four-digit year from 1900 to the current year, else ""."""
    text = as_text(value)
    if not (len(text) == 4 and text.isdigit()):
        return ""
    if not 1900 <= int(text) <= datetime.date.today().year:
        return ""
    return text


def normalise_birth_month(value: object) -> str:
    """Two-digit month 01..12, else ""."""
    return _two_digits(value, highest=12)


def normalise_birth_day(value: object) -> str:
    """Two-digit day of the month 01..31, else ""."""
    return _two_digits(value, highest=31)


def _two_digits(value: object, *, highest: int) -> str:
    text = as_text(value)
    if not (text and len(text) <= 2 and text == digits_only(text)):
        return ""
    if not 1 <= int(text) <= highest:
        return ""
    return f"{int(text):02d}"


def _without_leading_marks(text: str) -> str:
    """Drop combining marks at the start of `text`: they belong to no letter."""
    start = 0
    while start < len(text) and unicodedata.category(text[start]).startswith("M"):
        start += 1
    return text[start:]
