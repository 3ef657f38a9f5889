"""The reference engine's exceptions: one shallow tree.

    EngineError                 everything the engine raises on purpose
    ├── SettingsError           a setting is missing, malformed or contradictory
    ├── InvalidMessageError     a message breaks its JSON Schema; nothing changed
    └── GraphError              a Graph API call failed (code, subcode, status)
        ├── TransientGraphError worth retrying: throttling, 5xx, broken answers
        └── PermanentGraphError needs a person: token, terms, missing objects

A `GraphError` never carries the access token or a row value in its message.
"""


class EngineError(Exception):
    """Base class of the reference engine's own errors."""


class SettingsError(EngineError, ValueError):
    """A connection setting is missing, malformed or contradicts another one."""

    def __init__(self, setting: str, problem: str) -> None:
        super().__init__(f"setting {setting}: {problem}")
        self.setting = setting
        self.problem = problem


class InvalidMessageError(EngineError, ValueError):
    """A message failed validation; `path` is the JSON path of the offending field."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"invalid message at {path}: {problem}")
        self.path = path
        self.problem = problem


class GraphError(EngineError):
    """A Graph API call failed; the fields mirror Graph's error envelope."""

    def __init__(
        self,
        message: str,
        *,
        code: int | None = None,
        subcode: int | None = None,
        status: int | None = None,
        retry_after: float = 0.0,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.subcode = subcode
        self.status = status
        self.retry_after = retry_after

    def as_fault(self) -> dict:
        """The `fault` object reported by the `status` control message."""
        return {"code": self.code, "subcode": self.subcode, "message": self.message}


class TransientGraphError(GraphError):
    """A failure that may pass by itself: retried with backoff."""


class PermanentGraphError(GraphError):
    """A failure that needs a person: it faults the connection."""
