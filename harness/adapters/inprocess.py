"""In-process engines: the reference engine and `python:module:factory` specs."""

from __future__ import annotations

import importlib
import traceback

from harness.adapters.base import EngineAdapter, EngineSpecError


class InProcessEngine(EngineAdapter):
    """Wraps an object with `handle(message) -> dict` living in this process."""

    in_process = True

    def __init__(self, name: str, engine) -> None:
        super().__init__(name)
        self.engine = engine
        self.closed = False

    def handle(self, message: dict) -> dict:
        try:
            answer = self.engine.handle(message)
        except Exception as error:
            problem = f"raised {type(error).__name__} on {message['type']}: {error}"
            raise self.failure(problem + _where(error)) from error
        return self.checked(answer, message=message)

    def close(self) -> None:
        close = getattr(self.engine, "close", None)
        if close is not None and not self.closed:
            close()
        self.closed = True


def _where(error: Exception) -> str:
    """Where the engine raised, so its author can find it: ` (at file.py:12)`."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return ""
    last = frames[-1]
    return f" (at {last.filename}:{last.lineno})"


def open_reference(*, graph_url: str, clock, http=None) -> InProcessEngine:
    from harness.engine import ReferenceEngine

    return InProcessEngine(
        "reference", ReferenceEngine(graph_url, clock=clock, http=http)
    )


def open_python(spec: str, target: str, *, graph_url: str, clock, http=None):
    """`target` is `module:factory`; the factory gets graph_url, clock and http."""
    factory = load_factory(spec, target)
    return open_factory(factory, graph_url=graph_url, clock=clock, http=http, spec=spec)


def load_factory(spec: str, target: str):
    """The callable that `module:factory` names; EngineSpecError when there is none."""
    module_name, _, factory_name = target.partition(":")
    if not module_name or not factory_name:
        raise EngineSpecError(spec, "a python engine is named module:factory")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise EngineSpecError(spec, f"cannot import {module_name} ({error})") from None
    factory = getattr(module, factory_name, None)
    if not callable(factory):
        raise EngineSpecError(spec, f"{module_name} has no callable {factory_name}")
    return factory


def open_factory(factory, *, graph_url: str, clock, http=None, spec: str | None = None):
    """Build an engine with `factory(graph_url=, clock=, http=)` and wrap it."""
    name = spec or f"python factory {getattr(factory, '__qualname__', factory)!r}"
    engine = factory(graph_url=graph_url, clock=clock, http=http)
    if not callable(getattr(engine, "handle", None)):
        raise EngineSpecError(name, "the factory returned an object without handle")
    return InProcessEngine(name, engine)
