"""Where a replay's fake Graph API lives, and how the engine and runner reach it.

Three ways, one interface (`graph_url`, `http`, `control`, `close()`):

- in process, for engines in this process: the Flask app called through httpx's
  WSGITransport, no sockets;
- in process on a loopback port, for engines in other processes (cmd:, http:);
- a live server (`--server URL`): reset and set up through the control API, and
  its clock moved whenever the replay's virtual clock moves.

The scenario's `facebook:` block is completed with the fake's defaults: the
default ad account when it names none, a full-access token on every ad account
when it names no token.
"""

from __future__ import annotations

import copy
import threading

import httpx

from fake_graph_api import create_app
from fake_graph_api.clock import VirtualClock
from fake_graph_api.config import DEFAULT_AD_ACCOUNT, DEFAULT_TOKEN, default_config
from fake_graph_api.serving import make_fake_server
from harness.scenario.fake_control import FakeControl

IN_PROCESS_URL = "http://graph.fake"


def fake_config(facebook: dict | None) -> dict:
    """The fake's starting config for a scenario's `facebook:` block."""
    config = copy.deepcopy(facebook) if facebook else {}
    defaults = default_config()
    config.setdefault("ad_accounts", defaults["ad_accounts"])
    config.setdefault("app_ids", [])
    if "tokens" not in config:
        accounts = [account["id"] for account in config["ad_accounts"]]
        config["tokens"] = [
            {"token": DEFAULT_TOKEN, "ad_accounts": accounts, "access": "full"}
        ]
    return config


def default_ad_account(config: dict) -> str:
    accounts = config.get("ad_accounts") or [{"id": DEFAULT_AD_ACCOUNT}]
    return accounts[0]["id"]


def default_token(config: dict) -> str:
    tokens = config.get("tokens") or [{"token": DEFAULT_TOKEN}]
    return tokens[0]["token"]


class FakeSite:
    """A fake Graph API for one replay; `http` is for in-process engines only."""

    def __init__(self, graph_url: str, http: httpx.Client, clock: VirtualClock):
        self.graph_url = graph_url
        self.http = http
        self.clock = clock
        self.control = FakeControl(http)
        self._server = None

    @classmethod
    def in_process(cls, config: dict, clock: VirtualClock) -> FakeSite:
        app = create_app(config, clock=clock)
        transport = httpx.WSGITransport(app=app)
        return cls(
            IN_PROCESS_URL,
            httpx.Client(transport=transport, base_url=IN_PROCESS_URL),
            clock,
        )

    @classmethod
    def on_loopback(cls, config: dict, clock: VirtualClock) -> FakeSite:
        server = make_fake_server(create_app(config, clock=clock), "127.0.0.1", 0)
        threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()
        url = f"http://127.0.0.1:{server.server_port}"
        site = cls(url, httpx.Client(base_url=url), clock)
        site._server = server
        return site

    @classmethod
    def live(cls, url: str, config: dict, clock: VirtualClock) -> FakeSite:
        url = url.rstrip("/")
        site = cls(url, httpx.Client(base_url=url, timeout=30.0), clock)
        site.control.reset()
        site.control.setup(config)
        clock.on_advance(site.control.advance_clock)
        return site

    def close(self) -> None:
        self.http.close()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
