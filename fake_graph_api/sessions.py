"""Upload sessions: reading the `session` parameter and the usersreplace rules.

Replace rules (DOC-GUIDE): a replace session starts with batch_seq 1 and stages a
new member set; batches may repeat but must belong to an open session; a batch
after `last_batch_flag` is refused (2650/1870159); 90 minutes after its first batch
the session closes on the virtual clock, keeping what it received, and later batches
are refused (2650/1870158); while one replace runs, another replace or a /users
call is refused (2650/1870145). The operation status reads 414 during a replace.
Pure: the store calls these under its lock.
"""

from dataclasses import dataclass

from fake_graph_api.errors import GraphError
from fake_graph_api.members import MemberSet
from fake_graph_api.model import Audience, UploadSession
from fake_graph_api.payload import decode_json_param

REPLACE_TIMEOUT_SECONDS = 90 * 60


@dataclass(frozen=True)
class SessionRequest:
    """The `session` parameter as sent; every field optional."""

    session_id: str | None = None
    batch_seq: int | None = None
    last_batch_flag: bool = False
    estimated_num_total: int | None = None


def read_session(raw, *, required: bool = False) -> SessionRequest:
    """Parse `session` (JSON string or object); raise GraphError when malformed."""
    if raw is None or raw == "":
        if required:
            raise GraphError("missing_required_parameter", name="session")
        return SessionRequest()
    session = decode_json_param(raw, "session")
    if not isinstance(session, dict):
        raise GraphError("invalid_parameter", detail="Param session must be an object")
    return SessionRequest(
        session_id=_session_id(session.get("session_id"), required),
        batch_seq=_positive_int(session.get("batch_seq"), "batch_seq", required),
        last_batch_flag=_flag(session.get("last_batch_flag")),
        estimated_num_total=_positive_int(
            session.get("estimated_num_total"), "estimated_num_total", False
        ),
    )


def open_replace_batch(
    audience: Audience, request: SessionRequest, now: float, new_session_id
) -> UploadSession:
    """The replace session this batch belongs to, opening one on batch_seq 1."""
    settle_replace(audience, now)
    upload = audience.sessions.get(request.session_id)
    if upload is not None and upload.replace:
        return _continue_replace(upload, request)
    if request.batch_seq != 1:
        raise GraphError("replace_invalid_batch")
    if audience.replace_session is not None:
        raise GraphError("replace_in_progress")
    return _start_replace(audience, request.session_id or new_session_id(), now)


def _continue_replace(upload: UploadSession, request: SessionRequest):
    if upload.finished:
        raise GraphError(
            "replace_timed_out" if upload.timed_out else "replace_finished"
        )
    upload.last_batch_seq = max(upload.last_batch_seq, request.batch_seq)
    return upload


def _start_replace(audience: Audience, session_id: str, now: float) -> UploadSession:
    upload = UploadSession(
        session_id, started_at=now, replace=True, last_batch_seq=1, staged=MemberSet()
    )
    audience.sessions[session_id] = upload
    audience.replace_session = session_id
    audience.operation_status = 414
    return upload


def settle_replace(audience: Audience, now: float, *, finish: bool = False) -> None:
    """Close the running replace if asked or if 90 minutes passed: swap members."""
    upload = audience.sessions.get(audience.replace_session or "")
    if upload is None:
        return
    timed_out = now >= upload.started_at + REPLACE_TIMEOUT_SECONDS
    if not (finish or timed_out):
        return
    audience.members = upload.staged
    audience.time_content_updated = now
    audience.replace_session = None
    audience.operation_status = 200
    upload.staged = None
    upload.finished = True
    upload.timed_out = timed_out and not finish


def _session_id(value, required: bool) -> str | None:
    if value is None:
        if required:
            raise GraphError("missing_required_parameter", name="session.session_id")
        return None
    if isinstance(value, bool) or not str(value).isdigit() or int(value) <= 0:
        raise GraphError(
            "invalid_parameter", detail="session_id must be a positive integer"
        )
    return str(int(value))


def _positive_int(value, name: str, required: bool) -> int | None:
    if value is None:
        if required:
            raise GraphError("missing_required_parameter", name=f"session.{name}")
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise GraphError("invalid_parameter", detail=f"{name} must be an integer")
    if not str(value).isdigit() or int(value) < 1:
        raise GraphError("invalid_parameter", detail=f"{name} must be 1 or more")
    return int(value)


def _flag(value) -> bool:
    if value in (None, False, "false", 0):
        return False
    if value in (True, "true", 1):
        return True
    raise GraphError("invalid_parameter", detail="last_batch_flag must be a boolean")
