"""The gate catches bugs: the scenario library fails every broken engine, and says why.

Each engine of `broken_engines.BROKEN_ENGINES` replays the library scenarios
carrying one of its tags; at least one must fail with a line naming the mistake.
The reference engine must pass the whole library, warnings included. README.md's
"What the gate catches" section is the catalogue rendered by `catch_section`.
"""

import logging
import sys
import textwrap
from pathlib import Path

import pytest

from harness.scenario.loader import discover, load_scenario
from harness.scenario.runner import PASSED, RunOptions, run_many

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "scenarios"
README = ROOT / "README.md"
SECTION_TITLE = "## What the gate catches"

# The python: adapter imports the catalogue by module name, as a user's engine.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.harness.broken_engines import BROKEN_ENGINES  # noqa: E402


@pytest.fixture(scope="module")
def library():
    return [load_scenario(path) for path in discover([str(LIBRARY)])]


@pytest.fixture(autouse=True)
def quiet_engine_warnings():
    """Skipped users and faults are expected here; keep the output readable."""
    logging.disable(logging.WARNING)
    yield
    logging.disable(logging.NOTSET)


def test_reference_engine_passes_the_whole_library_strictly(library):
    results = list(run_many(library, RunOptions(strict=True)))

    not_passed = [
        f"{r.file}: {r.status} {r.error or ''} "
        + "; ".join(p.message for p in r.problems)
        for r in results
        if r.status != PASSED
    ]
    assert not not_passed, "\n".join(not_passed)
    assert len(results) >= 60


@pytest.mark.parametrize(
    "broken", [pytest.param(broken, id=broken.name) for broken in BROKEN_ENGINES]
)
def test_library_fails_the_broken_engine_and_names_the_mistake(broken, library):
    chosen = [s for s in library if set(s.tags) & set(broken.tags)]
    assert chosen, f"no library scenario has any of the tags {broken.tags}"

    results = list(run_many(chosen, RunOptions(engine=broken.spec)))

    failed = [r for r in results if r.status != PASSED]
    assert failed, (
        f"{broken.name} ({broken.mistake}) passed every scenario tagged {broken.tags}"
    )
    lines = [
        line
        for result in failed
        for problem in result.failures
        for line in problem.message.splitlines()
    ]
    naming = [line for line in lines if all(part in line for part in broken.diagnosis)]
    assert naming, (
        f"{broken.name} failed {len(failed)} scenario(s) but no failure line contains "
        f"{broken.diagnosis}; lines:\n"
        + "\n".join(lines[:20])
        + "\n".join(r.error or "" for r in failed)
    )


def test_readme_reports_every_broken_engine():
    expected = catch_section(BROKEN_ENGINES)

    readme = README.read_text(encoding="utf-8")

    assert SECTION_TITLE in readme, f"README.md lacks the section:\n\n{expected}"
    start = readme.index(SECTION_TITLE)
    end = readme.find("\n## ", start + len(SECTION_TITLE))
    found = readme[start : end if end != -1 else len(readme)].strip()
    assert found == expected.strip(), (
        f"README.md's section is out of date; replace it with:\n\n{expected}"
    )


def catch_section(engines) -> str:
    """The README section: catch rate and one row per broken engine."""
    rows = [
        f"| `{broken.name}` | {broken.mistake} | "
        + " … ".join(f"`{part.strip()}`" for part in broken.diagnosis)
        + " |"
        for broken in engines
    ]
    return "\n".join(
        [
            SECTION_TITLE,
            "",
            textwrap.fill(
                f"The scenario library fails **{len(engines)} of {len(engines)}** "
                "deliberately broken engines (each the reference engine with one "
                "mistake, `tests/harness/broken_engines.py`), and for each one a "
                "failure line names the mistake. "
                "`tests/harness/test_gate_catches_bugs.py` checks every row and "
                "that this table lists exactly those engines.",
                width=80,
            ),
            "",
            "| broken engine | mistake | the failure report says |",
            "|---|---|---|",
            *rows,
        ]
    )
