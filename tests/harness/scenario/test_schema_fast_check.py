"""The compiled fast check of scenario files agrees with jsonschema."""

from pathlib import Path

import pytest

from fake_graph_api.documents import load_document
from harness.scenario.schema import _accepts, _validator

LIBRARY = Path(__file__).parents[3] / "scenarios"
SAMPLES = [
    LIBRARY / "phones" / "plus-and-spaces-removed.yaml",
    LIBRARY / "fake-constraints" / "hourly-call-budget-spent-on-uploads-faults.yaml",
    LIBRARY / "multi-key" / "attribute-update-reaches-the-multi-key-row.yaml",
]


def test_every_library_scenario_is_accepted_by_both():
    for path in sorted(LIBRARY.rglob("*.yaml")):
        data = load_document(path).data
        assert _accepts()(data), path
        assert next(_validator().iter_errors(data), None) is None, path


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.stem)
def test_both_agree_on_every_broken_field_of_a_scenario(sample, mutations):
    data = load_document(sample).data

    refused = 0
    for path, value, broken in mutations.every_broken(data):
        strict = next(_validator().iter_errors(broken), None)
        assert _accepts()(broken) == (strict is None), (path, value)
        refused += strict is not None

    assert refused > 50
