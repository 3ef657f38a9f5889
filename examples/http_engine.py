#!/usr/bin/env python3
"""A minimal `http:` engine: messages POSTed as JSON, the answer in the response.

    python examples/http_engine.py --port 8090 &
    fbca run --engine http:http://127.0.0.1:8090/

It prints its URL on the first line of stdout (useful with `--port 0`). The
reference engine does the forwarding (with a clock whose waits the fake sees, see
mirrored_clock.py); a `reset` control message replaces it with a fresh one, since
this server outlives one replay.
"""

import argparse
import contextlib
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

from mirrored_clock import MirroredClock

from harness.engine import ReferenceEngine

UNUSED_URL = "http://127.0.0.1"  # every message carries graphBaseUrl


def fresh_engine() -> ReferenceEngine:
    return ReferenceEngine(UNUSED_URL, clock=MirroredClock())


class EngineHandler(BaseHTTPRequestHandler):
    engine = fresh_engine()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            message = json.loads(self.rfile.read(length))
            answer = self.answer(message)
            self.reply(200, answer)
        except Exception as error:
            self.reply(500, {"error": f"{type(error).__name__}: {error}"})

    def answer(self, message: dict) -> dict:
        if message.get("type") == "fbca_control" and message.get("action") == "reset":
            EngineHandler.engine = fresh_engine()
            return {"type": "fbca_control_response", "ok": True}
        EngineHandler.engine.clock.learn(message)
        return EngineHandler.engine.handle(message)

    def reply(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args) -> None:
        """No access log."""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8090)
    args = parser.parse_args(argv)
    server = HTTPServer(("127.0.0.1", args.port), EngineHandler)
    print(f"http://127.0.0.1:{server.server_port}/", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
