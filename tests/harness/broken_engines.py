"""Deliberately broken forwarding engines: the reference engine with one mistake each.

Each `BrokenEngine` is a factory the `python:` engine adapter can load
(`python:tests.harness.broken_engines:phone_plus_kept`). It builds a
`ReferenceEngine` variant that changes the smallest piece that makes the mistake:

- the cell it computes for one column (`harness.engine.rows` calls
  `harness.normalise.cell`; the variant swaps that function while it handles a
  message),
- the users payload just before it is sent (a `GraphClient` subclass through the
  engine's `graph_client` seam),
- or one engine or connection method.

`tests/harness/test_gate_catches_bugs.py` runs the scenario library against every
engine here and checks the gate fails it and names the mistake.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from unittest import mock

import phonenumbers

from fake_graph_api.keys import HASHED_KEYS
from harness import normalise
from harness.engine import ReferenceEngine
from harness.engine import connection as connection_module
from harness.engine import rows as rows_module
from harness.engine.connection import Connection
from harness.engine.graph import GraphClient
from harness.normalise.text import as_text, digits_only


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Patched module attributes: (object, attribute name, replacement).
Patch = tuple[object, str, object]


class VariantEngine(ReferenceEngine):
    """A reference engine that applies `patches` while it handles each message."""

    def patches(self) -> list[Patch]:
        return []

    def handle(self, message: dict) -> dict:
        with contextlib.ExitStack() as stack:
            for target, name, replacement in self.patches():
                stack.enter_context(mock.patch.object(target, name, replacement))
            return super().handle(message)


# Mistakes in one column's cell -------------------------------------------------


class _NormaliseWithMistake:
    """`harness.normalise` as `harness.engine.rows` sees it, with a broken `cell`."""

    def __init__(self, cell: Callable) -> None:
        self.cell = cell

    def __getattr__(self, name: str):
        return getattr(normalise, name)


class CellMistakeEngine(VariantEngine):
    """Computes the cells of some columns wrongly; every other cell is correct."""

    mistakes: dict[str, Callable[..., str]] = {}

    def patches(self) -> list[Patch]:
        proxy = _NormaliseWithMistake(self._cell)
        return [(rows_module, "normalise", proxy)]

    def _cell(self, key: str, value, **context):
        mistake = self.mistakes.get(key)
        encoding = context.get("encoding")
        if mistake is None or (encoding or "raw") != "raw" or not as_text(value):
            return normalise.cell(key, value, **context)
        return mistake(value, context)


def _raw(value) -> str:
    """The value as text, untrimmed (where an engine forgets to trim)."""
    return value if isinstance(value, str) else as_text(value)


def _correct_phone(value, context) -> str:
    country = context.get("country")
    return normalise.normalise(
        "PHONE",
        value,
        country=country,
        default_region=context.get("default_region"),
    )


def _phone_without_country_code(value, context) -> str:
    correct = _correct_phone(value, context)
    if not correct:
        return ""
    number = phonenumbers.parse("+" + correct, None)
    return sha256(str(number.national_number))


def _phone_leading_zeros_kept(value, context) -> str:
    digits = digits_only(as_text(value))
    if digits.startswith("0"):
        return sha256(digits)
    correct = _correct_phone(value, context)
    return sha256(correct) if correct else ""


def _phone_plus_kept(value, context) -> str:
    correct = _correct_phone(value, context)
    return sha256("+" + correct) if correct else ""


def _lower_cased_only(value, context) -> str:
    return sha256(as_text(value).lower())


class EmailNotTrimmed(CellMistakeEngine):
    mistakes = {"EMAIL": lambda value, context: sha256(_raw(value).lower())}


class EmailNotLowerCased(CellMistakeEngine):
    mistakes = {"EMAIL": lambda value, context: sha256(as_text(value))}


class PhonePlusKept(CellMistakeEngine):
    mistakes = {"PHONE": _phone_plus_kept}


class PhoneLeadingZerosKept(CellMistakeEngine):
    mistakes = {"PHONE": _phone_leading_zeros_kept}


class PhoneWithoutCountryCode(CellMistakeEngine):
    mistakes = {"PHONE": _phone_without_country_code}


class GenderNotNormalised(CellMistakeEngine):
    mistakes = {"GEN": _lower_cased_only}


class NamesKeepPunctuation(CellMistakeEngine):
    mistakes = {"FN": _lower_cased_only, "LN": _lower_cased_only}


class StateNotMappedToCode(CellMistakeEngine):
    mistakes = {"ST": _lower_cased_only}


# Mistakes in the payload as sent ----------------------------------------------


class PayloadMistakeGraph(GraphClient):
    """A Graph client that changes every users payload before sending it."""

    mistake: Callable[[dict], dict]  # set by `_graph_engine`

    def send_users(
        self, method: str, audience_id: str, payload: dict, session: dict
    ) -> dict:
        return super().send_users(
            method, audience_id, self.mistake(copy.deepcopy(payload)), session
        )


def _change_cells(payload: dict, change: Callable[[str, object], object]) -> dict:
    """Apply `change(column, cell)` to every cell of a list-schema payload."""
    schema = payload["schema"]
    if isinstance(schema, str):
        return payload
    payload["data"] = [
        [change(column, cell) for column, cell in zip(schema, row, strict=True)]
        for row in payload["data"]
    ]
    return payload


def _graph_engine(mistake: Callable[[dict], dict]) -> type[ReferenceEngine]:
    graph = type("Graph", (PayloadMistakeGraph,), {"mistake": staticmethod(mistake)})
    return type("PayloadMistakeEngine", (ReferenceEngine,), {"graph_client": graph})


def _hashed_twice(column: str, cell):
    return sha256(cell) if column in HASHED_KEYS and cell else cell


def _madid_hashed(column: str, cell):
    return sha256(cell) if column == "MADID" and cell else cell


def _madid_upper_case(column: str, cell):
    return cell.upper() if column == "MADID" else cell


def _empty_hashed(column: str, cell):
    return sha256("") if column in HASHED_KEYS and cell == "" else cell


def _upper_case_hex(column: str, cell):
    return cell.upper() if column in HASHED_KEYS else cell


def _value_hashed(column: str, cell):
    return sha256(json.dumps(cell)) if column == "LOOKALIKE_VALUE" else cell


def _columns_shifted(payload: dict) -> dict:
    """Each multi-key row's identity cells moved one column to the right."""
    schema = payload["schema"]
    if isinstance(schema, str) or len(schema) < 2:
        return payload
    width = len(schema) - (schema[-1] == "LOOKALIKE_VALUE")
    payload["data"] = [
        [row[width - 1], *row[: width - 1], *row[width:]] for row in payload["data"]
    ]
    return payload


