import re

import phonenumbers
import pytest

from harness.load import locales
from harness.load.provider import MESSY, VARIETIES, MParticleProvider, write_phone

HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")


def provider(messiness=0.0, seed=7, locale="en_US"):
    return MParticleProvider.for_locale(locale, messiness=messiness, seed=seed)


def users(count, **kwargs):
    source = provider(**kwargs)
    return source, [source.mparticle_user(serial) for serial in range(count)]


def every_value(sample):
    for user in sample:
        yield from (value for _, value in user.user_identities)
        yield from (value for _, value in user.device_identities)
        yield from (value for _, value in user.attributes)


def test_same_seed_gives_the_same_users():
    assert users(200, seed=3, messiness=0.5)[1] == users(200, seed=3, messiness=0.5)[1]


def test_another_seed_gives_other_users():
    assert users(50, seed=3)[1] != users(50, seed=4)[1]


def test_at_full_messiness_every_form_of_every_field_appears():
    source, _ = users(600, messiness=1.0)

    wanted = {(field, form) for field, forms in VARIETIES.items() for form in forms}
    wanted |= {(field, form) for field, forms in MESSY.items() for form in forms}

    assert wanted - set(source.forms_seen) == set()


@pytest.mark.parametrize(
    "looks_messy",
    [
        pytest.param(lambda v: v != v.strip(), id="padded-whitespace"),
        pytest.param(lambda v: v == "+0000000000", id="placeholder-phone"),
        pytest.param(lambda v: v.lower() in ("n/a", "unknown"), id="placeholder-text"),
        pytest.param(lambda v: bool(HEX64.match(v)), id="already-hashed"),
        pytest.param(lambda v: "@" in v and v == v.upper(), id="upper-case-email"),
        pytest.param(lambda v: v.startswith("00"), id="phone-with-00-prefix"),
    ],
)
def test_messy_values_are_really_in_the_stream(looks_messy):
    _, sample = users(600, messiness=1.0)

    assert any(looks_messy(value) for value in every_value(sample))


def test_at_zero_messiness_nothing_is_messy():
    source, sample = users(300, messiness=0.0)

    messy = {(f, form) for f, forms in MESSY.items() for form in forms}
    assert messy & set(source.forms_seen) == set()
    assert all(value == value.strip() for value in every_value(sample))


def test_identities_are_unique_per_user():
    _, sample = users(2_000)

    identities = [v for user in sample for _, v in user.user_identities]
    identities += [v for user in sample for _, v in user.device_identities]
    assert len(identities) == len(set(identities))
    assert len({user.mpid for user in sample}) == 2_000


US_PLAN = locales.PhonePlan("US", 1, "1", "2015550123")
GB_PLAN = locales.PhonePlan("GB", 44, "0", "7400123456")


@pytest.mark.parametrize(
    ("variety", "plan", "written"),
    [
        pytest.param("e164", US_PLAN, "+12015550123", id="e164"),
        pytest.param("international_spaces", GB_PLAN, "+44 740 012 3456", id="intl"),
        pytest.param("national_spaces", GB_PLAN, "0740 012 3456", id="national-gb"),
        pytest.param("national_spaces", US_PLAN, "201 555 0123", id="national-us"),
        pytest.param(
            "national_parentheses", US_PLAN, "(201) 555-0123", id="parentheses-us"
        ),
        pytest.param("double_zero", GB_PLAN, "0044 740 012 3456", id="00-prefix"),
        pytest.param("missing_country_code", GB_PLAN, "7400123456", id="no-country"),
    ],
)
def test_phone_varieties(variety, plan, written):
    assert write_phone(variety, plan, plan.example_nsn) == written


@pytest.mark.parametrize(
    "locale", ["en_US", "en_GB", "de_DE", "fr_FR", "pt_BR", "ja_JP"]
)
def test_generated_phones_are_valid_numbers_of_the_locale(locale):
    plan = locales.locale_pool(locale, 0).phone

    for serial in (0, 42, 999_999, 1_000_000, 7_654_321):
        number = phonenumbers.parse(
            f"+{plan.country_code}{plan.national_number(serial)}"
        )
        assert phonenumbers.is_valid_number(number)
        assert phonenumbers.region_code_for_number(number) == plan.region


def test_locale_shapes_the_user():
    _, sample = users(50, locale="de_DE")

    phones = [v for u in sample for t, v in u.user_identities if t == "mobile_number"]
    assert phones and all("1512" in re.sub(r"\D", "", phone) for phone in phones)
    assert any(phone.startswith("+49") for phone in phones)


def test_country_is_written_as_name_alpha2_and_alpha3():
    source = provider()

    written = {source.mparticle_country() for _ in range(100)}

    assert {"United States", "US", "USA"} <= written


def test_zip_plus_four_appears_for_us_users():
    source = provider()

    assert any(re.fullmatch(r"\d{5}-\d{4}", source.mparticle_zip()) for _ in range(100))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"messiness": 1.5}, "messiness", id="messiness-above-one"),
        pytest.param({"locale": "xx_YY"}, "locale", id="unknown-locale"),
    ],
)
def test_bad_settings_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        provider(**kwargs)
