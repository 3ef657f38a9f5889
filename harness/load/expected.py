"""The final membership every downstream audience should have, derived from a stream.

`ExpectedMembership.observe(message)` follows the stream an engine receives and
keeps, per connection and user, a 64-bit digest of each row that user should have
in each downstream audience. Which downstream audiences a connection feeds and
which cells a user gives each are derived here from the documented settings
(mParticle's Facebook Audience page, reference/mparticle.md sections 1-2), not from
the engine's row builder; only the per-key normalisation comes from
`harness.normalise`. Memory grows with members (some 150 bytes per user and
audience), never with messages.

Rules, in the words of the settings:

- `(email)`: forwardEmails; the identities of externalEmailIdentityType.
- `(fb id)`: forwardFacebookIds with a facebookApplicationId, not value based (a
  single-key UID row has no value column); the `facebook` identity as UID.
- `(IDFA/GAID)`: forwardIdfas or forwardGoogleAdvertisingIds; those device ids.
- `(phone)`: forwardPhones; the phone identities and `$Mobile`, read with the
  user's `$Country` and defaultPhoneRegion.
- multi-key (`<name> <multiKeyAudienceSuffix>`): enableMultiKeyAudience; one row of
  every forwarded identity kind plus EXTERN_ID (multiKeyExternalIdType, trimmed,
  lower-cased, hashed) and, with matchOnUserAttributes, FN FI LN CT ST ZIP COUNTRY
  GEN; a row needs one identifying cell.
- value based: every row carries LOOKALIKE_VALUE; a user whose value is missing,
  negative or (without allowZeroValues) zero is not forwarded. A user who was
  forwarded and whose value then becomes unusable may keep the old row or lose it
  (the documentation does not say; it depends on flush timing): both are accepted.
- a disconnected audience (`remove` subscription) has its downstream audiences
  deleted.
"""

import struct
from dataclasses import dataclass, field

from harness import normalise
from harness.engine.settings import NO_IDENTITY, ConnectionSettings, parse_settings

PHONE_TYPES = ("mobile_number", "phone_number_2", "phone_number_3")
ATTRIBUTE_SOURCES = (
    ("FN", "$firstname"),
    ("FI", "$firstname"),
    ("LN", "$lastname"),
    ("CT", "$city"),
    ("ST", "$state"),
    ("ZIP", "$zip"),
    ("COUNTRY", "$country"),
    ("GEN", "$gender"),
)
# Identity columns of the multi-key row, and the settings that forward each.
FORWARDED_BY = (
    ("EMAIL", ("forward_emails",)),
    ("PHONE", ("forward_phones",)),
    ("MADID", ("forward_idfas", "forward_google_advertising_ids")),
)


def member_digest(member: dict) -> int:
    """A 64-bit digest of one member (its non-empty cells), whatever the key order.

    Python's own hash: stable within one process, which is where both the expected
    and the found members are digested. 45 and 45.0 digest alike, as JSON has it.
    """
    return hash(frozenset(member.items())) or 1


def pack_digests(rows: list[dict | None]) -> bytes:
    """One user's row digests, 8 bytes each in downstream order; 0 means no row."""
    return struct.pack(f"{len(rows)}q", *(member_digest(r) if r else 0 for r in rows))


def unpack_digest(packed: bytes, index: int) -> int | None:
    """The digest of the row for downstream audience `index`, or None."""
    (digest,) = struct.unpack_from("q", packed, index * 8)
    return digest or None


@dataclass
class Connection:
    """What the check knows of one mParticle audience connection."""

    audience_id: int
    name: str
    settings: ConnectionSettings
    kinds: tuple[str, ...]  # downstream audience names, fixed order
    members: dict[int, bytes] = field(default_factory=dict)  # packed digests
    maybe: set[int] = field(default_factory=set)  # rows that may or may not remain
    removed: bool = False


class ExpectedMembership:
    """Follows a message stream; knows what every downstream audience should hold."""

    def __init__(self) -> None:
        self.connections: dict[int, Connection] = {}

    def observe(self, message: dict) -> None:
        kind = message.get("type")
        if kind == "audience_subscription_request":
            self._subscription(message)
        elif kind == "audience_membership_change_request":
            for profile in message.get("user_profiles") or ():
                for entry in profile["audiences"]:
                    self._change(profile, entry)

    def _subscription(self, message: dict) -> None:
        audience_id = message["audience_id"]
        if message["action"] == "remove":
            self.connections[audience_id].removed = True
            return
        settings = parse_settings(
            message["account"]["account_settings"],
            message.get("audience_subscription_settings") or {},
        )
        name = message["audience_name"]
        self.connections[audience_id] = Connection(
            audience_id, name, settings, downstream_names(name, settings)
        )

    def _change(self, profile: dict, entry: dict) -> None:
        connection = self.connections.get(entry["audience_id"])
        if connection is None or connection.removed:
            return
        user = int(profile["mpid"])
        if entry["action"] == "delete":
            connection.members.pop(user, None)
            connection.maybe.discard(user)
            return

        attributes = {
            item["key"].lower(): item.get("value")
            for item in entry.get("user_attributes") or ()
            if item.get("action") != "delete" and item.get("value") not in (None, "")
        }
        rows = user_rows(profile, attributes, connection.settings)
        if rows is None:
            if user in connection.members:
                connection.maybe.add(user)
            return
        connection.members[user] = pack_digests(rows)
        connection.maybe.discard(user)


