"""The fake's state and every change to it, behind one lock.

`Store` holds ad accounts, tokens, app ids and audiences (deleted ones stay as
tombstones for the control API). Every public method takes the lock, so concurrent
requests see each change whole. Changes that Graph would refuse raise GraphError
before touching anything: a refused request changes no state. Deterministic for a
given seed. No Flask, no sockets.
"""

import threading

from fake_graph_api.errors import GraphError
from fake_graph_api.ids import IdSource
from fake_graph_api.members import MemberSet
from fake_graph_api.model import (
    ANY_AD_ACCOUNT,
    AdAccount,
    Audience,
    Token,
    UploadSession,
)
from fake_graph_api.payload import MULTI_KEY_SUB_TYPE, UsersPayload
from fake_graph_api.sessions import SessionRequest, open_replace_batch, settle_replace

ACCOUNT_FIELDS = (
    "tos_accepted",
    "audience_limit",
    "app_secret",
    "existing_audiences",
    "removal_min_size",
    "calls_per_hour",
)


class Store:
    """All state of one fake Graph API; safe to share between request threads."""

    def __init__(self, *, seed: int = 0) -> None:
        self.seed = seed
        self.lock = threading.RLock()
        self.clear()

    def clear(self) -> None:
        """Forget everything; ids start again as after a fresh start."""
        with self.lock:
            self.ids = IdSource(self.seed)
            self.ad_accounts: dict[str, AdAccount] = {}
            self.tokens: dict[str, Token] = {}
            self.app_ids: set[str] = set()
            self.audiences: dict[str, Audience] = {}
            self._seq = 0

    # set-up

    def configure(self, config: dict, *, now: float) -> None:
        """Upsert the ad accounts, app ids and tokens of a config-shaped dict."""
        with self.lock:
            for account in config.get("ad_accounts", ()):
                self.upsert_ad_account(account, now=now)
            self.app_ids.update(str(app) for app in config.get("app_ids", ()))
            for token in config.get("tokens", ()):
                self.upsert_token(token)

    def upsert_ad_account(self, settings: dict, *, now: float) -> AdAccount:
        with self.lock:
            account_id = settings["id"]
            account = self.ad_accounts.get(account_id) or AdAccount(account_id)
            for name in ACCOUNT_FIELDS:
                if name in settings:
                    setattr(account, name, settings[name])
            self.ad_accounts[account_id] = account
            self._prefill(account, now=now)
            return account

    def upsert_token(self, settings: dict) -> Token:
        with self.lock:
            token = self.tokens.get(settings["token"]) or Token(
                settings["token"], ad_accounts=(ANY_AD_ACCOUNT,)
            )
            if "ad_accounts" in settings:
                token.ad_accounts = tuple(settings["ad_accounts"])
            for name in ("access", "expired", "expires_at"):
                if name in settings:
                    setattr(token, name, settings[name])
            self.tokens[token.token] = token
            return token

    def forget_ad_account(self, account_id: str) -> None:
        """Drop an ad account and its audiences (a partial reset)."""
        with self.lock:
            self.ad_accounts.pop(account_id, None)
            for audience_id in self._audience_ids_of(account_id):
                del self.audiences[audience_id]

    def _prefill(self, account: AdAccount, *, now: float) -> None:
        present = sum(1 for a in self._live_of(account.id) if a.subtype == "CUSTOM")
        for number in range(present + 1, account.existing_audiences + 1):
            self._new_audience(
                account.id,
                {
                    "name": f"Existing audience {number}",
                    "customer_file_source": ("USER_PROVIDED_ONLY"),
                },
                now=now,
            )

    # audiences

    def create_audience(
        self, account_id: str, fields: dict, *, now: float, fetch_existing=False
    ) -> Audience:
        """A new audience, or with `fetch_existing` a live one of that name and kind."""
        with self.lock:
            account = self.ad_accounts[account_id]
            if not account.tos_accepted:
                raise GraphError("tos_not_accepted", digits=account.digits)
            existing = (
                self._same_audience(account_id, fields) if fetch_existing else None
            )
            if existing is not None:
                return existing
            custom = sum(1 for a in self._live_of(account_id) if a.subtype == "CUSTOM")
            if fields.get("subtype", "CUSTOM") == "CUSTOM" and (
                custom >= account.audience_limit
            ):
                raise GraphError("audience_limit", limit=account.audience_limit)
            return self._new_audience(account_id, fields, now=now)

    def _same_audience(self, account_id: str, fields: dict) -> Audience | None:
        name, subtype = fields.get("name", ""), fields.get("subtype", "CUSTOM")
        for audience in sorted(self._live_of(account_id), key=lambda a: a.seq):
            if audience.name == name and audience.subtype == subtype:
                return audience
        return None

    def _new_audience(self, account_id: str, fields: dict, *, now: float) -> Audience:
        self._seq += 1
        audience = Audience(
            id=self.ids.audience_id(),
            ad_account=account_id,
            name=fields.get("name", ""),
            seq=self._seq,
            time_created=now,
            time_updated=now,
            time_content_updated=now,
        )
        _assign(audience, fields)
        self.audiences[audience.id] = audience
        return audience

    def live_audience(self, audience_id: str) -> Audience | None:
        """The audience, or None when unknown or deleted (Graph cannot tell)."""
        audience = self.audiences.get(audience_id)
        return None if audience is None or audience.deleted else audience

    def known_app_ids(self) -> frozenset[str]:
        with self.lock:
            return frozenset(self.app_ids)

    def seq_of(self, audience_id: str) -> int | None:
        """Creation order of an audience, deleted ones too (cursors outlive them)."""
        audience = self.audiences.get(audience_id)
        return None if audience is None else audience.seq

    def list_audiences(self, account_id: str) -> list[Audience]:
        """Live audiences of an ad account, newest first."""
        with self.lock:
            return sorted(self._live_of(account_id), key=lambda a: -a.seq)

    def update_audience(self, audience_id: str, fields: dict, *, now: float) -> None:
        with self.lock:
            audience = self._require(audience_id, "post")
            self._check_terms(audience)
            if audience.operation_status == 471:
                raise GraphError("edit_blocked")
            _assign(audience, fields)
            audience.time_updated = now

    def delete_audience(self, audience_id: str, *, now: float) -> None:
        with self.lock:
            audience = self._require(audience_id, "delete")
            audience.deleted = True
            audience.time_updated = now

    # users

    def apply_users(
        self,
        audience_id: str,
        parsed: UsersPayload,
        session: SessionRequest,
        *,
        remove: bool,
        now: float,
        removal_min_size: int | None = None,
    ) -> dict:
        """Add or remove rows; answer the users-edge body."""
        with self.lock:
            audience = self._writable(audience_id, "delete" if remove else "post", now)
            if audience.replace_session is not None:
                raise GraphError("replace_in_progress")
            if remove:
                self._check_removal_size(audience, removal_min_size)
            else:
                _check_data_source(audience, parsed)
            upload = self._session(audience, session, now)

            rows, values = parsed.accepted()
            if remove:
                audience.members.remove_rows(parsed.columns, rows)
            else:
                audience.members.add_rows(parsed.columns, rows, values)
                _lock_data_source(audience, parsed)
            audience.time_content_updated = now
            return _count(audience, upload, parsed)

    def replace_users(
        self,
        audience_id: str,
        parsed: UsersPayload,
        session: SessionRequest,
        *,
        now: float,
    ) -> dict:
        """One batch of a usersreplace session; the last batch swaps the members."""
        with self.lock:
            audience = self._writable(audience_id, "post", now)
            _check_data_source(audience, parsed)
            upload = open_replace_batch(audience, session, now, self.ids.session_id)

            upload.staged.add_rows(parsed.columns, *parsed.accepted())
            _lock_data_source(audience, parsed)
            if session.last_batch_flag:
                settle_replace(audience, now, finish=True)
            audience.time_content_updated = now
            return _count(audience, upload, parsed)

    def _writable(self, audience_id: str, method: str, now: float) -> Audience:
        audience = self._require(audience_id, method)
        settle_replace(audience, now)
        self._check_terms(audience)
        if audience.subtype != "CUSTOM":
            raise GraphError(
                "wrong_subtype", audience_id=audience.id, subtype=audience.subtype
            )
        if audience.operation_status == 471:
            raise GraphError("upload_blocked")
        return audience

    def _session(self, audience: Audience, request: SessionRequest, now: float):
        session_id = request.session_id or self.ids.session_id()
        upload = audience.sessions.get(session_id)
        if upload is None:
            upload = UploadSession(session_id, started_at=now)
            audience.sessions[session_id] = upload
        upload.last_batch_seq = request.batch_seq or upload.last_batch_seq
        upload.finished = upload.finished or request.last_batch_flag
        return upload

    def _check_terms(self, audience: Audience) -> None:
        account = self.ad_accounts.get(audience.ad_account)
        if account is not None and not account.tos_accepted:
            raise GraphError("tos_not_accepted", digits=account.digits)

    def _check_removal_size(self, audience: Audience, threshold: int | None) -> None:
        account = self.ad_accounts.get(audience.ad_account)
        if account is not None and account.removal_min_size is not None:
            threshold = account.removal_min_size
        if threshold is not None and len(audience.members) < threshold:
            raise GraphError("removal_too_small")

    # control

    def add_existing_audience(
        self, account_id: str, fields: dict, *, now: float
    ) -> Audience:
        """An audience made out of band ("in Ads Manager"): no limit, no terms."""
        with self.lock:
            audience = self._new_audience(account_id, fields, now=now)
            _assign(audience, fields, _OUT_OF_BAND)
            return audience

    def set_audience(self, audience_id: str, fields: dict, *, now: float) -> Audience:
        """Change an audience out of band ("in Ads Manager"), deleted ones too."""
        with self.lock:
            audience = self.audiences[audience_id]
            _assign(audience, fields, _SETTABLE + _OUT_OF_BAND)
            audience.time_updated = now
            return audience

    def members_of(self, audience_id: str) -> MemberSet:
        with self.lock:
            return self.audiences[audience_id].members.copy()

    def _require(self, audience_id: str, method: str) -> Audience:
        audience = self.live_audience(audience_id)
        if audience is None:
            raise GraphError("object_not_found", method=method, object_id=audience_id)
        return audience

    def _live_of(self, account_id: str) -> list[Audience]:
        return [
            a
            for a in self.audiences.values()
            if a.ad_account == account_id and not a.deleted
        ]

    def _audience_ids_of(self, account_id: str) -> list[str]:
        return [a.id for a in self.audiences.values() if a.ad_account == account_id]


