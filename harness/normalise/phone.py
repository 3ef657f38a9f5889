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

import phonenumbers
from phonenumbers import PhoneMetadata, PhoneNumber
from phonenumbers.phonenumberutil import (
    COUNTRY_CODE_TO_REGION_CODE,
    region_code_for_country_code,
)

from harness.normalise.places import normalise_country
from harness.normalise.text import as_text

_IS_POSSIBLE = phonenumbers.ValidationResult.IS_POSSIBLE
_SEPARATORS = str.maketrans("", "", " -.()/\t")


def normalise_phone(
    value: object, *, country: object = None, default_region: str | None = None
) -> str:
    """Digits of the number in E.164 without "+", or "" when it cannot be known.

    `country` is the user's country (any form `normalise_country` accepts);
    `default_region` an ISO alpha-2 code used when the user has no country.
    """
    text = as_text(value)
    if text.startswith("00"):
        text = "+" + text[2:]
    region = _region(country, default_region)
    if not text or (region is None and not text.startswith("+")):
        return ""

    fast = _fast_digits(_without_extension(text), region)
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
    digits = text.removeprefix("+").translate(_SEPARATORS)
    if not (digits.isascii() and digits.isdigit()):
        return None

    if text.startswith("+"):
        country_code, national = _split_country_code(digits)
        rules = _metadata(country_code)
    else:
        country_code, national = _national_in(region, digits)
        rules = _region_metadata(region)
    if country_code is None or national.startswith("0"):
        return None
    if _strips_national_prefix(rules, national):
        return None

    # Anything doubtful (wrong length, a placeholder) is left to the library.
    if len(national) not in _whole_number_lengths(country_code):
        return None
    if len(set(national)) == 1:
        return None
    return f"{country_code}{national}"


def _without_extension(text: str) -> str:
    """Drop an "x123" extension, the one shape of extension the fast path reads."""
    head, marker, extension = text.rpartition("x")
    if marker and extension.isascii() and extension.isdigit() and len(extension) <= 9:
        return head.rstrip()
    return text


def _split_country_code(digits: str) -> tuple[int | None, str]:
    if digits.startswith("0"):
        return None, digits
    for length in (1, 2, 3):
        code = int(digits[:length] or "0")
        if code in COUNTRY_CODE_TO_REGION_CODE:
            return code, digits[length:]
    return None, digits


def _national_in(region: str, digits: str) -> tuple[int | None, str]:
    """The region's country code, unless the digits might carry a prefix."""
    country_code = _region_metadata(region).country_code
    if digits.startswith(str(country_code)):
        return None, digits
    if _international_prefix(region).match(digits):
        return None, digits
    return country_code, digits


def _digits_if_possible(number: PhoneNumber) -> str:
    # "Possible locally only" means the area code is missing: not a whole number.
    if phonenumbers.is_possible_number_with_reason(number) != _IS_POSSIBLE:
        return ""
    if len(set(str(number.national_number))) == 1:
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)[1:]


@functools.cache
def _whole_number_lengths(country_code: int) -> frozenset[int]:
    """National number lengths phonenumbers calls possible, not local-only."""
    metadata = _metadata(country_code)
    lengths = set(metadata.general_desc.possible_length)
    return frozenset(lengths - set(metadata.general_desc.possible_length_local_only))


@functools.cache
def _metadata(country_code: int | None) -> PhoneMetadata | None:
    if country_code is None:
        return None
    region = region_code_for_country_code(country_code)
    return PhoneMetadata.metadata_for_region_or_calling_code(country_code, region)


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _strips_national_prefix(metadata: PhoneMetadata, national: str) -> bool:
    """Whether the library would try to strip a national prefix from `national`."""
    pattern = metadata.national_prefix_for_parsing
    return bool(pattern) and _compiled(pattern).match(national) is not None


@functools.cache
def _region_metadata(region: str) -> PhoneMetadata:
    return PhoneMetadata.metadata_for_region(region)


@functools.cache
def _international_prefix(region: str) -> re.Pattern[str]:
    metadata = _region_metadata(region)
    return re.compile(metadata.international_prefix or "(?!)")


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
