"""`open_engine`: turn an engine spec into an adapter (architecture.md section 4)."""

from __future__ import annotations

from harness.adapters.base import EngineAdapter, EngineSpecError
from harness.adapters.command import CommandEngine, check_command
from harness.adapters.inprocess import (
    load_factory,
    open_factory,
    open_python,
    open_reference,
)
from harness.adapters.web import HttpEngine, check_url

REFERENCE = "reference"
KINDS = ("python", "cmd", "http")


def open_engine(spec, *, graph_url: str, clock, http=None) -> EngineAdapter:
    """Open the engine named by `spec`; raise EngineSpecError for a bad spec.

    Besides the spec strings, `spec` may be a factory itself (what a
    `python:module:factory` spec names), handy for tests.
    """
    if spec is None or spec == REFERENCE:
        return open_reference(graph_url=graph_url, clock=clock, http=http)
    if callable(spec):
        return open_factory(spec, graph_url=graph_url, clock=clock, http=http)
    kind, target = _parse(spec)
    if kind == "python":
        return open_python(spec, target, graph_url=graph_url, clock=clock, http=http)
    if kind == "cmd":
        return CommandEngine(spec, target)
    return HttpEngine(spec, target)


def check_spec(spec) -> None:
    """Raise EngineSpecError for a spec that cannot work, without starting anything.

    A run checks its spec once up front, so a typo is one clear message rather
    than an error on every scenario.
    """
    if spec is None or spec == REFERENCE or callable(spec):
        return
    kind, target = _parse(spec)
    if kind == "python":
        load_factory(spec, target)
    elif kind == "cmd":
        check_command(spec, target)
    else:
        check_url(spec, target)


def _parse(spec: str) -> tuple[str, str]:
    """(kind, target) of a spec string; EngineSpecError for an unknown kind."""
    kind, colon, target = spec.partition(":")
    if not colon or not target.strip():
        raise EngineSpecError(spec, "the spec has no kind: prefix or nothing after it")
    if kind not in KINDS:
        raise EngineSpecError(spec, f"unknown kind {kind!r}")
    return kind, _unquote(target.strip())


def is_in_process(spec) -> bool:
    """Whether the spec names an engine living in this process (shares the clock)."""
    if spec is None or callable(spec):
        return True
    return spec == REFERENCE or spec.startswith("python:")


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text