_SETTABLE = (
    "name",
    "description",
    "subtype",
    "customer_file_source",
    "is_value_based",
    "retention_days",
)


_OUT_OF_BAND = (
    "operation_status",
    "data_source_type",
    "data_source_sub_type",
    "deleted",
)


def _assign(audience: Audience, fields: dict, names=_SETTABLE) -> None:
    for name in names:
        if name in fields:
            setattr(audience, name, fields[name])


def _check_data_source(audience: Audience, parsed: UsersPayload) -> None:
    current = audience.data_source_sub_type
    if current is None:
        return
    if (current == MULTI_KEY_SUB_TYPE) != parsed.multi_key:
        raise GraphError(
            "data_source_mismatch",
            current=f"FILE_IMPORTED.{current}",
            requested=f"FILE_IMPORTED.{parsed.sub_type}",
        )


def _lock_data_source(audience: Audience, parsed: UsersPayload) -> None:
    if audience.data_source_sub_type is None:
        audience.data_source_type = "FILE_IMPORTED"
        audience.data_source_sub_type = parsed.sub_type


def _count(audience: Audience, upload: UploadSession, parsed: UsersPayload) -> dict:
    upload.num_received += len(parsed.rows)
    upload.num_invalid_entries += len(parsed.invalid)
    return {
        "audience_id": audience.id,
        "session_id": upload.session_id,
        "num_received": upload.num_received,
        "num_invalid_entries": len(parsed.invalid),
        "invalid_entry_samples": parsed.samples(),
    }
