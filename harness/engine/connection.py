"""One connection: an mParticle audience forwarded to its Facebook audiences.

A connection owns its downstream audience ids, its bulk queue, the uploads of a
flush that are not yet acknowledged, and its fault. A permanent Graph failure (or a
transient one that outlasts its retries) faults the connection: nothing more is sent
until `resume`, which first finishes the interrupted uploads (only the rows Facebook
had not acknowledged) and then flushes the queue. So nothing is lost and nothing
acknowledged is sent twice.
"""

import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from fake_graph_api.keys import MAX_ROWS_PER_REQUEST
from harness.engine import rows as rowbuilder
from harness.engine.errors import GraphError, PermanentGraphError, SettingsError
from harness.engine.graph import GraphClient
from harness.engine.messages import MembershipChange
from harness.engine.queue import BulkQueue, QueuedChange
from harness.engine.rows import AudienceKind, UserAttributes
from harness.engine.settings import ConnectionSettings

logger = logging.getLogger("harness.engine")

# Graph answers meaning "this audience is gone": forget the id, resume recreates it.
AUDIENCE_GONE = frozenset({(100, 33), (1487366, None), (2650, 1487366)})

_LEFT_OUT = object()  # a user whose value keeps them out of a value-based audience


def user_ref(user_key: str) -> str:
    """A short, non-reversible reference to a user, safe to log."""
    return "user-" + hashlib.sha256(user_key.encode()).hexdigest()[:12]


@dataclass
class Upload:
    """Rows still to send to one downstream audience under one schema, with the user
    behind each row. Uploads of the same audience and method next to each other in
    `Connection.uploads` share one upload session."""

    kind: AudienceKind
    method: str
    schema: list[str] | str
    rows: list = field(default_factory=list)
    owners: list[str] = field(default_factory=list)


@dataclass
class UploadSession:
    """The `session` parameter of each request of one upload session."""

    session_id: int
    total: int
    batches: int
    batch_seq: int = 0

    def next_batch(self) -> dict:
        self.batch_seq += 1
        return {
            "session_id": self.session_id,
            "batch_seq": self.batch_seq,
            "last_batch_flag": self.batch_seq == self.batches,
            "estimated_num_total": self.total,
        }


@dataclass(frozen=True)
class Notice:
    """A user left out of a downstream audience, and why; `user` is a `user_ref`."""

    user: str
    audience_kind: str
    reason: str


