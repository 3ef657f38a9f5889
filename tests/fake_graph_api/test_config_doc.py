"""docs/fake-config.md documents every field of the config schema."""

from pathlib import Path

from fake_graph_api.config import SCHEMA

DOC = (Path(__file__).parents[2] / "docs" / "fake-config.md").read_text()


def test_every_config_field_is_documented():
    sections = SCHEMA["properties"]
    fields = [
        *sections,
        *sections["ad_accounts"]["items"]["properties"],
        *sections["tokens"]["items"]["properties"],
    ]

    missing = [field for field in fields if f"`{field}`" not in DOC]

    assert not missing, f"docs/fake-config.md does not describe {missing}"
