"""Running the engine: `run(scenario_or_path, users=None, days=None, seed=0, agents=None)` -> Result."""
from __future__ import annotations

import threading
from pathlib import Path

from tqdm.auto import tqdm

from ..core.errors import check_seed
from ..core.result import Result, daily_frame, summarise
from ..core.scenario import Scenario, load_scenario
from .model import PoolModel

PROGRESS_WORK = 100_000_000  # user-days above which a progress bar is shown by default


class ProgressBar(tqdm):
    """The lab's progress bars (a run's days, a sweep's runs, a decision's batches): tqdm (in a notebook, its widget)
    without tqdm's monitor thread, even when disabled, and with a thread lock instead of the process lock tqdm would
    make (a stopped worker process would leave that to the resource tracker's warning). A second thread would make
    the decision pool spawn its workers instead of forking them (lab/pool.py: ~1.5 s each to start)."""
    monitor_interval = 0
    _lock = threading.RLock()


def resolve(scenario: Scenario | str | Path | None, users: int | None = None, days: int | None = None,
            agents: int | None = None) -> Scenario:
    """A Scenario from a path or object, with `users` (market size), `days` and `agents` (simulated
    agents) applied as validated overrides."""
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    over = {}
    if users is not None:
        over["market.users"] = users
    if agents is not None:
        over["market.agents"] = agents
    if days is not None:
        over["horizon_days"] = days
    return sc.with_overrides(over, source=f"{sc.name} (users/days/agents)") if over else sc


def run(scenario: Scenario | str | Path | None = None, users: int | None = None, days: int | None = None,
        seed: int = 0, progress: bool | None = None, agents: int | None = None) -> Result:
    """Simulate one scenario with one seed (`agents` overrides market.agents). The same inputs give
    bit-identical results; figures are for the whole market (market.users people)."""
    seed = check_seed(seed)
    sc = resolve(scenario, users, days, agents)
    model = PoolModel(sc, seed=seed)
    show = progress if progress is not None else model.users.n * sc.horizon_days >= PROGRESS_WORK
    for _ in ProgressBar(range(sc.horizon_days), desc=sc.name, unit="day", disable=not show, leave=False):
        model.step()
    daily = daily_frame(model)
    return Result(scenario=sc, seed=seed, daily=daily, summary=summarise(model, daily), _model=model,
                  sales=model.sales.table(model.scale), entry=model.entry.table(model),
                  tiers=model.tiers.table())
