"""Check what each subscription will send with the engine's own settings parser.

The reference engine refuses a subscription whose settings do not parse
(`harness.engine.settings.parse_settings`): a value of the wrong type, one outside
its choices, a missing `customer_file_source` (UNSELECTED), a contradiction. The
loader runs the same parser on the settings of every `subscribe` and `update`
step, so such a mistake makes the file invalid, with its line, instead of
breaking the engine at run time. Pure: no I/O.
"""

from __future__ import annotations

from harness.engine.errors import SettingsError
from harness.engine.settings import (
    SETTINGS,
    SETTINGS_BY_ID,
    parse_settings,
    settings_from_names,
)

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
