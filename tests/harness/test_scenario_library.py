"""The scenario library covers what it promises: settings, bug reports, folders.

Running the library is test_gate_catches_bugs.py's job; these checks read it.
"""

import re
from pathlib import Path

import pytest

from harness.engine.settings import SETTINGS
from harness.scenario.loader import discover, load_scenario
from harness.scenario.model import Subscribe, Update

LIBRARY = Path(__file__).resolve().parents[2] / "scenarios"

# Settings the runner fills in itself (where the fake is), or that no scenario
# can observe (the fake serves every Graph API version alike).
RUNNER_SETTINGS = {"graph_base_url", "graph_api_version"}
REPORT_ID = re.compile(r"\b(BR-\d\d|C-\d\d)\b")


@pytest.fixture(scope="module")
def library():
    return [load_scenario(path) for path in discover([str(LIBRARY)])]


def _settings_used(scenario) -> set[str]:
    used = set(scenario.connection)
    for step in scenario.steps:
        if isinstance(step, Subscribe | Update):
            used |= set(step.settings)
    return used


def test_library_has_at_least_sixty_scenarios(library):
    assert len(library) >= 60


def test_every_setting_is_exercised(library):
    used = set().union(*(_settings_used(scenario) for scenario in library))

    missing = {setting.name for setting in SETTINGS} - used - RUNNER_SETTINGS

    assert not missing, f"no scenario sets {sorted(missing)}"


def test_at_least_twenty_bug_report_cases(library):
    cited = {
        case
        for scenario in library
        for case in REPORT_ID.findall(scenario.source or "")
    }

    assert len(cited) >= 20, f"only {sorted(cited)} are reproduced"


@pytest.mark.parametrize(
    "folder",
    [
        pytest.param(folder.name, id=folder.name)
        for folder in sorted(LIBRARY.iterdir())
        if folder.is_dir()
    ],
)
def test_every_folder_holds_tagged_scenarios_with_a_source(folder, library):
    in_folder = [s for s in library if Path(s.file).parent.name == folder]

    assert in_folder, f"scenarios/{folder} is empty"
    untagged = [str(s.file) for s in in_folder if not s.tags or not s.source]
    assert not untagged, f"scenarios without tags or source: {untagged}"
