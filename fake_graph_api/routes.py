"""The Graph routes: decode, match faults, authenticate, throttle, handle, answer.

Every Graph request goes through `answer_graph_request`, which never lets an
exception escape as a non-Graph answer: refusals are GraphErrors answered with the
error envelope, and each request leaves one journal entry and its findings.
Handlers take a GraphCall and return the JSON body Graph would send.
"""

import gc
import json
import logging
import time
from contextlib import contextmanager

from flask import Response, request
from werkzeug.exceptions import HTTPException

from fake_graph_api import audiences as views
from fake_graph_api.auth import authenticate, authorise, token_text
from fake_graph_api.decoding import GraphCall, decode
from fake_graph_api.errors import GraphError, envelope, error_headers
from fake_graph_api.faults import HTML_PAGE
from fake_graph_api.findings import Where, query_findings, users_findings
from fake_graph_api.payload import parse_users_payload
from fake_graph_api.sessions import read_session
from fake_graph_api.throttle import Usage

log = logging.getLogger("fake_graph_api")

STATIC_HEADERS = {
    "x-fb-rev": "1009347215",
    "Cache-Control": "private, no-cache, no-store, must-revalidate",
    "Pragma": "no-cache",
    "Expires": "Sat, 01 Jan 2000 00:00:00 GMT",
    "Access-Control-Allow-Origin": "*",
}


