"""A tiny forwarding engine for runner tests: emails only, one Graph call per flush.

`create(graph_url=, clock=, http=)` builds a correct one; `mistake=` picks a bug
("not_trimmed", "raise", "not_json", "garbled_status", "payload_in_query") so
tests can check that the runner reports and diagnoses it. It never moves the
clock on `advance`.
"""

import hashlib
import json


def create(*, graph_url, clock, http, mistake=None):
    return TinyEngine(http, mistake)


def create_untrimmed(*, graph_url, clock, http):
    return TinyEngine(http, "not_trimmed")


def create_raising(*, graph_url, clock, http):
    return TinyEngine(http, "raise")


def create_list_answering(*, graph_url, clock, http):
    return TinyEngine(http, "not_json")


def create_payload_in_query(*, graph_url, clock, http):
    return TinyEngine(http, "payload_in_query")


def create_garbled_status(*, graph_url, clock, http):
    return TinyEngine(http, "garbled_status")


class TinyEngine:
    def __init__(self, http, mistake):
        self.http = http
        self.mistake = mistake
        self.audiences = {}  # mParticle audience id -> Facebook audience id
        self.queue = []
        self.advanced = 0.0

    def handle(self, message):
        if self.mistake == "raise" and message["type"] != "fbca_control":
            raise RuntimeError("tiny engine broke")
        if self.mistake == "not_json":
            return ["not", "an", "object"]
        handler = getattr(self, message["type"])
        return handler(message)

    def audience_subscription_request(self, message):
        settings = message["account"]["account_settings"]
        self.token = settings["accessToken"]
        answer = self.http.post(
            f"/v19.0/{settings['adAccountId']}/customaudiences",
            data={
                "name": message["audience_name"] + " (email)",
                "subtype": "CUSTOM",
                "customer_file_source": "USER_PROVIDED_ONLY",
                "access_token": self.token,
            },
        ).json()
        self.audiences[message["audience_id"]] = answer["id"]
        return {
            "type": "audience_subscription_response",
            "audience_subscription_settings": {},
        }

    def audience_membership_change_request(self, message):
        for profile in message.get("user_profiles") or []:
            for identity in profile["user_identities"]:
                if identity["type"] == "email":
                    for audience in profile["audiences"]:
                        self.queue.append((audience, identity["value"]))
        return {"type": "audience_membership_change_response"}

    def fbca_control(self, message):
        if message["action"] == "status" and self.mistake == "garbled_status":
            return {"type": "fbca_control_response", "connections": "all fine"}
        if message["action"] == "status":
            connections = [
                {"audience_id": a, "state": "active", "fault": None, "pending": 0}
                for a in self.audiences
            ]
            return {"type": "fbca_control_response", "connections": connections}
        if message["action"] == "advance":
            self.advanced += message["seconds"]
        if message["action"] in ("flush", "advance"):
            self.flush()
        return {"type": "fbca_control_response", "ok": True}

    def flush(self):
        for audience, email in self.queue:
            text = (
                email.lower()
                if self.mistake == "not_trimmed"
                else email.strip().lower()
            )
            digest = hashlib.sha256(text.encode()).hexdigest()
            payload = json.dumps({"schema": "EMAIL_SHA256", "data": [[digest]]})
            method = "DELETE" if audience["action"] == "delete" else "POST"
            fields = {"payload": payload, "access_token": self.token}
            in_query = self.mistake == "payload_in_query"
            self.http.request(
                method,
                f"/v19.0/{self.audiences[audience['audience_id']]}/users",
                params=fields if in_query else None,
                data=None if in_query else fields,
            )
        self.queue = []
