import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"

SCENARIO = """\
scenario: the example engines forward like the reference engine
tags: [adapters]
connection:
  customer_file_source: USER_PROVIDED_ONLY
profiles:
  ana: {email: " Ana@Example.org ", mobile_number: "+44 7700 900123",
        attributes: {$Country: GB}}
  bob: {email: bob@example.org}
steps:
  - subscribe: {audience: 7301, name: Cart}
  - add: {audience: 7301, users: [ana, bob]}
  - advance: 3h
  - expect:
      audiences:
        "Cart (email)": {members: [{EMAIL: ana@example.org}, {EMAIL: bob@example.org}]}
  - remove: {audience: 7301, users: [bob]}
  - flush
expect:
  audiences:
    "Cart (email)": {members: [{EMAIL: ana@example.org}]}
    "Cart (phone)": {members: [{PHONE: "447700900123"}]}
  connection: active
"""


@pytest.fixture
def example_scenario(tmp_path):
    path = tmp_path / "example.yaml"
    path.write_text(SCENARIO)
    return path


@pytest.fixture
def http_engine_url():
    """The example HTTP engine, started on a free port for the test."""
    process = subprocess.Popen(
        [sys.executable, str(EXAMPLES / "http_engine.py"), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        yield process.stdout.readline().strip()
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def script(tmp_path):
    """Write a small Python script and return a cmd: spec running it."""

    def write(body: str) -> str:
        path = tmp_path / "engine_script.py"
        path.write_text(textwrap.dedent(body))
        return f'cmd:"{sys.executable}" {path}'

    return write
