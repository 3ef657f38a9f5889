"""mParticle audience messages: validated against the shipped JSON Schemas, then read.

Every incoming message is validated against `schemas/<type>.json` before anything
else happens; a failure raises `InvalidMessageError` naming the JSON path of the
field, so an invalid message changes nothing. Valid messages are read into small
frozen records (`Profile`, `MembershipChange`) and answered with `*_response` dicts.
The identity type names are the protocol's (mParticle Firehose, lower-case on the
wire) and live in `schemas/common.json`; the constants below are read from it.
"""

import json
import uuid
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import jsonschema
from referencing import Registry, Resource

from fake_graph_api.documents import compile_acceptor
from harness.engine.errors import InvalidMessageError

FIREHOSE_VERSION = "3.2.0"
MESSAGE_TYPES = (
    "audience_subscription_request",
    "audience_membership_change_request",
    "fbca_control",
)


def _load_schema(name: str) -> dict:
    text = resources.files("harness.engine").joinpath(f"schemas/{name}.json")
    return json.loads(text.read_text(encoding="utf-8"))


_COMMON = _load_schema("common")
USER_IDENTITY_TYPES: tuple[str, ...] = tuple(
    _COMMON["$defs"]["user_identity_type"]["enum"]
)
DEVICE_IDENTITY_TYPES: tuple[str, ...] = tuple(
    _COMMON["$defs"]["device_identity_type"]["enum"]
)


@cache
def _validator(message_type: str) -> jsonschema.Draft202012Validator:
    """A validator for one message type, its `$ref`s inlined once for speed."""
    schema = _load_schema(message_type)
    registry = Registry().with_resources(
        (document["$id"], Resource.from_contents(document))
        for document in (_COMMON, schema)
    )
    resolver = registry.resolver(base_uri=schema["$id"])
    inlined = _inline_refs(schema, resolver)
    return jsonschema.Draft202012Validator(inlined)


@cache
def _accepts(message_type: str):
    """The fast check of the same inlined schema (about 20 times faster on valid
    messages); jsonschema words the errors of what it refuses."""
    inlined = dict(_validator(message_type).schema)
    inlined.pop("$defs", None)  # its references are inlined; left, they point away
    return compile_acceptor(inlined)


def _inline_refs(node, resolver):
    """`node` with every `$ref` replaced by its target (our schemas never recurse).

    Resolving references while validating dominates the cost of a large message
    (10,000 profiles); inlining them once keeps validation linear and cheap.
    """
    if isinstance(node, list):
        return [_inline_refs(item, resolver) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        resolved = resolver.lookup(node["$ref"])
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        target = _inline_refs(resolved.contents, resolved.resolver)
        return {**target, **_inline_refs(siblings, resolver)} if siblings else target
    return {
        key: value
        if key in ("$defs", "enum", "const")
        else _inline_refs(value, resolver)
        for key, value in node.items()
    }


def validate(message: object) -> str:
    """Check `message` against its schema and return its type, or raise."""
    if not isinstance(message, dict):
        raise InvalidMessageError("$", "a message must be a JSON object")
    message_type = message.get("type")
    if message_type not in MESSAGE_TYPES:
        known = ", ".join(MESSAGE_TYPES)
        raise InvalidMessageError(
            "$.type", f"must be one of {known}, got {message_type!r}"
        )

    if _accepts(message_type)(message):
        return message_type
    error = jsonschema.exceptions.best_match(
        _validator(message_type).iter_errors(message)
    )
    if error is not None:
        raise InvalidMessageError(_path_of(error), error.message)
    return message_type


def _path_of(error: jsonschema.ValidationError) -> str:
    """The JSON path of the faulty field; for a missing field, the field's own path."""
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [name for name in error.validator_value if name not in error.instance]
        if missing:
            return f"{error.json_path}.{missing[0]}"
    return error.json_path


@dataclass(frozen=True)
class Identity:
    """One user or device identity as the message carried it."""

    type: str
    encoding: str
    value: str


@dataclass(frozen=True)
class Profile:
    """The identities of one user; attributes are per audience, see MembershipChange."""

    mpid: str | None
    user_identities: tuple[Identity, ...]
    device_identities: tuple[Identity, ...]

    def identities_of(self, identity_type: str) -> list[Identity]:
        """Every identity of that type, user and device identities alike."""
        every = self.user_identities + self.device_identities
        return [identity for identity in every if identity.type == identity_type]

    @property
    def key(self) -> str:
        """The user's key: the mpid, else every identity, in a stable order."""
        if self.mpid:
            return f"mpid:{self.mpid}"
        every = sorted(
            (i.type, i.value) for i in self.user_identities + self.device_identities
        )
        return "ids:" + json.dumps(every, separators=(",", ":"))


@dataclass(frozen=True)
class AttributeChange:
    key: str
    value: str | None
    deleted: bool


@dataclass(frozen=True)
class MembershipChange:
    """One user's change in one mParticle audience."""

    profile: Profile
    audience_id: int
    audience_name: str | None
    subscription_settings: dict = field(hash=False)
    action: str
    attributes: tuple[AttributeChange, ...]
    path: str = ""

    @property
    def is_member(self) -> bool:
        """`delete` means the user left; `add` and `attribute_update` leave them in."""
        return self.action != "delete"


def membership_changes(message: dict) -> list[MembershipChange]:
    """Flatten a validated membership request into one change per user and audience."""
    changes = []
    for p, raw_profile in enumerate(message.get("user_profiles") or []):
        profile = _read_profile(raw_profile)
        for a, audience in enumerate(raw_profile["audiences"]):
            path = f"$.user_profiles[{p}].audiences[{a}]"
            changes.append(_read_change(profile, audience, path))
    return changes


def _read_profile(raw: dict) -> Profile:
    return Profile(
        mpid=raw.get("mpid"),
        user_identities=tuple(Identity(**i) for i in raw.get("user_identities", [])),
        device_identities=tuple(
            Identity(**i) for i in raw.get("device_identities", [])
        ),
    )


def _read_change(profile: Profile, audience: dict, path: str) -> MembershipChange:
    attributes = tuple(
        AttributeChange(
            key=item["key"],
            value=_attribute_value(item),
            deleted=item.get("action") == "delete",
        )
        for item in audience.get("user_attributes") or []
    )
    return MembershipChange(
        profile=profile,
        audience_id=audience["audience_id"],
        audience_name=audience.get("audience_name"),
        subscription_settings=dict(audience.get("audience_subscription_settings", {})),
        action=audience["action"],
        attributes=attributes,
        path=path,
    )


def _attribute_value(item: dict) -> str | None:
    if item.get("value") is not None:
        return item["value"]
    if item.get("list_value"):
        return item["list_value"][0]
    return None


def response(request: dict, response_type: str, **fields) -> dict:
    """The response envelope for `request`, with the given fields."""
    return {
        "type": response_type,
        "id": str(uuid.uuid4()),
        "timestamp_ms": request.get("timestamp_ms", 0),
        "firehose_version": request.get("firehose_version", FIREHOSE_VERSION),
        **fields,
    }
