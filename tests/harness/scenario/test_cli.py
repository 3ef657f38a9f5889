import json
from pathlib import Path

import pytest

from harness.cli import main

HERE = Path(__file__).parent


@pytest.fixture
def suite(write_scenario, email_scenario):
    good = email_scenario(title="email ok", tag="email")
    bad = email_scenario(title="phone wrong", tag="phone", email="bob@example.org")
    write_scenario(good, "s/ok.yaml")
    return write_scenario(bad, "s/bad.yaml").parent


def run(*args) -> int:
    return main(["run", *map(str, args)])


def test_all_passing_exits_0(suite, capsys):
    assert run(suite, "--tags", "email") == 0
    out = capsys.readouterr().out
    assert "PASS  " in out and "phone wrong" not in out


def test_a_failure_exits_1_and_reports_are_written(suite, tmp_path, capsys):
    junit, report = tmp_path / "j.xml", tmp_path / "r.json"

    code = run(suite, "--junit", junit, "--json", report)

    assert code == 1
    assert "FAIL  " in capsys.readouterr().out
    assert json.loads(report.read_text())["summary"] == {
        "passed": 1,
        "failed": 1,
        "total": 2,
    }
    assert junit.read_text().startswith("<?xml")


def test_keyword_selection(suite, capsys):
    assert run(suite, "-k", "not phone") == 0
    assert run(suite, "-k", "PHONE") == 1


def test_nothing_selected_exits_2(suite, capsys):
    assert run(suite, "--tags", "nope") == 2
    assert "no scenario selected" in capsys.readouterr().err


def test_an_invalid_file_exits_2(suite, write_scenario, capsys):
    write_scenario("scenario: broken\nsteps: [{add: {}}]\n", "s/broken.yaml")
    assert run(suite, "--tags", "email") == 2
    assert "BAD   " in capsys.readouterr().out


def test_a_broken_engine_exits_3(suite, monkeypatch, capsys):
    monkeypatch.syspath_prepend(str(HERE))
    assert (
        run(suite, "--engine", "python:tiny_engine:create_raising", "-k", "email") == 3
    )
    assert "ERROR" in capsys.readouterr().out


@pytest.mark.parametrize(
    "spec, words",
    [
        pytest.param("carrier-pigeon:coo", "unknown kind 'carrier-pigeon'", id="kind"),
        pytest.param("foo:bar", "unknown kind 'foo'", id="foo-bar"),
        pytest.param("python:no_such_module:make", "cannot import", id="module"),
        pytest.param("cmd:/no/such/engine --x", "cannot find the program", id="cmd"),
        pytest.param("http:ftp://x", "starts with http://", id="url"),
    ],
)
def test_a_bad_engine_spec_is_one_message_and_exits_2(suite, capsys, spec, words):
    assert run(suite, "--engine", spec) == 2
    captured = capsys.readouterr()
    assert captured.err.count(words) == 1
    assert "ERROR" not in captured.out


def test_a_setting_the_engine_refuses_is_invalid_not_an_engine_error(
    suite, write_scenario, email_scenario, capsys
):
    text = email_scenario().replace("customer_file_source: USER_PROVIDED_ONLY", "")
    write_scenario(text.replace("connection:", "connection: {}"), "s/no-source.yaml")

    assert main(["lint", str(suite)]) == 2
    assert run(suite) == 2
    out = capsys.readouterr().out
    assert (
        "no-source.yaml:8: steps[0].subscribe: customer_file_source is not set" in out
    )
    assert "ERROR" not in out


@pytest.mark.parametrize("command", ["run", "lint"])
def test_nothing_found_says_which_files_are_looked_for(tmp_path, capsys, command):
    (tmp_path / "a.json").write_text("{}")
    (tmp_path / "notes.md").write_text("x")

    assert main([command, str(tmp_path)]) == 2
    err = capsys.readouterr().err
    searched = "folders are searched for *.yaml and *.yml"
    assert f"no scenario files in {tmp_path}: {searched}" in err
    assert "1 .json file(s) were left out" in err


def test_lint(suite, write_scenario, capsys):
    assert main(["lint", str(suite)]) == 0
    write_scenario("scenario: broken\nsteps: [{add: {}}]\n", "s/broken.yaml")
    assert main(["lint", str(suite)]) == 2
    out = capsys.readouterr().out
    assert "broken.yaml:2: steps[0].add: 'audience' is a required property" in out
    assert "2 valid, 1 invalid" in out


def test_a_missing_path_exits_2(tmp_path, capsys):
    assert run(tmp_path / "nowhere") == 2
    assert "no such file or folder" in capsys.readouterr().err
