"""Replay one scenario's steps into an engine wired to a fake, checking as it goes.

`Replay.run()` sends each step's messages to the engine adapter, applies fault
and out-of-band steps to the fake through its control API, checks checkpoints
and the final `expect`, and returns the problems found. It keeps what mParticle
would keep between messages: each subscription's name and settings (including
the values the engine asked to store) and each profile's current attributes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from harness.adapters import EngineAdapter
from harness.scenario import model
from harness.scenario.diagnosis import Diagnoser, raw_inputs
from harness.scenario.expectations import check_expectation
from harness.scenario.fake_site import (
    FakeSite,
    default_ad_account,
    default_token,
    fake_config,
)
from harness.scenario.messages import (
    AudienceChange,
    MessageBuilder,
    attribute_deletes,
    attribute_upserts,
    split_settings,
)
from harness.scenario.problems import Problem
from harness.scenario.snapshot import FakeSnapshot

FLAGGED_STATUS = 471


class StepFailed(Exception):
    """A step could not be carried out because of what the engine did (or not)."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.problem = Problem(message, line)


@dataclass
class Subscription:
    """What mParticle holds about one connected audience between messages."""

    name: str
    settings: dict[str, str]
    description: str | None = None
    active: bool = True


@dataclass
class Replay:
    """One scenario replayed into one engine and one fake; `run()` does it all."""

    scenario: model.Scenario
    engine: EngineAdapter
    site: FakeSite
    account_id: int = 5150
    subscriptions: dict[int, Subscription] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        config = fake_config(self.scenario.facebook)
        connection = dict(self.scenario.connection)
        connection.setdefault("ad_account_id", default_ad_account(config))
        connection.setdefault("access_token", default_token(config))
        connection["graph_base_url"] = self.site.graph_url
        self.ad_account = connection["ad_account_id"]
        self.token = connection["access_token"]
        account, self.connection_settings = split_settings(connection)
        self.messages = MessageBuilder(
            account_id=self.account_id,
            account_settings=account,
            clock=self.site.clock,
            seed=self.scenario.title,
        )
        self.attributes = {
            name: dict(profile.attributes)
            for name, profile in self.scenario.profiles.items()
        }
        self.diagnoser = Diagnoser(raw_inputs(self.scenario))

    def run(self) -> list[Problem]:
        """Every step, then the final expect; problems found, in order."""
        if getattr(self.engine, "long_lived", False):
            self.send(self.messages.control("reset"))
        try:
            for step in self.scenario.steps:
                getattr(self, "_" + type(step).__name__.lower())(step)
        except StepFailed as failure:
            self.problems.append(failure.problem)
            return self.problems
        self.check(self.scenario.expect, final=True)
        return self.problems

    def send(self, message: dict) -> dict:
        return self.engine.handle(message)

    def check(self, expect: model.Expectation, *, final: bool) -> None:
        snapshot = FakeSnapshot(
            self.site.control,
            ad_account=self.ad_account,
            connections=self.connections,
        )
        subscribed = [aid for aid, sub in self.subscriptions.items() if sub.active]
        self.problems += check_expectation(
            expect,
            snapshot,
            diagnoser=self.diagnoser,
            subscribed=subscribed,
            final=final,
        )

    def connections(self) -> list[dict]:
        answer = self.send(self.messages.control("status"))
        return answer.get("connections") or []

    # Subscriptions.

    def _subscribe(self, step: model.Subscribe) -> None:
        settings = {**self.connection_settings, **split_settings(step.settings)[1]}
        subscription = Subscription(step.name, settings, step.description)
        self.subscriptions[step.audience] = subscription
        self._subscription_message("add", step.audience, subscription)

    def _update(self, step: model.Update) -> None:
        subscription = self._subscription(step.audience, step.line)
        previous = dict(subscription.settings)
        subscription.settings.update(split_settings(step.settings)[1])
        subscription.name = step.name or subscription.name
        if step.description is not None:
            subscription.description = step.description
        self._subscription_message("update", step.audience, subscription, previous)

    def _unsubscribe(self, step: model.Unsubscribe) -> None:
        subscription = self._subscription(step.audience, step.line)
        self._subscription_message("remove", step.audience, subscription)
        subscription.active = False

    def _subscription(self, audience_id: int, line: int | None) -> Subscription:
        if audience_id not in self.subscriptions:
            raise StepFailed(f"audience {audience_id} was never subscribed", line)
        return self.subscriptions[audience_id]

    def _subscription_message(self, action, audience_id, subscription, previous=None):
        message = self.messages.subscription(
            action,
            audience_id=audience_id,
            name=subscription.name,
            settings=subscription.settings,
            description=subscription.description,
            previous=previous,
        )
        stored = self.send(message).get("audience_subscription_settings") or {}
        subscription.settings.update({k: str(v) for k, v in stored.items()})

    # Membership.

    def _membership(self, step: model.Membership) -> None:
        batch = step.batch or len(step.users)
        for start in range(0, len(step.users), batch):
            users = step.users[start : start + batch]
            self.send(
                self.messages.membership(
                    (user, self._changes(step.audiences, user, step.action))
                    for user in users
                )
            )

    def _attributes(self, step: model.Attributes) -> None:
        entries = attribute_upserts(step.set) + attribute_deletes(step.delete)
        for user in step.users:
            current = self.attributes.setdefault(user.name, dict(user.attributes))
            current.update(step.set)
            for key in step.delete:
                current.pop(key, None)
        self.send(
            self.messages.membership(
                (user, self._changes(step.audiences, user, "attribute_update", entries))
                for user in step.users
            )
        )

    def _changes(
        self, audience_ids, user, action, entries=None
    ) -> list[AudienceChange]:
        if entries is None and action == "add":
            entries = attribute_upserts(self.attributes.get(user.name, user.attributes))
        changes = []
        for audience_id in audience_ids:
            subscription = self.subscriptions.get(audience_id)
            changes.append(
                AudienceChange(
                    audience_id=audience_id,
                    name=subscription.name if subscription else None,
                    settings=dict(subscription.settings) if subscription else {},
                    action=action,
                    attributes=list(entries or ()),
                )
            )
        return changes

    # Time and control.

    def _advance(self, step: model.Advance) -> None:
        clock = self.site.clock
        if not self.engine.in_process:
            clock.advance(step.seconds)
            self.send(self.messages.control("advance", seconds=step.seconds))
            return
        before = clock.now()
        self.send(self.messages.control("advance", seconds=step.seconds))
        behind = step.seconds - (clock.now() - before)
        if behind > 0:
            clock.advance(behind)

    def _flush(self, step: model.Flush) -> None:
        self.send(self.messages.control("flush"))

    def _keepalive(self, step: model.Keepalive) -> None:
        self.send(self.messages.keepalive())

    def _resume(self, step: model.Resume) -> None:
        fields = {} if step.audience is None else {"audience_id": step.audience}
        self.send(self.messages.control("resume", **fields))

    def _checkpoint(self, step: model.Checkpoint) -> None:
        self.check(step.expect, final=False)

    # The fake.

    def _fault(self, step: model.Fault) -> None:
        if step.rule is None:
            self.site.control.clear_faults()
        else:
            self.site.control.add_fault(step.rule)

    def _facebookchange(self, step: model.FacebookChange) -> None:
        for key, value in step.changes:
            getattr(self, "_fb_" + key)(value, step.line)

    def _audience_id(self, name: str, line: int | None) -> str:
        snapshot = FakeSnapshot(
            self.site.control, ad_account=self.ad_account, connections=list
        )
        found = snapshot.live(name)
        if not found:
            names = ", ".join(repr(n) for n in snapshot.live_names()) or "none"
            raise StepFailed(
                f"no audience named {name!r} to change; audiences: {names}", line
            )
        return str(found[0]["id"])

    def _fb_delete_audience(self, name: str, line) -> None:
        self.site.control.delete_audience(self._audience_id(name, line))

    def _fb_flag_audience(self, name: str, line) -> None:
        audience_id = self._audience_id(name, line)
        self.site.control.change_audience(
            audience_id, {"operation_status": FLAGGED_STATUS}
        )

    def _fb_update_audience(self, fields: dict, line) -> None:
        changes = {k: v for k, v in fields.items() if k != "name"}
        self.site.control.change_audience(
            self._audience_id(fields["name"], line), changes
        )

    def _fb_create_audience(self, fields: dict, line) -> None:
        self.site.control.create_audience({"ad_account": self.ad_account, **fields})

    def _fb_expire_token(self, value, line) -> None:
        self.site.control.upsert_token({"token": self.token, "expired": True})

    def _fb_token(self, fields: dict, line) -> None:
        self.site.control.upsert_token({"token": self.token, **fields})

    def _fb_revoke_terms(self, value, line) -> None:
        self.site.control.change_ad_account(self.ad_account, {"tos_accepted": False})

    def _fb_accept_terms(self, value, line) -> None:
        self.site.control.change_ad_account(self.ad_account, {"tos_accepted": True})

    def _fb_ad_account(self, fields: dict, line) -> None:
        account = fields.get("id", self.ad_account)
        changes = {k: v for k, v in fields.items() if k != "id"}
        self.site.control.change_ad_account(account, changes)