class PayloadInQueryGraph(GraphClient):
    """Sends the users payload and session in the URL query, as some clients did."""

    def send_users(
        self, method: str, audience_id: str, payload: dict, session: dict
    ) -> dict:
        params = {"payload": json.dumps(payload), "session": json.dumps(session)}
        rows = len(payload["data"])
        return self.call(method, f"{audience_id}/users", params=params, rows=rows)


class SingleAttemptGraph(GraphClient):
    """Makes each Graph call once: throttling and 5xx are never retried."""

    def call(self, method, path, *, body=None, params=None, rows=0) -> dict:
        return self._send_once(method, path, body, params, rows)


class PayloadInQuery(ReferenceEngine):
    graph_client = PayloadInQueryGraph


class ThrottlingNotRetried(ReferenceEngine):
    graph_client = SingleAttemptGraph


# Mistakes in what the engine does ---------------------------------------------


class DeletionsNeverForwarded(ReferenceEngine):
    """Drops every audience `delete` action from membership messages."""

    def handle(self, message: dict) -> dict:
        if message.get("type") == "audience_membership_change_request":
            message = _without_deletions(message)
        return super().handle(message)


def _without_deletions(message: dict) -> dict:
    message = copy.deepcopy(message)
    profiles = []
    for profile in message.get("user_profiles") or []:
        audiences = [a for a in profile["audiences"] if a["action"] != "delete"]
        if audiences:
            profiles.append({**profile, "audiences": audiences})
    message["user_profiles"] = profiles
    return message


class RowsDroppedAfterFault(ReferenceEngine):
    """On resume, forgets the uploads a fault interrupted instead of finishing them."""

    def resume(self, audience_id: int | None = None) -> None:
        for connection in self.connections.values():
            if audience_id in (None, connection.audience_id) and connection.faulted:
                connection.uploads.clear()
        super().resume(audience_id)


class NoBulkQueue(ReferenceEngine):
    """Uploads after every message instead of waiting for the bulk thresholds."""

    def handle(self, message: dict) -> dict:
        answer = super().handle(message)
        if message.get("type") == "audience_membership_change_request":
            self.flush()
        return answer


class UnsubscribeKeepsAudiences(VariantEngine):
    """Stops forwarding on unsubscribe but never deletes the downstream audiences."""

    def patches(self) -> list[Patch]:
        return [(Connection, "_delete_downstream", _forget_downstream)]


def _forget_downstream(connection: Connection) -> None:
    connection.downstream.clear()
    connection.uploads.clear()


