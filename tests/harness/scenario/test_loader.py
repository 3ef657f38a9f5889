import pytest

from fake_graph_api.documents import DocumentError
from harness.engine.messages import DEVICE_IDENTITY_TYPES, USER_IDENTITY_TYPES
from harness.scenario import model
from harness.scenario.file_errors import ScenarioErrors
from harness.scenario.loader import discover, load_scenario
from harness.scenario.schema import scenario_schema

MINIMAL = """\
scenario: a minimal scenario
tags: [smoke]
connection:
  customer_file_source: USER_PROVIDED_ONLY
profiles:
  ana: {email: " Ana@Example.org ", mobile_number: "+44 7700 900123",
        attributes: {$Country: GB}}
steps:
  - subscribe: {audience: 7301, name: Cart Abandoners}
  - add: {audience: 7301, users: [ana]}
  - flush
"""


def test_minimal_scenario_loads_into_typed_steps(load_text):
    scenario = load_text(MINIMAL)

    assert scenario.title == "a minimal scenario"
    assert scenario.tags == ("smoke",)
    assert [type(step) for step in scenario.steps] == [
        model.Subscribe,
        model.Membership,
        model.Flush,
    ]
    add = scenario.steps[1]
    assert add.action == "add" and add.audiences == (7301,) and add.line == 10
    assert add.users[0].name == "ana"
    email, phone = add.users[0].identities
    assert (email.type, email.value, email.device) == (
        "email",
        " Ana@Example.org ",
        False,
    )
    assert phone.type == "mobile_number"


def test_device_identities_lists_and_encodings(load_text):
    scenario = load_text(
        MINIMAL
        + """\
  - add:
      audience: 7301
      users:
        - ios_advertising_id: [AAAA-1, BBBB-2]
          other: {value: abc, encoding: sha256}
"""
    )
    user = scenario.steps[-1].users[0]
    assert user.name == "the user at line 15"
    assert [(i.type, i.value, i.device) for i in user.identities[:2]] == [
        ("ios_advertising_id", "AAAA-1", True),
        ("ios_advertising_id", "BBBB-2", True),
    ]
    assert user.identities[2].encoding == "sha256"


def test_sequences_make_many_identities(load_text):
    scenario = load_text(
        MINIMAL
        + """\
  - add:
      audience: 7301
      users:
        - email: {sequence: "user{n}@example.com", count: 3}
          customer: [{sequence: "C-{n}", count: 2, start: 0}, C-9]
"""
    )
    user = scenario.steps[-1].users[0]
    assert [i.value for i in user.identities] == [
        "user1@example.com",
        "user2@example.com",
        "user3@example.com",
        "C-0",
        "C-1",
        "C-9",
    ]


def test_a_sequence_needs_its_placeholder(write_scenario):
    path = write_scenario(
        MINIMAL.replace(
            'email: " Ana@Example.org "', "email: {sequence: user, count: 2}"
        )
    )
    with pytest.raises(DocumentError) as caught:
        load_scenario(path)
    assert caught.value.line == 6
    assert "user{n}@example.com" in str(caught.value)


@pytest.mark.parametrize(
    "step, seconds",
    [
        pytest.param("3h", 10800, id="hours"),
        pytest.param("90m", 5400, id="minutes"),
        pytest.param("1h30m", 5400, id="combined"),
        pytest.param("500ms", 0.5, id="milliseconds"),
        pytest.param("12", 12, id="plain-seconds"),
        pytest.param("1d2h3m4s5ms", 93784.005, id="every-unit-in-order"),
    ],
)
def test_advance_durations(load_text, step, seconds):
    scenario = load_text(MINIMAL + f"  - advance: {step}\n")
    assert scenario.steps[-1].seconds == seconds


@pytest.mark.parametrize(
    "step, words",
    [
        pytest.param('"1d1d"', "repeats or reorders its units", id="unit-twice"),
        pytest.param("30m1h", "repeats or reorders its units", id="units-reordered"),
        pytest.param(".nan", "must be a finite number, not nan", id="nan"),
        pytest.param(".inf", "must be a finite number, not inf", id="infinity"),
    ],
)
def test_advance_refuses_odd_durations(write_scenario, step, words):
    path = write_scenario(MINIMAL + f"  - advance: {step}\n")

    with pytest.raises(DocumentError) as caught:
        load_scenario(path)

    assert (caught.value.line, caught.value.field) == (12, "steps[3].advance")
    assert words in str(caught.value)


