"""The adapter interface and its errors; every adapter module builds on this."""

from __future__ import annotations

import json

QUOTED_ANSWER = 200


class AdapterError(Exception):
    """Base of the adapter errors."""


class EngineSpecError(AdapterError, ValueError):
    """An engine spec that cannot be used; says what was expected."""

    def __init__(self, spec: str, problem: str) -> None:
        super().__init__(
            f"engine spec {spec!r}: {problem}. Expected 'reference', "
            "'python:module:factory', 'cmd:COMMAND' or 'http:URL'."
        )
        self.spec = spec
        self.problem = problem


class EngineFailure(AdapterError, RuntimeError):
    """The engine failed to answer a message properly."""

    def __init__(self, engine: str, problem: str) -> None:
        super().__init__(f"engine {engine}: {problem}")
        self.engine = engine
        self.problem = problem


class EngineAdapter:
    """One engine under test.

    `in_process` engines share the caller's clock and HTTP client; the others run
    elsewhere and need the fake on a socket.
    """

    in_process = False
    long_lived = False  # serves many replays: gets a `reset` before each

    def __init__(self, name: str) -> None:
        self.name = name

    def handle(self, message: dict) -> dict:
        raise NotImplementedError

    def close(self) -> None:
        """Release the engine; safe to call twice."""

    def __enter__(self) -> EngineAdapter:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def answer(self, text: str | bytes, *, message: dict) -> dict:
        """Parse an engine's answer to `message`: it must be one JSON object."""
        try:
            answer = json.loads(text)
        except ValueError:
            raise self.failure(
                f"answered {message['type']} with non-JSON text: {_quoted(text)}"
            ) from None
        return self.checked(answer, message=message)

    def checked(self, answer: object, *, message: dict) -> dict:
        if not isinstance(answer, dict):
            kind = type(answer).__name__
            raise self.failure(
                f"answered {message['type']} with a {kind}, not an object"
            )
        return answer

    def failure(self, problem: str) -> EngineFailure:
        return EngineFailure(self.name, problem)


def _quoted(text: str | bytes) -> str:
    """The start of an engine's answer, quoted, so its author sees what came out."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    text = text.rstrip("\n")
    if len(text) > QUOTED_ANSWER:
        return repr(text[:QUOTED_ANSWER]) + f" ... ({len(text)} characters)"
    return repr(text)
