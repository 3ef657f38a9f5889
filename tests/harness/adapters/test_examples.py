"""Every example engine passes the same scenario through its adapter."""

import sys
from pathlib import Path

from harness.scenario.runner import PASSED, RunOptions, run_file

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def passes(path, engine):
    result = run_file(path, RunOptions(engine=engine))
    assert result.status == PASSED, (result.error, result.problems)
    return result


def test_reference_engine(example_scenario):
    passes(example_scenario, "reference")


def test_python_example(example_scenario, monkeypatch):
    monkeypatch.syspath_prepend(str(EXAMPLES))
    passes(example_scenario, "python:python_engine:create_engine")


def test_cmd_example(example_scenario):
    passes(example_scenario, f'cmd:"{sys.executable}" {EXAMPLES / "cmd_engine.py"}')


def test_http_example_serves_several_replays(example_scenario, http_engine_url):
    for _ in range(2):
        passes(example_scenario, f"http:{http_engine_url}")