@pytest.mark.parametrize(
    "change, line, field, words",
    [
        pytest.param(
            ("users: [ana]", "users: [anna]"),
            10,
            "steps[1].add.users[0]",
            "unknown profile 'anna'; did you mean 'ana'?",
            id="unknown-profile",
        ),
        pytest.param(
            ("  - flush\n", "  - advance: 3 hours\n"),
            11,
            "steps[2].advance",
            "duration like 3h",
            id="bad-duration",
        ),
        pytest.param(
            ("  - flush\n", "  - flsh\n"),
            11,
            "steps[2]",
            'expected one of "flush", "resume", "keepalive"',
            id="unknown-bare-step",
        ),
        pytest.param(
            ("  - flush\n", "  - adds: {audience: 1}\n"),
            11,
            "steps[2]",
            "unknown field 'adds'",
            id="unknown-step",
        ),
        pytest.param(
            ("users: [ana]", "user: [ana]"),
            10,
            "steps[1].add",
            "'users' is a required property",
            id="missing-field",
        ),
        pytest.param(
            ("customer_file_source:", "customer_file_sauce:"),
            4,
            "connection.customer_file_sauce",
            "did you mean 'customer_file_source'",
            id="unknown-setting",
        ),
        pytest.param(
            ("  - flush\n", "  - fault: {error: throttling}\n"),
            11,
            "steps[2].fault.error",
            "unknown Graph error 'throttling'",
            id="unknown-graph-error",
        ),
        pytest.param(
            ("name: Cart Abandoners}", "name: C, settings: {access_token: x}}"),
            9,
            "steps[0].subscribe.settings.access_token",
            "an account setting; set it under connection",
            id="account-setting-per-audience",
        ),
        pytest.param(
            ("tags: [smoke]", "tags: [Smoke Test]"),
            2,
            "tags[0]",
            "does not match",
            id="bad-tag",
        ),
    ],
)
def test_errors_name_file_line_and_field(write_scenario, change, line, field, words):
    path = write_scenario(MINIMAL.replace(*change))

    with pytest.raises(DocumentError) as caught:
        load_scenario(path)

    error = caught.value
    assert (error.file, error.line, error.field) == (str(path), line, field)
    assert words in str(error)


@pytest.mark.parametrize(
    "change, line, field, words",
    [
        pytest.param(
            (
                "  customer_file_source: USER_PROVIDED_ONLY\n",
                "  forward_emails: true\n",
            ),
            9,
            "steps[0].subscribe",
            "customer_file_source is not set, and the engine refuses its default: "
            "customer_file_source is UNSELECTED",
            id="no-customer-file-source",
        ),
        pytest.param(
            ("connection:\n", "connection:\n  forward_phones: maybe\n"),
            4,
            "connection.forward_phones",
            "must be true or false, got 'maybe'",
            id="bool-not-a-bool",
        ),
        pytest.param(
            ("source: USER_PROVIDED_ONLY", "source: BOGUS"),
            4,
            "connection.customer_file_source",
            "must be one of USER_PROVIDED_ONLY",
            id="file-source-not-in-enum",
        ),
        pytest.param(
            ("name: Cart Abandoners}", "name: C, settings: {bulk_flush_seconds: 0}}"),
            9,
            "steps[0].subscribe.settings.bulk_flush_seconds",
            "must be a positive whole number",
            id="per-audience-setting",
        ),
        pytest.param(
            (
                "name: Cart Abandoners}",
                "name: C, settings: {is_audience_value_based: true}}",
            ),
            9,
            "steps[0].subscribe",
            "user_attribute_representing_value is required when "
            "is_audience_value_based is true",
            id="contradiction-in-scenario-names",
        ),
        pytest.param(
            (
                "  - flush\n",
                "  - update: {audience: 7301, settings: {forward_idfas: 2}}\n",
            ),
            11,
            "steps[2].update.settings.forward_idfas",
            "must be true or false, got '2'",
            id="update-settings",
        ),
        pytest.param(
            ("add: {audience: 7301", "add: {audience: [7301, 7302]"),
            10,
            "steps[1].add.audience",
            "audience 7302 is not subscribed by an earlier step (subscribed so far: "
            "7301)",
            id="add-before-subscribe",
        ),
        pytest.param(
            ("  - flush\n", "  - unsubscribe: {audience: 9}\n"),
            11,
            "steps[2].unsubscribe.audience",
            "audience 9 is not subscribed",
            id="unsubscribe-unknown",
        ),
        pytest.param(
            (
                "  - flush\n",
                "  - attributes: {audience: 9, users: [ana], delete: [x]}\n",
            ),
            11,
            "steps[2].attributes.audience",
            "audience 9 is not subscribed",
            id="attributes-unknown",
        ),
    ],
)
def test_settings_and_audiences_are_checked_as_the_engine_will(
    write_scenario, change, line, field, words
):
    path = write_scenario(MINIMAL.replace(*change))

    with pytest.raises(DocumentError) as caught:
        load_scenario(path)

    error = caught.value
    assert (error.line, error.field) == (line, field)
    assert words in str(error)


