#!/usr/bin/env python3
"""A minimal `cmd:` engine: JSON lines on stdin, one answer line each on stdout.

    fbca run --engine 'cmd:python examples/cmd_engine.py'

It wraps the reference engine with a clock of its own (moved by `advance`
control messages; its waits mirrored to the fake, see mirrored_clock.py) and
learns where the fake is from each message's `graphBaseUrl` setting. A message it
cannot handle ends it with the reason on stderr, which `fbca run` shows.
"""

import json
import sys

from mirrored_clock import MirroredClock

from harness.engine import ReferenceEngine

UNUSED_URL = "http://127.0.0.1"  # every message carries graphBaseUrl


def main() -> int:
    clock = MirroredClock()
    engine = ReferenceEngine(UNUSED_URL, clock=clock)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            message = json.loads(line)
            clock.learn(message)
            answer = engine.handle(message)
        except Exception as error:
            print(f"cmd_engine: {type(error).__name__}: {error}", file=sys.stderr)
            return 1
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