def _capitalised_suffix(kind, name, settings) -> str:
    suffix = (
        settings.multi_key_audience_suffix if kind.id == "multi_key" else kind.suffix
    )
    return f"{name} {suffix.title()}"


class _RowsWithMistake:
    """`harness.engine.rows` as the connection module sees it, with replacements."""

    def __init__(self, **replacements) -> None:
        self._replacements = replacements

    def __getattr__(self, name: str):
        if name in self._replacements:
            return self._replacements[name]
        return getattr(rows_module, name)


class WrongAudienceSuffix(VariantEngine):
    """Names audiences "<name> (Email)", "(Phone)"... with capitalised suffixes."""

    def patches(self) -> list[Patch]:
        proxy = _RowsWithMistake(audience_name=_capitalised_suffix)
        return [(connection_module, "rowbuilder", proxy)]


def _value_with_zero_allowed(attributes, settings):
    allowing = dataclasses.replace(settings, allow_zero_values=True)
    return rows_module.lookalike_value(attributes, allowing)


class ZeroValuesAlwaysForwarded(VariantEngine):
    """Ignores Allow Zero Values: zero and missing values always go out as 0."""

    def patches(self) -> list[Patch]:
        proxy = _RowsWithMistake(lookalike_value=_value_with_zero_allowed)
        return [(connection_module, "rowbuilder", proxy)]


class ExistingAudiencesIgnored(VariantEngine):
    """Never looks for an existing audience by name: always creates a new one."""

    def patches(self) -> list[Patch]:
        return [(Connection, "_audiences_by_name", lambda connection: {})]


def _fixed_file_source(connection: Connection, name: str) -> dict:
    fields = _creation_fields(connection, name)
    return {**fields, "customer_file_source": "USER_PROVIDED_ONLY"}


_creation_fields = Connection._creation_fields


class CustomerFileSourceIgnored(VariantEngine):
    """Creates every audience as USER_PROVIDED_ONLY whatever the setting says."""

    def patches(self) -> list[Patch]:
        return [(Connection, "_creation_fields", _fixed_file_source)]


# The catalogue ----------------------------------------------------------------


@dataclass(frozen=True)
class BrokenEngine:
    """One broken engine: its mistake, where the library should catch it, and how.

    `tags` select the library scenarios to run against it (any tag matches);
    `diagnosis` holds the pieces of text one line of the failure report must all
    contain for the catch to count.
    """

    name: str
    mistake: str
    engine: type[ReferenceEngine]
    tags: tuple[str, ...]
    diagnosis: tuple[str, ...]
    max_rows_per_request: int | None = None

    def __call__(self, *, graph_url: str, clock, http=None) -> ReferenceEngine:
        options = {}
        if self.max_rows_per_request is not None:
            options["max_rows_per_request"] = self.max_rows_per_request
        return self.engine(graph_url, clock=clock, http=http, **options)

    @property
    def spec(self) -> str:
        return f"python:{__name__}:{self.name}"


def _payload(change: Callable[[str, object], object]) -> type[ReferenceEngine]:
    return _graph_engine(lambda payload: _change_cells(payload, change))


