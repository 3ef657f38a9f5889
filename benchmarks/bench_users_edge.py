"""Benchmark of users-edge ingestion by the fake Graph API (not a test).

Sends 10,000-row `POST /{audience}/users` payloads with three hashed keys (EMAIL,
PHONE, FN; distinct people in every request) and reports rows per second, in process
(WSGI, no sockets) and over loopback HTTP to a threaded werkzeug server. Bodies are
encoded before the clock starts, so the figures measure the fake, not the client.

    python benchmarks/bench_users_edge.py [--requests 20] [--clients 1 2]
    python benchmarks/bench_users_edge.py --profile   # cProfile of the in-process run
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import os
import platform
import pstats
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

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


def rows_per_second(seconds: float, requests: int) -> float:
    return requests * ROWS_PER_REQUEST / seconds


def bench_json_parsing(bodies: list[bytes]) -> float:
    """The floor every server pays: decoding the bodies, nothing else."""
    started = time.perf_counter()
    for body in bodies:
        json.loads(body)
    return rows_per_second(time.perf_counter() - started, len(bodies))


def bench_in_process(bodies: list[bytes]) -> float:
    app = create_app(CONFIG, seed=1)
    transport = httpx.WSGITransport(app=app)
    with httpx.Client(transport=transport, base_url="http://graph.fake") as client:
        audience_id = new_audience(client)
        started = time.perf_counter()
        send_all(client, audience_id, bodies)
        return rows_per_second(time.perf_counter() - started, len(bodies))


class QuietHandler(WSGIRequestHandler):
    """No access log: it would print every URL, access token included."""

    def log_request(self, code="-", size="-") -> None:
        pass


def bench_loopback(bodies: list[bytes], clients: int) -> float:
    """Rows per second with `clients` concurrent connections, one audience each."""
    app = create_app(CONFIG, seed=1)
    server = make_server(
        "127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.server_port}"
    try:
        sessions = [httpx.Client(base_url=base_url, timeout=60) for _ in range(clients)]
        audiences = [new_audience(session) for session in sessions]
        shares = [bodies[i::clients] for i in range(clients)]
        started = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(send_all, sessions, audiences, shares))
        elapsed = time.perf_counter() - started
        for session in sessions:
            session.close()
        return rows_per_second(elapsed, len(bodies))
    finally:
        server.shutdown()
        thread.join()


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


def best_of(runs: int, measure) -> tuple[float, float]:
    """Best and median of several runs, in rows per second."""
    figures = [measure() for _ in range(runs)]
    return max(figures), statistics.median(figures)


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

    best, median = best_of(options.runs, lambda: bench_json_parsing(bodies))
    print(f"json.loads alone: best {best:,.0f} rows/s, median {median:,.0f} rows/s")
    best, median = best_of(options.runs, lambda: bench_in_process(bodies))
    print(f"in process: best {best:,.0f} rows/s, median {median:,.0f} rows/s")
    for clients in options.clients:
        best, median = best_of(
            options.runs, lambda c=clients: bench_loopback(bodies, c)
        )
        print(
            f"loopback, {clients} client(s): best {best:,.0f} rows/s, "
            f"median {median:,.0f} rows/s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
