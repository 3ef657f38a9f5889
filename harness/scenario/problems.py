"""What a check reports: a Problem, a failure or a warning, with its scenario line."""

from dataclasses import dataclass

FAILURE = "failure"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One unmet expectation; `line` points at the scenario text that expected it.

    A warning (an unexpected warning-level finding) fails a scenario only under
    --strict.
    """

    message: str
    line: int | None = None
    severity: str = FAILURE
