"""The one catalogue of Graph errors the fake can answer, and the error envelope.

Every error the server returns, and every error a fault rule or scenario can name,
is an entry of `CATALOGUE`; nothing else builds error bodies. An entry carries its
evidence level (official, sdk, recorded, secondary, modelled) and source, from
which docs/fidelity.md is written.

    GraphError                 raised by pure code, answered by the Flask layer
    └── carries a CatalogueEntry and the formatted message / user message
"""

from dataclasses import dataclass

OAUTH = "OAuthException"
METHOD = "GraphMethodException"

OBJECT_NOT_FOUND_MESSAGE = (
    "Unsupported {method} request. Object with ID '{object_id}' does not exist, "
    "cannot be loaded due to missing permissions, or does not support this "
    "operation. Please read the Graph API documentation at "
    "https://developers.facebook.com/docs/graph-api"
)
THROTTLE_MESSAGE = (
    "There have been too many calls to this ad-account. Wait a bit and try again. "
    "For more info, please refer to "
    "https://developers.facebook.com/docs/graph-api/overview/rate-limiting"
    "#custom-audience."
)
UPDATE_FAILED = "(#2650) Failed to update the custom audience"


@dataclass(frozen=True)
class CatalogueEntry:
    """One Graph error: what the server sends and how well we know it is real."""

    name: str
    code: int
    subcode: int | None
    status: int
    type: str
    message: str
    user_title: str | None = None
    user_msg: str | None = None
    is_transient: bool = False
    evidence: str = "modelled"
    source: str = ""


def _entry(name, code, subcode, status, type_, message, **extra) -> CatalogueEntry:
    return CatalogueEntry(name, code, subcode, status, type_, message, **extra)


