"""Many threads over loopback HTTP end with exactly the state a sequential model gives.

Two designs. Commuting operations: overlapping adds (a union) and each thread's
add-then-remove of its own people, so every interleaving ends in one known state;
the journal must also hold every call exactly once. Conflicting operations: threads
add and remove the same people in phases separated by a barrier; inside a phase each
person is only added or only removed (by several threads at once), so the sequential
model of the phases predicts the final members.
"""

from __future__ import annotations

import hashlib
import json
import random
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

pytestmark = pytest.mark.slow

ACCOUNT = "act_1001"
TOKEN = "threads-token"
SETUP = {
    "ad_accounts": [{"id": ACCOUNT, "tos_accepted": True, "calls_per_hour": 100_000}],
    "tokens": [{"token": TOKEN, "ad_accounts": [ACCOUNT], "access": "full"}],
}
THREADS = 8


def email_hash(person: str) -> str:
    return hashlib.sha256(f"{person}@example.com".encode()).hexdigest()


@pytest.fixture
def base_url(fake_graph_server) -> str:
    httpx.post(f"{fake_graph_server.url}/_fake/setup", json=SETUP).raise_for_status()
    return fake_graph_server.url


def create_audience(base_url: str) -> str:
    answer = httpx.post(
        f"{base_url}/v19.0/{ACCOUNT}/customaudiences",
        params={"access_token": TOKEN},
        data={
            "name": "threads",
            "subtype": "CUSTOM",
            "customer_file_source": "BOTH_USER_AND_PARTNER_PROVIDED",
        },
    )
    return answer.raise_for_status().json()["id"]


def change_users(client: httpx.Client, audience_id: str, kind: str, hashes: list[str]):
    """Add, or remove in one of the two ways clients do (DELETE query, POST method)."""
    if not hashes:
        return
    payload = json.dumps({"schema": "EMAIL_SHA256", "data": hashes})
    path = f"/v19.0/{audience_id}/users"
    if kind == "add":
        answer = client.post(path, data={"payload": payload, "access_token": TOKEN})
    elif kind == "delete-query":
        answer = client.delete(path, params={"payload": payload, "access_token": TOKEN})
    else:
        fields = {"payload": payload, "method": "DELETE", "access_token": TOKEN}
        answer = client.post(path, data=fields)
    assert answer.status_code == 200, answer.text
    assert answer.json()["num_received"] == len(hashes)


def member_hashes(base_url: str, audience_id: str) -> set[str]:
    answer = httpx.get(f"{base_url}/_fake/audiences/{audience_id}/members")
    return {member["EMAIL"] for member in answer.raise_for_status().json()["members"]}


def journalled_users_calls(base_url: str, audience_id: str) -> list[int]:
    """Statuses of the users-edge calls the journal recorded for one audience."""
    answer = httpx.get(f"{base_url}/_fake/journal", params={"limit": 10_000})
    entries = answer.raise_for_status().json()["entries"]
    return [
        entry["status"]
        for entry in entries
        if entry["audience_id"] == audience_id and entry["path"].endswith("/users")
    ]


def run_threads(base_url: str, work) -> None:
    """Run `work(client, thread_number)` on THREADS threads released together."""
    start = threading.Barrier(THREADS)

    def thread_body(number: int) -> None:
        with httpx.Client(base_url=base_url, timeout=30) as client:
            start.wait()
            work(client, number)

    with ThreadPoolExecutor(THREADS) as pool:
        for future in [pool.submit(thread_body, n) for n in range(THREADS)]:
            future.result()


def test_commuting_adds_and_removes_end_in_the_predicted_state(base_url):
    audience_id = create_audience(base_url)
    shared = [email_hash(f"shared{n}") for n in range(40)]
    own = {t: [email_hash(f"t{t}-{n}") for n in range(50)] for t in range(THREADS)}

    def work(client: httpx.Client, number: int) -> None:
        order = random.Random(number).sample(shared, len(shared))
        for batch in range(5):
            change_users(client, audience_id, "add", own[number][batch * 10 :][:10])
            change_users(client, audience_id, "add", order[batch * 8 :][:8])
        kind = "delete-query" if number % 2 else "post-method-delete"
        change_users(client, audience_id, kind, own[number][:20])

    run_threads(base_url, work)

    kept = {h for hashes in own.values() for h in hashes[20:]}
    assert member_hashes(base_url, audience_id) == set(shared) | kept
    assert journalled_users_calls(base_url, audience_id) == [200] * (THREADS * 11)


def test_overlapping_removals_leave_exactly_the_untouched_people(base_url):
    audience_id = create_audience(base_url)
    everyone = [email_hash(f"p{n}") for n in range(400)]
    with httpx.Client(base_url=base_url) as client:
        change_users(client, audience_id, "add", everyone)
    doomed = {t: random.Random(t).sample(everyone, 60) for t in range(THREADS)}

    def work(client: httpx.Client, number: int) -> None:
        for start in range(0, 60, 15):
            change_users(
                client, audience_id, "delete-query", doomed[number][start : start + 15]
            )

    run_threads(base_url, work)

    removed = {h for hashes in doomed.values() for h in hashes}
    assert member_hashes(base_url, audience_id) == set(everyone) - removed


def phase_plans(people: list[str], phase: int) -> tuple[dict, dict]:
    """Per thread, the people it adds and removes in one phase. Every person gets one
    kind per phase (add or remove) and is touched by several threads."""
    chooser = random.Random(phase)
    kind_of = {person: chooser.choice(["add", "remove"]) for person in people}
    adds, removes = {}, {}
    for thread in range(THREADS):
        touched = random.Random(f"{phase}-{thread}").sample(people, len(people) // 2)
        adds[thread] = [p for p in touched if kind_of[p] == "add"]
        removes[thread] = [p for p in touched if kind_of[p] == "remove"]
    return adds, removes


def test_phased_conflicting_changes_match_the_sequential_model(base_url):
    audience_id = create_audience(base_url)
    people = [email_hash(f"contested{n}") for n in range(60)]
    phases = [phase_plans(people, phase) for phase in range(4)]
    barrier = threading.Barrier(THREADS)

    def work(client: httpx.Client, number: int) -> None:
        for adds, removes in phases:
            kind = "delete-query" if number % 2 else "post-method-delete"
            for batch in range(0, len(people), 10):
                change_users(client, audience_id, "add", adds[number][batch:][:10])
                change_users(client, audience_id, kind, removes[number][batch:][:10])
            barrier.wait()

    run_threads(base_url, work)

    model: set[str] = set()
    for adds, removes in phases:
        model |= {p for hashes in adds.values() for p in hashes}
        model -= {p for hashes in removes.values() for p in hashes}
    assert 0 < len(model) < len(people)
    assert member_hashes(base_url, audience_id) == model
