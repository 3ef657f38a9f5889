"""Build the mParticle messages a scenario's steps stand for (docs/engine-protocol.md).

`MessageBuilder` turns subscriptions, membership changes and control actions into
Firehose audience messages (mparticle.md section 5): every setting a string,
camelCase; identities by the protocol's type names; ids and timestamps derived from
the scenario and its virtual clock, so a replay sends the same bytes every time.
Account-level settings go into `account.account_settings` of every message, the
connection settings into `audience_subscription_settings`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from harness.engine.settings import settings_from_names
from harness.scenario.model import Profile

FIREHOSE_VERSION = "3.2.0"
CONTROL = "fbca_control"
# mParticle's Configuration settings (mparticle.md 1.1) plus where the fake lives.
ACCOUNT_SETTING_NAMES = frozenset(
    {"ad_account_id", "access_token", "graph_base_url", "graph_api_version"}
)
_NAMESPACE = uuid.UUID("6f1c0b7e-2d4a-4c5e-9a53-4b1d8f0e7a21")


def split_settings(values: dict) -> tuple[dict[str, str], dict[str, str]]:
    """snake_case scenario settings -> (account settings, subscription settings)."""
    account = {k: v for k, v in values.items() if k in ACCOUNT_SETTING_NAMES}
    connection = {k: v for k, v in values.items() if k not in ACCOUNT_SETTING_NAMES}
    return settings_from_names(account), settings_from_names(connection)


@dataclass
class AudienceChange:
    """One audience entry of a user profile in a membership change request."""

    audience_id: int
    name: str | None
    settings: dict[str, str]
    action: str
    attributes: list[dict] = field(default_factory=list)


class MessageBuilder:
    """Messages for one replay: one account, deterministic ids, the replay's clock."""

    def __init__(self, *, account_id: int, account_settings: dict, clock, seed: str):
        self.account = {"account_id": account_id, "account_settings": account_settings}
        self.clock = clock
        self.seed = seed
        self.sent = 0

    def envelope(self, message_type: str) -> dict:
        self.sent += 1
        return {
            "type": message_type,
            "id": str(uuid.uuid5(_NAMESPACE, f"{self.seed}#{self.sent}")),
            "timestamp_ms": int(self.clock.now() * 1000),
            "firehose_version": FIREHOSE_VERSION,
        }

    def subscription(
        self,
        action: str,
        *,
        audience_id: int,
        name: str,
        settings: dict[str, str],
        description: str | None = None,
        previous: dict[str, str] | None = None,
    ) -> dict:
        message = self.envelope("audience_subscription_request")
        message.update(
            account=self.account,
            audience_id=audience_id,
            audience_name=name,
            audience_subscription_settings=dict(settings),
            action=action,
        )
        if description is not None:
            message["audience_description"] = description
        if previous is not None:
            message["previous_audience_subscription_settings"] = dict(previous)
        return message

    def membership(self, users: Iterable[tuple[Profile, list[AudienceChange]]]) -> dict:
        message = self.envelope("audience_membership_change_request")
        message["account"] = self.account
        message["user_profiles"] = [
            user_profile(profile, changes) for profile, changes in users
        ]
        return message

    def keepalive(self) -> dict:
        message = self.envelope("audience_membership_change_request")
        message["account"] = self.account
        return message

    def control(self, action: str, **fields) -> dict:
        return {"type": CONTROL, "action": action, **fields}


def user_profile(profile: Profile, changes: list[AudienceChange]) -> dict:
    """The `user_profiles` item for `profile` taking part in `changes`."""
    result: dict = {}
    if profile.mpid is not None:
        result["mpid"] = profile.mpid
    result["user_identities"] = [
        _identity(i) for i in profile.identities if not i.device
    ]
    result["device_identities"] = [_identity(i) for i in profile.identities if i.device]
    result["audiences"] = [_audience(change) for change in changes]
    return result


def _identity(identity) -> dict:
    return {
        "type": identity.type,
        "encoding": identity.encoding,
        "value": identity.value,
    }


def _audience(change: AudienceChange) -> dict:
    entry = {"audience_id": change.audience_id}
    if change.name is not None:
        entry["audience_name"] = change.name
    entry["audience_subscription_settings"] = dict(change.settings)
    entry["action"] = change.action
    if change.attributes:
        entry["user_attributes"] = list(change.attributes)
    return entry


def attribute_upserts(attributes: dict) -> list[dict]:
    """`user_attributes` entries setting each attribute, the protocol's way."""
    return [_upsert(key, value) for key, value in attributes.items()]


def attribute_deletes(keys: Iterable[str]) -> list[dict]:
    return [{"key": key, "value": None, "action": "delete"} for key in keys]


def _upsert(key: str, value) -> dict:
    if isinstance(value, list):
        return {"key": key, "list_value": [_text(v) for v in value], "action": "upsert"}
    return {
        "key": key,
        "value": None if value is None else _text(value),
        "action": "upsert",
    }


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
