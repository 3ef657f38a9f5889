"""`fbca load`: push a synthetic membership stream through an engine into the fake.

Prints a progress bar while the stream runs, then the report: throughput, Graph
requests, rows, latency, retries, peak memory and the membership check. Exit
status: 0 when the fake holds exactly the expected members, 1 when the check
fails or the engine breaks down, 2 for bad arguments.
"""

import argparse
import json
import logging
import sys
from pathlib import Path

from tqdm import tqdm

from harness.adapters import EngineFailure, EngineSpecError
from harness.load.runner import SERVERS, LoadOptions, LoadReport, run_load
from harness.load.stream import LoadPlan


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "load",
        help="synthetic load: N users through an engine into the fake Graph API",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--users", type=_positive, default=10_000, help="users (default 10000)"
    )
    parser.add_argument(
        "--audiences", type=_positive, default=5, help="mParticle audiences (5)"
    )
    parser.add_argument("--seed", type=int, default=0, help="same seed, same stream")
    parser.add_argument(
        "--messiness", type=_share, default=0.2, help="0..1, share of messy values"
    )
    parser.add_argument(
        "--locale",
        action="append",
        help="Faker locale of the users (repeatable; default en_US)",
    )
    parser.add_argument("--engine", help="engine spec, as for fbca run")
    parser.add_argument(
        "--server",
        choices=SERVERS,
        default="inproc",
        help="the fake in process (WSGI) or on a loopback port (default inproc)",
    )
    parser.add_argument(
        "--faults",
        type=_share,
        default=0.0,
        help="rate of /users calls answered with throttling or a transient error",
    )
    parser.add_argument("--out", type=Path, help="also save the stream as JSON lines")
    parser.add_argument("--json", type=Path, help="write the report as JSON here")
    parser.add_argument(
        "--no-progress", action="store_true", help="no progress bar (logs, CI)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    engine_log = logging.getLogger("harness.engine")
    level = engine_log.level
    engine_log.setLevel(logging.ERROR)  # one warning per skipped user drowns the bar
    try:
        return _run(args)
    finally:
        engine_log.setLevel(level)


def _run(args: argparse.Namespace) -> int:
    try:
        plan = LoadPlan(
            users=args.users,
            audiences=args.audiences,
            seed=args.seed,
            messiness=args.messiness,
            locales=tuple(args.locale or ("en_US",)),
        )
        options = LoadOptions(
            plan,
            engine=args.engine,
            server=args.server,
            fault_rate=args.faults,
            out=args.out,
        )
        report = _run_with_bar(options, show=not args.no_progress)
    except (ValueError, EngineSpecError) as error:
        print(f"fbca load: {error}", file=sys.stderr)
        return 2
    except EngineFailure as error:
        print(f"fbca load: the engine failed: {error}", file=sys.stderr)
        return 1

    print(render(report))
    if args.json:
        args.json.write_text(json.dumps(report.as_dict(), indent=2) + "\n")
    return 0 if report.ok else 1


def _run_with_bar(options: LoadOptions, *, show: bool) -> LoadReport:
    with tqdm(
        total=options.plan.users, unit="user", disable=not show, file=sys.stderr
    ) as bar:

        def progress(users_done: int) -> None:
            bar.update(users_done - bar.n)

        return run_load(options, progress=progress)


def render(report: LoadReport) -> str:
    """The human report: one fact a line, the check last."""
    facts = report.as_dict()
    graph, latency, journal = (
        facts["graph"],
        facts["graph"]["latency"],
        facts["journal"],
    )
    lines = [
        f"users {facts['users']} across {facts['audiences']} audiences, "
        f"engine {facts['engine']}, fake {facts['server']}, seed {facts['seed']}",
        f"messages {facts['messages']} in {facts['seconds']} s: "
        f"{facts['messages_per_second']} messages/s, "
        f"{facts['users_per_second']} users/s",
        f"graph requests {graph['requests']}, rows {graph['rows']} "
        f"({facts['rows_per_second']} rows/s)",
        f"graph latency ({latency['measured_at']}): p50 {latency['p50_ms']} ms, "
        f"p95 {latency['p95_ms']} ms, max {latency['max_ms']} ms",
        f"retried calls {graph['failed_calls']} "
        f"(faults injected {graph['faults_injected']}), "
        f"connections resumed {facts['connections_resumed']}",
        f"peak memory {facts['peak_memory_mb']} MB; fake journal {journal['entries']} "
        f"entries (bound {journal['bound']}: "
        f"{'bounded' if journal['bounded'] else 'NOT bounded'})",
    ]
    for connection in facts["connections_still_faulted"]:
        fault = connection["fault"] or {}
        lines.append(
            f"warning: the connection of audience {connection['audience_id']} is "
            f"still faulted after the resumes (Graph code {fault.get('code')}: "
            f"{fault.get('message', 'no message')}); its missing rows below are "
            "why"
        )
    if graph["journal_entries_unseen"]:
        lines.append(
            f"warning: {graph['journal_entries_unseen']} journal entries fell off "
            "before they were read; request counts are low by that much"
        )
    lines.append("membership check: " + ("PASSED" if report.ok else "FAILED"))
    lines.extend("  " + audience.describe() for audience in report.check.audiences)
    return "\n".join(lines)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, got {text}")
    return value


def _share(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {text}")
    return value
