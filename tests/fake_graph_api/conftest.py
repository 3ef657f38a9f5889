"""Fixtures for the fake Graph API unit tests: an in-process client with helpers."""

import hashlib
import json

import pytest

TOKEN = "fbca-dev-token"
ACCOUNT = "act_1001"


class GraphClient:
    """The plugin's in-process client plus the few calls most tests make."""

    auth = {"access_token": TOKEN}

    def __init__(self, fake_graph) -> None:
        self.http = fake_graph.client
        self.fake = fake_graph.fake

    @staticmethod
    def sha(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()

    def create(self, name: str = "list", **extra) -> str:
        fields = {"name": name, "subtype": "CUSTOM", **extra}
        fields.setdefault("customer_file_source", "USER_PROVIDED_ONLY")
        answer = self.http.post(
            f"/v19.0/{ACCOUNT}/customaudiences", params=self.auth, data=fields
        )
        assert answer.status_code == 200, answer.text
        return answer.json()["id"]

    def users(self, audience_id, schema, data, *, edge="users", method="POST", **extra):
        params = {"payload": json.dumps({"schema": schema, "data": data}), **extra}
        path = f"/v19.0/{audience_id}/{edge}"
        if method == "DELETE":
            return self.http.delete(path, params={**self.auth, **params})
        return self.http.post(path, params=self.auth, data=params)

    def members(self, audience_id: str) -> list[dict]:
        answer = self.http.get(f"/_fake/audiences/{audience_id}/members")
        return answer.json()["members"]

    def control(self, method: str, path: str, body=None) -> dict:
        answer = self.http.request(method, f"/_fake/{path}", json=body)
        assert answer.status_code == 200, answer.text
        return answer.json()


def graph_error(answer) -> tuple[int, int | None]:
    """(code, subcode) of a Graph error answer, after checking it is one."""
    assert answer.status_code >= 400, answer.text
    error = answer.json()["error"]
    assert error["fbtrace_id"] and error["type"]
    return error["code"], error.get("error_subcode")


@pytest.fixture
def graph(fake_graph) -> GraphClient:
    return GraphClient(fake_graph)


@pytest.fixture
def error_of():
    return graph_error
