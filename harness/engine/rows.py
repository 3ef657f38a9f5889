"""Which downstream audiences a connection feeds, and the rows one user gives each.

One Facebook audience per forwarded identity kind, named `<Audience Name> (email)`,
`(fb id)`, `(IDFA/GAID)` and `(phone)`, plus `<Audience Name> <suffix>` holding one
multi-key row per user when multi-key is on. Everything here is pure: cells come
from `harness.normalise` (the only place that normalises and hashes), and a user
without a usable identifier for an audience yields no rows and a reason instead.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from harness import normalise
from harness.engine.messages import Identity, Profile
from harness.engine.settings import NO_IDENTITY, ConnectionSettings

PHONE_IDENTITY_TYPES = ("mobile_number", "phone_number_2", "phone_number_3")
MOBILE_ATTRIBUTE = "$Mobile"
COUNTRY_ATTRIBUTE = "$Country"

# Match on User Attributes: multi-key column and the mParticle attribute it reads.
ATTRIBUTE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("FN", "$FirstName"),
    ("FI", "$FirstName"),
    ("LN", "$LastName"),
    ("CT", "$City"),
    ("ST", "$State"),
    ("ZIP", "$Zip"),
    ("COUNTRY", "$Country"),
    ("GEN", "$Gender"),
)
IDENTIFYING_COLUMNS = ("EXTERN_ID", "EMAIL", "PHONE", "MADID")
VALUE_COLUMN = "LOOKALIKE_VALUE"
APP_SCOPED_SCHEMA = "UID"  # single-key string schema: the one schema not in list form


@dataclass(frozen=True)
class AudienceKind:
    """One kind of downstream audience: its id, name suffix and response setting."""

    id: str
    suffix: str
    setting_id: str


EMAIL = AudienceKind("email", "(email)", "downstreamEmailAudienceId")
FACEBOOK_ID = AudienceKind("fb_id", "(fb id)", "downstreamFbIdAudienceId")
DEVICE_ID = AudienceKind("idfa_gaid", "(IDFA/GAID)", "downstreamIdfaGaidAudienceId")
PHONE = AudienceKind("phone", "(phone)", "downstreamPhoneAudienceId")
MULTI_KEY = AudienceKind("multi_key", "", "downstreamMultiKeyAudienceId")
KINDS: tuple[AudienceKind, ...] = (EMAIL, FACEBOOK_ID, DEVICE_ID, PHONE, MULTI_KEY)


def downstream_kinds(settings: ConnectionSettings) -> list[AudienceKind]:
    """The downstream audiences this connection feeds, in a fixed order."""
    wanted = {
        EMAIL: settings.forward_emails,
        FACEBOOK_ID: settings.forwards_facebook_ids
        and not settings.is_audience_value_based,
        DEVICE_ID: settings.forward_idfas or settings.forward_google_advertising_ids,
        PHONE: settings.forward_phones,
        MULTI_KEY: settings.enable_multi_key_audience,
    }
    return [kind for kind in KINDS if wanted[kind]]


def audience_name(kind: AudienceKind, name: str, settings: ConnectionSettings) -> str:
    """The Facebook audience name, e.g. `Cart Abandoners (email)`."""
    suffix = settings.multi_key_audience_suffix if kind is MULTI_KEY else kind.suffix
    return f"{name} {suffix}"


def schema_of(kind: AudienceKind, settings: ConnectionSettings) -> list[str] | str:
    """The payload schema; list form for every kind except app-scoped Facebook IDs."""
    if kind is FACEBOOK_ID:
        return APP_SCOPED_SCHEMA
    columns = {
        EMAIL: ["EMAIL"],
        DEVICE_ID: ["MADID"],
        PHONE: ["PHONE"],
        MULTI_KEY: _multi_key_columns(settings),
    }[kind]
    if settings.is_audience_value_based:
        columns = [*columns, VALUE_COLUMN]
    return columns


def request_schemas(
    kind: AudienceKind, settings: ConnectionSettings
) -> tuple[list[str] | str, ...]:
    """The schemas `kind`'s rows go out under, indexed by `request_form`'s variant.

    A multi-key audience with an EXTERN_ID column has a second schema without it,
    for users who have no external id: Facebook rejects a row whose EXTERN_ID cell
    is empty ("empty external ID"), so such a row leaves the column out instead.
    Both are lists, so the audience's data source stays FILE_IMPORTED.MULTI_HASHES.
    """
    schema = schema_of(kind, settings)
    if kind is MULTI_KEY and _has_external_id(settings):
        return schema, schema[1:]
    return (schema,)


def request_form(
    kind: AudienceKind, row: list | str, settings: ConnectionSettings
) -> tuple[int, list | str]:
    """Which of `request_schemas` a built row is sent under, and the row as sent."""
    if kind is MULTI_KEY and _has_external_id(settings) and row[0] == "":
        return 1, row[1:]
    return 0, row


def _has_external_id(settings: ConnectionSettings) -> bool:
    """Whether the multi-key schema has EXTERN_ID (always its first column)."""
    return settings.multi_key_external_id_type != NO_IDENTITY


def payload_extras(kind: AudienceKind, settings: ConnectionSettings) -> dict:
    """Payload fields besides schema and data: `app_ids` for app-scoped user ids."""
    if kind is FACEBOOK_ID:
        return {"app_ids": [int(settings.facebook_application_id)]}
    return {}


def _multi_key_columns(settings: ConnectionSettings) -> list[str]:
    columns = []
    if _has_external_id(settings):
        columns.append("EXTERN_ID")
    if settings.forward_emails:
        columns.append("EMAIL")
    if settings.forward_phones:
        columns.append("PHONE")
    if settings.forward_idfas or settings.forward_google_advertising_ids:
        columns.append("MADID")
    if settings.match_on_user_attributes:
        columns.extend(column for column, _ in ATTRIBUTE_COLUMNS)
    return columns


class UserAttributes:
    """A user's attributes, found case-insensitively (`$FirstName`, `$firstname`)."""

    def __init__(self, values: dict[str, str]) -> None:
        self._values = {key.lower(): value for key, value in values.items()}

    def get(self, key: str) -> str | None:
        value = self._values.get(key.lower())
        return value if value not in (None, "") else None


