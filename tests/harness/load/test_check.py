import logging
from pathlib import Path

import pytest

from harness.load.runner import LoadOptions, run_load
from harness.load.stream import LoadPlan

# One audience of each plain kind: email, IDFA/GAID and phone, no multi-key.
PLAN = LoadPlan(users=300, audiences=1, seed=5, messiness=0.3)


@pytest.fixture(autouse=True)
def quiet_engine():
    engine_log = logging.getLogger("harness.engine")
    level = engine_log.level
    engine_log.setLevel(logging.ERROR)
    yield
    engine_log.setLevel(level)


@pytest.fixture
def broken_engines(monkeypatch):
    monkeypatch.syspath_prepend(str(Path(__file__).parent))


def test_the_reference_engine_passes_the_check():
    report = run_load(LoadOptions(PLAN))

    assert report.ok, [a.describe() for a in report.check.audiences]
    assert report.graph.rows > 0


def test_an_engine_that_drops_users_fails_the_check(broken_engines):
    report = run_load(LoadOptions(PLAN, engine="python:broken_engines:dropping"))

    assert not report.ok
    assert sum(audience.missing for audience in report.check.audiences) > 0


def test_an_engine_that_corrupts_cells_fails_the_check(broken_engines):
    report = run_load(LoadOptions(PLAN, engine="python:broken_engines:corrupting"))

    email = next(a for a in report.check.audiences if a.name.endswith("(email)"))
    assert not report.ok
    assert email.missing > 0 and email.unexpected > 0
    assert email.unexpected_members and email.missing_users


def test_near_misses_never_show_a_whole_identifier(broken_engines):
    report = run_load(LoadOptions(PLAN, engine="python:broken_engines:corrupting"))

    shown = [
        value
        for audience in report.check.audiences
        for member in audience.unexpected_members
        for value in member.values()
    ]
    assert shown and all(len(value) <= 9 for value in shown)
