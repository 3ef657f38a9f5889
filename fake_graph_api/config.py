"""The fake's set-up: the default config, the config schema, and server options.

A config has the shape of `fbca serve --config FILE` and of a scenario's
`facebook:` block (ad_accounts, app_ids, tokens), checked against
config.schema.json shipped in this package. `Options` holds the knobs that are
not state (URL limit, size processing delay, version-dependent behaviour).
"""

import copy
from dataclasses import dataclass, fields
from pathlib import Path

from fake_graph_api.documents import (
    Document,
    DocumentError,
    load_document,
    load_schema,
    validate_document,
)

DEFAULT_AD_ACCOUNT = "act_1001"
DEFAULT_TOKEN = "fbca-dev-token"
DEFAULT_CONFIG = {
    "ad_accounts": [{"id": DEFAULT_AD_ACCOUNT, "tos_accepted": True}],
    "app_ids": [],
    "tokens": [
        {"token": DEFAULT_TOKEN, "ad_accounts": [DEFAULT_AD_ACCOUNT], "access": "full"}
    ],
}
SCHEMA = load_schema(__file__, "config.schema.json")


@dataclass(frozen=True)
class Options:
    """Server behaviour that is not state; create_app(**options) sets them."""

    max_url_length: int = 16 * 1024
    size_processing_seconds: float = 3600.0
    # v9.0/v10.0 recordings refuse removals from tiny audiences, v11.0/v12.0 accept
    # them; set a size here to refuse below it on v10.0 and older only.
    removal_min_size_up_to_v10: int | None = None
    allow_remote_control: bool = False
    journal_size: int = 10_000

    @classmethod
    def from_keywords(cls, options: dict) -> "Options":
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(options) - known)
        if unknown:
            raise TypeError(
                f"unknown create_app option(s): {', '.join(unknown)}; "
                f"known: {', '.join(sorted(known))}"
            )
        return cls(**options)


def default_config() -> dict:
    return copy.deepcopy(DEFAULT_CONFIG)


def load_config(path: str | Path) -> dict:
    """Read and validate a config file; DocumentError names file, line and field."""
    document = load_document(path)
    if document.data is None:
        raise DocumentError("the file is empty", file=str(path))
    validate_document(document, SCHEMA)
    check_references(document)
    config = document.data
    if "tokens" not in config:
        config["tokens"] = [{"token": DEFAULT_TOKEN, "access": "full"}]
    return config


def check_references(document: Document) -> None:
    """Ids are unique and every token names ad accounts the file sets up."""
    data = document.data
    accounts = _unique(document, "ad_accounts", "id")
    _unique(document, "tokens", "token")
    for index, token in enumerate(data.get("tokens", ())):
        for position, account in enumerate(token.get("ad_accounts", ())):
            if account not in accounts:
                known = ", ".join(accounts) or "none"
                raise document.error(
                    ("tokens", index, "ad_accounts", position),
                    f"{account} is not an ad account of this file (set up: {known})",
                )


def _unique(document: Document, section: str, key: str) -> list:
    seen = []
    for index, item in enumerate(document.data.get(section, ())):
        if item[key] in seen:
            shown = item[key] if key == "id" else "this token"
            raise document.error(
                (section, index, key), f"{shown} is set up twice in {section}"
            )
        seen.append(item[key])
    return seen


def check_config(data, *, source: str = "<config>") -> dict:
    """Validate a config-shaped dict (e.g. a control-API body)."""
    validate_document(Document(data=data, file=source), SCHEMA)
    return data