def test_a_per_audience_setting_can_supply_the_customer_file_source(load_text):
    text = MINIMAL.replace(
        "  customer_file_source: USER_PROVIDED_ONLY\n", "  forward_emails: true\n"
    ).replace(
        "name: Cart Abandoners}",
        "name: C, settings: {customer_file_source: PARTNER_PROVIDED_ONLY}}",
    )
    assert load_text(text).steps[0].settings == {
        "customer_file_source": "PARTNER_PROVIDED_ONLY"
    }


def test_every_error_of_a_file_is_reported_in_line_order(write_scenario):
    bad = "".join(f"  - advance: {text}\n" for text in ("3 hours", "soon", -1))
    path = write_scenario(MINIMAL + bad + "  - advance: never\n")

    with pytest.raises(ScenarioErrors) as caught:
        load_scenario(path)

    lines = [(error.line, error.field) for error in caught.value.errors]
    assert lines == [
        (12, "steps[3].advance"),
        (13, "steps[4].advance"),
        (14, "steps[5].advance"),
        (15, "steps[6].advance"),
    ]
    assert (caught.value.line, caught.value.field) == (12, "steps[3].advance")
    assert str(caught.value).count("\n") == 3


def test_errors_of_the_loaders_own_checks_are_all_reported(write_scenario):
    text = MINIMAL.replace("users: [ana]", "users: [anna]") + (
        '  - advance: "1d1d"\n  - remove: {audience: 9, users: [ana]}\n'
    )

    with pytest.raises(ScenarioErrors) as caught:
        load_scenario(write_scenario(text))

    assert [(e.line, e.field) for e in caught.value.errors] == [
        (10, "steps[1].add.users[0]"),
        (12, "steps[3].advance"),
        (13, "steps[4].remove.audience"),
    ]


def test_facebook_block_is_checked_with_the_fakes_config_schema(write_scenario):
    text = MINIMAL.replace(
        "connection:",
        "facebook:\n  ad_accounts: [{id: act_1, tos_acepted: true}]\nconnection:",
    )
    path = write_scenario(text)

    with pytest.raises(DocumentError) as caught:
        load_scenario(path)

    assert caught.value.line == 4
    assert caught.value.field == "facebook.ad_accounts[0]"
    assert "tos_acepted" in str(caught.value)


def test_expected_cells_are_hashed_or_kept(load_text):
    scenario = load_text(
        MINIMAL
        + """\
expect:
  audiences:
    "Cart Abandoners (email)":
      members:
        - {EMAIL: ana@example.org}
        - EMAIL: >-
            sha256:FF8D9819FC0E12BF0D24892E45987E249A28DCE836A85CAD60E28EAAA8C6D976
        - {MADID: 5f3c2a10-8b7e, LOOKALIKE_VALUE: 12}
"""
    )
    rows = scenario.expect.audiences[0].members
    assert [row.as_member() for row in rows] == [
        {"EMAIL": "86b9260a115ceac89a9738af23696ce3a5d70449de8d95ef28bd754bb80196b9"},
        {"EMAIL": "ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976"},
        {"MADID": "5f3c2a10-8b7e", "LOOKALIKE_VALUE": 12.0},
    ]