def lookalike_value(
    attributes: UserAttributes, settings: ConnectionSettings
) -> tuple[int | float | None, str | None]:
    """The user's LOOKALIKE_VALUE as a JSON number, or None and why it is not sent."""
    attribute = settings.user_attribute_representing_value
    text = attributes.get(attribute)
    if text is None:
        if settings.allow_zero_values:
            return 0, None
        return None, f"value attribute {attribute} is missing"

    number = normalise.lookalike_value(text)
    if number is None:
        return None, f"value attribute {attribute} is negative or not a number"
    if number == 0 and not settings.allow_zero_values:
        return None, f"value attribute {attribute} is zero and allowZeroValues is off"
    return number, None


def build_rows(
    kind: AudienceKind,
    profile: Profile,
    attributes: UserAttributes,
    settings: ConnectionSettings,
    *,
    value: int | float | None = None,
) -> tuple[list, str | None]:
    """The rows `profile` gives audience `kind`, or no rows and the reason why."""
    if kind is MULTI_KEY:
        row = _multi_key_row(profile, attributes, settings)
        rows = [row] if row else []
    else:
        column = schema_of(kind, settings)
        key = column if isinstance(column, str) else column[0]
        rows = [[cell] for cell in _cells(key, kind, profile, attributes, settings)]

    if not rows:
        return [], f"no usable identifier for the {kind.id} audience"
    if settings.is_audience_value_based:
        rows = [[*row, value] for row in rows]
    if kind is FACEBOOK_ID:
        rows = [row[0] for row in rows]
    return rows, None


def _cells(
    key: str,
    kind: AudienceKind,
    profile: Profile,
    attributes: UserAttributes,
    settings: ConnectionSettings,
) -> list[str]:
    """Every distinct usable cell of one identifying key, in source order."""
    cells = {
        "EMAIL": _email_cells,
        "PHONE": _phone_cells,
        "MADID": _device_cells,
        "UID": _facebook_id_cells,
        "EXTERN_ID": _external_id_cells,
    }[key](profile, attributes, settings)
    return list(dict.fromkeys(cell for cell in cells if cell))


def _email_cells(profile, attributes, settings) -> Iterable[str]:
    for identity in profile.identities_of(settings.external_email_identity_type):
        yield _identity_cell("EMAIL", identity)


def _phone_cells(profile, attributes, settings) -> Iterable[str]:
    context = {
        "country": attributes.get(COUNTRY_ATTRIBUTE),
        "default_region": settings.default_phone_region,
    }
    for identity_type in PHONE_IDENTITY_TYPES:
        for identity in profile.identities_of(identity_type):
            yield _identity_cell("PHONE", identity, **context)
    mobile = attributes.get(MOBILE_ATTRIBUTE)
    if mobile is not None:
        yield normalise.cell("PHONE", mobile, **context)


def _device_cells(profile, attributes, settings) -> Iterable[str]:
    wanted = []
    if settings.forward_idfas:
        wanted.append("ios_advertising_id")
    if settings.forward_google_advertising_ids:
        wanted.append("google_advertising_id")
    for identity_type in wanted:
        for identity in profile.identities_of(identity_type):
            yield _identity_cell(
                "MADID", identity, hash_device_ids=settings.hash_device_ids
            )


def _facebook_id_cells(profile, attributes, settings) -> Iterable[str]:
    for identity in profile.identities_of("facebook"):
        yield _identity_cell("UID", identity)


def _external_id_cells(profile, attributes, settings) -> Iterable[str]:
    """mParticle's rule for the multi-key external id: trim, lower-case, hash."""
    for identity in profile.identities_of(settings.multi_key_external_id_type):
        yield _identity_cell("EXTERN_ID", identity, hash_extern_id=True)


def _identity_cell(key: str, identity: Identity, **context) -> str:
    """An identity's cell; a value hashed other than as SHA-256 gives ""."""
    return normalise.cell(key, identity.value, encoding=identity.encoding, **context)


def _multi_key_row(
    profile: Profile, attributes: UserAttributes, settings: ConnectionSettings
) -> list[str]:
    """One row per user: the first usable value of each column; empty cells stay ""."""
    row = []
    for column in _multi_key_columns(settings):
        if column in IDENTIFYING_COLUMNS:
            cells = _cells(column, MULTI_KEY, profile, attributes, settings)
            row.append(cells[0] if cells else "")
        else:
            row.append(_attribute_cell(column, attributes))
    identifying = [
        cell
        for column, cell in zip(_multi_key_columns(settings), row, strict=True)
        if column in IDENTIFYING_COLUMNS
    ]
    return row if any(identifying) else []


def _attribute_cell(column: str, attributes: UserAttributes) -> str:
    source = dict(ATTRIBUTE_COLUMNS)[column]
    value = attributes.get(source)
    if value is None:
        return ""
    return normalise.cell(column, value, country=attributes.get(COUNTRY_ATTRIBUTE))