def downstream_names(name: str, settings: ConnectionSettings) -> tuple[str, ...]:
    """The names of the Facebook audiences a connection feeds, in `user_rows` order."""
    return tuple(f"{name} {suffix}" for suffix, wanted in _kinds(settings) if wanted)


def _kinds(settings: ConnectionSettings) -> list[tuple[str, bool]]:
    devices = settings.forward_idfas or settings.forward_google_advertising_ids
    return [
        ("(email)", settings.forward_emails),
        (
            "(fb id)",
            settings.forward_facebook_ids
            and settings.facebook_application_id is not None
            and not settings.is_audience_value_based,
        ),
        ("(IDFA/GAID)", devices),
        ("(phone)", settings.forward_phones),
        (settings.multi_key_audience_suffix, settings.enable_multi_key_audience),
    ]


def user_rows(profile: dict, attributes: dict, settings: ConnectionSettings):
    """One member dict (or None) per downstream audience; None overall if not sent."""
    value = None
    if settings.is_audience_value_based:
        value = _value(attributes, settings)
        if value is None:
            return None

    cells = _UserCells(profile, attributes, settings)
    rows = []
    for suffix, wanted in _kinds(settings):
        if not wanted:
            continue
        row = _row_for(suffix, cells, attributes, settings)
        if row and value is not None:
            row["LOOKALIKE_VALUE"] = value
        rows.append(row)
    return rows


def _row_for(suffix, cells, attributes, settings) -> dict | None:
    single = {"(email)": "EMAIL", "(fb id)": "UID", "(IDFA/GAID)": "MADID"}
    single["(phone)"] = "PHONE"
    if suffix in single:
        key = single[suffix]
        return {key: cells[key]} if cells[key] else None

    row = {key: cells[key] for key in _multi_key_identities(settings) if cells[key]}
    if not row:
        return None
    if settings.match_on_user_attributes:
        country = attributes.get("$country")
        for column, source in ATTRIBUTE_SOURCES:
            raw = attributes.get(source)
            written = normalise.cell(column, raw, country=country) if raw else ""
            if written:
                row[column] = written
    return row


def _multi_key_identities(settings: ConnectionSettings) -> list[str]:
    keys = ["EXTERN_ID"] if settings.multi_key_external_id_type != NO_IDENTITY else []
    return keys + [
        key
        for key, flags in FORWARDED_BY
        if any(getattr(settings, flag) for flag in flags)
    ]


class _UserCells:
    """The first usable cell of each identifying key, worked out when first asked."""

    def __init__(self, profile: dict, attributes: dict, settings) -> None:
        self._by_type: dict[str, list[str]] = {}
        for identity in (*profile["user_identities"], *profile["device_identities"]):
            self._by_type.setdefault(identity["type"], []).append(identity["value"])
        self._attributes = attributes
        self._settings = settings
        self._found: dict[str, str] = {}

    def __getitem__(self, key: str) -> str:
        if key not in self._found:
            self._found[key] = self._work_out(key)
        return self._found[key]

    def _work_out(self, key: str) -> str:
        settings, by_type = self._settings, self._by_type
        if key == "EMAIL":
            return _first(key, by_type.get(settings.external_email_identity_type))
        if key == "PHONE":
            return self._phone()
        if key == "MADID":
            return self._device_id()
        if key == "UID":
            return _first(key, by_type.get("facebook"))
        return _first(key, by_type.get(settings.multi_key_external_id_type))

    def _phone(self) -> str:
        phones = [v for t in PHONE_TYPES for v in self._by_type.get(t, ())]
        mobile = self._attributes.get("$mobile")
        return _first(
            "PHONE",
            [*phones, mobile] if mobile else phones,
            country=self._attributes.get("$country"),
            default_region=self._settings.default_phone_region,
        )

    def _device_id(self) -> str:
        settings = self._settings
        wanted = [
            *(["ios_advertising_id"] if settings.forward_idfas else []),
            *(
                ["google_advertising_id"]
                if settings.forward_google_advertising_ids
                else []
            ),
        ]
        devices = [v for t in wanted for v in self._by_type.get(t, ())]
        return _first("MADID", devices, hash_device_ids=settings.hash_device_ids)


def _first(key: str, values, **context) -> str:
    for value in values or ():
        written = normalise.cell(key, value, **context)
        if written:
            return written
    return ""


def _value(attributes: dict, settings: ConnectionSettings):
    raw = attributes.get(settings.user_attribute_representing_value.lower())
    if raw is None:
        return 0 if settings.allow_zero_values else None
    number = normalise.lookalike_value(raw)
    if number is None or (number == 0 and not settings.allow_zero_values):
        return None
    return number
