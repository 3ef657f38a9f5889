"""pytest fixtures for testing against the fake Graph API (registered as `fbca`).

`fake_graph`: a fresh in-process app per test and an httpx client on it (no
sockets). `fake_graph_server`: one live werkzeug server per test session on a free
loopback port, in a thread, reset to its startup state before each test. Both
start with the default config: ad account act_1001 and token fbca-dev-token.
"""

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from fake_graph_api.app import FakeGraph, create_app, fake_of
from fake_graph_api.config import DEFAULT_AD_ACCOUNT, DEFAULT_TOKEN
from fake_graph_api.serving import make_fake_server


@dataclass
class InProcessGraph:
    """An app and a client that calls it in process; `fake` is its state."""

    app: object
    client: httpx.Client
    fake: FakeGraph
    ad_account: str = DEFAULT_AD_ACCOUNT
    token: str = DEFAULT_TOKEN


@dataclass
class LiveGraph:
    """A fake served over loopback HTTP at `url` (no trailing slash)."""

    url: str
    app: object
    fake: FakeGraph
    ad_account: str = DEFAULT_AD_ACCOUNT
    token: str = DEFAULT_TOKEN


@pytest.fixture
def fake_graph() -> Iterator[InProcessGraph]:
    app = create_app()
    transport = httpx.WSGITransport(app=app)
    with httpx.Client(transport=transport, base_url="http://graph.fake") as client:
        yield InProcessGraph(app=app, client=client, fake=fake_of(app))


@pytest.fixture(scope="session")
def _fake_graph_live_server() -> Iterator[LiveGraph]:
    app = create_app()
    server = make_fake_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveGraph(
            url=f"http://127.0.0.1:{server.server_port}", app=app, fake=fake_of(app)
        )
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def fake_graph_server(_fake_graph_live_server: LiveGraph) -> LiveGraph:
    _fake_graph_live_server.fake.reset()
    return _fake_graph_live_server
