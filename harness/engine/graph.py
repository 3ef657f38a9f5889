"""The engine's Graph API client: one connection's calls, classified and retried.

Every call sends its parameters in a JSON body (DELETE too) and the token in an
`Authorization: Bearer` header, so that no URL, and so no HTTP library's log line,
ever carries it. Failures are classified by Graph error code, never by HTTP status
alone: throttling and temporary codes, 5xx without a Graph code, broken connections
and HTML or other non-JSON answers are transient and retried with bounded
exponential backoff on the engine's clock, waiting at least Facebook's
`estimated_time_to_regain_access`; everything else is permanent and raised at once.
Each HTTP request logs one INFO line without the token or any row value.
"""

import json
import logging
import time
from collections.abc import Iterator

import httpx

from harness.engine.errors import GraphError, PermanentGraphError, TransientGraphError

logger = logging.getLogger("harness.engine")

# Rate limits: Facebook's windows last up to an hour, so their backoff starts at a
# minute; other transient failures (1, 2, 5xx, broken answers) start at 2 seconds.
THROTTLE_CODES = frozenset({4, 17, 341, 613, 80003, 80004})
TRANSIENT_CODES = THROTTLE_CODES | {1, 2}
RETRIES = 5
BACKOFF_BASE_SECONDS = 2.0
THROTTLE_BACKOFF_BASE_SECONDS = 60.0
BACKOFF_CAP_SECONDS = 900.0
LONGEST_WAIT_SECONDS = 3600.0
PAGE_SIZE = 100


