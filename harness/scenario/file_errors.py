"""Every error of one scenario file at once, sorted by line.

A file with six bad durations should say so six times, not once. Checks run
through a `Collector`, which keeps each `DocumentError` and goes on; at the end
`ScenarioErrors` carries them all. It is a `DocumentError` itself whose `line` and
`field` are the first error's, so code that wants one error still gets one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from fake_graph_api.documents import DocumentError

T = TypeVar("T")


class ScenarioErrors(DocumentError):
    """Several errors of one file; `errors` sorted by line, `str()` one per line."""

    def __init__(self, errors: Iterable[DocumentError]) -> None:
        unique = {str(error): error for error in errors}
        self.errors = sorted(unique.values(), key=_by_line)
        first = self.errors[0]
        super().__init__(
            first.detail, file=first.file, line=first.line, field=first.field
        )

    def __str__(self) -> str:
        return "\n".join(DocumentError.__str__(error) for error in self.errors)


def _by_line(error: DocumentError) -> tuple:
    return (error.line or 0, error.field)


class Collector:
    """Runs checks, keeping their DocumentErrors instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[DocumentError] = []

    def attempt(self, check: Callable[..., T], *args) -> T | None:
        """`check(*args)`, or None after keeping the error it raised."""
        try:
            return check(*args)
        except ScenarioErrors as found:
            self.errors += found.errors
        except DocumentError as error:
            self.errors.append(error)
        return None

    def raise_any(self) -> None:
        if self.errors:
            raise ScenarioErrors(self.errors)
