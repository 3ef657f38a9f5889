"""The control API under /_fake/: set up, inspect and disturb the fake (JSON).

The table of paths and answers is in docs/architecture.md section 1. Only loopback
clients may call it unless the app was made with `allow_remote_control=True`.
Bad input answers 400 `{"error": {"message", "field"?}}`; unknown objects 404.
Tokens never appear in answers.
"""

from flask import Blueprint, current_app, jsonify, request

from fake_graph_api.audiences import SUBTYPES
from fake_graph_api.config import check_config
from fake_graph_api.documents import DocumentError
from fake_graph_api.faults import FaultError
from fake_graph_api.keys import CUSTOMER_FILE_SOURCES, MULTI_KEYS
from fake_graph_api.model import redact

control_api = Blueprint("fake_control", __name__, url_prefix="/_fake")
LOOPBACK = ("127.", "::1", "localhost")
MAX_ADVANCE_SECONDS = 100 * 365 * 24 * 3600  # a century: beyond it, a typo


class ControlError(Exception):
    def __init__(self, message: str, *, status: int = 400, field: str | None = None):
        super().__init__(message)
        self.status = status
        self.field = field


@control_api.errorhandler(ControlError)
def _control_error(error: ControlError):
    body = {"message": str(error)}
    if error.field:
        body["field"] = error.field
    return jsonify({"error": body}), error.status


@control_api.before_request
def _loopback_only():
    fake = _fake()
    address = request.remote_addr or ""
    if not fake.options.allow_remote_control and not address.startswith(LOOPBACK):
        raise ControlError(
            "the control API answers loopback clients only; start the fake with "
            "allow_remote_control to change that",
            status=403,
        )


def _fake():
    return current_app.extensions["fake_graph"]


def _body() -> dict:
    body = request.get_json(silent=True) if request.get_data() else {}
    if not isinstance(body, dict):
        raise ControlError("the request body must be a JSON object")
    return body


def _checked(config: dict) -> dict:
    try:
        return check_config(config, source="control API body")
    except DocumentError as error:
        raise ControlError(error.detail, field=error.field or None) from None


def _audience(audience_id: str):
    audience = _fake().store.audiences.get(audience_id)
    if audience is None:
        raise ControlError(f"no audience {audience_id}", status=404)
    return audience


@control_api.post("/reset")
def reset():
    ad_account = _body().get("ad_account")
    _fake().reset(ad_account)
    return {"reset": ad_account or "all"}


@control_api.post("/setup")
def setup():
    config = _checked(_body())
    fake = _fake()
    fake.store.configure(config, now=fake.clock.now())
    return {
        "ad_accounts": [a["id"] for a in config.get("ad_accounts", ())],
        "tokens": len(config.get("tokens", ())),
        "app_ids": sorted(fake.store.app_ids),
    }


@control_api.get("/state")
def state():
    fake = _fake()
    store = fake.store
    with store.lock:
        accounts = []
        for account in store.ad_accounts.values():
            audiences = [
                a.control_view()
                for a in sorted(store.audiences.values(), key=lambda a: a.seq)
                if a.ad_account == account.id
            ]
            accounts.append({**account.settings(), "audiences": audiences})
        tokens = [token.redacted() for token in store.tokens.values()]
        return {
            "now": fake.clock.now(),
            "ad_accounts": accounts,
            "tokens": tokens,
            "app_ids": sorted(store.app_ids),
        }


@control_api.get("/audiences/<audience_id>")
def audience(audience_id: str):
    return _audience(audience_id).control_view()


@control_api.get("/audiences/<audience_id>/members")
def members(audience_id: str):
    _audience(audience_id)
    dump = _fake().store.members_of(audience_id).dump()
    present = {key for member in dump for key in member}
    order = [key for key in (*MULTI_KEYS, "UID") if key in present]
    return {"audience_id": audience_id, "keys": order, "members": dump}


@control_api.post("/audiences")
def make_audience():
    body = _body()
    fake = _fake()
    account_id = body.get("ad_account")
    if account_id not in fake.store.ad_accounts:
        raise ControlError(f"unknown ad_account {account_id!r}", field="ad_account")
    fields = _audience_fields(body)
    with fake.store.lock:
        made = fake.store.add_existing_audience(
            account_id, fields, now=fake.clock.now()
        )
        return made.control_view()