class Connection:
    """State and actions of one mParticle audience connection."""

    def __init__(
        self,
        *,
        audience_id: int,
        account_id: int,
        name: str,
        settings: ConnectionSettings,
        subscription_settings: dict[str, str],
        graph: GraphClient,
        clock,
        next_session_id: Callable[[], int],
        max_rows: int = MAX_ROWS_PER_REQUEST,
    ) -> None:
        self.audience_id = audience_id
        self.account_id = account_id
        self.name = name
        self.settings = settings
        self.subscription_settings = dict(subscription_settings)
        self.graph = graph
        self.downstream: dict[str, str] = {}
        self.uploads: list[Upload] = []
        self.fault: GraphError | None = None
        self.removed = False
        self.notices: list[Notice] = []
        self._clock = clock
        self._next_session_id = next_session_id
        self._max_rows = max_rows
        self._attributes: dict[str, dict] = {}
        self._values: dict[str, int | float] = {}
        self.queue = BulkQueue(
            flush_seconds=settings.bulk_flush_seconds,
            flush_messages=settings.bulk_flush_messages,
            now=clock.now(),
        )

    @property
    def faulted(self) -> bool:
        return self.fault is not None

    def status(self) -> dict:
        """This connection's entry in the `status` control answer."""
        return {
            "audience_id": self.audience_id,
            "state": "faulted" if self.faulted else "active",
            "fault": self.fault.as_fault() if self.fault else None,
            "pending": len(self._waiting_users()),
            "downstream": dict(self.downstream),
        }

    def _waiting_users(self) -> set[str]:
        """Users with a change queued or rows left from an interrupted flush."""
        interrupted = {owner for upload in self.uploads for owner in upload.owners}
        return self.queue.user_keys() | interrupted

    def downstream_settings(self) -> dict[str, str]:
        """The downstream audience ids, as subscription-settings entries."""
        by_id = {kind.id: kind for kind in rowbuilder.KINDS}
        return {
            by_id[kind].setting_id: fb_id for kind, fb_id in self.downstream.items()
        }

    # lifecycle ------------------------------------------------------------------

    def connect(self) -> None:
        """Find or create every downstream audience; a failure faults the connection."""
        self._guarded(self._resolve_downstream)

    def change_settings(
        self,
        settings: ConnectionSettings,
        subscription_settings: dict[str, str],
        name: str,
        graph: GraphClient,
    ) -> None:
        """Apply an `update` subscription: new settings, a rename, new audiences."""
        if settings.is_audience_value_based != self.settings.is_audience_value_based:
            raise SettingsError(
                "isAudienceValueBased",
                "is fixed when the connection is created; connect the audience "
                "again to change it",
            )
        self.settings = settings
        self.subscription_settings = dict(subscription_settings)
        self.graph = graph
        self.queue.flush_seconds = settings.bulk_flush_seconds
        self.queue.flush_messages = settings.bulk_flush_messages
        renamed = name != self.name
        self.name = name
        self._guarded(lambda: self._rename_and_resolve(renamed))

    def use_graph(self, graph: GraphClient, settings: ConnectionSettings) -> None:
        """Take fresh account settings (e.g. a new access token) from a message."""
        self.graph = graph
        self.settings = settings

    def remove(self) -> None:
        """The mParticle audience was deleted: delete every downstream audience.

        Audiences the engine does not know (it restarted) are found by name first.
        """
        self.removed = True
        self._guarded(self._delete_downstream)

    def _delete_downstream(self) -> None:
        self._resolve_downstream(create=False)
        for kind_id in list(self.downstream):
            self.graph.delete_audience(self.downstream[kind_id])
            del self.downstream[kind_id]
        self.queue.take(self._clock.now())
        self.uploads.clear()

    def resume(self) -> None:
        """Clear the fault, finish interrupted uploads, then flush the queue."""
        logger.info("resuming connection %s", self.audience_id)
        self.fault = None
        if self.removed:
            self._guarded(self._delete_downstream)
            return
        self._guarded(self._resolve_downstream)
        self.flush()

    # membership -----------------------------------------------------------------

    def enqueue(self, change: MembershipChange) -> None:
        """Queue one user's change; attributes merge into what is known of the user."""
        key = change.profile.key
        known = dict(self._attributes.get(key, {}))
        for attribute in change.attributes:
            if attribute.deleted:
                known.pop(attribute.key, None)
            else:
                known[attribute.key] = attribute.value
        self._attributes[key] = known
        self.queue.put(QueuedChange(change.profile, known, change.is_member))

    def flush_if_due(self) -> None:
        if not self.faulted and self.queue.flush_due(self._clock.now()):
            self.flush()

    def flush(self) -> None:
        """Send what is queued (and what a fault interrupted), unless faulted."""
        if self.faulted or self.removed:
            return
        changes = self.queue.take(self._clock.now())
        self.uploads.extend(self._uploads_for(changes))
        self._guarded(self._send_uploads)

    # internals ------------------------------------------------------------------

    def _guarded(self, action: Callable[[], None]) -> None:
        try:
            action()
        except GraphError as error:
            self.fault = error
            logger.warning("connection %s faulted: %s", self.audience_id, error)

    def _resolve_downstream(self, *, create: bool = True) -> None:
        """Find each missing downstream audience by name, else create it."""
        kinds = rowbuilder.downstream_kinds(self.settings)
        missing = [kind for kind in kinds if kind.id not in self.downstream]
        if not missing:
            return
        existing = self._audiences_by_name()
        for kind in missing:
            name = rowbuilder.audience_name(kind, self.name, self.settings)
            found = existing.get(name)
            if found is not None:
                self.downstream[kind.id] = self._reuse(found, name)
            elif create:
                self.downstream[kind.id] = self.graph.create_audience(
                    self._creation_fields(name)
                )

    def _audiences_by_name(self) -> dict[str, dict]:
        by_name: dict[str, dict] = {}
        for audience in self.graph.list_audiences():
            by_name.setdefault(audience.get("name"), audience)
        return by_name

    def _reuse(self, audience: dict, name: str) -> str:
        subtype = audience.get("subtype", "CUSTOM")
        if subtype != "CUSTOM":
            raise PermanentGraphError(
                f"audience {name!r} ({audience['id']}) in {self.graph.ad_account} has "
                f"subtype {subtype}; customer-file rows need a CUSTOM audience. "
                "Rename or delete it in Ads Manager, then resume."
            )
        return str(audience["id"])

    def _creation_fields(self, name: str) -> dict:
        return {
            "name": name,
            "subtype": "CUSTOM",
            "description": f"mParticle audience {self.audience_id}",
            "customer_file_source": self.settings.customer_file_source,
            "is_value_based": self.settings.is_audience_value_based,
        }

    def _rename_and_resolve(self, renamed: bool) -> None:
        if renamed:
            for kind in rowbuilder.KINDS:
                if kind.id in self.downstream:
                    new_name = rowbuilder.audience_name(kind, self.name, self.settings)
                    self.graph.update_audience(
                        self.downstream[kind.id], {"name": new_name}
                    )
        self._resolve_downstream()

    def _uploads_for(self, changes: list[QueuedChange]) -> Iterator[Upload]:
        """Per downstream audience: removals first, then additions, one per schema."""
        kinds = rowbuilder.downstream_kinds(self.settings)
        uploads = {
            (kind.id, method, variant): Upload(kind, method, schema)
            for kind in kinds
            for method in ("DELETE", "POST")
            for variant, schema in enumerate(
                rowbuilder.request_schemas(kind, self.settings)
            )
        }
        for change in changes:
            self._add_rows(change, kinds, uploads)
        return (upload for upload in uploads.values() if upload.rows)

    def _add_rows(self, change: QueuedChange, kinds, uploads: dict) -> None:
        """Add one user's rows to the uploads: all of them, or none if one fails."""
        key = change.user_key
        try:
            adding, built = self._rows_of(change, kinds)
        except (ValueError, TypeError) as error:
            # One user's unusable data must never cost the others their upload.
            self._notice(
                key, "all", f"rows could not be built ({type(error).__name__})"
            )
            return
        method = "POST" if adding else "DELETE"
        for kind, rows in built:
            for row in rows:
                variant, sent = rowbuilder.request_form(kind, row, self.settings)
                upload = uploads[(kind.id, method, variant)]
                upload.rows.append(sent)
                upload.owners.append(key)
        if not change.member:
            self._attributes.pop(key, None)

    def _rows_of(
        self, change: QueuedChange, kinds
    ) -> tuple[bool, list[tuple[AudienceKind, list]]]:
        """Whether the rows add the user (else remove them), and the rows per kind."""
        attributes = UserAttributes(change.attributes)
        adding, value = self._value_for(change, attributes)
        if value is _LEFT_OUT:
            return adding, []
        built = []
        for kind in kinds:
            rows, reason = rowbuilder.build_rows(
                kind, change.profile, attributes, self.settings, value=value
            )
            if reason:
                self._notice(change.user_key, kind.id, reason)
            built.append((kind, rows))
        return adding, built

    def _value_for(self, change: QueuedChange, attributes: UserAttributes):
        """Whether the change adds the user, and the LOOKALIKE_VALUE it carries.

        Removals carry the last value sent. A member whose value is unusable is left
        out; if a value was sent for them before, they are withdrawn with it, so no
        stale value stays in the audience whatever the flush timing was.
        """
        if not self.settings.is_audience_value_based:
            return change.member, None
        key = change.user_key
        if change.member:
            value, reason = rowbuilder.lookalike_value(attributes, self.settings)
            if reason is None:
                self._values[key] = value
                return True, value
            self._notice(key, "all", reason)
            if key not in self._values:
                return True, _LEFT_OUT
        return False, self._values.pop(key, 0)

    def _notice(self, key: str, kind_id: str, reason: str) -> None:
        notice = Notice(user_ref(key), kind_id, reason)
        self.notices.append(notice)
        logger.warning(
            "connection %s: %s skipped for %s: %s",
            self.audience_id,
            notice.user,
            kind_id,
            reason,
        )

    def _send_uploads(self) -> None:
        while self.uploads:
            first = self.uploads[0]
            count = 1
            for upload in self.uploads[1:]:
                if (upload.kind, upload.method) != (first.kind, first.method):
                    break
                count += 1
            self._send(self.uploads[:count])
            del self.uploads[:count]

    def _send(self, uploads: list[Upload]) -> None:
        """One upload session over `uploads` (one audience and method, a schema each);
        acknowledged rows leave their upload as they go."""
        kind = uploads[0].kind
        audience_id = self.downstream.get(kind.id)
        if audience_id is None:
            self._resolve_downstream()
            audience_id = self.downstream[kind.id]

        session = UploadSession(
            self._next_session_id(),
            total=sum(len(upload.rows) for upload in uploads),
            batches=sum(-(-len(upload.rows) // self._max_rows) for upload in uploads),
        )
        extras = rowbuilder.payload_extras(kind, self.settings)
        for upload in uploads:
            payload_base = {"schema": upload.schema, **extras}
            while upload.rows:
                chunk = upload.rows[: self._max_rows]
                answer = self._send_chunk(
                    upload, audience_id, payload_base, chunk, session.next_batch()
                )
                self._record_invalid(upload, chunk, answer)
                del upload.rows[: len(chunk)]
                del upload.owners[: len(chunk)]

    def _send_chunk(self, upload, audience_id, payload_base, chunk, session) -> dict:
        payload = {**payload_base, "data": chunk}
        try:
            return self.graph.send_users(upload.method, audience_id, payload, session)
        except PermanentGraphError as error:
            if (error.code, error.subcode) in AUDIENCE_GONE:
                logger.warning(
                    "connection %s: downstream audience %s is gone; resume recreates",
                    self.audience_id,
                    audience_id,
                )
                self.downstream.pop(upload.kind.id, None)
            raise

    def _record_invalid(self, upload: Upload, chunk: list, answer: dict) -> None:
        """Map `invalid_entry_samples` (keyed by the row's JSON) back to its users."""
        samples = answer.get("invalid_entry_samples") or {}
        if isinstance(samples, list):
            samples = {sample: "invalid entry" for sample in samples}
        for sample, reason in samples.items():
            row = _parse_sample(sample)
            for index, sent in enumerate(chunk):
                if sent == row:
                    self._notice(upload.owners[index], upload.kind.id, str(reason))


def _parse_sample(sample: str):
    try:
        return json.loads(sample)
    except ValueError:
        return sample
