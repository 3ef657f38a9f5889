"""`cmd:COMMAND` engines: a child process speaking JSON lines on stdin and stdout.

One message per line in, one answer per line out, in order. The child's standard
error goes to a temporary file whose tail is shown when the engine fails, so a
crash says why. A reader thread lets a hung engine time out instead of hanging
the run.
"""

from __future__ import annotations

import json
import queue
import shlex
import shutil
import subprocess
import tempfile
import threading

from harness.adapters.base import EngineAdapter, EngineSpecError

ANSWER_TIMEOUT = 30.0
STDERR_TAIL = 800


class CommandEngine(EngineAdapter):
    """A child process started once and fed one JSON line per message."""

    def __init__(self, spec: str, command: str, *, timeout: float = ANSWER_TIMEOUT):
        super().__init__(spec)
        argv = _split(spec, command)
        self.timeout = timeout
        # Closed in close(), not by a with block: it outlives this method.
        self.stderr = tempfile.TemporaryFile(mode="w+b")  # noqa: SIM115
        try:
            self.process = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.stderr,
                bufsize=0,
            )
        except OSError as error:
            raise EngineSpecError(spec, f"cannot start {argv[0]} ({error})") from None
        self.lines: queue.Queue[bytes] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(b"")

    def handle(self, message: dict) -> dict:
        line = json.dumps(message, separators=(",", ":")).encode() + b"\n"
        try:
            self.process.stdin.write(line)
            self.process.stdin.flush()
        except (BrokenPipeError, ValueError):
            raise self.failure(
                f"stopped before {message['type']}{self._tail()}"
            ) from None

        try:
            answer = self.lines.get(timeout=self.timeout)
        except queue.Empty:
            problem = f"did not answer {message['type']} within {self.timeout:g}s"
            raise self.failure(problem + self._tail()) from None
        if not answer:
            raise self.failure(f"exited while handling {message['type']}{self._tail()}")
        return self.answer(answer, message=message)

    def _tail(self) -> str:
        self.stderr.flush()
        self.stderr.seek(0)
        text = self.stderr.read().decode("utf-8", "replace").strip()
        return f"; its stderr ends: {text[-STDERR_TAIL:]}" if text else ""

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
                self.process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
        self.stderr.close()


def check_command(spec: str, command: str) -> None:
    """Raise EngineSpecError unless `command` splits and its program can be found."""
    program = _split(spec, command)[0]
    if shutil.which(program) is None:
        raise EngineSpecError(spec, f"cannot find the program {program!r}")


def _split(spec: str, command: str) -> list[str]:
    try:
        argv = shlex.split(command)
    except ValueError as error:
        raise EngineSpecError(spec, f"cannot split the command ({error})") from None
    if not argv:
        raise EngineSpecError(spec, "the command is empty")
    return argv
