"""Normalising phone numbers: digits with the country code, no leading zeros.

The phonenumbers library decides what a number means. A number written without a
country code takes the user's country, else the configured default region; with
neither it is unusable ("") rather than guessed. Placeholders give "" too.

Parsing with phonenumbers costs ~40 µs, so the common shapes (international, or
national in a known region, digits and separators only) take a fast path that asks
the same metadata the same questions; tests check both paths agree.
"""

import functools
import re
from collections.abc import Callable
from typing import NamedTuple

import phonenumbers
from phonenumbers import PhoneMetadata, PhoneNumber
from phonenumbers.phonenumberutil import (
    COUNTRY_CODE_TO_REGION_CODE,
    region_code_for_country_code,
)

from harness.normalise.places import normalise_country
from harness.normalise.text import as_text

_IS_POSSIBLE = phonenumbers.ValidationResult.IS_POSSIBLE
# Deleted from the UTF-8 bytes: str.translate is several times slower here.
_SEPARATORS = b" -.()/\t"
# Words around a number ("Tel. ", "phone: ", " (mobile)") are not part of it;
# Facebook's rule drops letters. An extension ("ext. 5", "x12") ends in digits.
_LEADING_LABEL = re.compile(r"^[^\d+(]+")
_TRAILING_LABEL = re.compile(r"\s*\(?[^\W\d_]+\)?\.?\s*$")


def normalise_phone(
    value: object, *, country: object = None, default_region: str | None = None
) -> str:
    """Digits of the number in E.164 without "+", or "" when it cannot be known.

    `country` is the user's country (any form `normalise_country` accepts);
    `default_region` an ISO alpha-2 code used when the user has no country.
    """
    return phone_digits(as_text(value), country, default_region)


def phone_digits(text: str, country: object, default_region: str | None) -> str:
    """`normalise_phone` for text already stripped, with positional arguments."""
    if text and not (text[0].isdigit() and text[-1].isdigit()):
        text = _without_labels(text)
    if text.startswith("00"):
        text = "+" + text[2:]
    region = _region(country, default_region)
    if not text or (region is None and not text.startswith("+")):
        return ""

    fast = _fast_digits(text if "x" not in text else _without_extension(text), region)
    if fast is not None:
        return fast
    return library_digits(text, region)


def library_digits(text: str, region: str | None) -> str:
    """Normalise with phonenumbers' full parser (the reference for the fast path)."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return ""
    return _digits_if_possible(number)


def _fast_digits(text: str, region: str | None) -> str | None:
    """The digits of a plainly well-formed number, or None to ask the library."""
    if not text.isascii():
        return None
    digits = text.removeprefix("+").encode().translate(None, _SEPARATORS).decode()
    if not digits.isdigit() or digits.startswith("0"):
        return None

    if text.startswith("+"):
        country_code, national = _split_country_code(digits)
        plan = _CODE_PLANS.get(country_code)
    else:
        plan = _region_plan(region)
        country_code, national = plan.country_code, digits
        if digits.startswith(plan.country_code) or plan.international(digits):
            return None
    if plan is None or plan.strips_prefix(national):
        return None

    # Anything doubtful (wrong length, a placeholder) is left to the library.
    if len(national) not in plan.lengths or national == national[0] * len(national):
        return None
    return country_code + national


class _Plan(NamedTuple):
    """What the library would check for one region or country code, precompiled."""

    country_code: str
    lengths: frozenset[int]
    strips_prefix: Callable[[str], object]
    international: Callable[[str], object]


def _plan(metadata: PhoneMetadata, main: PhoneMetadata) -> _Plan:
    """`metadata` decides prefixes; `main`, the code's main region, the lengths."""
    general = main.general_desc
    lengths = set(general.possible_length) - set(general.possible_length_local_only)
    return _Plan(
        country_code=str(metadata.country_code),
        lengths=frozenset(lengths),
        strips_prefix=_matcher(metadata.national_prefix_for_parsing),
        international=_matcher(metadata.international_prefix),
    )


def _matcher(pattern: str | None) -> Callable[[str], object]:
    if not pattern:
        return lambda text: None
    return re.compile(pattern).match


def _code_plans() -> dict[str, _Plan]:
    plans = {}
    for code in COUNTRY_CODE_TO_REGION_CODE:
        main = PhoneMetadata.metadata_for_region_or_calling_code(
            code, region_code_for_country_code(code)
        )
        if main is not None:
            plans[str(code)] = _plan(main, main)
    return plans


@functools.cache
def _region_plan(region: str) -> _Plan:
    metadata = PhoneMetadata.metadata_for_region(region)
    main_region = region_code_for_country_code(metadata.country_code)
    main = PhoneMetadata.metadata_for_region_or_calling_code(
        metadata.country_code, main_region
    )
    return _plan(metadata, main)


def _split_country_code(digits: str) -> tuple[str, str]:
    """Country codes are prefix-free: the first 1 to 3 digits that are one."""
    for length in (1, 2, 3):
        if digits[:length] in _CODE_PLANS:
            return digits[:length], digits[length:]
    return "", digits


def _without_labels(text: str) -> str:
    """Drop words before and after the number; a regex runs only where one can match."""
    # \d is a Unicode decimal digit (str.isdecimal), which no label begins or ends in.
    if not (text[0].isdecimal() or text[0] in "+("):
        text = _LEADING_LABEL.sub("", text)
    if text and not text[-1].isdecimal():
        text = _TRAILING_LABEL.sub("", text)
    return text


def _without_extension(text: str) -> str:
    """Drop an "x123" extension, the one shape of extension the fast path reads."""
    head, marker, extension = text.rpartition("x")
    if marker and extension.isascii() and extension.isdigit() and len(extension) <= 9:
        return head.rstrip()
    return text


def _digits_if_possible(number: PhoneNumber) -> str:
    # "Possible locally only" means the area code is missing: not a whole number.
    if phonenumbers.is_possible_number_with_reason(number) != _IS_POSSIBLE:
        return ""
    if len(set(str(number.national_number))) == 1:
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)[1:]


@functools.lru_cache(maxsize=1024)
def _region(country: object, default_region: str | None) -> str | None:
    code = normalise_country(country).upper()
    if code in phonenumbers.SUPPORTED_REGIONS:
        return code
    if default_region is None:
        return None
    if default_region.upper() not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(
            f"default_region {default_region!r} is not a region phonenumbers "
            "knows: use an ISO 3166-1 alpha-2 code such as 'US' or 'GB'"
        )
    return default_region.upper()


# Each country code's plan, built once at import (about 250 codes).
_CODE_PLANS: dict[str, _Plan] = _code_plans()