class GraphClient:
    """Graph calls for one ad account with one token, over a shared httpx client."""

    def __init__(
        self,
        http: httpx.Client,
        *,
        clock,
        ad_account: str,
        token: str,
        api_version: str,
        base_url: str = "",
    ) -> None:
        self._http = http
        self._clock = clock
        self.ad_account = ad_account
        self._token = token
        self._version = api_version
        self._prefix = f"{base_url.rstrip('/')}/{api_version}"

    def list_audiences(self) -> Iterator[dict]:
        """Every custom audience of the ad account, following every page."""
        params = {"fields": "id,name,subtype", "limit": str(PAGE_SIZE)}
        while True:
            page = self.call("GET", f"{self.ad_account}/customaudiences", params=params)
            yield from page.get("data", [])
            paging = page.get("paging") or {}
            after = (paging.get("cursors") or {}).get("after")
            if not (paging.get("next") and after):
                return
            params = {**params, "after": after}

    def create_audience(self, fields: dict) -> str:
        """Create a custom audience and return its id."""
        answer = self.call("POST", f"{self.ad_account}/customaudiences", body=fields)
        return str(answer["id"])

    def update_audience(self, audience_id: str, fields: dict) -> None:
        self.call("POST", audience_id, body=fields)

    def delete_audience(self, audience_id: str) -> None:
        self.call("DELETE", audience_id)

    def send_users(
        self, method: str, audience_id: str, payload: dict, session: dict
    ) -> dict:
        """Add (POST) or remove (DELETE) one batch of rows; returns Graph's answer."""
        body = {"payload": payload, "session": session}
        rows = len(payload["data"])
        return self.call(method, f"{audience_id}/users", body=body, rows=rows)

    def call(
        self,
        method: str,
        path: str,
        *,
        body: dict | None = None,
        params: dict | None = None,
        rows: int = 0,
    ) -> dict:
        """One Graph call, retried while it fails transiently and the wait is short."""
        for attempt in range(RETRIES + 1):
            try:
                return self._send_once(method, path, body, params, rows)
            except TransientGraphError as error:
                wait = _backoff(attempt, error)
                if attempt == RETRIES or wait > LONGEST_WAIT_SECONDS:
                    raise
                logger.warning(
                    "transient Graph failure on %s %s (code %s); retry %d in %.0f s",
                    method,
                    path,
                    error.code,
                    attempt + 1,
                    wait,
                )
                self._clock.sleep(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _send_once(self, method, path, body, params, rows) -> dict:
        url = f"{self._prefix}/{path}"
        headers = {"Authorization": f"Bearer {self._token}"}
        started = time.perf_counter()
        try:
            response = self._http.request(
                method, url, params=params, json=body, headers=headers
            )
        except httpx.RequestError as exc:
            self._log(method, path, rows, None, None, started)
            raise TransientGraphError(
                f"{method} /{path} for {self.ad_account}: connection failed "
                f"({type(exc).__name__})"
            ) from None

        answer, error = _read_answer(
            response, f"{method} /{path} for {self.ad_account}"
        )
        self._log(method, path, rows, response.status_code, error, started)
        if error is not None:
            raise error
        return answer

    def _log(self, method, path, rows, status, error, started) -> None:
        milliseconds = (time.perf_counter() - started) * 1000
        code = error.code if error is not None else None
        logger.info(
            "graph %s /%s rows=%d status=%s code=%s ms=%.1f",
            method,
            f"{self._version}/{path}",
            rows,
            status,
            code,
            milliseconds,
        )


def _backoff(attempt: int, error: TransientGraphError) -> float:
    """Seconds before retry `attempt + 1`: exponential, at least Facebook's estimate."""
    throttled = error.code in THROTTLE_CODES
    base = THROTTLE_BACKOFF_BASE_SECONDS if throttled else BACKOFF_BASE_SECONDS
    exponential = min(BACKOFF_CAP_SECONDS, base * 2**attempt)
    return max(exponential, error.retry_after)


def _read_answer(response: httpx.Response, call: str) -> tuple[dict, GraphError | None]:
    """The JSON answer and, when it is a failure, the classified error."""
    status = response.status_code
    retry_after = _regain_access_seconds(response.headers)
    try:
        answer = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        kind = response.headers.get("content-type", "unknown type")
        message = f"{call}: answer is not JSON (HTTP {status}, {kind})"
        return {}, TransientGraphError(message, status=status, retry_after=retry_after)

    if not isinstance(answer, dict):
        message = f"{call}: answer is not a JSON object (HTTP {status})"
        return {}, TransientGraphError(message, status=status, retry_after=retry_after)
    if "error" in answer:
        return answer, _graph_error(answer["error"], status, retry_after, call)
    if status >= 400 or answer.get("success") is False:
        error_class = TransientGraphError if status >= 500 else PermanentGraphError
        message = f"{call}: failed without a Graph error (HTTP {status})"
        return answer, error_class(message, status=status, retry_after=retry_after)
    return answer, None


def _graph_error(envelope, status: int, retry_after: float, call: str) -> GraphError:
    envelope = envelope if isinstance(envelope, dict) else {"message": str(envelope)}
    code = envelope.get("code")
    subcode = envelope.get("error_subcode")
    transient = status >= 500 if code is None else code in TRANSIENT_CODES
    error_class = TransientGraphError if transient else PermanentGraphError
    label = f"{code}/{subcode}" if subcode is not None else f"{code}"
    title = envelope.get("error_user_title")
    detail = envelope.get("message", "no message")
    if title:
        detail = f"{title}: {detail}"
    return error_class(
        f"{call} failed with Graph error {label}: {detail}",
        code=code,
        subcode=subcode,
        status=status,
        retry_after=retry_after,
    )


def _regain_access_seconds(headers: httpx.Headers) -> float:
    """Seconds until Facebook lets the ad account call again (header is in minutes)."""
    raw = headers.get("x-business-use-case-usage")
    if not raw:
        return 0.0
    try:
        usage = json.loads(raw)
        minutes = [
            float(entry.get("estimated_time_to_regain_access") or 0)
            for entries in usage.values()
            for entry in entries
        ]
    except (ValueError, AttributeError, TypeError):
        return 0.0
    return max(minutes, default=0.0) * 60
