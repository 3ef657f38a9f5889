"""docs/scenario-format.md: its example passes, its tables match the engine's."""

import re
from pathlib import Path

import pytest

from harness.engine.rows import ATTRIBUTE_COLUMNS
from harness.engine.settings import SETTINGS
from harness.scenario.runner import PASSED, run_file
from harness.scenario.setting_checks import settings_problem, settings_reference

DOC = Path(__file__).resolve().parents[3] / "docs" / "scenario-format.md"


@pytest.mark.parametrize(
    "section",
    [
        pytest.param("## A complete example", id="complete-example"),
        pytest.param("## From bug report to scenario", id="walkthrough"),
    ],
)
def test_the_examples_pass_with_the_reference_engine(tmp_path, section):
    text = DOC.read_text().split(section, 1)[1]
    example = re.search(r"```yaml\n(.*?)```", text, re.S).group(1)
    path = tmp_path / "example.yaml"
    path.write_text(example)

    result = run_file(path)

    assert result.status == PASSED, (result.error, result.problems)


def between_markers(name: str) -> str:
    text = DOC.read_text()
    return text.split(f"<!-- {name}: start -->\n")[1].split(f"<!-- {name}: end -->")[0]


def test_the_settings_table_is_the_generated_one():
    assert between_markers("settings-reference").strip() == settings_reference()


def test_the_settings_table_lists_every_setting():
    table = between_markers("settings-reference")
    named = re.findall(r"^\| `([a-z_]+)` \|", table, re.M)
    assert named == [setting.name for setting in SETTINGS]


EXAMPLE_VALUES = {
    "bool": ("false", "maybe"),
    "text": ("anything", None),
    "account": ("1001", "acct-1"),
    "app_id": ("123456", "my-app"),
    "file_source": ("both_user_and_partner_provided", "BOGUS"),
    "identity": ("customer", "fax"),
    "region": ("GB", "GBR"),
    "count": ("5", "0"),
    "version": ("v19.0", "19"),
}


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_each_documented_kind_of_value_is_what_the_parser_takes(setting):
    good, bad = EXAMPLE_VALUES[setting.type]
    base = {"customer_file_source": "USER_PROVIDED_ONLY"}
    assert settings_problem({**base, setting.name: good}) is None
    if bad is not None:
        assert settings_problem({**base, setting.name: bad})[0] == setting.name


def test_the_attribute_table_is_the_engines():
    rows = re.findall(
        r"^\| `(\$\w+)` \| (.+) \|$", between_markers("attribute-columns"), re.M
    )
    documented = {
        attribute: re.findall(r"`(\w+)`", columns) for attribute, columns in rows
    }
    engine: dict[str, list[str]] = {}
    for column, attribute in ATTRIBUTE_COLUMNS:
        engine.setdefault(attribute, []).append(column)
    assert documented == engine
