"""Summary figures as decision criteria: which ones exist, which way is better, and their values
per seed for a scenario (shared by `explain`, `robustness` and `optimise`).

    check_figures(("ltv", "profit"))         # -> list, or UsageError naming the closest figure
    better_sign("churn_rate_monthly")        # -1: lower is better
    seed_values(sc, seeds=[0, 1], figures)   # -> {figure: array over seeds}, None -> NaN
    many_values([sc1, sc2], seeds, figures, workers=2)   # the same for several scenarios, on 2 processes
"""
from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from ..core.scenario import Scenario
from ..engine.runner import run
from .experiments import check_count
from .sensitivity import _check_outputs

# Figures where a smaller number is the better outcome; every other figure: larger is better.
LOWER_IS_BETTER = frozenset({
    "cac", "churn_rate_monthly", "churn_rate_monthly_paid", "churn_rate_monthly_referred", "pool_churn_rate_monthly",
    "payback_day", "cost", "washed_back_share", "lost_lapsed", "lost_washed_back", "lost_annoyed", "lost_staff_left",
})
DECISION_FIGURES = ("ltv", "profit", "churn_rate_monthly", "payback_day")
MAX_WORKERS = 512           # worker processes for many_values


def check_figures(figures: Iterable[str] | str) -> list[str]:
    """The figures as a list; UsageError for an unknown one (with the closest name)."""
    return _check_outputs(figures)


def better_sign(figure: str) -> int:
    """+1 if a larger value of `figure` is better, -1 if a smaller one is."""
    return -1 if figure in LOWER_IS_BETTER else 1


def seed_values(scenario: Scenario, seeds: Iterable[int], figures: Iterable[str]) -> dict[str, np.ndarray]:
    """Run `scenario` once per seed; {figure: values in seed order} (None, e.g. no payback, -> NaN)."""
    return many_values([scenario], seeds, figures)[0]


def _figure_values(job: tuple) -> list[float]:
    """One run (scenario, seed, figures) -> the figures' values (None -> NaN); a worker process's task."""
    scenario, seed, figures = job
    summary = run(scenario, seed=int(seed), progress=False).summary
    return [math.nan if summary.get(f) is None else float(summary.get(f)) for f in figures]


def many_values(scenarios: list[Scenario], seeds: Iterable[int], figures: Iterable[str],
                workers: int | None = None) -> list[dict[str, np.ndarray]]:
    """`seed_values` of each scenario. With `workers` > 1 the runs are spread over that many worker
    processes (started fresh: each imports the lab first, ~1.5 s); every run is seeded, so the numbers
    are the same as in one process."""
    figures, seeds = list(figures), [int(s) for s in seeds]
    workers = None if workers is None else check_count(workers, "workers", 1, MAX_WORKERS, unit="processes")
    jobs = [(sc, s, figures) for sc in scenarios for s in seeds]
    if workers is not None and workers > 1 and len(jobs) > 1:
        values = _on_workers(jobs, min(int(workers), len(jobs)))
    else:
        values = [_figure_values(job) for job in jobs]
    out, k = [], len(seeds)
    for i in range(len(scenarios)):
        rows = np.asarray(values[i * k:(i + 1) * k], dtype=float).reshape(k, len(figures))
        out.append({f: rows[:, j].copy() for j, f in enumerate(figures)})
    return out


def _worker_start() -> None:
    """In each worker process: ignore Ctrl-C (the parent stops the workers), and give tqdm a thread lock instead
    of the process lock it would make, which a stopped worker would leave to the resource tracker's warning."""
    import signal
    import threading
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from tqdm.auto import tqdm
    tqdm.set_lock(threading.RLock())


def _on_workers(jobs: list[tuple], n: int) -> list[list[float]]:
    """`_figure_values` of each job on `n` fresh worker processes, in job order. The workers ignore Ctrl-C
    (no traceback from each); on Ctrl-C or any error here they are stopped at once and the error raised."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    pool = ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_start)
    try:
        values = list(pool.map(_figure_values, jobs, chunksize=max(1, len(jobs) // (4 * n))))
    except BaseException:
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
            proc.terminate()
        pool.shutdown(wait=True, cancel_futures=True)    # returns at once: the workers are gone
        raise
    pool.shutdown()
    return values


__all__ = ["DECISION_FIGURES", "LOWER_IS_BETTER", "better_sign", "check_figures", "many_values", "seed_values"]
