import json
import logging
from pathlib import Path

import pytest

from harness.cli import main


def load(tmp_path, *extra):
    report_file = tmp_path / "report.json"
    argv = ["load", "--users", "200", "--seed", "3", "--no-progress"]
    status = main([*argv, "--json", str(report_file), *extra])
    return status, json.loads(report_file.read_text()) if report_file.exists() else None


def test_a_small_load_passes_its_check(tmp_path, capsys):
    status, report = load(tmp_path, "--audiences", "5")

    assert status == 0
    assert report["ok"] and report["graph"]["rows"] > 0
    assert report["connections_still_faulted"] == []
    assert report["journal"]["bounded"]
    assert "membership check: PASSED" in capsys.readouterr().out


def test_a_load_with_injected_faults_still_passes(tmp_path):
    status, report = load(tmp_path, "--audiences", "2", "--faults", "0.3")

    assert status == 0
    assert report["graph"]["faults_injected"] > 0
    assert report["graph"]["failed_calls"] >= report["graph"]["faults_injected"]


def test_a_load_over_loopback_http(tmp_path):
    status, report = load(tmp_path, "--audiences", "2", "--server", "http")

    assert status == 0
    assert report["server"] == "http" and report["graph"]["latency"]["calls"] > 0


def test_the_stream_can_be_saved(tmp_path):
    saved = tmp_path / "stream.jsonl"

    status, report = load(tmp_path, "--audiences", "1", "--out", str(saved))

    lines = saved.read_text(encoding="utf-8").splitlines()
    assert status == 0 and len(lines) == report["messages"]


def test_a_broken_engine_exits_non_zero(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(Path(__file__).parent))

    status, report = load(
        tmp_path, "--audiences", "1", "--engine", "python:broken_engines:dropping"
    )

    assert status == 1 and not report["ok"]


def test_a_connection_left_faulted_is_named_in_the_report(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.syspath_prepend(str(Path(__file__).parent))

    status, report = load(
        tmp_path, "--audiences", "1", "--engine", "python:broken_engines:bad_token"
    )

    assert status == 1 and not report["ok"]
    faulted = report["connections_still_faulted"]
    assert faulted and faulted[0]["fault"]["code"] == 190
    assert "still faulted after the resumes (Graph code 190" in capsys.readouterr().out


def test_an_engine_that_crashes_exits_1(tmp_path, monkeypatch, capsys):
    monkeypatch.syspath_prepend(str(Path(__file__).parent))

    status, _ = load(tmp_path, "--engine", "python:broken_engines:crashing")

    assert status == 1
    assert "out of cheese" in capsys.readouterr().err


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(["--engine", "nonsense:"], id="bad-engine-spec"),
        pytest.param(["--locale", "xx_YY"], id="unknown-locale"),
        pytest.param(["--faults", "1"], id="faults-always"),
    ],
)
def test_bad_arguments_exit_2(tmp_path, bad, capsys):
    status, _ = load(tmp_path, *bad)

    assert status == 2
    assert "fbca load:" in capsys.readouterr().err


def test_the_engine_logger_is_left_as_it_was(tmp_path):
    engine_log = logging.getLogger("harness.engine")
    before = engine_log.level

    load(tmp_path, "--audiences", "1")

    assert engine_log.level == before
