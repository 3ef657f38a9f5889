"""Builders for mParticle audience messages used across the engine tests."""

import fnmatch
import itertools

import httpx
import pytest

from fake_graph_api import create_app
from fake_graph_api.clock import VirtualClock
from harness.engine.engine import ReferenceEngine

TOKEN = "fbca-dev-token"
AD_ACCOUNT = "act_1001"
GRAPH_URL = "http://graph.fake"


class MessageBuilder:
    """Valid mParticle messages with sensible defaults, one method per message kind."""

    def __init__(self, account_settings: dict | None = None) -> None:
        self.account_settings = {"adAccountId": AD_ACCOUNT, "accessToken": TOKEN}
        self.account_settings.update(account_settings or {})
        self._ids = itertools.count(1)

    def envelope(self, message_type: str) -> dict:
        return {
            "type": message_type,
            "id": f"msg-{next(self._ids)}",
            "timestamp_ms": 1_767_225_600_000,
            "firehose_version": "3.2.0",
            "account": {"account_id": 5150, "account_settings": self.account_settings},
        }

    def subscription(
        self, action="add", *, audience_id=7301, name="Cart Abandoners", **settings
    ) -> dict:
        return {
            **self.envelope("audience_subscription_request"),
            "audience_id": audience_id,
            "audience_name": name,
            "audience_subscription_settings": {
                "customerFileSource": "USER_PROVIDED_ONLY",
                **{key: str(value) for key, value in settings.items()},
            },
            "action": action,
        }

    def membership(self, *profiles: dict) -> dict:
        message = self.envelope("audience_membership_change_request")
        if profiles:
            message["user_profiles"] = list(profiles)
        return message

    @staticmethod
    def profile(
        *,
        mpid=None,
        email=None,
        audience_id=7301,
        action="add",
        attributes=None,
        identities=(),
        devices=(),
        name="Cart Abandoners",
    ):
        user_identities = [
            {"type": kind, "encoding": "raw", "value": value}
            for kind, value in identities
        ]
        if email is not None:
            user_identities.insert(
                0, {"type": "email", "encoding": "raw", "value": email}
            )
        profile = {
            "user_identities": user_identities,
            "device_identities": [
                {"type": kind, "encoding": "raw", "value": value}
                for kind, value in devices
            ],
            "audiences": [
                {
                    "audience_id": audience_id,
                    "audience_name": name,
                    "audience_subscription_settings": {},
                    "action": action,
                    "user_attributes": [
                        {"key": key, "value": value, "action": "upsert"}
                        for key, value in (attributes or {}).items()
                    ],
                }
            ],
        }
        if mpid is not None:
            profile["mpid"] = mpid
        return profile

    @staticmethod
    def control(action: str, **fields) -> dict:
        return {"type": "fbca_control", "action": action, **fields}


@pytest.fixture
def messages() -> MessageBuilder:
    return MessageBuilder()


def default_config(**ad_account) -> dict:
    """One ad account (with `ad_account` settings), app 4242 and the dev token."""
    return {
        "ad_accounts": [{"id": AD_ACCOUNT, **ad_account}],
        "app_ids": ["4242"],
        "tokens": [{"token": TOKEN, "ad_accounts": [AD_ACCOUNT]}],
    }


class World:
    """The fake Graph API and the reference engine in one process, on one clock."""

    def __init__(
        self, config: dict | None = None, *, wrap_transport=None, **engine_options
    ) -> None:
        self.clock = VirtualClock()
        self.app = create_app(config or default_config(), clock=self.clock)
        self.sent: list[httpx.Request] = []
        transport = httpx.WSGITransport(app=self.app)
        self.http = httpx.Client(
            transport=wrap_transport(transport) if wrap_transport else transport,
            base_url=GRAPH_URL,
            event_hooks={"request": [self._record]},
        )
        self.engine_options = engine_options
        self.engine = self.new_engine()

    def new_engine(self) -> ReferenceEngine:
        """A fresh engine on the same fake and clock: an engine restart."""
        return ReferenceEngine(
            GRAPH_URL, clock=self.clock, http=self.http, **self.engine_options
        )

    def _record(self, request: httpx.Request) -> None:
        if not request.url.path.startswith("/_fake/"):
            self.sent.append(request)

    def sent_text(self) -> str:
        """Every Graph request the engine sent: URLs, headers and bodies."""
        return "\n".join(
            f"{r.method} {r.url} {dict(r.headers)} {r.content.decode()}"
            for r in self.sent
        )

    def control(self, method: str, path: str, body: dict | None = None) -> dict:
        response = self.http.request(method, f"/_fake/{path}", json=body)
        assert response.status_code < 400, response.text
        return response.json()

    def status(self, audience_id: int = 7301) -> dict:
        answer = self.engine.handle({"type": "fbca_control", "action": "status"})
        by_id = {c["audience_id"]: c for c in answer["connections"]}
        return by_id[audience_id]

    def members(self, kind: str, audience_id: int = 7301) -> list[dict]:
        downstream = self.status(audience_id)["downstream"][kind]
        return self.control("GET", f"audiences/{downstream}/members")["members"]

    def audience(self, kind: str, audience_id: int = 7301) -> dict:
        downstream = self.status(audience_id)["downstream"][kind]
        return self.control("GET", f"audiences/{downstream}")

    def journal(self, path_glob: str = "*") -> list[dict]:
        entries = self.control("GET", "journal")["entries"]
        return [e for e in entries if fnmatch.fnmatch(e["path"], path_glob)]

    def user_calls(self) -> list[dict]:
        return self.journal("*/users")

    def live_audiences(self) -> list[dict]:
        state = self.control("GET", "state")
        return [
            audience
            for account in state["ad_accounts"]
            for audience in account["audiences"]
            if not audience["deleted"]
        ]


@pytest.fixture
def world() -> World:
    return World()


@pytest.fixture
def make_world():
    """Build a World whose ad account has settings: `make_world(audience_limit=3)`."""

    def build(*, engine_options: dict | None = None, wrap_transport=None, **ad_account):
        return World(
            default_config(**ad_account),
            wrap_transport=wrap_transport,
            **(engine_options or {}),
        )

    return build
