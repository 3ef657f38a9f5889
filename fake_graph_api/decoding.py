"""Turn an HTTP request into a Graph call: version, path parts, merged parameters.

Parameters come from the query string (the SDK's GET and DELETE), form bodies whose
values may be JSON strings (the SDK's POST), multipart forms (curl -F), and JSON
bodies; query and body are merged, the body winning. `method=DELETE` (or GET) on a
POST overrides the method. A URL longer than the configured limit answers 414.
"""

import json
import re
from dataclasses import dataclass, field

from werkzeug.wrappers import Request

from fake_graph_api.errors import GraphError

VERSION = re.compile(r"v[0-9]+\.[0-9]+")
OVERRIDABLE = {"DELETE", "GET"}


@dataclass
class GraphCall:
    """One Graph request as the handlers see it, plus what the journal records."""

    method: str
    path: str
    version: str = ""
    parts: list[str] = field(default_factory=list)
    query: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    url_length: int = 0
    ad_account: str | None = None
    audience_id: str | None = None
    rows: int = 0

    @property
    def unversioned_path(self) -> str:
        return "/" + "/".join(self.parts)

    @property
    def version_tuple(self) -> tuple[int, int]:
        major, _, minor = self.version[1:].partition(".")
        return int(major), int(minor)

    @property
    def payload_in_query(self) -> bool:
        return "payload" in self.query


def decode(request: Request, *, max_url_length: int) -> GraphCall:
    """Read method, version, path and parameters; raise GraphError when malformed."""
    path = request.path
    query_string = request.query_string.decode("latin-1")
    # HEAD is answered as GET; the WSGI layer sends the headers without the body.
    method = request.method.upper()
    call = GraphCall(method="GET" if method == "HEAD" else method, path=path)
    call.url_length = len(request.host_url) + len(path) + len(query_string) + 1
    if call.url_length > max_url_length:
        raise GraphError("uri_too_long", limit=max_url_length)

    segments = [part for part in path.split("/") if part]
    if not segments or not VERSION.fullmatch(segments[0]):
        raise GraphError("unknown_path", path=path)
    call.version, call.parts = segments[0], segments[1:]
    call.query = request.args.to_dict()
    call.params = {**call.query, **_body_params(request)}
    override = str(call.params.get("method", "")).upper()
    if call.method == "POST" and override in OVERRIDABLE:
        call.method = override
    return call


def _body_params(request: Request) -> dict:
    if (
        request.method in ("GET", "HEAD")
        or not request.content_length
        and not (request.headers.get("Transfer-Encoding"))
    ):
        return {}
    if request.mimetype == "application/json":
        return _json_body(request)
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        params = request.form.to_dict()
        for name, upload in request.files.items():
            params.setdefault(name, _file_text(upload, name))
        return params
    raise GraphError(
        "invalid_parameter",
        detail=f"Unsupported request body type {request.mimetype or 'none'}; send "
        "form fields or a JSON object",
    )


def _json_body(request: Request) -> dict:
    try:
        body = json.loads(request.get_data(cache=True))
    except (ValueError, UnicodeDecodeError):
        raise GraphError(
            "invalid_parameter", detail="The request body is not valid JSON"
        ) from None
    if not isinstance(body, dict):
        raise GraphError(
            "invalid_parameter", detail="The JSON request body must be an object"
        )
    return body


def _file_text(upload, name: str) -> str:
    try:
        return upload.read().decode("utf-8")
    except UnicodeDecodeError:
        raise GraphError(
            "invalid_parameter", detail=f"Param {name} is not UTF-8 text"
        ) from None
