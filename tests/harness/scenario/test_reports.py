import json
import xml.etree.ElementTree as ET

import pytest

from harness.scenario.problems import FAILURE, WARNING, Problem
from harness.scenario.reports import (
    exit_code,
    junit_classname,
    scenario_lines,
    summary_table,
    write_json,
    write_junit,
)
from harness.scenario.runner import ERROR, FAILED, INVALID, PASSED, ScenarioResult


def result(status, tags=("email",), problems=(), error=None, name="a"):
    return ScenarioResult(
        f"scenarios/{name}.yaml",
        f"scenario {name}",
        status,
        tags,
        list(problems),
        error,
    )


MIXED = [
    result(PASSED, ("email", "smoke"), name="a"),
    result(FAILED, ("email",), [Problem("missing member\n  why", 12)], name="b"),
    result(ERROR, ("phone",), error="engine cmd:x: exited", name="c"),
    result(PASSED, (), [Problem("tiny batches", 3, WARNING)], name="d"),
]


@pytest.mark.parametrize(
    "statuses, code",
    [
        pytest.param([PASSED, PASSED], 0, id="all-pass"),
        pytest.param([PASSED, FAILED], 1, id="a-failure"),
        pytest.param([FAILED, ERROR], 3, id="an-error"),
        pytest.param([ERROR, INVALID, FAILED], 2, id="invalid-wins"),
        pytest.param([], 2, id="nothing-selected"),
    ],
)
def test_exit_codes(statuses, code):
    assert exit_code([result(s) for s in statuses]) == code


def test_scenario_lines_show_problems_with_their_lines():
    lines = scenario_lines(MIXED[1])
    assert lines[0].startswith("FAIL  scenarios/b.yaml  scenario b")
    assert lines[1:] == ["    line 12: missing member\n          why"]


def test_each_error_of_an_invalid_file_gets_its_own_indented_line():
    invalid = result(INVALID, (), error="a.yaml:3: x: bad\na.yaml:9: y: worse")
    assert scenario_lines(invalid)[1:] == [
        "    a.yaml:3: x: bad",
        "    a.yaml:9: y: worse",
    ]


def test_warnings_of_passing_scenarios_only_when_verbose():
    assert len(scenario_lines(MIXED[3])) == 1
    assert (
        scenario_lines(MIXED[3], verbose=True)[1] == "    line 3: warning: tiny batches"
    )


def test_summary_table_counts_by_tag():
    table = summary_table(MIXED).splitlines()
    rows = {line.split()[0]: line.split()[1:] for line in table[2:]}
    assert rows["email"] == ["1", "1", "0", "0"]
    assert rows["phone"] == ["0", "0", "1", "0"]
    assert rows["(untagged)"] == ["1", "0", "0", "0"]
    assert rows["total"] == ["2", "1", "1", "0"]


def test_junit_report(tmp_path):
    path = tmp_path / "junit.xml"
    write_junit(MIXED, path)

    suite = ET.parse(path).getroot().find("testsuite")
    assert suite.attrib["tests"] == "4"
    assert (suite.attrib["failures"], suite.attrib["errors"]) == ("1", "1")
    cases = suite.findall("testcase")
    assert cases[1].find("failure").attrib["message"] == "missing member"
    assert cases[2].find("error").attrib["message"] == "engine cmd:x: exited"
    assert cases[0].attrib["classname"] == "fbca.email"
    tags = [p.attrib["value"] for p in cases[0].find("properties")]
    assert tags == ["email", "smoke"]


@pytest.mark.parametrize(
    "file, tags, classname",
    [
        pytest.param("scenarios/phone/plus.yaml", ("phone",), "fbca.phone", id="tag"),
        pytest.param("scenarios/phone/plus.yaml", (), "fbca.phone", id="folder"),
        pytest.param("plus.yaml", (), "fbca.scenarios", id="file-in-run-folder"),
    ],
)
def test_junit_classname(file, tags, classname):
    assert junit_classname(ScenarioResult(file, "t", PASSED, tags)) == classname


def test_json_report(tmp_path):
    path = tmp_path / "report.json"
    write_json(MIXED, path)

    report = json.loads(path.read_text())
    assert report["exit_code"] == 3
    assert report["summary"] == {"passed": 2, "failed": 1, "error": 1, "total": 4}
    assert report["scenarios"][1]["problems"] == [
        {"severity": FAILURE, "line": 12, "message": "missing member\n  why"}
    ]