@pytest.mark.parametrize(
    "cell, words",
    [
        pytest.param(
            '{EMAIL: "sha256:abc"}', "64 hexadecimal digits", id="short-digest"
        ),
        pytest.param('{EMAIL: ""}', "only non-empty cells", id="empty-cell"),
        pytest.param("{PHONE: 4.5}", "quote it", id="float-phone"),
    ],
)
def test_bad_expected_cells(write_scenario, cell, words):
    path = write_scenario(
        MINIMAL + f'expect:\n  audiences:\n    "X (email)":\n      members: [{cell}]\n'
    )
    with pytest.raises(DocumentError) as caught:
        load_scenario(path)
    assert caught.value.line == 15
    assert words in str(caught.value)


@pytest.mark.parametrize(
    "findings",
    [
        pytest.param("[no_such_code]", id="code"),
        pytest.param("[{code: no_such_code, count: 2}]", id="mapping"),
    ],
)
def test_unknown_finding_codes_are_refused(write_scenario, findings):
    path = write_scenario(MINIMAL + f"expect:\n  findings: {findings}\n")

    with pytest.raises(DocumentError) as caught:
        load_scenario(path)

    assert (caught.value.line, caught.value.field) == (13, "expect.findings[0]")
    assert "unknown finding code 'no_such_code'" in str(caught.value)
    assert "hash_of_empty" in str(caught.value)


def test_schema_lists_every_protocol_identity_type():
    profile = scenario_schema()["$defs"]["profile"]["properties"]
    identities = set(profile) - {"mpid", "attributes"}
    assert identities == set(USER_IDENTITY_TYPES) | set(DEVICE_IDENTITY_TYPES)


def test_discover_finds_yaml_below_folders(tmp_path):
    (tmp_path / "b").mkdir()
    for name in ("b/two.yaml", "one.yml", "notes.md", "report.json"):
        (tmp_path / name).write_text("x")

    found = discover([tmp_path])

    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "b/two.yaml",
        "one.yml",
    ]


def test_discover_names_a_missing_path(tmp_path):
    with pytest.raises(DocumentError, match="no such file"):
        discover([tmp_path / "nope"])


@pytest.mark.parametrize(
    "text, line, words",
    [
        pytest.param("", None, "the file is empty", id="empty"),
        pytest.param("# only a comment\n", None, "the file is empty", id="comment"),
        pytest.param("- a\n- b\n", 1, "holds a list, not a mapping", id="list"),
        pytest.param(
            "scenario: x\nsteps: []\nprofiles:\n"
            "  ana: {email: {value: abc, encoding: rot13}}\n",
            4,
            'email.encoding: "rot13" is not one of "raw", "md5", "sha1", "sha256"',
            id="bad-encoding",
        ),
    ],
)
def test_shape_errors_say_what_is_wrong(write_scenario, text, line, words):
    with pytest.raises(DocumentError) as caught:
        load_scenario(write_scenario(text))

    assert caught.value.line == line
    assert words in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty-file"),
        pytest.param("- just\n- a list\n", id="a-list"),
        pytest.param("scenario: x\nsteps: [null]\n", id="null-step"),
        pytest.param("scenario: x\nsteps: [{}]\n", id="empty-step"),
        pytest.param(
            "scenario: x\nsteps: []\nexpect: {audiences: {A: null}}\n",
            id="null-audience",
        ),
        pytest.param(
            "scenario: x\nsteps: []\nprofiles: {1: {email: a}}\n",
            id="number-profile-name",
        ),
        pytest.param("scenario: x\nsteps: [{advance: -5}]\n", id="negative-duration"),
        pytest.param("scenario: [x]\nsteps: []\n", id="title-not-text"),
        pytest.param("scenario: x\nsteps: [{fault: {}}]\n", id="empty-fault"),
        pytest.param(
            "scenario: x\nsteps: [{facebook: {expire_token: false}}]\n", id="fb-false"
        ),
        pytest.param("scenario: x\n\tsteps: []\n", id="tab-indent"),
    ],
)
def test_odd_files_give_document_errors(write_scenario, text):
    with pytest.raises(DocumentError):
        load_scenario(write_scenario(text))
