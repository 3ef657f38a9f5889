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


EMAIL_SCENARIO = """\
scenario: {title}
tags: [{tag}]
connection:
  customer_file_source: USER_PROVIDED_ONLY
profiles:
  ana: {{email: " Ana@Example.org "}}
steps:
  - subscribe: {{audience: 7301, name: Cart}}
  - add: {{audience: 7301, users: [ana]}}
  - flush
expect:
  audiences:
    "Cart (email)": {{members: [{{EMAIL: {email}}}]}}
"""


@pytest.fixture
def email_scenario():
    """Text of a one-user scenario expecting `email` in "Cart (email)"."""

    def text(title="emails are hashed", tag="email", email="ana@example.org") -> str:
        return EMAIL_SCENARIO.format(title=title, tag=tag, email=email)

    return text
