from pathlib import Path

import pytest

from fake_graph_api.errors import CATALOGUE

FIDELITY = Path(__file__).parents[2] / "docs" / "fidelity.md"
LEVELS = {"official", "sdk", "recorded", "secondary", "modelled"}


def catalogue_rows() -> dict[str, list[str]]:
    rows = {}
    for line in FIDELITY.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if cells and cells[0].startswith("`") and cells[0].strip("`") in CATALOGUE:
            rows[cells[0].strip("`")] = cells
    return rows


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_every_catalogue_error_is_in_fidelity_md(name):
    entry = CATALOGUE[name]
    code = f"{entry.code}" + (f"/{entry.subcode}" if entry.subcode else "")

    row = catalogue_rows().get(name)

    assert row is not None, f"docs/fidelity.md lacks a row for {name}"
    assert row[1:4] == [code, str(entry.status), entry.evidence]


def test_catalogue_evidence_levels_are_known():
    assert {entry.evidence for entry in CATALOGUE.values()} <= LEVELS
