"""A Faker provider of mParticle users written the way customers really store them.

Each field is drawn in two layers. First a *variety*: a legitimate way people write
the value (a phone in E.164 or national format, a state as a name or a code, a
surname with an apostrophe); varieties appear at every messiness. Then, with
probability `messiness` (0..1), one *messy* form of that field replaces or wraps it:
padding whitespace, changed case, a placeholder such as `+0000000000` or `n/a`, or
a value already hashed. `forms_seen` counts every (field, form) drawn, so tests can
prove coverage.

Identities are unique per user serial (emails, phones, customer and Facebook ids
embed it), so two users never collide on an identifying cell. All randomness
comes from the provider's own `random.Random` and the seeded locale pools: the same
seed gives the same users, value for value.
"""

import hashlib
import random
import uuid
from collections import Counter
from dataclasses import dataclass

from faker import Faker
from faker.providers import BaseProvider

from harness.load import locales

VALUE_ATTRIBUTE = "ltv"

# field -> varieties (legitimate ways to write it), the first being canonical
VARIETIES: dict[str, tuple[str, ...]] = {
    "email": ("plain", "subaddressed", "capitalised"),
    "phone": (
        "e164",
        "international_spaces",
        "national_spaces",
        "national_parentheses",
        "double_zero",
        "missing_country_code",
    ),
    "idfa": ("upper",),
    "gaid": ("lower",),
    "facebook_id": ("digits",),
    "customer_id": ("plain",),
    "first_name": ("plain", "accented", "apostrophe"),
    "last_name": ("plain", "accented", "apostrophe", "hyphenated"),
    "gender": ("letter", "word", "capitalised", "other_identity"),
    "city": ("plain",),
    "state": ("name", "code"),
    "zip": ("postcode", "zip_plus_four"),
    "country": ("name", "alpha_2", "alpha_3"),
    "value": ("decimal", "integer", "zero", "negative", "missing"),
}

# field -> messy forms applied with probability `messiness`
MESSY: dict[str, tuple[str, ...]] = {
    "email": ("padded", "upper_case", "placeholder", "hashed"),
    "phone": ("padded", "placeholder", "hashed"),
    "idfa": ("padded", "lower_case", "placeholder"),
    "gaid": ("padded", "upper_case", "placeholder"),
    "facebook_id": ("padded",),
    "customer_id": ("padded", "lower_case"),
    "first_name": ("padded", "upper_case", "placeholder"),
    "last_name": ("padded", "upper_case", "placeholder"),
    "gender": ("padded", "upper_case", "placeholder"),
    "city": ("padded", "upper_case", "placeholder"),
    "state": ("padded", "lower_case"),
    "zip": ("padded", "placeholder"),
    "country": ("padded", "lower_case", "placeholder"),
    "value": ("placeholder",),
}

# How often a user has each optional field at all (realism, not messiness).
PRESENCE = {
    "email": 0.85,
    "phone": 0.65,
    "device": 0.7,  # one advertising id, IDFA or GAID
    "facebook_id": 0.2,
    "customer_id": 0.75,
    "attribute": 0.8,  # each reserved attribute
}

PLACEHOLDERS = {
    "email": ("n/a", "none", "null", "unknown", "-"),
    "phone": ("+0000000000", "000-000-0000", "n/a", "0"),
    "device": ("00000000-0000-0000-0000-000000000000",),
    "text": ("n/a", "N/A", "-", "unknown", "null", "?"),
    "zip": ("00000", "n/a"),
}
PADDINGS = (" {} ", "\t{}", "{}  ", "\u00a0{}\u00a0", " {}\n")
GENDER_SPELLINGS = {
    "letter": ("m", "f", "M", "F"),
    "word": ("male", "female"),
    "capitalised": ("Male", "Female", "Man", "Woman"),
    "other_identity": ("non-binary", "Other", "X", "Nonbinary"),
}
ZERO_SPELLINGS = ("0", "0.0", "0.00")
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")
EMAIL_TAGS = ("news", "shop", "promo", "2fa")


@dataclass(frozen=True, slots=True)
class SyntheticUser:
    """One synthetic mParticle user: identities and reserved attributes as stored."""

    serial: int
    mpid: str
    locale: str
    user_identities: tuple[tuple[str, str], ...]  # (type, value)
    device_identities: tuple[tuple[str, str], ...]
    attributes: tuple[tuple[str, str], ...]  # (key, value); absent means missing


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def mpid_of(serial: int) -> str:
    """A signed 64-bit mParticle id, a bijection of `serial` (so unique)."""
    scrambled = (serial * 0x9E3779B97F4A7C15 + 0x5DEECE66D) % (1 << 64)
    return str(scrambled - (1 << 63))


