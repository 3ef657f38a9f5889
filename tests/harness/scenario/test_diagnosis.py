import hashlib

import pytest

from harness.scenario.diagnosis import (
    MISTAKES,
    Diagnoser,
    RawInput,
    diagnose_cell,
    near_names,
    raw_inputs,
)
from harness.scenario.model import Expectation, Identity, Membership, Profile, Scenario


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


ANA = [
    RawInput("ana", "customer", " Ext-0001 ", "GB"),
    RawInput("ana", "email", " Ana@Example.org ", "GB"),
    RawInput("ana", "mobile_number", "+44 7700 900123", "GB"),
    RawInput("ana", "ios_advertising_id", "5F3C2A10-8B7E-4D21-9C44-1A2B3C4D5E6F", "GB"),
    RawInput("ana", "$FirstName", "Ana", "GB"),
]
CY = [RawInput("cy", "mobile_number", "07700 900124", "GB")]


@pytest.mark.parametrize(
    "key, cell, named",
    [
        pytest.param(
            "PHONE",
            sha256("+447700900123"),
            "PHONE for ana looks like sha256('+447700900123'): the plus was kept",
            id="plus-kept",
        ),
        pytest.param(
            "PHONE",
            sha256("07700900124"),
            "PHONE for cy looks like sha256('07700900124'): "
            "the leading zeros were kept",
            id="leading-zeros-kept",
        ),
        pytest.param(
            "PHONE",
            sha256("4407700900124"),
            "the trunk zero was kept after the country code",
            id="trunk-zero-kept",
        ),
        pytest.param(
            "PHONE",
            sha256("7700900123"),
            "PHONE for ana looks like sha256('7700900123'): "
            "the country code is missing",
            id="country-code-missing",
        ),
        pytest.param(
            "EMAIL",
            sha256(" ana@example.org "),
            "EMAIL for ana looks like sha256(' ana@example.org '): it was not trimmed",
            id="not-trimmed",
        ),
        pytest.param(
            "EMAIL",
            sha256("Ana@Example.org"),
            "EMAIL for ana looks like sha256('Ana@Example.org'): "
            "it was not lower-cased",
            id="not-lower-cased",
        ),
        pytest.param(
            "EMAIL",
            sha256(sha256("ana@example.org")),
            "looks like sha256(sha256('ana@example.org')): it was hashed twice",
            id="hashed-twice",
        ),
        pytest.param(
            "EMAIL",
            "ana@example.org",
            "looks like 'ana@example.org' unhashed: it was not hashed",
            id="not-hashed",
        ),
        pytest.param(
            "EMAIL",
            sha256("ana@example.org").upper(),
            "the digest is upper-case hex",
            id="upper-case-hex",
        ),
        pytest.param(
            "EMAIL",
            hashlib.md5(b"ana@example.org").hexdigest(),
            "looks like md5('ana@example.org'): it was hashed with MD5",
            id="md5",
        ),
        pytest.param(
            "EMAIL",
            sha256(""),
            "EMAIL looks like sha256(''): an empty value was hashed",
            id="sha256-of-empty",
        ),
        pytest.param(
            "PHONE",
            sha256("ana@example.org"),
            "PHONE for ana holds the EMAIL value (email 'ana@example.org'): "
            "wrong column",
            id="wrong-column",
        ),
        pytest.param(
            "LN",
            sha256("ana"),
            "LN for ana holds the FN value ($FirstName 'ana'): wrong column",
            id="columns-shifted",
        ),
        pytest.param(
            "MADID",
            sha256("5f3c2a10-8b7e-4d21-9c44-1a2b3c4d5e6f"),
            "it was hashed, but this column is sent unhashed",
            id="madid-hashed",
        ),
        pytest.param(
            "EXTERN_ID",
            sha256("ext-0001"),
            "EXTERN_ID for ana looks like sha256('ext-0001'): the engine hashed the "
            "external id (trimmed, lower-cased, SHA-256) as mParticle documents for "
            "the Multi-Key External ID, and an unhashed expected value is compared "
            f'as written: expect EXTERN_ID: "sha256:{sha256("ext-0001")}"',
            id="extern-id-hashed-as-mparticle-does",
        ),
        pytest.param(
            "MADID",
            "5F3C2A10-8B7E-4D21-9C44-1A2B3C4D5E6F",
            "MADID for ana looks like '5F3C2A10-8B7E-4D21-9C44-1A2B3C4D5E6F': "
            "it was not lower-cased",
            id="madid-upper-case",
        ),
        pytest.param(
            "FN",
            sha256("Ana"),
            "FN for ana looks like sha256('Ana'): it was not lower-cased",
            id="name-not-lower-cased",
        ),
        pytest.param(
            "PHONE",
            sha256("+44 7700 900123"),
            "it was not normalised before hashing",
            id="phone-not-normalised",
        ),
    ],
)
def test_the_mistake_is_named(key, cell, named):
    assert named in diagnose_cell(key, cell, ANA + CY)


def test_recognises_a_correct_cell_of_someone_not_expected():
    diagnoser = Diagnoser(ANA + CY)

    text = diagnoser.recognise("PHONE", sha256("447700900124"))

    assert text.startswith("PHONE is cy's mobile_number ('447700900124'), correctly")
    assert diagnoser.recognise("PHONE", sha256("447700900999")) is None


def test_an_unrelated_digest_is_not_explained():
    assert diagnose_cell("EMAIL", sha256("someone@else.org"), ANA) is None


def test_every_mistake_has_an_explanation_and_a_rule():
    for mistake in MISTAKES:
        assert mistake.explanation and callable(mistake.plaintext)


def test_raw_inputs_gather_profiles_inline_users_and_countries():
    ana = Profile("ana", (Identity("email", "ana@example.org"),), {"$Country": "GB"})
    inline = Profile(
        "the user at line 9", (Identity("mobile_number", "+1 650 555 0100"),)
    )
    scenario = Scenario(
        title="t",
        file="t.yaml",
        steps=(Membership("add", (1,), (ana, inline)),),
        expect=Expectation(),
        profiles={"ana": ana},
    )

    inputs = raw_inputs(scenario)

    assert RawInput("ana", "email", "ana@example.org", "GB") in inputs
    assert RawInput("ana", "$Country", "GB", "GB") in inputs
    assert RawInput("the user at line 9", "mobile_number", "+1 650 555 0100") in inputs


@pytest.mark.parametrize(
    "wanted, existing, near",
    [
        pytest.param(
            "Cart Abandoners (phone)",
            ["Cart Abandoners (Phone)", "VIP (email)"],
            ["Cart Abandoners (Phone)"],
            id="case-differs",
        ),
        pytest.param(
            "Cart Abandoners (multi-key)",
            ["Cart Abandoners (multikey)", "Cart Abandoners (email)"],
            ["Cart Abandoners (multikey)", "Cart Abandoners (email)"],
            id="closest-first",
        ),
        pytest.param("Cart Abandoners (email)", ["VIP"], [], id="nothing-close"),
    ],
)
def test_near_names(wanted, existing, near):
    assert near_names(wanted, existing) == near
