"""One load run: a generated stream pushed through an engine into a fresh fake.

`run_load(options)` starts the fake (in process over WSGI, or on a loopback port in
a thread), opens the engine (`harness.adapters.open_engine`), optionally injects
seeded faults, feeds every message of the stream to the engine while the
independent `ExpectedMembership` watches the same messages, resumes faulted
connections at the end (as a user clicking Resume would), and returns a
`LoadReport`: throughput, Graph cost, peak memory and the membership check.
"""

import resource
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from werkzeug.serving import WSGIRequestHandler, make_server

from fake_graph_api import create_app
from fake_graph_api.clock import VirtualClock
from fake_graph_api.journal import JOURNAL_SIZE
from harness.adapters import open_engine
from harness.adapters.opening import is_in_process
from harness.load.check import MembershipCheck, check_membership
from harness.load.expected import ExpectedMembership
from harness.load.graph_stats import GraphStats
from harness.load.stream import LoadPlan, MembershipStream, write_jsonl_line
from harness.scenario.fake_control import FakeControl

INPROC_URL = "http://graph.fake"
RESUME_ATTEMPTS = 5
SERVERS = ("inproc", "http")


@dataclass(frozen=True)
class LoadOptions:
    """A plan plus where it runs: engine spec, fake server mode, faults, output."""

    plan: LoadPlan
    engine: str | None = None
    server: str = "inproc"
    fault_rate: float = 0.0
    out: Path | None = None
    journal_size: int = JOURNAL_SIZE

    def __post_init__(self) -> None:
        if self.server not in SERVERS:
            raise ValueError(f"--server must be inproc or http, got {self.server!r}")
        if not 0.0 <= self.fault_rate < 1.0:
            raise ValueError(
                f"--faults must be a rate in [0, 1), got {self.fault_rate}"
            )


@dataclass
class LoadReport:
    """What a run did and cost, and whether the fake ended up as expected."""

    options: LoadOptions
    messages: int = 0
    seconds: float = 0.0
    suspended: int = 0
    resumed: int = 0
    still_faulted: list[dict] = field(default_factory=list)
    graph: GraphStats = field(default_factory=GraphStats)
    journal_entries: int = 0
    check: MembershipCheck | None = None
    peak_memory_mb: float = 0.0

    @property
    def ok(self) -> bool:
        return self.check is not None and self.check.ok

    @property
    def journal_bounded(self) -> bool:
        return self.journal_entries <= self.options.journal_size

    def as_dict(self) -> dict:
        plan, seconds = self.options.plan, max(self.seconds, 1e-9)
        return {
            "users": plan.users,
            "audiences": plan.audiences,
            "seed": plan.seed,
            "messiness": plan.messiness,
            "locales": list(plan.locales),
            "engine": self.options.engine or "reference",
            "server": self.options.server,
            "fault_rate": self.options.fault_rate,
            "messages": self.messages,
            "seconds": round(self.seconds, 3),
            "messages_per_second": round(self.messages / seconds, 1),
            "users_per_second": round(plan.users / seconds, 1),
            "rows_per_second": round(self.graph.rows / seconds, 1),
            "graph": self.graph.as_dict(),
            "suspended_responses": self.suspended,
            "connections_resumed": self.resumed,
            "connections_still_faulted": self.still_faulted,
            "journal": {
                "entries": self.journal_entries,
                "bound": self.options.journal_size,
                "bounded": self.journal_bounded,
            },
            "peak_memory_mb": round(self.peak_memory_mb, 1),
            "check": self.check.as_dict() if self.check else None,
            "ok": self.ok,
        }


def run_load(options: LoadOptions, *, progress: Callable[[int], None] | None = None):
    """Run `options`; `progress(users_done)` is called as the stream advances."""
    report = LoadReport(options)
    clock = VirtualClock()
    app = create_app(
        seed=options.plan.seed, clock=clock, journal_size=options.journal_size
    )

    with ExitStack() as stack:
        graph_url, control_http = stack.enter_context(_serve(app, options.server))
        control = FakeControl(control_http)
        engine_http = _engine_client(options, app, graph_url, report.graph)
        if engine_http is not None:
            stack.callback(engine_http.close)
        engine = open_engine(
            options.engine, graph_url=graph_url, clock=clock, http=engine_http
        )
        stack.callback(engine.close)
        _inject_faults(control, options.fault_rate)

        started = time.perf_counter()
        expected = _replay(options, engine, control, report, progress)
        report.resumed = _resume_faulted(engine)
        report.still_faulted = faulted_connections(engine)
        report.seconds = time.perf_counter() - started

        report.graph.read_journal(_journal(control))
        report.journal_entries = len(_journal(control))
        report.check = check_membership(expected, control)
    report.peak_memory_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return report


