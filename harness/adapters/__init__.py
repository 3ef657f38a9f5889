"""Engines under test, behind one small interface (architecture.md section 4).

`open_engine(spec, graph_url=..., clock=..., http=...)` returns an `EngineAdapter`
with `handle(message) -> dict` and `close()`; `check_spec(spec)` checks a spec
without starting anything. Specs:

    None, "reference"          the reference engine, in this process
    "python:module:factory"    factory(graph_url=, clock=, http=) -> obj.handle
    "cmd:COMMAND"              a child process speaking JSON lines (stdin/stdout)
    "http:URL"                 each message POSTed as JSON to URL

Errors:

    AdapterError
    ├── EngineSpecError    the spec is malformed or names nothing loadable
    └── EngineFailure      the engine crashed, hung or answered something unusable
"""

from harness.adapters.base import (
    AdapterError,
    EngineAdapter,
    EngineFailure,
    EngineSpecError,
)
from harness.adapters.opening import check_spec, open_engine

__all__ = [
    "AdapterError",
    "EngineAdapter",
    "EngineFailure",
    "EngineSpecError",
    "check_spec",
    "open_engine",
]
