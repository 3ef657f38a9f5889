"""Run scenarios: each against a fresh fake and a fresh engine, in parallel if it can.

`run_scenario` replays one loaded scenario and returns a `ScenarioResult`;
`run_many` runs many (processes when there are enough of them and the
fake is not a shared live server). A result is `passed`, `failed` (expectations
not met), `error` (the engine or the fake broke) or `invalid` (the file is wrong).
"""

from __future__ import annotations

import os
import pickle
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from fake_graph_api.clock import VirtualClock
from fake_graph_api.documents import DocumentError
from harness.adapters import AdapterError, open_engine
from harness.adapters.opening import is_in_process
from harness.scenario import model
from harness.scenario.fake_control import FakeControlError
from harness.scenario.fake_site import FakeSite, fake_config
from harness.scenario.loader import load_scenario
from harness.scenario.problems import FAILURE, WARNING, Problem
from harness.scenario.replay import Replay

PASSED, FAILED, ERROR, INVALID = "passed", "failed", "error", "invalid"
PARALLEL_FROM = 4


@dataclass(frozen=True)
class RunOptions:
    engine: object = None  # a spec string, or a factory (see open_engine)
    server: str | None = None
    strict: bool = False
    jobs: int | None = None


@dataclass
class ScenarioResult:
    file: str
    title: str
    status: str
    tags: tuple[str, ...] = ()
    problems: list[Problem] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0

    @property
    def failures(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == FAILURE]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]


def run_scenario(
    scenario: model.Scenario, options: RunOptions = RunOptions()
) -> ScenarioResult:
    """Replay `scenario`; never raises: a broken engine, fake or replay is an error."""
    started = time.perf_counter()
    result = ScenarioResult(str(scenario.file), scenario.title, PASSED, scenario.tags)
    try:
        result.problems = _replay(scenario, options)
    except (AdapterError, FakeControlError) as error:
        result.status, result.error = ERROR, str(error)
    except Exception as error:  # one broken replay must not stop the whole gate
        result.status = ERROR
        result.error = f"the replay broke: {type(error).__name__}: {error}"
    result.seconds = time.perf_counter() - started
    if result.status == PASSED and _fails(result, options.strict):
        result.status = FAILED
    return result


def _fails(result: ScenarioResult, strict: bool) -> bool:
    return bool(result.failures or (strict and result.warnings))


def _replay(scenario: model.Scenario, options: RunOptions) -> list[Problem]:
    clock = VirtualClock()
    site = _open_site(scenario, options, clock)
    try:
        in_process = is_in_process(options.engine)
        engine = open_engine(
            options.engine,
            graph_url=site.graph_url,
            clock=clock,
            http=site.http if in_process else None,
        )
        with engine:
            return Replay(scenario, engine, site).run()
    finally:
        site.close()


def _open_site(scenario: model.Scenario, options: RunOptions, clock) -> FakeSite:
    config = fake_config(scenario.facebook)
    if options.server:
        return FakeSite.live(options.server, config, clock)
    if is_in_process(options.engine):
        return FakeSite.in_process(config, clock)
    return FakeSite.on_loopback(config, clock)


def run_file(path: str | Path, options: RunOptions = RunOptions()) -> ScenarioResult:
    """Load and run one file; a file that does not load gives an `invalid` result."""
    try:
        scenario = load_scenario(path)
    except DocumentError as error:
        return ScenarioResult(str(path), Path(path).name, INVALID, error=str(error))
    return run_scenario(scenario, options)


def run_many(scenarios: list[model.Scenario], options: RunOptions = RunOptions()):
    """Results of every scenario, in the order given, each yielded when ready."""
    jobs = worker_count(len(scenarios), options)
    if jobs <= 1:
        for scenario in scenarios:
            yield run_scenario(scenario, options)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(run_scenario, scenarios, [options] * len(scenarios))


def _is_http(engine) -> bool:
    return isinstance(engine, str) and engine.startswith("http:")


def _picklable(options: RunOptions) -> bool:
    try:
        pickle.dumps(options)
    except (pickle.PicklingError, AttributeError, TypeError):
        return False
    return True


def worker_count(count: int, options: RunOptions) -> int:
    """Processes for `count` scenarios: one when they share a fake or an engine."""
    if options.server or _is_http(options.engine):
        return 1  # one live fake or engine: a reset would wipe a neighbour's state
    if not _picklable(options):
        return 1  # e.g. a lambda as engine factory cannot reach a worker process
    if options.jobs is not None:
        return max(1, options.jobs)
    if count < PARALLEL_FROM:
        return 1
    return min(count, os.cpu_count() or 1)
