"""Per-locale pools of names, places and phone plans drawn once from a seeded Faker.

Faker's own generators cost tens of microseconds a call, far too slow for a million
users, so each locale draws fixed pools up front from a Faker instance seeded with
the run's seed; users are then assembled from the pools with the provider's own
random generator. The pools are a pure function of (locale, seed, size).
"""

import functools
import unicodedata
from dataclasses import dataclass

import phonenumbers
import pycountry
from faker import Faker
from faker.config import AVAILABLE_LOCALES

# Names people really carry that exercise accents and apostrophes; Faker's pools
# for English locales rarely contain them.
ACCENTED_FIRST_NAMES = (
    "José", "Zoë", "Renée", "Chloé", "Björn", "François", "Mónica", "Søren",
    "Inés", "Théo", "Agnès", "Łukasz",
)  # fmt: skip
APOSTROPHE_FIRST_NAMES = ("D'Andre", "De'Shawn", "Ja'Marr", "D'Arcy", "Ke'Ana")
ACCENTED_LAST_NAMES = (
    "Müller", "Gonçalves", "Núñez", "Lefèvre", "Søndergaard", "Dvořák",
    "Łęcka", "Ångström",
)  # fmt: skip
APOSTROPHE_LAST_NAMES = ("O'Brien", "D'Angelo", "O'Connor", "D'Souza", "N'Diaye")

# Unique tails keep every user's phone distinct: seven digits replace the end of
# the region's example mobile number, the first of them never 0 or 1.
PHONE_TAIL_DIGITS = 7


@dataclass(frozen=True)
class PhonePlan:
    """How one region writes its mobile numbers."""

    region: str
    country_code: int
    national_prefix: str
    example_nsn: str

    def national_number(self, serial: int) -> str:
        """A valid-looking national significant number unique to `serial`."""
        lead = 2 + (serial // 1_000_000) % 8
        return f"{self.example_nsn[:-PHONE_TAIL_DIGITS]}{lead}{serial % 1_000_000:06d}"


@dataclass(frozen=True)
class LocalePool:
    """What one locale contributes to a user: names, places, country, phones."""

    locale: str
    region: str
    country_name: str
    alpha_3: str
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    cities: tuple[str, ...]
    states: tuple[tuple[str, str], ...]  # (name, code)
    postcodes: tuple[str, ...]
    phone: PhonePlan


@functools.cache
def locale_pool(locale: str, seed: int, size: int = 400) -> LocalePool:
    """Draw the pools of `locale` from a Faker seeded with `seed`."""
    fake = _seeded_faker(locale, seed)
    region = fake.current_country_code()
    country = pycountry.countries.get(alpha_2=region)

    return LocalePool(
        locale=locale,
        region=region,
        country_name=getattr(country, "common_name", None) or country.name,
        alpha_3=country.alpha_3,
        first_names=_draw(fake.first_name, size),
        last_names=_draw(fake.last_name, size),
        cities=_draw(fake.city, size),
        states=_states_of(region),
        postcodes=_draw(fake.postcode, size),
        phone=_phone_plan(region),
    )


@functools.lru_cache(maxsize=4096)
def ascii_letters(text: str) -> str:
    """Lower-case ASCII letters of `text`, accents folded (for email local parts)."""
    folded = unicodedata.normalize("NFKD", text)
    return "".join(char for char in folded.lower() if "a" <= char <= "z")


def checked_locale(locale: str) -> str:
    """`locale` if Faker knows it; a ValueError naming it otherwise."""
    if locale not in AVAILABLE_LOCALES:
        raise ValueError(
            f"unknown Faker locale {locale!r}; use one such as en_US, en_GB or de_DE"
        )
    return locale


def _seeded_faker(locale: str, seed: int) -> Faker:
    fake = Faker(checked_locale(locale))
    fake.seed_instance(seed)
    return fake


def _draw(method, size: int) -> tuple[str, ...]:
    return tuple(method() for _ in range(size))


def _states_of(region: str) -> tuple[tuple[str, str], ...]:
    subdivisions = pycountry.subdivisions.get(country_code=region) or []
    top_level = [item for item in subdivisions if item.parent_code is None]
    pairs = sorted(
        (item.name.split(" [")[0], item.code.split("-", 1)[1]) for item in top_level
    )
    return tuple(pairs) or ((region, region),)


def _phone_plan(region: str) -> PhonePlan:
    example = phonenumbers.example_number_for_type(
        region, phonenumbers.PhoneNumberType.MOBILE
    )
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    return PhonePlan(
        region=region,
        country_code=example.country_code,
        national_prefix=metadata.national_prefix or "",
        example_nsn=str(example.national_number),
    )
