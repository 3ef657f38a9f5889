"""A reproducible stream of mParticle audience messages for N users across M audiences.

`MembershipStream(plan).messages()` yields messages one at a time: subscription
requests, membership change requests (batches of user profiles) and clock-advance
control messages that make the engine's bulk timer fire. Memory stays flat however
many users: a user is kept only while one of their later events is pending, and
those are scheduled at most `plan.horizon` arrivals ahead.

Proportions (each new user; documented in docs/load.md):

- joins 1 audience, a 2nd with probability 0.3, a 3rd with 0.1, picked by
  popularity (audience k weighs 1/(k+1));
- leaves each joined audience later with probability 0.12 (a `delete`), and
  comes back (a re-`add`) with probability 0.4 after leaving;
- updates attributes later with probability 0.2 (new city, state, zip, value),
  sent as `attribute_update` to every audience they are in;
- with 3 or more audiences the last one is connected late (after 25 % of the
  users); with 4 or more, audience 3 is disconnected after 85 % of them.

Every user-audience entry of an `add` or `attribute_update` carries the user's
whole attribute set as upserts (and a `delete` for a value that went missing), so
an engine needs no memory of earlier messages to build a row.
"""

import functools
import heapq
import itertools
import json
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

from fake_graph_api.clock import DEFAULT_EPOCH
from harness.load.provider import VALUE_ATTRIBUTE, MParticleProvider, SyntheticUser

FIREHOSE_VERSION = "3.2.0"
FIRST_AUDIENCE_ID = 7301
BULK_FLUSH_SECONDS = 10_800  # the documented 3-hour bulk forwarding timer
DEFAULT_AD_ACCOUNT = "act_1001"
DEFAULT_TOKEN = "fbca-dev-token"
FACEBOOK_APP_ID = "555000111"

EXTRA_AUDIENCE_ODDS = (0.3, 0.1)
LEAVE_ODDS = 0.12
RETURN_ODDS = 0.4
UPDATE_ODDS = 0.2
LATE_CONNECT_AT = 0.25
DISCONNECT_AT = 0.85

# Connection settings cycled over the audiences: each exercises other rows.
SETTING_PROFILES: tuple[dict[str, str], ...] = (
    {},
    {
        "isAudienceValueBased": "true",
        "userAttributeRepresentingValue": VALUE_ATTRIBUTE,
        "forwardPhones": "false",
    },
    {
        "isAudienceValueBased": "true",
        "userAttributeRepresentingValue": VALUE_ATTRIBUTE,
        "allowZeroValues": "true",
        "enableMultiKeyAudience": "true",
        "forwardEmails": "false",
    },
    {
        "forwardPhones": "false",
        "forwardIdfas": "false",
        "forwardGoogleAdvertisingIds": "false",
    },
    {
        "enableMultiKeyAudience": "true",
        "matchOnUserAttributes": "true",
        "multiKeyExternalIdType": "customer",
        "facebookApplicationId": FACEBOOK_APP_ID,
    },
)


