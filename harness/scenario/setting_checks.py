"""Check what each subscription will send with the engine's own settings parser.

The reference engine refuses a subscription whose settings do not parse
(`harness.engine.settings.parse_settings`): a value of the wrong type, one outside
its choices, a missing `customer_file_source` (UNSELECTED), a contradiction. The
loader runs the same parser on the settings of every `subscribe` and `update`
step, so such a mistake makes the file invalid, with its line, instead of
breaking the engine at run time. `settings_reference()` renders the table of
every setting's values for docs/scenario-format.md. Pure: no I/O.
"""

from __future__ import annotations

from fake_graph_api.keys import CUSTOMER_FILE_SOURCES
from harness.engine.errors import SettingsError
from harness.engine.messages import USER_IDENTITY_TYPES
from harness.engine.settings import (
    NO_IDENTITY,
    SETTINGS,
    SETTINGS_BY_ID,
    UNSELECTED,
    parse_settings,
    settings_from_names,
)
from harness.scenario.messages import ACCOUNT_SETTING_NAMES

# The runner fills these in when a scenario leaves them out (fake_site defaults).
FILLED_BY_THE_RUNNER = {"ad_account_id": "act_1", "access_token": "filled-in"}


def settings_problem(values: dict) -> tuple[str, str] | None:
    """(snake_case name, problem) when the engine would refuse `values`, else None."""
    try:
        parse_settings(settings_from_names({**FILLED_BY_THE_RUNNER, **values}))
    except SettingsError as error:
        return SETTINGS_BY_ID[error.setting].name, in_scenario_names(error.problem)
    return None


def missing_setting_message(name: str, problem: str) -> str:
    """What to say when the refused value is a default the scenario never wrote."""
    return (
        f"{name} is not set, and the engine refuses its default: {name} {problem}. "
        f"Set {name} under connection: (or in this step's settings)"
    )


def in_scenario_names(text: str) -> str:
    """The engine's message with camelCase setting ids turned into scenario names."""
    for setting in sorted(SETTINGS, key=lambda s: len(s.id), reverse=True):
        text = text.replace(setting.id, setting.name)
    return text


def settings_reference() -> str:
    """The Markdown table of every setting and the values it takes, for the docs.

    docs/scenario-format.md holds this table verbatim; a test keeps them equal.
    """
    rows = [
        "| setting | values | default | sent in |",
        "|---|---|---|---|",
    ]
    for setting in SETTINGS:
        rows.append(
            f"| `{setting.name}` | {_values(setting)} | {_default(setting)} "
            f"| {_level(setting)} |"
        )
    return "\n".join(rows)


def _values(setting) -> str:
    if setting.type == "identity":
        allowed = USER_IDENTITY_TYPES
        if setting.id != "externalEmailIdentityType":
            allowed = (*allowed, NO_IDENTITY)
        return "one of " + ", ".join(f"`{name}`" for name in allowed)
    if setting.type == "file_source":
        return "one of " + ", ".join(f"`{name}`" for name in CUSTOMER_FILE_SOURCES)
    return _VALUES_BY_TYPE[setting.type]


def _default(setting) -> str:
    if setting.name in FILLED_BY_THE_RUNNER:
        return "filled in by the runner"
    if setting.name == "graph_base_url":
        return "set by the runner to the fake"
    if setting.default == UNSELECTED:
        return "UNSELECTED, refused: required"
    if setting.default is None:
        return "none"
    return f"`{_as_yaml(setting.default)}`"


def _as_yaml(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _level(setting) -> str:
    return "account" if setting.name in ACCOUNT_SETTING_NAMES else "subscription"


_VALUES_BY_TYPE = {
    "bool": "`true` or `false`",
    "text": "any text",
    "account": "an ad account id, `act_1001` or `1001`",
    "app_id": "a numeric Facebook app id",
    "region": "a two-letter region code, e.g. `GB`",
    "count": "a positive whole number",
    "version": "a Graph API version like `v19.0`",
}