# fmt: off
_ENTRIES = (  # name, code, subcode, HTTP status, type, message, then keywords
    _entry("unknown_path", 2500, None, 400, OAUTH,
        "Unknown path components: {path}",
        evidence="secondary",
        source="graph-api.md 1.1; arsduo/koala#611",
    ),
    _entry("uri_too_long", 1, None, 414, OAUTH,
        "Request-URI Too Long: the URL is longer than {limit} characters; send large "
        "parameters such as payload in the request body",
        evidence="modelled",
        source="URL ceiling secondary (BR-08, python-business-sdk#367); status and "
               "body modelled",
    ),
    _entry("deprecated_version", 2635, None, 400, OAUTH,
        "(#2635) You are calling a deprecated version of the Ads API. Please update "
        "to the latest version: v19.0.",
        evidence="official",
        source="DOC-USERS error table (fault only)",
    ),
    _entry("missing_token", 104, None, 400, OAUTH,
        "An access token is required to request this resource.",
        evidence="secondary",
        source="graph-api.md 7.3; gs-consuming-rest#10",
    ),
    _entry("invalid_token", 190, None, 400, OAUTH,
        "Invalid OAuth access token - Cannot parse access token",
        evidence="official",
        source="DOC-ERR; snarfed/bridgy#59",
    ),
    _entry("token_expired", 190, 463, 400, OAUTH,
        "Error validating access token: Session has expired on {expired_at}. The "
        "current time is {now}.",
        evidence="official",
        source="DOC-ERR (code), bridgy#59 (message)",
    ),
    _entry("invalid_appsecret_proof", 100, None, 400, METHOD,
        "Invalid appsecret_proof provided in the API argument",
        evidence="secondary",
        source="facebook-python-business-sdk#528",
    ),
    _entry("missing_appsecret_proof", 100, None, 400, METHOD,
        "API calls from the server require an appsecret_proof argument",
        evidence="secondary",
        source="eloquent-oauth-l5#46",
    ),
    _entry("object_not_found", 100, 33, 400, METHOD,
        OBJECT_NOT_FOUND_MESSAGE,
        evidence="secondary",
        source="flutter_facebook_login#44; facebook-php-business-sdk#422",
    ),
    _entry("permission_denied", 200, None, 400, OAUTH,
        "(#200) Permissions error",
        user_title="Permission Denied",
        user_msg="This access token may read this ad account but not change it.",
        evidence="official",
        source="DOC-ERR (code 200); message modelled",
    ),
    _entry("missing_parameter", 100, None, 400, OAUTH,
        "(#100) Missing parameter(s): {names}",
        evidence="secondary",
        source="facebook-php-business-sdk#457",
    ),
    _entry("missing_required_parameter", 100, None, 400, OAUTH,
        "(#100) Missing required parameter: {name}",
        evidence="secondary",
        source="facebook-nodejs-business-sdk#16",
    ),
    _entry("invalid_parameter", 100, None, 400, OAUTH,
        "(#100) {detail}",
        evidence="modelled",
        source="code 100 official; wording modelled",
    ),
    _entry("nonexisting_field", 100, None, 400, OAUTH,
        "(#100) Tried accessing nonexisting field ({field}) on node type ({node})",
        evidence="secondary",
        source="node-facebook/facebook-node-sdk#107",
    ),
    _entry("invalid_pii_type", 100, None, 400, OAUTH,
        "(#100) Raw PII type is invalid, it should be one of {keys}",
        evidence="secondary",
        source="facebook-java-business-sdk#114",
    ),
    _entry("schema_mismatch", 100, None, 400, OAUTH,
        "(#100) Data is missing or does not match schema: {detail}",
        evidence="secondary",
        source="facebook-ruby-business-sdk#63",
    ),
    _entry("uid_needs_app_ids", 100, None, 400, OAUTH,
        "(#100) app_ids or page_ids is required when the schema is {schema}",
        evidence="official",
        source="DOC-USERS (rule); wording modelled",
    ),
    _entry("value_based_needs_value", 100, None, 400, OAUTH,
        "(#100) Value-Based Custom Audience requires LOOKALIKE_VALUE attribute.",
        evidence="secondary",
        source="rudder-transformer fb_custom_audience mock",
    ),
    _entry("value_on_plain_audience", 100, None, 400, OAUTH,
        "(#100) LOOKALIKE_VALUE can only be sent to a value-based custom audience.",
        evidence="modelled",
        source="DOC-VBLAL (rule); error not documented",
    ),
    _entry("invalid_lookalike_value", 100, None, 400, OAUTH,
        "(#100) LOOKALIKE_VALUE must be a non-negative number ({detail})",
        evidence="modelled",
        source="DOC-VBLAL (rule); error not documented",
    ),
    _entry("wrong_subtype", 100, None, 400, OAUTH,
        "(#100) Users can only be added to or removed from a custom audience of "
        "subtype CUSTOM; audience {audience_id} has subtype {subtype}.",
        evidence="modelled",
        source="bug-reports.md BR-27",
    ),
    _entry("too_many_rows", 1, 99, 500, OAUTH,
        "An unknown error occurred",
        evidence="secondary",
        source="facebook-java-business-sdk#46 (30,000 rows gave 1/99)",
    ),
    _entry("data_source_mismatch", 2650, None, 400, OAUTH,
        UPDATE_FAILED + ": This audience was created from data source {current}, "
        "which does not support data source {requested}.",
        evidence="secondary",
        source="facebook-python-business-sdk#433",
    ),
    _entry("tos_not_accepted", 200, 1870090, 400, OAUTH,
        "Permissions error",
        user_title="Custom Audience Terms Not Accepted",
        user_msg="You need to accept the Custom Audience Terms before you can create "
                 "or edit an audience or its users. To accept, go to "
                 "https://business.facebook.com/ads/manage/customaudiences/tos/"
                 "?act={digits}",
        evidence="official",
        source="DOC-GUIDE, DOC-MERR (code 200/1870090); message and user text "
               "modelled on the recorded 1870047 answer",
    ),
    _entry("tos_2663", 2663, None, 400, OAUTH,
        "Terms of service has not been accepted. To accept, go to "
        "https://www.facebook.com/customaudiences/app/tos",
        evidence="official",
        source="DOC-ACCT-CA v24 (fault only)",
    ),
    _entry("audience_limit", 2654, None, 400, OAUTH,
        "(#2654) Failed to create custom audience: this ad account already has "
        "{limit} customer-file custom audiences, the maximum.",
        evidence="modelled",
        source="limit official (DOC-ACCT-CA); error unknown",
    ),
    _entry("removal_too_small", 200, 1870047, 400, OAUTH,
        "Permissions error",
        user_title="Audience Size too Low",
        user_msg="You cannot remove users from this audience because it will result "
                 "in a low audience size.",
        evidence="recorded",
        source="REC-GR v9.0/v10.0; DOC-MERR",
    ),
    _entry("replace_in_progress", 2650, 1870145, 400, OAUTH,
        UPDATE_FAILED,
        user_title="Audience Update In Progess",
        user_msg="A replace is already running on this audience; wait for it to "
                 "finish before changing its users.",
        evidence="official",
        source="DOC-GUIDE usersreplace errors",
    ),
    _entry("replace_timed_out", 2650, 1870158, 400, OAUTH,
        UPDATE_FAILED,
        user_title="Replace Session Timed Out",
        user_msg="This replace session ended 90 minutes after its first batch.",
        evidence="official",
        source="DOC-GUIDE usersreplace errors",
    ),
    _entry("replace_invalid_batch", 2650, 1870147, 400, OAUTH,
        UPDATE_FAILED,
        user_title="Invalid Upload Batch for Replace",
        user_msg="A replace session must start with batch_seq 1.",
        evidence="official",
        source="DOC-GUIDE usersreplace errors",
    ),
    _entry("replace_finished", 2650, 1870159, 400, OAUTH,
        UPDATE_FAILED,
        user_title="Replace Session Finished",
        user_msg="This replace session already received its last batch.",
        evidence="official",
        source="DOC-GUIDE usersreplace errors",
    ),
    _entry("replace_failed", 2650, 1870148, 400, OAUTH,
        UPDATE_FAILED,
        user_title="Something Went Wrong",
        user_msg="The replace could not be completed. Please try again.",
        evidence="official",
        source="DOC-GUIDE usersreplace errors (fault only)",
    ),
    _entry("upload_blocked", 100, 1713230, 400, OAUTH,
        "Invalid parameter",
        user_title="Audience Upload Blocked",
        user_msg="This audience was flagged for integrity reasons; its users cannot "
                 "be changed.",
        evidence="official",
        source="DOC-USERS (471 flagged audiences)",
    ),
    _entry("edit_blocked", 100, 1713228, 400, OAUTH,
        "Invalid parameter",
        user_title="Custom Audience Cannot Be Edited",
        user_msg="This audience was flagged for integrity reasons and cannot be "
                 "edited.",
        evidence="official",
        source="DOC-CA (471 flagged audiences)",
    ),
    _entry("audience_unavailable", 1487301, None, 400, OAUTH,
        "Custom Audience Unavailable: The custom audience you are trying to use has "
        "not been shared with your ad account",
        evidence="secondary",
        source="rudder-transformer mock (fault only)",
    ),
    _entry("audience_deleted", 1487366, None, 400, OAUTH,
        "Custom Audience Has Been Deleted",
        evidence="secondary",
        source="rudder-transformer mock (fault only)",
    ),
    _entry("delete_blocked_lookalikes", 2656, None, 400, OAUTH,
        "(#2656) Failed to delete custom audience because associated lookalikes exist",
        evidence="official",
        source="DOC-CA delete errors (fault only)",
    ),
    _entry("too_many_parameters", 105, None, 400, OAUTH,
        "(#105) The number of parameters exceeded the maximum for this operation",
        evidence="official",
        source="DOC-USERS (fault only)",
    ),
    _entry("throttled", 80003, None, 400, OAUTH,
        "(#80003) " + THROTTLE_MESSAGE,
        is_transient=True,
        evidence="official",
        source="DOC-RL, DOC-CA (code and message); status 400 secondary "
               "(tap-facebook#192)",
    ),
    _entry("throttled_80004", 80004, 2446079, 400, OAUTH,
        "(#80004) " + THROTTLE_MESSAGE,
        is_transient=True,
        evidence="secondary",
        source="airbyte#8773 (fault only)",
    ),
    _entry("rate_limit_613", 613, 1487742, 400, OAUTH,
        "(#613) Calls to this api have exceeded the rate limit.",
        is_transient=True,
        evidence="official",
        source="DOC-RL (fault only)",
    ),
    _entry("user_request_limit", 17, 2446079, 400, OAUTH,
        "(#17) User request limit reached",
        is_transient=True,
        evidence="official",
        source="DOC-RL (fault only)",
    ),
    _entry("app_request_limit", 4, None, 400, OAUTH,
        "(#4) Application request limit reached",
        is_transient=True,
        evidence="official",
        source="DOC-ERR (fault only)",
    ),
    _entry("temporary", 2, None, 500, OAUTH,
        "An unexpected error has occurred. Please retry your request later.",
        is_transient=True,
        evidence="official",
        source="DOC-ERR (fault only)",
    ),
    _entry("unknown_error", 1, 99, 500, OAUTH,
        "An unknown error occurred",
        is_transient=True,
        evidence="official",
        source="DOC-ERR (fault only)",
    ),
)
# fmt: on

