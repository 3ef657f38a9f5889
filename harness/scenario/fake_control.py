"""A client for the fake Graph API's control API (`/_fake/...`, architecture.md 1).

The runner sees the fake only through this client, so an in-process fake (httpx
over WSGITransport) and a live server (`--server URL`) behave the same. A control
call that fails raises `FakeControlError` with the method, path and answer.
"""

from __future__ import annotations

import httpx


class FakeControlError(RuntimeError):
    """The fake refused a control call, or could not be reached."""

    def __init__(self, method: str, path: str, detail: str) -> None:
        super().__init__(f"fake control {method} {path} failed: {detail}")
        self.method = method
        self.path = path
        self.detail = detail


class FakeControl:
    """Control API calls over an httpx client whose base_url is the fake."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    @property
    def base_url(self) -> str:
        return str(self.http.base_url).rstrip("/")

    def call(self, method: str, path: str, body: dict | None = None):
        try:
            answer = self.http.request(method, "/_fake" + path, json=body)
        except httpx.HTTPError as error:
            raise FakeControlError(method, path, str(error)) from None
        if answer.status_code >= 400:
            raise FakeControlError(method, path, f"{answer.status_code} {answer.text}")
        return answer.json()

    def reset(self) -> dict:
        return self.call("POST", "/reset", {})

    def setup(self, config: dict) -> dict:
        return self.call("POST", "/setup", config)

    def state(self) -> dict:
        return self.call("GET", "/state")

    def members(self, audience_id: str) -> list[dict]:
        return self.call("GET", f"/audiences/{audience_id}/members")["members"]

    def create_audience(self, fields: dict) -> dict:
        return self.call("POST", "/audiences", fields)

    def change_audience(self, audience_id: str, fields: dict) -> dict:
        return self.call("POST", f"/audiences/{audience_id}", fields)

    def delete_audience(self, audience_id: str) -> dict:
        return self.call("DELETE", f"/audiences/{audience_id}")

    def change_ad_account(self, ad_account: str, fields: dict) -> dict:
        return self.call("POST", f"/ad_accounts/{ad_account}", fields)

    def upsert_token(self, fields: dict) -> dict:
        return self.call("POST", "/tokens", fields)

    def journal(self) -> list[dict]:
        return self.call("GET", "/journal")["entries"]

    def findings(self) -> list[dict]:
        return self.call("GET", "/findings")["findings"]

    def add_fault(self, rule: dict) -> dict:
        return self.call("POST", "/faults", rule)

    def clear_faults(self) -> dict:
        return self.call("DELETE", "/faults")

    def advance_clock(self, seconds: float) -> float:
        return self.call("POST", "/clock/advance", {"seconds": seconds})["now"]
