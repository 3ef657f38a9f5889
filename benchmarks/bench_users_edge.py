"""Benchmark of users-edge ingestion by the fake Graph API (not a test).

Sends 10,000-row `POST /{audience}/users` payloads with three hashed keys (EMAIL,
PHONE, FN; distinct people in every request) and reports rows per second, in process
(WSGI, no sockets) and over loopback HTTP to a threaded werkzeug server in another
process. Bodies are encoded before the clock starts, so the figures measure the fake,
not the client.

    python benchmarks/bench_users_edge.py [--requests 20] [--clients 1 2]
    python benchmarks/bench_users_edge.py --profile   # cProfile of the in-process run
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import multiprocessing
import os
import platform
import pstats
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx
from werkzeug.serving import WSGIRequestHandler, make_server

from fake_graph_api import create_app

AD_ACCOUNT = "act_1001"
TOKEN = "bench-token"
ROWS_PER_REQUEST = 10_000
SCHEMA = ["EMAIL", "PHONE", "FN"]
CONFIG = {
    "ad_accounts": [{"id": AD_ACCOUNT, "tos_accepted": True, "calls_per_hour": 10**9}],
    "app_ids": [],
    "tokens": [{"token": TOKEN, "ad_accounts": [AD_ACCOUNT], "access": "full"}],
}


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def users_body(request_number: int) -> bytes:
    """A JSON users payload of 10,000 distinct people, three hashed keys each."""
    rows = []
    for person in range(ROWS_PER_REQUEST):
        tag = f"{request_number}-{person}"
        rows.append(
            [
                sha256_hex(f"person{tag}@example.com"),
                sha256_hex(f"1555{request_number:03d}{person:05d}"),
                sha256_hex(f"name{tag}"),
            ]
        )
    return json.dumps({"payload": {"schema": SCHEMA, "data": rows}}).encode()


def new_audience(client: httpx.Client) -> str:
    answer = client.post(
        f"/v19.0/{AD_ACCOUNT}/customaudiences",
        params={"access_token": TOKEN},
        data={
            "name": "bench",
            "subtype": "CUSTOM",
            "customer_file_source": "USER_PROVIDED_ONLY",
        },
    )
    answer.raise_for_status()
    return answer.json()["id"]


def send_all(client: httpx.Client, audience_id: str, bodies: list[bytes]) -> None:
    for body in bodies:
        answer = client.post(
            f"/v19.0/{audience_id}/users",
            params={"access_token": TOKEN},
            content=body,
            headers={"Content-Type": "application/json"},
        )
        if answer.status_code != 200 or answer.json()["num_received"] != 10_000:
            raise SystemExit(f"users call failed: {answer.status_code} {answer.text}")


@dataclass
class Run:
    """One measured run: wall-clock rows/s, and rows/s per CPU second of the fake."""

    wall: float
    cpu: float


def run_of(requests: int, wall_seconds: float, cpu_seconds: float) -> Run:
    rows = requests * ROWS_PER_REQUEST
    return Run(wall=rows / wall_seconds, cpu=rows / cpu_seconds)


def bench_json_parsing(bodies: list[bytes]) -> Run:
    """The floor every server pays: decoding the bodies, nothing else."""
    wall, cpu = time.perf_counter(), time.process_time()
    for body in bodies:
        json.loads(body)
    return run_of(len(bodies), time.perf_counter() - wall, time.process_time() - cpu)


def bench_in_process(bodies: list[bytes]) -> Run:
    app = create_app(CONFIG, seed=1)
    transport = httpx.WSGITransport(app=app)
    with httpx.Client(transport=transport, base_url="http://graph.fake") as client:
        audience_id = new_audience(client)
        wall, cpu = time.perf_counter(), time.process_time()
        send_all(client, audience_id, bodies)
        cpu = time.process_time() - cpu
        return run_of(len(bodies), time.perf_counter() - wall, cpu)


class QuietHandler(WSGIRequestHandler):
    """No access log: it would print every URL, access token included."""

    def log_request(self, code="-", size="-") -> None:
        pass


def serve(ports: multiprocessing.Queue) -> None:
    """The server process: a threaded werkzeug server, as `fbca serve` runs one."""
    app = create_app(CONFIG, seed=1)
    server = make_server(
        "127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler
    )
    ports.put(server.server_port)
    server.serve_forever()


def cpu_seconds_of(pid: int) -> float:
    """User plus system CPU time of a process and all its threads (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bench_loopback(bodies: list[bytes], clients: int) -> Run:
    """Rows/s with `clients` concurrent connections, one audience each.

    The server runs in its own process, so the client's work does not share its GIL;
    the CPU figure counts the server process only.
    """
    ports = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(ports,), daemon=True)
    server.start()
    base_url = f"http://127.0.0.1:{ports.get(timeout=60)}"
    try:
        sessions = [httpx.Client(base_url=base_url, timeout=60) for _ in range(clients)]
        audiences = [new_audience(session) for session in sessions]
        shares = [bodies[i::clients] for i in range(clients)]
        wall, cpu = time.perf_counter(), cpu_seconds_of(server.pid)
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(send_all, sessions, audiences, shares))
        cpu = cpu_seconds_of(server.pid) - cpu
        wall = time.perf_counter() - wall
        for session in sessions:
            session.close()
        return run_of(len(bodies), wall, cpu)
    finally:
        server.terminate()
        server.join()


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as info:
            names = [
                line.split(":", 1)[1].strip() for line in info if "model name" in line
            ]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}"


def report(label: str, runs: list[Run]) -> None:
    """Best and median of several runs, wall clock and per CPU second."""
    walls, cpus = [run.wall for run in runs], [run.cpu for run in runs]
    print(
        f"{label}: wall best {max(walls):,.0f} rows/s (median "
        f"{statistics.median(walls):,.0f}); per CPU second best {max(cpus):,.0f} "
        f"rows/s (median {statistics.median(cpus):,.0f})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--profile", action="store_true")
    options = parser.parse_args(argv)

    bodies = [users_body(number) for number in range(options.requests)]
    megabytes = sum(map(len, bodies)) / len(bodies) / 1e6
    print(f"machine: {machine()}")
    print(f"payload: {ROWS_PER_REQUEST} rows x 3 hashed keys, {megabytes:.2f} MB")
    if options.profile:
        profiler = cProfile.Profile()
        profiler.runcall(bench_in_process, bodies)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        return 0

    runs = range(options.runs)
    report("json.loads alone", [bench_json_parsing(bodies) for _ in runs])
    report("in process", [bench_in_process(bodies) for _ in runs])
    for clients in options.clients:
        measured = [bench_loopback(bodies, clients) for _ in runs]
        report(f"loopback, {clients} client(s)", measured)
    return 0


if __name__ == "__main__":
    sys.exit(main())
