"""A minimal `python:` engine: the reference engine behind the factory interface.

    fbca run --engine python:python_engine:create_engine   (examples/ on PYTHONPATH)

The factory receives the fake's base URL, the replay's virtual clock and an
httpx client that reaches the fake (in process: no sockets). It returns any
object with `handle(message) -> dict`; `close()` is optional.
"""

from harness.engine import ReferenceEngine


class CountingEngine:
    """Forwards with the reference engine and counts the messages it handled."""

    def __init__(self, engine: ReferenceEngine) -> None:
        self.engine = engine
        self.handled = 0

    def handle(self, message: dict) -> dict:
        self.handled += 1
        return self.engine.handle(message)

    def close(self) -> None:
        self.handled = 0


def create_engine(*, graph_url: str, clock, http=None) -> CountingEngine:
    return CountingEngine(ReferenceEngine(graph_url, clock=clock, http=http))
