"""`fbca run` (replay scenarios, the conformance gate) and `fbca lint` (check files).

Both take paths (files or folders, default `scenarios/`). `run` selects with
`--tags` and `-k`, replays against `--engine` (default: the reference engine),
prints one line per scenario and a summary by tag, writes `--junit` / `--json`
reports and exits with the codes of harness.scenario.reports.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from fake_graph_api.documents import DocumentError
from harness.adapters import EngineSpecError, check_spec
from harness.scenario import reports
from harness.scenario.loader import discover, load_scenario, nothing_found
from harness.scenario.runner import INVALID, RunOptions, ScenarioResult, run_many

DEFAULT_PATHS = ["scenarios"]


def register(subparsers) -> None:
    run = subparsers.add_parser(
        "run",
        help="replay scenarios against an engine and the fake (the conformance gate)",
        description="Replay scenario files against a forwarding engine wired to the "
        "fake Graph API. Exit 0 when all pass, 1 when one fails, 2 when a file is "
        "invalid or nothing is selected, 3 when an engine or the fake breaks.",
    )
    _add_paths(run)
    run.add_argument(
        "--engine",
        metavar="SPEC",
        help="reference (default), python:module:factory, cmd:COMMAND or http:URL",
    )
    run.add_argument(
        "--server",
        metavar="URL",
        help="use a running fake at URL "
        "(reset before each scenario; runs one at a time)",
    )
    run.add_argument(
        "--tags",
        action="append",
        metavar="TAG[,TAG]",
        help="run scenarios having any of these tags (repeatable)",
    )
    run.add_argument(
        "-k",
        dest="keyword",
        action="append",
        metavar="TEXT",
        help="run scenarios whose title or file contains TEXT "
        "(case-insensitive; 'not TEXT' excludes; repeatable, all must hold)",
    )
    run.add_argument("--strict", action="store_true", help="warnings fail too")
    run.add_argument("--junit", metavar="FILE", help="write a JUnit XML report")
    run.add_argument("--json", metavar="FILE", help="write a JSON report")
    run.add_argument(
        "--jobs",
        "-j",
        type=int,
        metavar="N",
        help="worker processes (default: one per core when useful)",
    )
    run.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="also show warnings of passing scenarios",
    )
    run.set_defaults(func=run_command)

    lint = subparsers.add_parser(
        "lint",
        help="check scenario files without running them",
        description="Validate scenario files: exit 0 when all are valid, 2 otherwise.",
    )
    _add_paths(lint)
    lint.set_defaults(func=lint_command)


def _add_paths(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="scenario files or folders (default: scenarios/)",
    )


def _discover(paths: list[str]) -> list | None:
    """Scenario files below `paths`, or None after saying why there are none."""
    try:
        files = discover(paths)
    except DocumentError as error:
        print(error, file=sys.stderr)
        return None
    if not files:
        print(nothing_found(paths), file=sys.stderr)
        return None
    return files


def lint_command(args) -> int:
    files = _discover(args.paths or DEFAULT_PATHS)
    if files is None:
        return reports.EXIT_INVALID
    bad = 0
    for path in files:
        try:
            load_scenario(path)
        except DocumentError as error:
            bad += 1
            print(error)
    print(f"{len(files) - bad} valid, {bad} invalid scenario file(s)")
    return reports.EXIT_INVALID if bad or not files else reports.EXIT_OK


def run_command(args) -> int:
    _quiet_engines(args.verbose)
    files = _discover(args.paths or DEFAULT_PATHS)
    if files is None:
        return reports.EXIT_INVALID
    scenarios, results = [], []
    for path in files:
        try:
            scenarios.append(load_scenario(path))
        except DocumentError as error:
            results.append(
                ScenarioResult(str(path), path.name, INVALID, error=str(error))
            )
    scenarios = [s for s in scenarios if selected(s, args.tags, args.keyword)]
    if (args.engine or "").startswith("python:") and os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())  # as `python -m` would: local engine modules
    try:
        check_spec(args.engine)
    except EngineSpecError as error:
        print(f"fbca run: {error}", file=sys.stderr)
        return reports.EXIT_INVALID
    options = RunOptions(
        engine=args.engine, server=args.server, strict=args.strict, jobs=args.jobs
    )
    for result in results:
        _print(result, args.verbose)
    for result in run_many(scenarios, options):
        results.append(result)
        _print(result, args.verbose)
    return _finish(results, args)


def _quiet_engines(verbose: bool) -> None:
    """Engine logs interleave with the report: show them only with --verbose."""
    level = logging.INFO if verbose else logging.CRITICAL
    logging.basicConfig(level=level, format="    log %(name)s: %(message)s")
    # httpx logs whole URLs, and a broken engine may put a token in a query string.
    logging.getLogger("httpx").setLevel(logging.WARNING)


def selected(scenario, tags: list[str] | None, keywords: list[str] | None) -> bool:
    """Whether `--tags` and `-k` select the scenario."""
    if tags:
        wanted = {t.strip() for group in tags for t in group.split(",") if t.strip()}
        if not wanted & set(scenario.tags):
            return False
    text = f"{scenario.title} {scenario.file}".lower()
    for keyword in keywords or ():
        negated = keyword.lower().startswith("not ")
        word = keyword[4:] if negated else keyword
        if (word.strip().lower() in text) == negated:
            return False
    return True


def _print(result: ScenarioResult, verbose: bool) -> None:
    print("\n".join(reports.scenario_lines(result, verbose=verbose)), flush=True)


def _finish(results: list[ScenarioResult], args) -> int:
    if not results:
        print("no scenario selected", file=sys.stderr)
    else:
        print()
        print(reports.summary_table(results))
    if args.junit:
        reports.write_junit(results, args.junit)
    if args.json:
        reports.write_json(results, args.json)
    return reports.exit_code(results)
