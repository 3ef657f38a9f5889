"""The complete example of docs/scenario-format.md loads and passes."""

import re
from pathlib import Path

from harness.scenario.runner import PASSED, run_file

DOC = Path(__file__).resolve().parents[3] / "docs" / "scenario-format.md"


def test_the_complete_example_passes_with_the_reference_engine(tmp_path):
    section = DOC.read_text().split("## A complete example", 1)[1]
    example = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    path = tmp_path / "example.yaml"
    path.write_text(example)

    result = run_file(path)

    assert result.status == PASSED, (result.error, result.problems)