class MParticleProvider(BaseProvider):
    """Faker provider: `mparticle_user(serial)` and one method per field."""

    def __init__(self, generator, *, messiness=0.0, rng=None, seed=0, locale="en_US"):
        super().__init__(generator)
        if not 0.0 <= messiness <= 1.0:
            raise ValueError(f"messiness must be between 0 and 1, got {messiness}")
        self.messiness = messiness
        self.rng = rng or random.Random(seed)
        self._random = self.rng.random
        self.pool = locales.locale_pool(locale, seed)
        self.forms_seen: Counter[tuple[str, str]] = Counter()
        self._place_drawers = (
            ("$Gender", self.mparticle_gender),
            ("$City", self.mparticle_city),
            ("$State", self.mparticle_state),
            ("$Zip", self.mparticle_zip),
            ("$Country", self.mparticle_country),
        )

    @classmethod
    def for_locale(cls, locale: str, **options) -> "MParticleProvider":
        """A provider on a fresh Faker of `locale` (checked first)."""
        return cls(Faker(locales.checked_locale(locale)), locale=locale, **options)

    def mparticle_user(self, serial: int) -> SyntheticUser:
        """A whole user; optional fields present at the `PRESENCE` rates."""
        first, last = self.mparticle_first_name(), self.mparticle_last_name()
        return SyntheticUser(
            serial=serial,
            mpid=mpid_of(serial),
            locale=self.pool.locale,
            user_identities=self._user_identities(serial, first, last),
            device_identities=self._device_identities(),
            attributes=self._attributes(first, last),
        )

    # identities

    def mparticle_email(self, serial: int, first: str = "", last: str = "") -> str:
        variety = self._variety("email")
        local = (
            f"{locales.ascii_letters(first) or 'user'}.{locales.ascii_letters(last)}"
        )
        tag = f"+{self._pick(EMAIL_TAGS)}" if variety == "subaddressed" else ""
        email = f"{local}{serial}{tag}@{EMAIL_DOMAINS[serial % 3]}"
        if variety == "capitalised":
            email = email.capitalize()
        return self._mess("email", email, canonical=email.lower())

    def mparticle_phone(self, serial: int) -> str:
        plan = self.pool.phone
        nsn = plan.national_number(serial)
        written = write_phone(self._variety("phone"), plan, nsn)
        return self._mess("phone", written, canonical=f"{plan.country_code}{nsn}")

    def mparticle_idfa(self) -> str:
        self._variety("idfa")
        return self._mess("idfa", self._uuid().upper())

    def mparticle_gaid(self) -> str:
        self._variety("gaid")
        return self._mess("gaid", self._uuid())

    def mparticle_facebook_id(self, serial: int) -> str:
        self._variety("facebook_id")
        return self._mess("facebook_id", f"1000{serial:011d}")

    def mparticle_customer_id(self, serial: int) -> str:
        self._variety("customer_id")
        return self._mess("customer_id", f"CUST-{serial:08d}")

    # reserved attributes

    def mparticle_first_name(self) -> str:
        variety = self._variety("first_name")
        pools = {
            "plain": self.pool.first_names,
            "accented": locales.ACCENTED_FIRST_NAMES,
            "apostrophe": locales.APOSTROPHE_FIRST_NAMES,
        }
        return self._pick(pools[variety])

    def mparticle_last_name(self) -> str:
        variety = self._variety("last_name")
        if variety == "hyphenated":
            return "-".join(self.rng.sample(self.pool.last_names, 2))
        pools = {
            "plain": self.pool.last_names,
            "accented": locales.ACCENTED_LAST_NAMES,
            "apostrophe": locales.APOSTROPHE_LAST_NAMES,
        }
        return self._pick(pools[variety])

    def mparticle_gender(self) -> str:
        spelling = self._pick(GENDER_SPELLINGS[self._variety("gender")])
        return self._mess("gender", spelling)

    def mparticle_city(self) -> str:
        self._variety("city")
        return self._mess("city", self._pick(self.pool.cities))

    def mparticle_state(self) -> str:
        name, code = self._pick(self.pool.states)
        written = code if self._variety("state") == "code" else name
        return self._mess("state", written)

    def mparticle_zip(self) -> str:
        postcode = self._pick(self.pool.postcodes)
        if self._variety("zip") == "zip_plus_four" and postcode.isdigit():
            postcode = f"{postcode}-{self.rng.randrange(10_000):04d}"
        return self._mess("zip", postcode)

    def mparticle_country(self) -> str:
        variety = self._variety("country")
        pool = self.pool
        written = {"name": pool.country_name, "alpha_2": pool.region}.get(
            variety, pool.alpha_3
        )
        return self._mess("country", written)

    def mparticle_value(self) -> str | None:
        """The numeric value attribute as text, or None when the user has none."""
        variety = self._variety("value")
        if variety == "missing":
            return None
        if variety == "zero":
            return self._mess("value", self._pick(ZERO_SPELLINGS))
        amount = self.rng.lognormvariate(3.5, 1.0)
        if variety == "integer":
            written = str(int(amount) + 1)
        else:
            written = f"{'-' if variety == 'negative' else ''}{amount:.2f}"
        return self._mess("value", written)

    # assembly

    def _user_identities(self, serial, first, last) -> tuple[tuple[str, str], ...]:
        rng, found = self.rng, []
        if rng.random() < PRESENCE["customer_id"]:
            found.append(("customer", self.mparticle_customer_id(serial)))
        if rng.random() < PRESENCE["email"]:
            found.append(("email", self.mparticle_email(serial, first, last)))
        if rng.random() < PRESENCE["phone"]:
            found.append(("mobile_number", self.mparticle_phone(serial)))
        if rng.random() < PRESENCE["facebook_id"]:
            found.append(("facebook", self.mparticle_facebook_id(serial)))
        return tuple(found)

    def _device_identities(self) -> tuple[tuple[str, str], ...]:
        if self._random() >= PRESENCE["device"]:
            return ()
        if self._random() < 0.5:
            return (("ios_advertising_id", self.mparticle_idfa()),)
        return (("google_advertising_id", self.mparticle_gaid()),)

    def _attributes(self, first: str, last: str) -> tuple[tuple[str, str], ...]:
        present, found = PRESENCE["attribute"], []
        if self._random() < present:
            found.append(("$FirstName", self._mess("first_name", first)))
        if self._random() < present:
            found.append(("$LastName", self._mess("last_name", last)))
        for key, draw in self._place_drawers:
            if self._random() < present:
                found.append((key, draw()))
        value = self.mparticle_value()
        if value is not None:
            found.append((VALUE_ATTRIBUTE, value))
        return tuple(found)

    def update_attributes(self, user: SyntheticUser) -> SyntheticUser:
        """The same user after moving house: new city, state, zip and value."""
        kept = [(k, v) for k, v in user.attributes if k not in _MOVING_KEYS]
        moved = [
            ("$City", self.mparticle_city()),
            ("$State", self.mparticle_state()),
            ("$Zip", self.mparticle_zip()),
        ]
        value = self.mparticle_value()
        if value is not None:
            moved.append((VALUE_ATTRIBUTE, value))
        return SyntheticUser(
            serial=user.serial,
            mpid=user.mpid,
            locale=user.locale,
            user_identities=user.user_identities,
            device_identities=user.device_identities,
            attributes=tuple(kept + moved),
        )

    # drawing forms

    def _variety(self, field: str) -> str:
        chosen = self._pick(VARIETIES[field])
        self.forms_seen[field, chosen] += 1
        return chosen

    def _mess(self, field: str, value: str, *, canonical: str | None = None) -> str:
        if self.messiness == 0.0 or self._random() >= self.messiness:
            return value
        form = self._pick(MESSY[field])
        self.forms_seen[field, form] += 1
        return self._apply(form, field, value, canonical or value.strip().lower())

    def _apply(self, form: str, field: str, value: str, canonical: str) -> str:
        if form == "padded":
            return self._pick(PADDINGS).format(value)
        if form == "upper_case":
            return value.upper()
        if form == "lower_case":
            return value.lower()
        if form == "hashed":
            digest = sha256_hex(canonical)
            return digest.upper() if self._random() < 0.3 else digest
        return self._pick(PLACEHOLDERS[_PLACEHOLDER_KIND.get(field, "text")])

    def _pick(self, choices):
        """`random.choice`, four times faster: one float draw instead of bit loops."""
        return choices[int(self._random() * len(choices))]

    def _uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))


_MOVING_KEYS = frozenset({"$City", "$State", "$Zip", VALUE_ATTRIBUTE})
_PLACEHOLDER_KIND = {
    "email": "email",
    "phone": "phone",
    "idfa": "device",
    "gaid": "device",
    "zip": "zip",
}


def write_phone(variety: str, plan: locales.PhonePlan, nsn: str) -> str:
    """A national significant number written in one of the phone varieties."""
    code, spaced = plan.country_code, _grouped(nsn)
    if variety == "e164":
        return f"+{code}{nsn}"
    if variety == "international_spaces":
        return f"+{code} {spaced}"
    if variety == "double_zero":
        return f"00{code} {spaced}"
    if variety == "missing_country_code":
        return nsn
    trunk = "" if code == 1 else plan.national_prefix
    if variety == "national_spaces":
        return f"{trunk}{spaced}"
    return f"({trunk}{nsn[:3]}) {nsn[3:6]}-{nsn[6:]}"


def _grouped(digits: str) -> str:
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