BROKEN_ENGINES: tuple[BrokenEngine, ...] = (
    BrokenEngine(
        "email_not_trimmed",
        "emails hashed without trimming spaces",
        EmailNotTrimmed,
        ("email",),
        ("EMAIL for", "it was not trimmed"),
    ),
    BrokenEngine(
        "email_not_lower_cased",
        "emails hashed without lower-casing",
        EmailNotLowerCased,
        ("email",),
        ("EMAIL for", "it was not lower-cased"),
    ),
    BrokenEngine(
        "phone_plus_kept",
        "the plus of international phones kept before hashing",
        PhonePlusKept,
        ("phone",),
        ("PHONE for", "the plus was kept"),
    ),
    BrokenEngine(
        "phone_leading_zeros_kept",
        "leading zeros (00 prefix, trunk zero) kept in phones",
        PhoneLeadingZerosKept,
        ("phone",),
        ("PHONE for", "the leading zeros were kept"),
    ),
    BrokenEngine(
        "phone_without_country_code",
        "phones sent without their country code",
        PhoneWithoutCountryCode,
        ("phone",),
        ("PHONE for", "the country code is missing"),
    ),
    BrokenEngine(
        "hashed_twice",
        "hashed cells hashed a second time",
        _payload(_hashed_twice),
        ("email", "phone"),
        ("looks like sha256(sha256(", "it was hashed twice"),
    ),
    BrokenEngine(
        "upper_case_hex",
        "digests sent as upper-case hex",
        _payload(_upper_case_hex),
        ("email",),
        ("hash_not_sha256", "upper-case hex digest"),
    ),
    BrokenEngine(
        "empty_cells_hashed",
        "empty cells sent as sha256 of the empty string",
        _payload(_empty_hashed),
        ("empty",),
        ("looks like sha256('')", "an empty value was hashed"),
    ),
    BrokenEngine(
        "madid_hashed",
        "advertising ids hashed",
        _payload(_madid_hashed),
        ("madid",),
        ("MADID for", "this column is sent unhashed"),
    ),
    BrokenEngine(
        "madid_upper_case",
        "advertising ids sent without lower-casing",
        _payload(_madid_upper_case),
        ("madid",),
        ("MADID for", "it was not lower-cased"),
    ),
    BrokenEngine(
        "gender_not_normalised",
        "gender hashed as written instead of m or f",
        GenderNotNormalised,
        ("gender",),
        ("GEN for", "it was not normalised before hashing"),
    ),
    BrokenEngine(
        "names_keep_punctuation",
        "first and last names keep punctuation and spaces",
        NamesKeepPunctuation,
        ("names",),
        ("LN for", "it was not normalised before hashing"),
    ),
    BrokenEngine(
        "state_not_mapped_to_code",
        "US state names hashed instead of their 2-letter code",
        StateNotMappedToCode,
        ("state",),
        ("ST for", "it was not normalised before hashing"),
    ),
    BrokenEngine(
        "multi_key_columns_shifted",
        "the multi-key row's cells shifted by one column",
        _graph_engine(_columns_shifted),
        ("columns",),
        ("holds the", "wrong column"),
    ),
    BrokenEngine(
        "value_sent_hashed",
        "LOOKALIKE_VALUE sent as a hash instead of a number",
        _payload(_value_hashed),
        ("lookalike-value",),
        ("is faulted", "LOOKALIKE_VALUE must be a non-negative number"),
    ),
    BrokenEngine(
        "more_than_10000_rows",
        "up to 20,000 rows in one request",
        ReferenceEngine,
        ("request-size",),
        ("POST /*/users requests, expected at most 2",),
        max_rows_per_request=20_000,
    ),
    BrokenEngine(
        "payload_in_query",
        "the users payload sent in the URL query string",
        PayloadInQuery,
        ("payload",),
        ("put the payload in its query string",),
    ),
    BrokenEngine(
        "wrong_audience_suffix",
        "audiences named with capitalised suffixes, e.g. (Email)",
        WrongAudienceSuffix,
        ("naming",),
        ("near misses:", " (Email)'"),
    ),
    BrokenEngine(
        "deletions_never_forwarded",
        "users leaving the audience never removed on Facebook",
        DeletionsNeverForwarded,
        ("removal",),
        ("unexpected member",),
    ),
    BrokenEngine(
        "throttling_not_retried",
        "throttling and 5xx answers not retried",
        ThrottlingNotRetried,
        ("throttling",),
        ("is faulted", "too many calls"),
    ),
    BrokenEngine(
        "rows_dropped_after_fault",
        "uploads interrupted by a fault dropped on resume",
        RowsDroppedAfterFault,
        ("resume",),
        ("missing member",),
    ),
    BrokenEngine(
        "no_bulk_queue",
        "uploads sent at once instead of every 3 hours",
        NoBulkQueue,
        ("timing",),
        ("unexpected member",),
    ),
    BrokenEngine(
        "unsubscribe_keeps_audiences",
        "downstream audiences kept when the mParticle audience is deleted",
        UnsubscribeKeepsAudiences,
        ("deletion",),
        ("is still live; expected deleted",),
    ),
    BrokenEngine(
        "zero_values_forwarded",
        "zero and missing values forwarded with Allow Zero Values off",
        ZeroValuesAlwaysForwarded,
        ("allow-zero",),
        ("unexpected member", "LOOKALIKE_VALUE: 0}"),
    ),
    BrokenEngine(
        "existing_audiences_ignored",
        "a new audience created even when one of that name exists",
        ExistingAudiencesIgnored,
        ("restart",),
        ("live audiences are named", "expected one"),
    ),
    BrokenEngine(
        "customer_file_source_ignored",
        "every audience created as USER_PROVIDED_ONLY",
        CustomerFileSourceIgnored,
        ("customer-file-source",),
        ("customer_file_source is 'USER_PROVIDED_ONLY'",),
    ),
)

# Module attributes the `python:` adapter loads, e.g. `...broken_engines:hashed_twice`.
globals().update({broken.name: broken for broken in BROKEN_ENGINES})
