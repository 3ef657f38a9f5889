"""Engines that lose or corrupt data, to prove the load check notices.

Each wraps the reference engine and tampers with membership messages on the way
in: `dropping` forgets every 7th user profile, `corrupting` changes one letter of
every 5th email before the engine hashes it, `bad_token` swaps the access token
so every upload is refused.
"""

import copy
import itertools

from harness.engine import ReferenceEngine


class TamperingEngine:
    def __init__(self, tamper, *, graph_url, clock, http):
        self.engine = ReferenceEngine(graph_url, clock=clock, http=http)
        self.tamper = tamper

    def handle(self, message: dict) -> dict:
        if message["type"] == "audience_membership_change_request":
            message = copy.deepcopy(message)
            self.tamper(message)
        return self.engine.handle(message)


def dropping(**wiring) -> TamperingEngine:
    counter = itertools.count(1)

    def drop(message: dict) -> None:
        kept = [p for p in message["user_profiles"] if next(counter) % 7]
        message["user_profiles"] = kept or message["user_profiles"][:1]

    return TamperingEngine(drop, **wiring)


def corrupting(**wiring) -> TamperingEngine:
    counter = itertools.count(1)

    def corrupt(message: dict) -> None:
        for profile in message["user_profiles"]:
            for identity in profile["user_identities"]:
                if identity["type"] == "email" and next(counter) % 5 == 0:
                    identity["value"] = "x" + identity["value"]

    return TamperingEngine(corrupt, **wiring)


def bad_token(**wiring) -> TamperingEngine:
    """Membership messages carry a token the fake does not know: uploads fault."""

    def swap_token(message: dict) -> None:
        message["account"]["account_settings"]["accessToken"] = "not-a-known-token"

    return TamperingEngine(swap_token, **wiring)


class CrashingEngine:
    """Answers subscriptions, then raises on the first membership message."""

    def __init__(self, **wiring):
        self.engine = ReferenceEngine(wiring["graph_url"], clock=wiring["clock"])

    def handle(self, message: dict) -> dict:
        if message["type"] == "audience_membership_change_request":
            raise RuntimeError("out of cheese")
        return self.engine.handle(message)


def crashing(**wiring) -> CrashingEngine:
    return CrashingEngine(**wiring)
