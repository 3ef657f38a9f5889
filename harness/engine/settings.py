"""The connection settings table, and parsing the string maps into a typed object.

mParticle sends every setting as a string, camelCase, in `account_settings` and
`audience_subscription_settings`. `SETTINGS` is the single table of them: camelCase
id, snake_case name (used by scenario files), type, documented default and source.
`parse_settings` reads the maps once into a frozen `ConnectionSettings` and rejects
malformed values and contradictions with a `SettingsError` naming the setting.
Unknown keys are ignored: the maps also carry values the engine echoes back.
"""

from dataclasses import dataclass

from fake_graph_api.keys import CUSTOMER_FILE_SOURCES
from harness.engine.errors import SettingsError
from harness.engine.messages import USER_IDENTITY_TYPES

UNSELECTED = "UNSELECTED"
NO_IDENTITY = "none"

D1 = "mParticle Facebook Audience doc (D1, SEED)"
OURS = "our extension"


@dataclass(frozen=True)
class Setting:
    """One row of the settings table."""

    id: str
    name: str
    type: str
    default: object
    source: str


SETTINGS: tuple[Setting, ...] = (
    Setting("adAccountId", "ad_account_id", "account", None, D1),
    Setting("accessToken", "access_token", "text", None, D1),
    Setting("forwardEmails", "forward_emails", "bool", True, D1),
    Setting("forwardFacebookIds", "forward_facebook_ids", "bool", True, D1),
    Setting("forwardIdfas", "forward_idfas", "bool", True, D1),
    Setting(
        "forwardGoogleAdvertisingIds",
        "forward_google_advertising_ids",
        "bool",
        True,
        D1,
    ),
    Setting("forwardPhones", "forward_phones", "bool", True, D1),
    Setting("enableMultiKeyAudience", "enable_multi_key_audience", "bool", False, D1),
    Setting("matchOnUserAttributes", "match_on_user_attributes", "bool", False, D1),
    Setting("facebookApplicationId", "facebook_application_id", "app_id", None, D1),
    Setting("isAudienceValueBased", "is_audience_value_based", "bool", False, D1),
    Setting(
        "userAttributeRepresentingValue",
        "user_attribute_representing_value",
        "text",
        None,
        D1,
    ),
    Setting("allowZeroValues", "allow_zero_values", "bool", False, D1),
    Setting(
        "customerFileSource", "customer_file_source", "file_source", UNSELECTED, D1
    ),
    Setting(
        "externalEmailIdentityType",
        "external_email_identity_type",
        "identity",
        "email",
        D1,
    ),
    Setting(
        "multiKeyExternalIdType",
        "multi_key_external_id_type",
        "identity",
        NO_IDENTITY,
        D1,
    ),
    Setting(
        "multiKeyAudienceSuffix",
        "multi_key_audience_suffix",
        "text",
        "(multi-key)",
        OURS,
    ),
    Setting("defaultPhoneRegion", "default_phone_region", "region", None, OURS),
    Setting("hashDeviceIds", "hash_device_ids", "bool", False, OURS),
    Setting("bulkFlushSeconds", "bulk_flush_seconds", "count", 10_800, D1),
    Setting("bulkFlushMessages", "bulk_flush_messages", "count", 750_000, D1),
    Setting("graphBaseUrl", "graph_base_url", "text", None, OURS),
    Setting("graphApiVersion", "graph_api_version", "version", None, OURS),
)

SETTINGS_BY_ID: dict[str, Setting] = {setting.id: setting for setting in SETTINGS}
SETTINGS_BY_NAME: dict[str, Setting] = {setting.name: setting for setting in SETTINGS}


@dataclass(frozen=True)
class ConnectionSettings:
    """Every setting of one connection, typed; field names are the snake_case names."""

    ad_account_id: str
    access_token: str
    forward_emails: bool
    forward_facebook_ids: bool
    forward_idfas: bool
    forward_google_advertising_ids: bool
    forward_phones: bool
    enable_multi_key_audience: bool
    match_on_user_attributes: bool
    facebook_application_id: str | None
    is_audience_value_based: bool
    user_attribute_representing_value: str | None
    allow_zero_values: bool
    customer_file_source: str
    external_email_identity_type: str
    multi_key_external_id_type: str
    multi_key_audience_suffix: str
    default_phone_region: str | None
    hash_device_ids: bool
    bulk_flush_seconds: int
    bulk_flush_messages: int
    graph_base_url: str | None
    graph_api_version: str | None

    @property
    def forwards_facebook_ids(self) -> bool:
        """Facebook IDs go out only when forwarded and an application id is set."""
        return self.forward_facebook_ids and self.facebook_application_id is not None


