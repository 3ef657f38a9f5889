import textwrap

import pytest

from harness.scenario.loader import load_scenario


@pytest.fixture
def write_scenario(tmp_path):
    """Write YAML text (dedented) to a file and return its path."""

    def write(text: str, name: str = "case.yaml"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


@pytest.fixture
def load_text(write_scenario):
    def load(text: str, name: str = "case.yaml"):
        return load_scenario(write_scenario(text, name))

    return load
