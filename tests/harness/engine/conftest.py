"""Builders for mParticle audience messages used across the engine tests."""

import itertools

import pytest

TOKEN = "fbca-dev-token"
AD_ACCOUNT = "act_1001"


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