@contextmanager
def _collector_paused():
    """Pause the cyclic garbage collector while one request is answered.

    A 10,000-row users payload decodes into some 10^4 lists that all survive, which
    sets off collection after collection; pausing roughly halves ingestion time
    (benchmarks/bench_users_edge.py). Under threads the worst case is a request
    that runs with the collector on, never one that leaves it off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def answer_graph_request(fake) -> Response:
    """The Flask view behind every Graph path."""
    with _collector_paused():
        return _answer_graph_request(fake)


def _answer_graph_request(fake) -> Response:
    started = time.perf_counter()
    seq = fake.journal.next_seq()
    call = GraphCall(method=request.method.upper(), path=request.path)
    state = {"usage": None, "findings": [], "fault": None}
    try:
        call = decode(request, max_url_length=fake.options.max_url_length)
        response = _answer(fake, call, seq, state)
    except GraphError as error:
        call.rows = error.details.get("rows", call.rows)  # refused rows still count
        response = _error_response(fake, call, error, state["usage"])
    except HTTPException as error:  # werkzeug refused the body (size, encoding)
        refusal = GraphError("invalid_parameter", detail=error.description)
        response = _error_response(fake, call, refusal, state["usage"])
    except Exception:  # a bug must still answer as Graph does, and be seen
        log.exception("fake Graph API failed on %s %s", call.method, call.path)
        response = _error_response(fake, call, GraphError("unknown_error"), None)
    _record(fake, call, seq, response, state, started)
    return response


def _answer(fake, call: GraphCall, seq: int, state: dict) -> Response:
    handler, account = _route(fake, call)
    fault = fake.faults.fire(call.method, call.unversioned_path, call.ad_account)
    if fault:
        state["fault"] = fault["id"]
        time.sleep(fault["latency_ms"] / 1000)
        if fault["error"] or fault["status"] is not None or fault["html"]:
            return _fault_response(fake, call, fault)

    now = fake.clock.now()
    token = authenticate(fake.store.tokens, _token_text(call), now)
    write = call.method != "GET"
    object_id = call.parts[0]
    authorise(
        token, account, call.params,
        method=call.method.lower(), object_id=object_id, write=write,
    )  # fmt: skip
    state["usage"] = fake.throttle.admit(account.id, account.calls_per_hour, now)
    where = Where(call.ad_account, call.audience_id, seq)
    state["findings"] += query_findings(call.query, where)
    body = handler(fake, call, now, where, state)
    return _json_response(200, body, call, fake, state["usage"])


def _route(fake, call: GraphCall):
    """The handler and the ad account of a call; unknown objects answer 100/33."""
    parts, method = call.parts, call.method
    if not parts:
        raise GraphError("unknown_path", path=call.path)
    head, edge = parts[0], parts[1:]
    if head.startswith("act_") and head[4:].isdigit():
        call.ad_account = head
        account = fake.store.ad_accounts.get(head)
        if edge == ["customaudiences"] and method in ("GET", "POST"):
            return (list_audiences if method == "GET" else create_audience), account
    elif head.isdigit():
        call.audience_id = head
        known = fake.store.audiences.get(head)
        call.ad_account = known.ad_account if known else None
        account = fake.store.ad_accounts.get(call.ad_account or "")
        handler = _AUDIENCE_HANDLERS.get((tuple(edge), method))
        if handler:
            return handler, account
    else:
        raise GraphError("object_not_found", method=method.lower(), object_id=head)
    if edge and edge[0] not in ("customaudiences", "users", "usersreplace"):
        raise GraphError("unknown_path", path="/" + "/".join(edge))
    raise GraphError("object_not_found", method=method.lower(), object_id=head)


def _token_text(call: GraphCall) -> str | None:
    return token_text(call.params, request.headers.get("Authorization"))


# handlers


def list_audiences(fake, call: GraphCall, now: float, where, state) -> dict:
    params = call.params
    fields = views.requested_fields(params.get("fields"))
    limit = views.page_size(params.get("limit"))
    audiences = fake.store.list_audiences(call.ad_account)
    chosen, paging = views.page(
        audiences, limit=limit, after=params.get("after"),
        before=params.get("before"), seq_of=fake.store.seq_of,
        next_url=lambda **cursor: views.paging_url(
            request.base_url, call.query, **cursor
        ),
    )  # fmt: skip
    processing = fake.options.size_processing_seconds
    data = [views.render(a, fields, now=now, processing=processing) for a in chosen]
    return {"data": data, "paging": paging} if paging else {"data": []}


def create_audience(fake, call: GraphCall, now: float, where, state) -> dict:
    """Only the id, as recorded; with `fields`, those too (read-after-write)."""
    fields = views.creation_fields(call.params)
    read_back = []
    if call.params.get("fields"):
        read_back = views.requested_fields(call.params["fields"])
    fetch = views.flag(call.params, "enable_fetch_or_create")
    audience = fake.store.create_audience(
        call.ad_account, fields, now=now, fetch_existing=fetch
    )
    call.audience_id = audience.id
    processing = fake.options.size_processing_seconds
    extra = views.render(audience, read_back, now=now, processing=processing)
    return {"id": audience.id, **extra}


def read_audience(fake, call: GraphCall, now: float, where, state) -> dict:
    fields = views.requested_fields(call.params.get("fields"))
    audience = _live(fake, call)
    processing = fake.options.size_processing_seconds
    return views.render(audience, fields, now=now, processing=processing)


def update_audience(fake, call: GraphCall, now: float, where, state) -> dict:
    fields = views.update_fields(call.params)
    fake.store.update_audience(call.audience_id, fields, now=now)
    return {"success": True}


def delete_audience(fake, call: GraphCall, now: float, where, state) -> dict:
    fake.store.delete_audience(call.audience_id, now=now)
    return {"success": True}


def add_users(fake, call: GraphCall, now: float, where, state) -> dict:
    return _users(fake, call, now, where, state, remove=False)


def remove_users(fake, call: GraphCall, now: float, where, state) -> dict:
    return _users(fake, call, now, where, state, remove=True)


def replace_users(fake, call: GraphCall, now: float, where, state) -> dict:
    parsed = _parsed_payload(fake, call)
    session = read_session(call.params.get("session"), required=True)
    call.rows = len(parsed.rows)
    body = fake.store.replace_users(call.audience_id, parsed, session, now=now)
    state["findings"] += users_findings(parsed, where)
    return body


def _users(fake, call, now, where, state, *, remove: bool) -> dict:
    parsed = _parsed_payload(fake, call)
    session = read_session(call.params.get("session"))
    call.rows = len(parsed.rows)
    threshold = None
    if call.version_tuple <= (10, 0):
        threshold = fake.options.removal_min_size_up_to_v10
    body = fake.store.apply_users(
        call.audience_id, parsed, session,
        remove=remove, now=now, removal_min_size=threshold,
    )  # fmt: skip
    state["findings"] += users_findings(parsed, where)
    return body


def _parsed_payload(fake, call: GraphCall):
    audience = _live(fake, call)
    return parse_users_payload(
        call.params.get("payload"),
        is_value_based=audience.is_value_based,
        known_app_ids=fake.store.known_app_ids(),
    )


def _live(fake, call: GraphCall):
    audience = fake.store.live_audience(call.audience_id)
    if audience is None:
        raise GraphError(
            "object_not_found", method=call.method.lower(), object_id=call.audience_id
        )
    return audience


_AUDIENCE_HANDLERS = {
    ((), "GET"): read_audience,
    ((), "POST"): update_audience,
    ((), "DELETE"): delete_audience,
    (("users",), "POST"): add_users,
    (("users",), "DELETE"): remove_users,
    (("usersreplace",), "POST"): replace_users,
}


# answers


def _json_response(
    status: int, body, call: GraphCall, fake, usage, trace: str | None = None
) -> Response:
    text = json.dumps(body, separators=(",", ":"))
    response = Response(text, status=status, content_type="application/json")
    trace = trace or fake.store.ids.fbtrace_id()
    response.headers.update(_graph_headers(call, usage, trace))
    return response


def _graph_headers(call: GraphCall, usage, trace: str) -> dict:
    headers = dict(STATIC_HEADERS)
    if call.version:
        headers["facebook-api-version"] = call.version
    headers["x-fb-trace-id"] = trace
    headers["x-fb-request-id"] = trace + "Q"
    if usage is not None:
        users_edge = request.method == "POST" and call.parts[-1:] == ["users"]
        if users_edge:
            headers["x-ad-account-usage"] = usage.ad_account_header()
            headers["x-app-usage"] = usage.app_header()
        if not users_edge or usage.regain_minutes:
            headers["x-business-use-case-usage"] = usage.business_use_case_header()
    return headers


def _error_response(fake, call: GraphCall, error: GraphError, usage) -> Response:
    usage = error.usage or usage
    trace = fake.store.ids.fbtrace_id()
    response = _json_response(
        error.entry.status, envelope(error, trace), call, fake, usage, trace
    )
    response.headers.update(error_headers(error))
    return response


def _fault_response(fake, call: GraphCall, fault: dict) -> Response:
    if fault["error"]:
        error = GraphError(fault["error"], **_fault_details(call))
        if fault["regain_minutes"] is not None:
            digits = (call.ad_account or "").removeprefix("act_")
            error.usage = Usage(digits, 100, fault["regain_minutes"])
        return _error_response(fake, call, error, None)
    if fault["html"]:
        response = Response(HTML_PAGE, status=fault["status"] or 500)
        response.content_type = "text/html; charset=utf-8"
        return response
    body = fault["body"]
    text = body if isinstance(body, str) else json.dumps(body)
    kind = "text/plain; charset=utf-8" if isinstance(body, str) else "application/json"
    return Response(text, status=fault["status"], content_type=kind)


def _fault_details(call: GraphCall) -> dict:
    """What a named error's message may mention about the request it answers."""
    return {
        "method": call.method.lower(),
        "object_id": call.parts[0] if call.parts else "",
        "path": call.path,
        "audience_id": call.audience_id or "",
        "digits": (call.ad_account or "").removeprefix("act_"),
    }


def _record(fake, call: GraphCall, seq: int, response, state: dict, started) -> None:
    """One journal entry (no token, no cell value) and one log line per call."""
    code, subcode = _graph_code(response)
    duration_ms = round((time.perf_counter() - started) * 1000, 3)
    entry = {
        "seq": seq,
        "time": fake.clock.now(),
        "method": call.method,
        "path": call.path,
        "ad_account": call.ad_account,
        "audience_id": call.audience_id,
        "status": response.status_code,
        "graph_code": code,
        "graph_subcode": subcode,
        "rows": call.rows,
        "payload_in_query": call.payload_in_query,
        "url_length": call.url_length,
        "duration_ms": duration_ms,
        "fault": state["fault"],
    }
    fake.journal.record(entry, state["findings"])
    log.info(
        "%s %s -> %s code=%s rows=%d %.1fms",
        call.method, call.path, response.status_code, code, call.rows, duration_ms,
    )  # fmt: skip


def _graph_code(response) -> tuple[int | None, int | None]:
    if response.status_code < 400 or response.mimetype != "application/json":
        return None, None
    error = (response.get_json(silent=True) or {}).get("error")
    if not isinstance(error, dict):
        return None, None
    return error.get("code"), error.get("error_subcode")