CATALOGUE: dict[str, CatalogueEntry] = {entry.name: entry for entry in _ENTRIES}


class GraphError(Exception):
    """A request the Graph API would refuse; the Flask layer answers it."""

    def __init__(self, name: str, /, **details) -> None:
        self.entry = CATALOGUE[name]
        self.details = details
        self.usage = None  # throttle.Usage, set when the answer needs usage headers
        self.message = self.entry.message.format_map(_Blank(details))
        self.user_msg = self.entry.user_msg
        if self.user_msg:
            self.user_msg = self.user_msg.format_map(_Blank(details))
        super().__init__(self.message)

    @property
    def name(self) -> str:
        return self.entry.name


class _Blank(dict):
    """format_map helper: a placeholder without a value reads as nothing."""

    def __missing__(self, key: str) -> str:
        return ""


def envelope(error: GraphError, fbtrace_id: str) -> dict:
    """The JSON body Graph sends for an error, optional keys only when set."""
    entry = error.entry
    body: dict = {"message": error.message, "type": entry.type, "code": entry.code}
    if entry.subcode is not None:
        body["error_subcode"] = entry.subcode
    body["is_transient"] = entry.is_transient
    if entry.user_title:
        body["error_user_title"] = entry.user_title
    if error.user_msg:
        body["error_user_msg"] = error.user_msg
    body["fbtrace_id"] = fbtrace_id
    return {"error": body}


# Control characters (a newline in a requested path, say) cannot go in a header.
_HEADER_UNSAFE = dict.fromkeys([*range(32), 127], " ")


def error_headers(error: GraphError) -> dict[str, str]:
    """Extra headers for an error: OAuth errors carry WWW-Authenticate, as recorded."""
    if error.entry.type != OAUTH:
        return {}
    message = error.message.replace('"', "'").encode("ascii", "replace").decode()
    message = message.translate(_HEADER_UNSAFE)
    return {
        "WWW-Authenticate": f'OAuth "Facebook Platform" "invalid_request" "{message}"'
    }