@control_api.post("/audiences/<audience_id>")
def change_audience(audience_id: str):
    _audience(audience_id)
    fake = _fake()
    fields = _audience_fields(_body())
    changed = fake.store.set_audience(audience_id, fields, now=fake.clock.now())
    return changed.control_view()


@control_api.delete("/audiences/<audience_id>")
def delete_audience(audience_id: str):
    _audience(audience_id)
    fake = _fake()
    fake.store.set_audience(audience_id, {"deleted": True}, now=fake.clock.now())
    return {"deleted": audience_id}


@control_api.post("/ad_accounts/<account_id>")
def ad_account(account_id: str):
    body = _body()
    config = _checked({"ad_accounts": [{**body, "id": account_id}]})
    fake = _fake()
    settings = config["ad_accounts"][0]
    return fake.store.upsert_ad_account(settings, now=fake.clock.now()).settings()


@control_api.post("/tokens")
def tokens():
    config = _checked({"tokens": [_body()]})
    token = _fake().store.upsert_token(config["tokens"][0])
    return {"token": redact(token.token)}


@control_api.get("/journal")
def journal():
    limit = request.args.get("limit", "")
    if limit and not limit.isdigit():
        raise ControlError("limit must be a whole number", field="limit")
    return {"entries": _fake().journal.entries(int(limit) if limit else None)}


@control_api.get("/findings")
def findings():
    ad_account = request.args.get("ad_account") or None
    return {"findings": _fake().journal.findings(ad_account)}


@control_api.post("/faults")
def add_fault():
    try:
        return _fake().faults.add(_body())
    except FaultError as error:
        raise ControlError(str(error)) from None


@control_api.get("/faults")
def list_faults():
    return {"faults": _fake().faults.rules()}


@control_api.delete("/faults")
def clear_faults():
    return {"cleared": _fake().faults.remove()}


@control_api.delete("/faults/<fault_id>")
def clear_fault(fault_id: str):
    cleared = _fake().faults.remove(fault_id)
    if not cleared:
        raise ControlError(f"no fault {fault_id}", status=404)
    return {"cleared": cleared}


@control_api.get("/clock")
def clock():
    return {"now": _fake().clock.now()}


@control_api.post("/clock/advance")
def advance():
    seconds = _body().get("seconds")
    if (
        isinstance(seconds, bool)
        or not isinstance(seconds, int | float)
        or not 0 <= seconds <= MAX_ADVANCE_SECONDS
    ):
        raise ControlError(
            "seconds must be a number from 0 to 3153600000 (a century)",
            field="seconds",
        )
    return {"now": _fake().clock.advance(seconds)}


def _audience_fields(body: dict) -> dict:
    """Audience fields a person could set in Ads Manager, each checked."""
    fields = {}
    for name in ("name", "description"):
        if name in body:
            fields[name] = _typed(body, name, str)
    if "subtype" in body:
        fields["subtype"] = _subtype(body)
    if "customer_file_source" in body:
        fields["customer_file_source"] = _one_of(
            body, "customer_file_source", (*CUSTOMER_FILE_SOURCES, None)
        )
    if "is_value_based" in body:
        fields["is_value_based"] = _typed(body, "is_value_based", bool)
    if "operation_status" in body:
        fields["operation_status"] = _typed(body, "operation_status", int)
    if "data_source" in body:
        fields.update(_data_source(body["data_source"]))
    return fields


def _data_source(value) -> dict:
    if not isinstance(value, dict) or not all(
        isinstance(value.get(k), str | None) for k in ("type", "sub_type")
    ):
        raise ControlError("data_source must be {type, sub_type}", field="data_source")
    return {
        "data_source_type": value.get("type") or "UNKNOWN",
        "data_source_sub_type": value.get("sub_type"),
    }


def _subtype(body: dict) -> str:
    """Any upper-case subtype: Ads Manager shows legacy ones (OFFLINE_EVENTS)."""
    subtype = body["subtype"]
    if not isinstance(subtype, str) or not subtype.replace("_", "").isupper():
        known = ", ".join(SUBTYPES)
        raise ControlError(
            f"subtype must be an upper-case name such as {known}", field="subtype"
        )
    return subtype


def _typed(body: dict, name: str, kind: type):
    value = body[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ControlError(f"{name} must be a {kind.__name__}", field=name)
    return value


def _one_of(body: dict, name: str, allowed) -> str | None:
    if body[name] not in allowed:
        options = ", ".join(str(a) for a in allowed)
        raise ControlError(f"{name} must be one of {options}", field=name)
    return body[name]
