"""Reports of a run: a line per scenario, a summary by tag, JUnit XML, JSON, exit code.

Exit codes (fixed, for CI): 0 every scenario passed; 1 a scenario failed its
expectations; 2 a scenario file is invalid, or nothing was selected; 3 an engine
or the fake broke during a replay. When several apply the highest-priority one
wins, in the order 2, 3, 1.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from harness.scenario.runner import ERROR, FAILED, INVALID, PASSED, ScenarioResult

EXIT_OK, EXIT_FAILED, EXIT_INVALID, EXIT_ERROR = 0, 1, 2, 3
UNTAGGED = "(untagged)"
DEFAULT_GROUP = "scenarios"
_LABELS = {PASSED: "PASS ", FAILED: "FAIL ", ERROR: "ERROR", INVALID: "BAD  "}
STATUSES = (PASSED, FAILED, ERROR, INVALID)


def scenario_lines(result: ScenarioResult, *, verbose: bool = False) -> list[str]:
    """The result's line, then its problems (failures always, warnings when verbose)."""
    label = _LABELS[result.status]
    lines = [f"{label} {result.file}  {result.title}  ({result.seconds:.2f}s)"]
    if result.error:
        lines += [f"    {line}" for line in result.error.splitlines()]
    for problem in result.problems:
        if problem.severity == "warning" and not verbose and result.status == PASSED:
            continue
        where = f"line {problem.line}: " if problem.line else ""
        label = "warning: " if problem.severity == "warning" else ""
        text = problem.message.replace("\n", "\n        ")
        lines.append(f"    {where}{label}{text}")
    return lines


def summary_table(results: list[ScenarioResult]) -> str:
    """Counts per tag (a scenario counts under each of its tags) and a total row."""
    by_tag: dict[str, Counter] = {}
    for result in results:
        for tag in result.tags or (UNTAGGED,):
            by_tag.setdefault(tag, Counter())[result.status] += 1
    total = Counter(result.status for result in results)
    rows = [(tag, by_tag[tag]) for tag in sorted(by_tag)] + [("total", total)]
    width = max(len("tag"), *(len(tag) for tag, _ in rows))
    header = f"{'tag':<{width}}  " + "  ".join(f"{s:>7}" for s in STATUSES)
    lines = [header, "-" * len(header)]
    for tag, counts in rows:
        lines.append(
            f"{tag:<{width}}  " + "  ".join(f"{counts[s]:>7}" for s in STATUSES)
        )
    return "\n".join(lines)


def exit_code(results: list[ScenarioResult]) -> int:
    statuses = {result.status for result in results}
    if not results or INVALID in statuses:
        return EXIT_INVALID
    if ERROR in statuses:
        return EXIT_ERROR
    if FAILED in statuses:
        return EXIT_FAILED
    return EXIT_OK


def write_json(results: list[ScenarioResult], path: str | Path) -> None:
    document = {
        "summary": dict(
            Counter(result.status for result in results), total=len(results)
        ),
        "exit_code": exit_code(results),
        "scenarios": [_as_json(result) for result in results],
    }
    Path(path).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def _as_json(result: ScenarioResult) -> dict:
    return {
        "file": result.file,
        "scenario": result.title,
        "status": result.status,
        "tags": list(result.tags),
        "seconds": round(result.seconds, 4),
        "error": result.error,
        "problems": [
            {"severity": p.severity, "line": p.line, "message": p.message}
            for p in result.problems
        ],
    }


def write_junit(results: list[ScenarioResult], path: str | Path) -> None:
    """JUnit XML, a testcase per scenario: failed -> failure, error/invalid -> error."""
    counts = Counter(result.status for result in results)
    suite = ET.Element(
        "testsuite",
        name="fbca",
        tests=str(len(results)),
        failures=str(counts[FAILED]),
        errors=str(counts[ERROR] + counts[INVALID]),
        time=f"{sum(r.seconds for r in results):.3f}",
    )
    for result in results:
        suite.append(_testcase(result))
    tree = ET.ElementTree(ET.Element("testsuites"))
    tree.getroot().append(suite)
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)


def junit_classname(result: ScenarioResult) -> str:
    """`fbca.<first tag>`, else `fbca.<folder>`; `fbca.scenarios` for a bare file."""
    group = result.tags[0] if result.tags else Path(result.file).parent.name
    return "fbca." + (group or DEFAULT_GROUP)


def _testcase(result: ScenarioResult) -> ET.Element:
    case = ET.Element(
        "testcase",
        classname=junit_classname(result),
        name=result.title,
        file=result.file,
        time=f"{result.seconds:.3f}",
    )
    if result.tags:
        properties = ET.SubElement(case, "properties")
        for tag in result.tags:
            ET.SubElement(properties, "property", name="tag", value=tag)
    details = "\n".join(scenario_lines(result, verbose=True)[1:])
    if result.status == FAILED:
        first = (
            result.failures[0].message if result.failures else "warnings under --strict"
        )
        ET.SubElement(case, "failure", message=first.splitlines()[0]).text = details
    elif result.status in (ERROR, INVALID):
        ET.SubElement(
            case, "error", message=result.error or result.status
        ).text = details
    elif result.warnings:
        ET.SubElement(case, "system-out").text = details
    return case
