import logging

from harness.load.graph_stats import GraphStats
from harness.load.runner import LoadOptions, run_load
from harness.load.stream import LoadPlan


def entry(seq, *, status=200, rows=10, path="/v19.0/1/users", fault=None, ms=1.0):
    return {
        "seq": seq,
        "status": status,
        "rows": rows,
        "path": path,
        "fault": fault,
        "duration_ms": ms,
    }


def test_rows_count_only_accepted_users_calls():
    stats = GraphStats()

    stats.read_journal(
        [
            entry(1),
            entry(2, status=400, fault="fault-1"),
            entry(3, path="/v19.0/act_1/customaudiences", rows=0),
        ]
    )

    assert (stats.requests, stats.rows, stats.failed, stats.faults_injected) == (
        3,
        10,
        1,
        1,
    )


def test_entries_are_counted_once_across_reads():
    stats = GraphStats()

    stats.read_journal([entry(1), entry(2)])
    stats.read_journal([entry(2), entry(3)])

    assert (stats.requests, stats.unseen) == (3, 0)


def test_entries_that_fell_off_the_journal_are_reported_unseen():
    stats = GraphStats()

    stats.read_journal([entry(1)])
    stats.read_journal([entry(5), entry(6)])

    assert (stats.requests, stats.unseen) == (3, 3)


def test_latency_percentiles_prefer_the_engine_client():
    stats = GraphStats()
    stats.read_journal([entry(n, ms=100.0) for n in range(1, 5)])
    stats.client_latencies.extend(float(ms) for ms in range(1, 101))

    latency = stats.latency()

    assert latency["measured_at"] == "engine client"
    assert (latency["p50_ms"], latency["p95_ms"], latency["max_ms"]) == (51, 95, 100)


def test_the_fake_journal_stays_within_its_bound_under_load(caplog):
    caplog.set_level(logging.ERROR, logger="harness.engine")
    plan = LoadPlan(users=300, audiences=1, seed=2)

    report = run_load(LoadOptions(plan, journal_size=3))

    assert report.journal_bounded and report.journal_entries == 3
    assert report.graph.unseen > 0
    assert report.ok