def _replay(options, engine, control, report, progress) -> ExpectedMembership:
    """Feed every message to the watcher, the engine and (optionally) a file."""
    expected = ExpectedMembership()
    stream = MembershipStream(options.plan)
    with ExitStack() as stack:
        out = None
        if options.out:
            out = stack.enter_context(open(options.out, "w", encoding="utf-8"))
        for message in stream.messages():
            expected.observe(message)
            if out is not None:
                write_jsonl_line(out, message)
            _deliver(message, engine, control, report)
            if progress:
                progress(stream.users_done)
    return expected


def _deliver(message: dict, engine, control: FakeControl, report: LoadReport) -> None:
    """Hand one message to the engine; after a control message, sync and count."""
    is_membership = message["type"] == "audience_membership_change_request"
    advance = message.get("seconds") if message.get("action") == "advance" else None
    before = _fake_now(control) if advance else None

    answer = engine.handle(message)
    report.messages += 1
    report.suspended += bool(answer.get("suspend_subscription"))

    if advance:
        # An in-process engine shares the fake's clock and has moved it already;
        # an engine in another process has its own, so the fake's is moved here.
        moved = _fake_now(control) - before
        if moved < advance:
            control.call("POST", "/clock/advance", {"seconds": advance - moved})
    if not is_membership:
        report.graph.read_journal(_journal(control))


def _fake_now(control: FakeControl) -> float:
    return control.call("GET", "/clock")["now"]


def _journal(control: FakeControl) -> list[dict]:
    return control.call("GET", "/journal")["entries"]


def _resume_faulted(engine) -> int:
    """Resume faulted connections, as a user would, until none is left or we give up."""
    resumed = 0
    for _ in range(RESUME_ATTEMPTS):
        faulted = faulted_connections(engine)
        if not faulted:
            break
        for connection in faulted:
            engine.handle(
                {
                    "type": "fbca_control",
                    "action": "resume",
                    "audience_id": connection["audience_id"],
                }
            )
            resumed += 1
    engine.handle({"type": "fbca_control", "action": "flush"})
    return resumed


def faulted_connections(engine) -> list[dict]:
    """The engine's faulted connections: audience id and the fault that stopped it."""
    status = engine.handle({"type": "fbca_control", "action": "status"})
    return [
        {"audience_id": c["audience_id"], "fault": c.get("fault")}
        for c in status.get("connections", [])
        if c["state"] == "faulted"
    ]


def _inject_faults(control: FakeControl, rate: float) -> None:
    """Half the rate as throttling (80003), half as transient errors (code 2)."""
    if rate <= 0:
        return
    for error in ("throttled", "temporary"):
        control.call(
            "POST",
            "/faults",
            {
                "method": "*",
                "path": "/*/users",
                "error": error,
                "probability": rate / 2,
            },
        )


def _engine_client(options, app, graph_url, stats) -> httpx.Client | None:
    """The Graph client handed to an in-process engine, timed by `stats`."""
    if not is_in_process(options.engine):
        return None
    hooks = stats.timing_hooks()
    if options.server == "inproc":
        transport = httpx.WSGITransport(app=app)
        return httpx.Client(transport=transport, base_url=graph_url, event_hooks=hooks)
    return httpx.Client(base_url=graph_url, event_hooks=hooks, timeout=60.0)


class _QuietHandler(WSGIRequestHandler):
    """No access log: request lines can carry tokens."""

    def log(self, type: str, message: str, *args) -> None:
        return None


@contextmanager
def _serve(app, server: str):
    """Yield (graph_url, control client) for the fake, in process or on loopback."""
    if server == "inproc":
        transport = httpx.WSGITransport(app=app)
        with httpx.Client(transport=transport, base_url=INPROC_URL) as client:
            yield INPROC_URL, client
        return

    httpd = make_server(
        "127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_port}"
    try:
        with httpx.Client(base_url=url, timeout=60.0) as client:
            yield url, client
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