@dataclass(frozen=True)
class LoadPlan:
    """What to generate; the same plan always gives the same messages."""

    users: int
    audiences: int = 3
    seed: int = 0
    messiness: float = 0.2
    locales: tuple[str, ...] = ("en_US",)
    profiles_per_message: int = 25
    flush_every: int | None = None  # arrivals between two 3-hour clock advances
    horizon: int | None = None  # how many arrivals ahead later events may fall
    ad_account: str = DEFAULT_AD_ACCOUNT
    access_token: str = DEFAULT_TOKEN

    def __post_init__(self) -> None:
        if self.users < 1 or self.audiences < 1:
            raise ValueError(
                f"a load needs at least one user and one audience, got "
                f"users={self.users}, audiences={self.audiences}"
            )
        if not self.locales:
            raise ValueError("a load needs at least one locale, e.g. en_US")
        if not 0.0 <= self.messiness <= 1.0:
            raise ValueError(f"messiness must be between 0 and 1, got {self.messiness}")

    @property
    def advance_every(self) -> int:
        """Arrivals between clock advances: about ten flushes a run, at most 20,000."""
        return self.flush_every or max(50, min(20_000, self.users // 10))

    @property
    def event_horizon(self) -> int:
        return self.horizon or max(10, min(2_000, self.users // 5))


@dataclass(frozen=True)
class Audience:
    """One mParticle audience and its connection settings."""

    audience_id: int
    name: str
    settings: dict[str, str]
    connect_at: int  # arrival step at which it is connected
    disconnect_at: int | None  # arrival step at which it is disconnected


@dataclass
class _Member:
    user: SyntheticUser
    audiences: set[int] = field(default_factory=set)
    pending: int = 0


def audiences_of(plan: LoadPlan) -> list[Audience]:
    """The audiences of `plan`, with their settings and connection windows."""
    found = []
    for index in range(plan.audiences):
        late = plan.audiences >= 3 and index == plan.audiences - 1
        leaves = plan.audiences >= 4 and index == 2
        found.append(
            Audience(
                audience_id=FIRST_AUDIENCE_ID + index,
                name=f"Load Audience {index + 1:02d}",
                settings={
                    "customerFileSource": "USER_PROVIDED_ONLY",
                    **SETTING_PROFILES[index % len(SETTING_PROFILES)],
                },
                connect_at=int(plan.users * LATE_CONNECT_AT) if late else 0,
                disconnect_at=int(plan.users * DISCONNECT_AT) if leaves else None,
            )
        )
    return found


class MembershipStream:
    """Generates the messages of one `LoadPlan`; iterate `messages()` once."""

    def __init__(self, plan: LoadPlan) -> None:
        self.plan = plan
        self.audiences = audiences_of(plan)
        self._rng = random.Random(f"{plan.seed}:stream")
        users_rng = random.Random(f"{plan.seed}:users")
        self._providers = [
            MParticleProvider.for_locale(
                locale, messiness=plan.messiness, rng=users_rng, seed=plan.seed
            )
            for locale in plan.locales
        ]
        self.names = {a.audience_id: a.name for a in self.audiences}
        self._pending: list[tuple[int, int, str, _Member, int]] = []
        self._sequence = itertools.count()
        self._connected: dict[int, Audience] = {}
        self._elapsed_ms = 0
        self.users_done = 0

    def messages(self) -> Iterator[dict]:
        batch = _ProfileBatch(self)
        for step in range(self.plan.users):
            yield from self._milestones(step, batch)
            yield from batch.add(self._arrive(step))
            for profile in self._due(step):
                yield from batch.add(profile)
            yield from batch.full()
            self.users_done = step + 1
        for profile in self._due(None):
            yield from batch.add(profile)
        yield from batch.drain()
        yield self._control("advance", seconds=BULK_FLUSH_SECONDS)
        yield self._control("flush")

    # milestones: connections and clock

    def _milestones(self, step: int, batch: "_ProfileBatch") -> Iterator[dict]:
        if step and step % self.plan.advance_every == 0:
            yield from batch.drain()
            yield self._control("advance", seconds=BULK_FLUSH_SECONDS)
        for audience in self.audiences:
            if audience.connect_at == step:
                yield from batch.drain()
                self._connected[audience.audience_id] = audience
                yield self._subscription(audience, "add")
            if audience.disconnect_at == step:
                yield from batch.drain()
                del self._connected[audience.audience_id]
                yield self._subscription(audience, "remove")

    # users

    def _arrive(self, step: int) -> dict:
        provider = self._providers[step % len(self._providers)]
        member = _Member(provider.mparticle_user(step))
        joined = self._pick_audiences()
        member.audiences.update(joined)
        for audience_id in joined:
            if self._rng.random() < LEAVE_ODDS:
                self._schedule(step, "leave", member, audience_id)
        if self._rng.random() < UPDATE_ODDS:
            self._schedule(step, "update", member, 0)
        return _profile(member.user, [(a, "add") for a in sorted(joined)], self)

    def _pick_audiences(self) -> set[int]:
        open_ids = list(self._connected)
        if not open_ids:
            return set()
        weights = _popularity(len(open_ids))
        wanted = 1 + sum(self._rng.random() < odds for odds in EXTRA_AUDIENCE_ODDS)
        picked = set()
        for _ in range(min(wanted, len(open_ids))):
            picked.add(self._rng.choices(open_ids, cum_weights=weights)[0])
        return picked

    def _schedule(
        self, step: int, kind: str, member: _Member, audience_id: int
    ) -> None:
        due = step + 1 + int(self._rng.random() * self.plan.event_horizon)
        member.pending += 1
        heapq.heappush(
            self._pending, (due, next(self._sequence), kind, member, audience_id)
        )

    def _due(self, step: int | None) -> Iterator[dict]:
        while self._pending and (step is None or self._pending[0][0] <= step):
            due, _, kind, member, audience_id = heapq.heappop(self._pending)
            member.pending -= 1
            profile = self._fire(due, kind, member, audience_id)
            if profile is not None:
                yield profile

    def _fire(self, due: int, kind: str, member: _Member, audience_id: int):
        member.audiences &= set(self._connected)
        if kind == "update":
            provider = self._providers[member.user.serial % len(self._providers)]
            member.user = provider.update_attributes(member.user)
            entries = [(a, "attribute_update") for a in sorted(member.audiences)]
            return _profile(member.user, entries, self) if entries else None
        if audience_id not in member.audiences and kind == "leave":
            return None
        if kind == "leave":
            member.audiences.discard(audience_id)
            if self._rng.random() < RETURN_ODDS:
                self._schedule(due, "return", member, audience_id)
            return _profile(member.user, [(audience_id, "delete")], self)
        if audience_id not in self._connected:
            return None
        member.audiences.add(audience_id)
        return _profile(member.user, [(audience_id, "add")], self)

    # messages

    def envelope(self, message_type: str) -> dict:
        self._elapsed_ms += 1
        return {
            "type": message_type,
            "id": str(uuid.UUID(int=self._rng.getrandbits(128), version=4)),
            "timestamp_ms": int(DEFAULT_EPOCH * 1000) + self._elapsed_ms,
            "firehose_version": FIREHOSE_VERSION,
            "account": {
                "account_id": 5150,
                "account_settings": {
                    "adAccountId": self.plan.ad_account,
                    "accessToken": self.plan.access_token,
                },
            },
        }

    def _subscription(self, audience: Audience, action: str) -> dict:
        return {
            **self.envelope("audience_subscription_request"),
            "audience_id": audience.audience_id,
            "audience_name": audience.name,
            "audience_subscription_settings": dict(audience.settings),
            "action": action,
        }

    def _control(self, action: str, **fields) -> dict:
        if action == "advance":
            self._elapsed_ms += fields["seconds"] * 1000
        return {"type": "fbca_control", "action": action, **fields}


@functools.cache
def _popularity(count: int) -> tuple[float, ...]:
    """Cumulative weights of `count` audiences; audience k weighs 1/(k+1)."""
    return tuple(itertools.accumulate(1 / (rank + 1) for rank in range(count)))


class _ProfileBatch:
    """Collects profiles into membership messages; one user at most once a message."""

    def __init__(self, stream: MembershipStream) -> None:
        self._stream = stream
        self._profiles: list[dict] = []
        self._mpids: set[str] = set()

    def add(self, profile: dict) -> Iterator[dict]:
        if profile["mpid"] in self._mpids:
            yield from self.drain()
        self._profiles.append(profile)
        self._mpids.add(profile["mpid"])

    def full(self) -> Iterator[dict]:
        if len(self._profiles) >= self._stream.plan.profiles_per_message:
            yield from self.drain()

    def drain(self) -> Iterator[dict]:
        if not self._profiles:
            return
        message = self._stream.envelope("audience_membership_change_request")
        message["user_profiles"] = self._profiles
        self._profiles, self._mpids = [], set()
        yield message


def _profile(user: SyntheticUser, entries, stream: MembershipStream) -> dict:
    names = stream.names
    return {
        "mpid": user.mpid,
        "user_identities": [
            {"type": kind, "encoding": "raw", "value": value}
            for kind, value in user.user_identities
        ],
        "device_identities": [
            {"type": kind, "encoding": "raw", "value": value}
            for kind, value in user.device_identities
        ],
        "audiences": [
            _audience_entry(user, audience_id, names[audience_id], action)
            for audience_id, action in entries
        ],
    }


def _audience_entry(user: SyntheticUser, audience_id: int, name: str, action: str):
    entry = {"audience_id": audience_id, "audience_name": name, "action": action}
    if action == "delete":
        return entry
    attributes = [
        {"key": key, "value": value, "action": "upsert"}
        for key, value in user.attributes
    ]
    if VALUE_ATTRIBUTE not in dict(user.attributes):
        attributes.append({"key": VALUE_ATTRIBUTE, "action": "delete"})
    entry["user_attributes"] = attributes
    return entry


def write_jsonl_line(out, message: dict) -> None:
    """Write one message as a compact JSON line (UTF-8 text kept as is)."""
    out.write(json.dumps(message, ensure_ascii=False, separators=(",", ":")))
    out.write("\n")


def write_jsonl(messages, path) -> int:
    """Write `messages` as JSON lines to `path`; return how many were written."""
    count = 0
    with open(path, "w", encoding="utf-8") as out:
        for message in messages:
            write_jsonl_line(out, message)
            count += 1
    return count