def parse_settings(*maps: dict[str, str]) -> ConnectionSettings:
    """Parse setting maps (later maps win) into `ConnectionSettings`."""
    merged: dict[str, str] = {}
    for values in maps:
        merged.update(values or {})

    parsed = {
        setting.name: _parse_one(setting, merged.get(setting.id))
        for setting in SETTINGS
    }

    result = ConnectionSettings(**parsed)
    _check_consistency(result)
    return result


def settings_from_names(values: dict[str, object]) -> dict[str, str]:
    """Turn a scenario's snake_case settings into the camelCase string map."""
    unknown = sorted(set(values) - set(SETTINGS_BY_NAME))
    if unknown:
        known = ", ".join(sorted(SETTINGS_BY_NAME))
        raise SettingsError(unknown[0], f"is not a known setting; known: {known}")
    return {
        SETTINGS_BY_NAME[name].id: _as_text(value) for name, value in values.items()
    }


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _parse_one(setting: Setting, raw: str | None) -> object:
    if raw is None or (raw.strip() == "" and setting.type != "text"):
        return _default_of(setting)
    parser = _PARSERS[setting.type]
    return parser(setting, raw)


def _default_of(setting: Setting) -> object:
    if setting.id in ("adAccountId", "accessToken"):
        raise SettingsError(setting.id, "is required and was not given")
    return setting.default


def _parse_bool(setting: Setting, raw: str) -> bool:
    text = raw.strip().lower()
    if text not in ("true", "false"):
        raise SettingsError(setting.id, f"must be true or false, got {raw!r}")
    return text == "true"


def _parse_text(setting: Setting, raw: str) -> str | None:
    text = raw.strip()
    return text or setting.default


def _parse_account(setting: Setting, raw: str) -> str:
    digits = raw.strip().removeprefix("act_")
    if not digits.isdigit():
        raise SettingsError(
            setting.id, f"must be an ad account id like act_1001 or 1001, got {raw!r}"
        )
    return f"act_{digits}"


def _parse_app_id(setting: Setting, raw: str) -> str:
    text = raw.strip()
    if not text.isdigit():
        raise SettingsError(
            setting.id, f"must be a numeric Facebook app id, got {raw!r}"
        )
    return text


def _parse_file_source(setting: Setting, raw: str) -> str:
    text = raw.strip().upper()
    if text != UNSELECTED and text not in CUSTOMER_FILE_SOURCES:
        choices = ", ".join(CUSTOMER_FILE_SOURCES)
        raise SettingsError(setting.id, f"must be one of {choices}, got {raw!r}")
    return text


def _parse_identity(setting: Setting, raw: str) -> str:
    text = raw.strip().lower().replace(" ", "")
    allowed = (*USER_IDENTITY_TYPES, NO_IDENTITY)
    if setting.id == "externalEmailIdentityType":
        allowed = USER_IDENTITY_TYPES
    if text not in allowed:
        choices = ", ".join(allowed)
        raise SettingsError(
            setting.id,
            f"must be an mParticle user identity type ({choices}), got {raw!r}",
        )
    return text


def _parse_region(setting: Setting, raw: str) -> str:
    text = raw.strip().upper()
    if len(text) != 2 or not text.isalpha():
        raise SettingsError(
            setting.id, f"must be a two-letter region code such as GB, got {raw!r}"
        )
    return text


def _parse_count(setting: Setting, raw: str) -> int:
    text = raw.strip()
    if not text.isdigit() or int(text) == 0:
        raise SettingsError(setting.id, f"must be a positive whole number, got {raw!r}")
    return int(text)


def _parse_version(setting: Setting, raw: str) -> str:
    text = raw.strip()
    major, dot, minor = text.removeprefix("v").partition(".")
    if not (text.startswith("v") and dot and major.isdigit() and minor.isdigit()):
        raise SettingsError(setting.id, f"must look like v19.0, got {raw!r}")
    return text


_PARSERS = {
    "bool": _parse_bool,
    "text": _parse_text,
    "account": _parse_account,
    "app_id": _parse_app_id,
    "file_source": _parse_file_source,
    "identity": _parse_identity,
    "region": _parse_region,
    "count": _parse_count,
    "version": _parse_version,
}


def _check_consistency(settings: ConnectionSettings) -> None:
    if settings.customer_file_source == UNSELECTED:
        choices = ", ".join(CUSTOMER_FILE_SOURCES)
        raise SettingsError(
            "customerFileSource",
            "is UNSELECTED, which Facebook refuses for new audiences since "
            f"2018-07-02; choose one of {choices}",
        )
    if (
        settings.is_audience_value_based
        and not settings.user_attribute_representing_value
    ):
        raise SettingsError(
            "userAttributeRepresentingValue",
            "is required when isAudienceValueBased is true: name the user "
            "attribute holding each user's value",
        )
    if not settings.multi_key_audience_suffix:
        raise SettingsError("multiKeyAudienceSuffix", "must not be empty")
