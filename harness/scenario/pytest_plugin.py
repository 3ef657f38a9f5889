"""A pytest plugin: scenario files become test items, opt-in.

pytest collects a YAML file as a scenario when either

- its name ends in `.scenario.yaml` or `.scenario.yml`, or
- it lies below a folder named by `--fbca-scenarios PATH` (repeatable) or the
  `fbca_scenarios` ini setting; those folders are added to what pytest collects.

Nothing else is touched, so a project's own `scenarios/` folder is never collected
by accident (nor twice). `--fbca-engine SPEC` (ini `fbca_engine`) picks the engine,
`--fbca-strict` fails on warnings too. Tags become `-k` keywords. Imports of the
harness happen lazily, so loading this plugin costs nothing when unused.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SUFFIXES = (".scenario.yaml", ".scenario.yml")
FOLDER_SUFFIXES = (".yaml", ".yml")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fbca", "fbca scenario replay")
    group.addoption(
        "--fbca-scenarios",
        action="append",
        default=[],
        metavar="PATH",
        help="collect the YAML scenario files below PATH as tests (repeatable)",
    )
    group.addoption("--fbca-engine", metavar="SPEC", help="engine spec for scenarios")
    group.addoption(
        "--fbca-strict", action="store_true", help="scenario warnings fail too"
    )
    parser.addini("fbca_scenarios", "folders of scenario files to collect", "paths")
    parser.addini("fbca_engine", "engine spec for scenarios (default: reference)")


def _scenario_roots(config: pytest.Config) -> list[Path]:
    roots = [Path(p).resolve() for p in config.getoption("fbca_scenarios")]
    roots += [Path(p).resolve() for p in config.getini("fbca_scenarios")]
    return roots


def pytest_configure(config: pytest.Config) -> None:
    """Add scenario folders to the collection unless an argument already covers them."""
    roots = _scenario_roots(config)
    if not roots:
        return
    given = [Path(arg.split("::")[0]).resolve() for arg in config.args]
    for root in roots:
        if not any(root == arg or arg in root.parents for arg in given):
            config.args.append(str(root))


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    if _is_scenario(file_path, parent.config):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


def _is_scenario(path: Path, config: pytest.Config) -> bool:
    if path.name.endswith(SUFFIXES):
        return True
    if path.suffix not in FOLDER_SUFFIXES:
        return False
    resolved = path.resolve()
    return any(root in resolved.parents for root in _scenario_roots(config))


class ScenarioFile(pytest.File):
    """One scenario file: one item, or one failing item when the file is invalid."""

    def collect(self):
        from fake_graph_api.documents import DocumentError
        from harness.scenario.loader import load_scenario

        try:
            scenario = load_scenario(self.path)
        except DocumentError as error:
            yield InvalidScenarioItem.from_parent(
                self, name=self.path.name, error=error
            )
            return
        yield ScenarioItem.from_parent(self, name=scenario.title, scenario=scenario)


class ScenarioFailed(Exception):
    """Raised by a scenario item; carries the runner's result."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


class _ScenarioFileItem(pytest.Item):
    """Shows a ScenarioFailed as the runner's report lines, not a traceback."""

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ScenarioFailed):
            return "\n".join(excinfo.value.lines)
        return super().repr_failure(excinfo, style=style)


class ScenarioItem(_ScenarioFileItem):
    """One scenario, replayed when the test runs."""

    def __init__(self, *, scenario, **kwargs) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.extra_keyword_matches.update(scenario.tags)

    def runtest(self) -> None:
        from harness.scenario.reports import scenario_lines
        from harness.scenario.runner import PASSED, RunOptions, run_scenario

        options = RunOptions(
            engine=self.config.getoption("fbca_engine")
            or self.config.getini("fbca_engine")
            or None,
            strict=self.config.getoption("fbca_strict"),
        )
        result = run_scenario(self.scenario, options)
        if result.status != PASSED:
            raise ScenarioFailed(scenario_lines(result, verbose=True))

    def reportinfo(self):
        return self.path, (self.scenario.line or 1) - 1, f"scenario: {self.name}"


class InvalidScenarioItem(_ScenarioFileItem):
    """A scenario file that does not load: fails with the loader's error."""

    def __init__(self, *, error, **kwargs) -> None:
        super().__init__(**kwargs)
        self.error = error

    def runtest(self) -> None:
        raise ScenarioFailed([f"invalid scenario file: {self.error}"])

    def reportinfo(self):
        return self.path, (self.error.line or 1) - 1, f"invalid scenario: {self.name}"
