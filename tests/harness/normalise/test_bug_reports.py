"""Every normalisation and hashing vector of ../shared/cases/bug-reports.md."""

import pytest

from harness.normalise import cell, normalise

EMPTY_DIGEST = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
ALICE = "ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976"
BOB = "686b5e4cf4f963adf8f51468a48028ef8d15bd02fa335f821279a3d1678c9615"
CAROL = "c4fcf4f743a2924a8396b40d609fb406519eacdb29414c0a770e0fa26d877c8e"
UK_PHONE = "033134b911b137918338415ee3d20a064b24773d36a3b02e8b99fdd3fcd6b4cd"
US_PHONE = "43b63f22d478442e6d58c9ba5eef8a8b378b9990aafb681d11e231e3ceab6294"
M = "62c66a7a5dd70c3146618063c344e531e6d4b59e379808443ce962b3abd63c5a"
F = "252f10c83610ebca1a059c0bae8255eba2f95be4d1d7bcfa89d7248a82d9f111"
JANE = "81f8f6dde88365f3928796ec7aa53f72820b06db8664f5fe76a7eb13e24546a2"
OBRIEN = "b4cb6cb33fe4b865868de825023a1e2790dc12ac01ecc8d7c5afe8254071c8ba"
US = "79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621"
NY = "1b06e2003f8420d6fa42badd8f77ec0f706b976b7a48b13c567dc5a559681683"
YEAR_1990 = "a7be8e1fe282a37cd666e0632b17d933fa13f21addf4798fc0455bc166e2488c"
DE_MOBILE = "c0f8f0bebbbac96451ee8d8def84a02ae9e34c877775437cb9d458328315afa7"


@pytest.mark.parametrize(
    ("key", "value", "context", "expected"),
    [
        pytest.param("EMAIL", "alice@example.com", {}, ALICE, id="BR-01-email"),
        pytest.param("PHONE", "+0000000000", {}, "", id="BR-01-placeholder-phone"),
        pytest.param("EMAIL", "bob@example.org", {}, BOB, id="BR-01-second-email"),
        pytest.param("PHONE", "+44 7700 900123", {}, UK_PHONE, id="BR-01-uk-phone"),
        pytest.param("PHONE", None, {}, "", id="BR-04-null-phone"),
        pytest.param("EMAIL", None, {}, "", id="BR-04-null-email"),
        pytest.param("EMAIL", "carol@example.net", {}, CAROL, id="BR-04-email"),
        pytest.param("PHONE", "+1 (650) 555-0100", {}, US_PHONE, id="BR-04-us-phone"),
        pytest.param("FN", "Jane", {}, JANE, id="BR-05-first-name"),
        pytest.param("LN", "O'Brien", {}, OBRIEN, id="BR-05-apostrophe-name"),
        pytest.param("EMAIL", ALICE.upper(), {}, ALICE, id="BR-07-uppercase-digest"),
        pytest.param("PHONE", "0044 7700 900123", {}, UK_PHONE, id="BR-19-00-prefix"),
        pytest.param(
            "PHONE", "015123456789", {"country": "de"}, DE_MOBILE, id="BR-19-local-de"
        ),
        pytest.param("PHONE", "015123456789", {}, "", id="BR-19-local-no-country"),
        pytest.param("GEN", "", {}, "", id="BR-20-empty-gender"),
        pytest.param("GEN", "Other", {}, "", id="C-05-other-gender"),
        pytest.param("ST", "New York", {}, NY, id="C-07-state-name"),
        pytest.param("GEN", "Non-Binary", {}, "", id="C-09-non-binary"),
        pytest.param("COUNTRY", "United States", {}, US, id="C-10-country-name"),
        pytest.param("DOBY", 1990, {}, YEAR_1990, id="C-11-numeric-year"),
        pytest.param("GEN", "Woman", {}, F, id="C-12-woman"),
        pytest.param("COUNTRY", "USA", {}, US, id="C-13-alpha-3"),
        pytest.param("GEN", "male", {}, M, id="gender-word"),
    ],
)
def test_cell_matches_bug_report(key, value, context, expected):
    assert cell(key, value, **context) == expected


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        pytest.param("PHONE", "+44 7700 900123", "447700900123", id="BR-19-no-plus"),
        pytest.param("CT", "São Paulo", "saopaulo", id="C-10-accents-folded"),
        pytest.param("COUNTRY", "United States", "us", id="C-14-country-not-un"),
        pytest.param("FN", "José", "josé", id="C-14-accent-kept-in-name"),
        pytest.param("PHONE", "0044 7700 900123", "447700900123", id="C-14-no-00"),
        pytest.param("ST", "New York", "ny", id="C-07-not-newyork"),
    ],
)
def test_normalised_text_matches_bug_report(key, value, expected):
    assert normalise(key, value) == expected


def test_madid_is_plain_and_lowercase():
    """BR-11: the advertising id is sent lower-cased, hyphens kept, not hashed."""
    madid = "6D92078A-8246-4BA4-AE5B-76104861E7DC"

    assert cell("MADID", madid) == "6d92078a-8246-4ba4-ae5b-76104861e7dc"


def test_lookalike_value_stays_a_number():
    """BR-13: LOOKALIKE_VALUE is a JSON number, never a digest of its text."""
    value = cell("LOOKALIKE_VALUE", 44.5)

    assert value == 44.5
    assert isinstance(value, float)


def test_empty_cells_are_never_the_digest_of_nothing():
    """BR-20: blank, null and punctuation-only values stay empty."""
    cells = [
        cell(key, value)
        for key in ("EMAIL", "PHONE", "GEN", "FN", "LN", "CT", "ST", "ZIP", "COUNTRY")
        for value in ("", "   ", None, "???", " - ")
    ]

    assert EMPTY_DIGEST not in cells
    assert set(cells) == {""}


@pytest.mark.parametrize(
    ("hash_extern_id", "expected"),
    [
        pytest.param(
            True,
            "ee1b6935b78da9d2b2b7d3eb3e5c0d302555da31b666991652bb10f4a124a607",
            id="mparticle-trimmed-lowered-hashed",
        ),
        pytest.param(False, "ABC.123.", id="facebook-as-given"),
    ],
)
def test_extern_id_is_never_altered_beyond_the_chosen_rule(hash_extern_id, expected):
    """C-14: the SDK turns ABC.123. into abc.123; neither of our rules does."""
    assert cell("EXTERN_ID", " ABC.123. ", hash_extern_id=hash_extern_id) == expected


def test_extern_id_as_facebook_sends_it():
    """BR-25: with Facebook's rule the external id goes unhashed and unchanged."""
    assert cell("EXTERN_ID", "ext-0001", hash_extern_id=False) == "ext-0001"
