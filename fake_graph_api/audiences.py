"""Audiences as Graph sees them: create/update checks, read fields, list pages.

`creation_fields(params)` and `update_fields(params)` turn request parameters into
audience fields or raise GraphError; `render(audience, fields, ...)` gives only the
requested fields in the requested order; `page(...)` cuts a newest-first list into
a cursor page shaped as recorded (`{"data": []}` when empty, `paging.next` only
when more pages exist). Pure.
"""

from urllib.parse import urlencode

from fake_graph_api.errors import GraphError
from fake_graph_api.ids import decode_cursor, encode_cursor
from fake_graph_api.keys import CUSTOMER_FILE_SOURCES
from fake_graph_api.model import Audience

NODE_TYPE = "CustomAudience"
DEFAULT_PAGE_SIZE = 25
SUBTYPES = (
    "APP", "BAG_OF_ACCOUNTS", "BIDDING", "CLAIM", "CUSTOM", "ENGAGEMENT", "EXCLUSION",
    "FOX", "LOOKALIKE", "MANAGED", "MEASUREMENT", "MESSENGER_SUBSCRIBER_LIST",
    "OFFLINE_CONVERSION", "PARTNER", "PRIMARY", "REGULATED_CATEGORIES_AUDIENCE",
    "STUDY_RULE_AUDIENCE", "VIDEO", "WEBSITE",
)  # fmt: skip
# Fields of the CustomAudience node (SDK v26 list plus the legacy approximate_count).
# Fields the fake does not model are accepted and left out of answers, as Graph
# leaves out fields that have no value.
NODE_FIELDS = frozenset(
    (
        "account_id",
        "approximate_count",
        "approximate_count_lower_bound",
        "approximate_count_upper_bound",
        "audience_labels",
        "customer_file_source",
        "data_source",
        "data_source_types",
        "datafile_custom_audience_uploading_status",
        "delete_time",
        "delivery_status",
        "description",
        "excluded_custom_audiences",
        "external_event_source",
        "fields_violating_integrity_policy",
        "household_audience",
        "id",
        "included_custom_audiences",
        "is_eligible_for_sac_campaigns",
        "is_household",
        "is_snapshot",
        "is_value_based",
        "lookalike_audience_ids",
        "lookalike_spec",
        "messenger_marketing_messages_page",
        "name",
        "operation_status",
        "opt_out_link",
        "owner_business",
        "page_deletion_marked_delete_time",
        "permission_for_actions",
        "pixel_id",
        "regulated_audience_spec",
        "retention_days",
        "rev_share_policy_id",
        "rule",
        "rule_aggregation",
        "rule_v2",
        "seed_audience",
        "sharing_status",
        "subtype",
        "time_content_updated",
        "time_created",
        "time_updated",
    )  # fmt: skip
)


def creation_fields(params: dict) -> dict:
    """Fields of a new audience from create parameters; unknown params are ignored."""
    subtype = _choice(params.get("subtype", "CUSTOM"), "subtype", SUBTYPES)
    source = params.get("customer_file_source")
    if subtype == "CUSTOM" and source in (None, ""):
        raise GraphError("missing_parameter", names="customer_file_source")
    fields = update_fields(params)
    fields["subtype"] = subtype
    fields["is_value_based"] = flag(params, "is_value_based")
    return fields


def update_fields(params: dict) -> dict:
    """Fields an update (or create) may set, each checked."""
    fields: dict = {}
    for name in ("name", "description"):
        if name in params:
            fields[name] = _text(params[name], name)
    if params.get("customer_file_source") not in (None, ""):
        fields["customer_file_source"] = _choice(
            params["customer_file_source"],
            "customer_file_source",
            CUSTOMER_FILE_SOURCES,
        )
    if "retention_days" in params:
        fields["retention_days"] = _retention(params["retention_days"])
    return fields


def requested_fields(raw) -> list[str]:
    """The `fields` parameter as a list; unknown names raise code 100."""
    if raw in (None, ""):
        return ["id"]
    if not isinstance(raw, str):
        raise GraphError("invalid_parameter", detail="Param fields must be a string")
    names = [name.strip() for name in raw.split(",") if name.strip()]
    for name in names:
        if name not in NODE_FIELDS:
            raise GraphError("nonexisting_field", field=name, node=NODE_TYPE)
    return names or ["id"]


