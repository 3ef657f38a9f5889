"""`http:URL` engines: each message POSTed as JSON, the way mParticle delivers them.

The answer must be a 2xx response whose body is one JSON object. The engine is a
long-lived server, so the first message of a replay is the `reset` control message
(docs/engine-protocol.md): a fresh replay must not see the last one's connections.
"""

from __future__ import annotations

import httpx

from harness.adapters.base import EngineAdapter, EngineSpecError

ANSWER_TIMEOUT = 30.0


class HttpEngine(EngineAdapter):
    """An engine reachable by HTTP POST at one URL."""

    long_lived = True

    def __init__(self, spec: str, url: str, *, timeout: float = ANSWER_TIMEOUT):
        super().__init__(spec)
        check_url(spec, url)
        self.url = url
        self.client = httpx.Client(timeout=timeout)

    def handle(self, message: dict) -> dict:
        try:
            answer = self.client.post(self.url, json=message)
        except httpx.HTTPError as error:
            raise self.failure(
                f"could not deliver {message['type']}: {error}"
            ) from None
        if not answer.is_success:
            problem = f"answered {message['type']} with HTTP {answer.status_code}"
            raise self.failure(f"{problem}: {answer.text[:300]}")
        return self.answer(answer.content, message=message)

    def close(self) -> None:
        self.client.close()


def check_url(spec: str, url: str) -> None:
    if not url.startswith(("http://", "https://")):
        raise EngineSpecError(spec, "an http engine URL starts with http://")