# How each modelled field reads: (audience, now, processing delay) -> value.
_FIELD_VALUES = {
    "id": lambda a, now, wait: a.id,
    "account_id": lambda a, now, wait: a.ad_account.removeprefix("act_"),
    "name": lambda a, now, wait: a.name,
    "description": lambda a, now, wait: a.description,
    "subtype": lambda a, now, wait: a.subtype,
    "customer_file_source": lambda a, now, wait: a.customer_file_source,
    "is_value_based": lambda a, now, wait: a.is_value_based,
    "retention_days": lambda a, now, wait: a.retention_days,
    "data_source": lambda a, now, wait: a.data_source(),
    "operation_status": lambda a, now, wait: a.operation(),
    "delivery_status": lambda a, now, wait: a.delivery_status(now, wait),
    "approximate_count": lambda a, now, wait: a.approximate_count(now, wait),
    "time_created": lambda a, now, wait: int(a.time_created),
    "time_updated": lambda a, now, wait: int(a.time_updated),
    "time_content_updated": lambda a, now, wait: int(a.time_content_updated),
}  # fmt: skip
# Real sizes are ranges; the fake reports the member count as both bounds.
_FIELD_VALUES["approximate_count_lower_bound"] = _FIELD_VALUES["approximate_count"]
_FIELD_VALUES["approximate_count_upper_bound"] = _FIELD_VALUES["approximate_count"]


def render(audience: Audience, fields: list[str], *, now: float, processing: float):
    """The audience as Graph answers a read: only the requested fields, in order.

    Fields the fake does not model have no value and are left out, as Graph does.
    """
    answer = {}
    for name in fields:
        read = _FIELD_VALUES.get(name)
        value = read(audience, now, processing) if read else None
        if value is not None:
            answer[name] = value
    return answer


def page_size(raw) -> int:
    if raw in (None, ""):
        return DEFAULT_PAGE_SIZE
    if isinstance(raw, bool) or not str(raw).isdigit() or int(raw) < 1:
        raise GraphError(
            "invalid_parameter", detail="Param limit must be a positive integer"
        )
    return int(raw)


def page(
    audiences: list[Audience], *, limit: int, after=None, before=None,
    seq_of=None, next_url=None,
) -> tuple[list[Audience], dict | None]:  # fmt: skip
    """One page of a newest-first list, and its `paging` object (None when empty)."""
    start, stop = _bounds(audiences, limit, after, before, seq_of)
    chosen = audiences[start:stop]
    if not chosen:
        return [], None

    cursors = {
        "before": encode_cursor(chosen[0].id),
        "after": encode_cursor(chosen[-1].id),
    }
    paging: dict = {"cursors": cursors}
    if start > 0 and next_url:
        paging["previous"] = next_url(before=cursors["before"])
    if stop < len(audiences) and next_url:
        paging["next"] = next_url(after=cursors["after"])
    return chosen, paging


def _bounds(audiences, limit: int, after, before, seq_of) -> tuple[int, int]:
    if after:
        start = _cut(audiences, after, seq_of, "after")
        return start, min(len(audiences), start + limit)
    if before:
        stop = _cut(audiences, before, seq_of, "before")
        return max(0, stop - limit), stop
    return 0, min(len(audiences), limit)


def _cut(audiences: list[Audience], cursor, seq_of, name: str) -> int:
    """Index just past (after) or at (before) the audience a cursor names."""
    audience_id = decode_cursor(cursor) if isinstance(cursor, str) else None
    seq = seq_of(audience_id) if audience_id else None
    if seq is None:
        raise GraphError(
            "invalid_parameter", detail=f"Param {name} is not a valid cursor"
        )
    if name == "after":
        return sum(1 for a in audiences if a.seq >= seq)
    return sum(1 for a in audiences if a.seq > seq)


def paging_url(base: str, query: dict, **cursor) -> str:
    kept = {k: v for k, v in query.items() if k not in ("after", "before")}
    return f"{base}?{urlencode({**kept, **cursor})}"


def _choice(value, name: str, allowed) -> str:
    if value not in allowed:
        raise GraphError(
            "invalid_parameter",
            detail=f"Param {name} must be one of {{{', '.join(allowed)}}}",
        )
    return value


def _text(value, name: str) -> str:
    if not isinstance(value, str):
        raise GraphError("invalid_parameter", detail=f"Param {name} must be a string")
    return value


def flag(params: dict, name: str) -> bool:
    """A boolean parameter, false when absent; sent as JSON, form text or 0/1."""
    value = params.get(name, False)
    if value in (True, "true", "1", 1, "True"):
        return True
    if value in (False, "false", "0", 0, "False", ""):
        return False
    raise GraphError("invalid_parameter", detail=f"Param {name} must be a boolean")


def _retention(value) -> int:
    if (
        isinstance(value, bool)
        or not str(value).isdigit()
        or not 1 <= int(value) <= 180
    ):
        raise GraphError(
            "invalid_parameter", detail="Param retention_days must be between 1 and 180"
        )
    return int(value)
