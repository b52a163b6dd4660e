"""Summary figures as decision criteria: which ones exist, their unit, which way is better, the
readings every table, chart and sentence shares (the best cell of a grid, the contribution that
carries a difference), and their values per seed for a scenario (shared by `explain`,
`robustness` and `optimise`).

    check_figures(("ltv", "profit"))         # -> list, or UsageError naming the closest figure
    better_sign("churn_rate_monthly")        # -1: lower is better
    unit_of("ltv")                           # 'rmb_user' (UNITS: what a number of this figure counts)
    best_cell(table, ["groups.size", "messaging.per_week"], "ltv")   # ((100, 2.0), 163.2)
    carrier({"retention": -46, "discounts": 27}, total=-39)          # 'retention'
    seed_values(sc, seeds=[0, 1], figures)   # -> {figure: array over seeds}, None -> NaN
    many_values([sc1, sc2], seeds, figures, workers=2)   # the same for several scenarios, on 2 processes
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from ..core.scenario import Scenario
from ..engine.runner import run
from .pool import MAX_WORKERS, on_workers
from .sensitivity import _check_outputs

# Figures where a smaller number is the better outcome; every other figure: larger is better.
LOWER_IS_BETTER = frozenset({
    "cac", "churn_rate_monthly", "churn_rate_monthly_paid", "churn_rate_monthly_referred", "pool_churn_rate_monthly",
    "payback_day", "cost", "washed_back_share", "lost_lapsed", "lost_washed_back", "lost_annoyed", "lost_staff_left",
})
DECISION_FIGURES = ("ltv", "profit", "churn_rate_monthly", "payback_day")

# What a number of each summary figure counts (sim/core/result.py): presentation turns the unit into words and a
# scale (a share is shown in %). A figure not listed is a plain number ("number").
UNITS = {
    **dict.fromkeys(("ltv", "ltv_paid", "ltv_organic", "ltv_referred", "ltv180_paid", "ltv180_organic",
                     "ltv180_referred", "cac"), "rmb_user"),
    **dict.fromkeys(("profit", "revenue", "cost", "profit_6w", "profit_6m"), "rmb"),
    **dict.fromkeys(("churn_rate_monthly", "churn_rate_monthly_paid", "churn_rate_monthly_referred",
                     "pool_churn_rate_monthly", "retention_90d", "retention_90d_paid", "retention_90d_referred",
                     "referral_share", "repurchase_rate", "washed_back_share"), "share"),
    **dict.fromkeys(("acquired_users", "paid_users", "organic_users", "referred_users", "pool_size_end",
                     "pool_joined", "lost_lapsed", "lost_washed_back", "lost_annoyed", "lost_staff_left"), "users"),
    "payback_day": "days", "ltv_to_cac": "ratio", "k_factor": "users_per_user", "invites_per_user": "users_per_user",
}
BEST = ("max", "min")


def check_figures(figures: Iterable[str] | str) -> list[str]:
    """The figures as a list; UsageError for an unknown one (with the closest name)."""
    return _check_outputs(figures)


def better_sign(figure: str) -> int:
    """+1 if a larger value of `figure` is better, -1 if a smaller one is."""
    return -1 if figure in LOWER_IS_BETTER else 1


def unit_of(figure: str) -> str:
    """The unit of a summary figure (UNITS), 'number' for one not listed."""
    return UNITS.get(figure, "number")


def best_way(figure: str) -> str:
    """'max' when a larger `figure` is better, else 'min' (better_sign)."""
    return "max" if better_sign(figure) > 0 else "min"


def best_ways(figures: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """(figure, 'max' | 'min') for each figure, the way that is better."""
    return tuple((f, best_way(f)) for f in figures)


def best_cell(table: pd.DataFrame, keys: list[str], figure: str, best: str | None = None):
    """The cell of a grid (`table`: one row per run, cells by the columns `keys`) with the best mean
    `figure`: (key values as a tuple, mean); `best` 'max' or 'min' (default: the better way).
    Cells without a value are skipped; ties go to the first cell in sorted key order; None when no
    cell has a value. Heatmaps, sentences and the sweep's summary all read this one pick."""
    best = best or best_way(figure)
    if best not in BEST:
        raise ValueError(f"best must be one of {BEST}, not {best!r}")
    m = table.groupby(list(keys))[figure].mean().dropna()
    if m.empty:
        return None
    idx = m.idxmax() if best == "max" else m.idxmin()
    return (idx if isinstance(idx, tuple) else (idx,)), float(m[idx])


def best_in_rows(table: pd.DataFrame, x: str, y: str, figure: str, best: str | None = None) -> dict:
    """{y value: the x value with the best mean `figure` at that y} (rows without a value left out;
    ties as in best_cell)."""
    out = {}
    for yv, rows in table.groupby(y):
        cell = best_cell(rows, [x], figure, best)
        if cell is not None:
            out[yv] = cell[0][0]
    return out


def carrier(contributions, total: float, along: bool = True):
    """The key of the largest contribution in the direction of `total` (along=False: against it),
    None when there is none: the lever (or LTV driver) a difference is said to come from.
    `contributions`: a Mapping or Series {key: contribution}; ties go to the first; a contribution
    that is not a number is skipped."""
    s = pd.Series(dict(contributions) if isinstance(contributions, Mapping) else contributions, dtype=float)
    sign = 1.0 if total >= 0 else -1.0
    s = s[s * sign > 0] if along else s[s * sign < 0]
    return None if s.empty else s.abs().idxmax()


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
    processes; without, over the shared pool of a `lab.pool.shared_pool` block in progress, else run here.
    Every run is seeded, so the numbers are the same on any number of processes (lab.pool)."""
    figures, seeds = list(figures), [int(s) for s in seeds]
    jobs = [(sc, s, figures) for sc in scenarios for s in seeds]
    values = on_workers(_figure_values, jobs, workers)
    out, k = [], len(seeds)
    for i in range(len(scenarios)):
        rows = np.asarray(values[i * k:(i + 1) * k], dtype=float).reshape(k, len(figures))
        out.append({f: rows[:, j].copy() for j, f in enumerate(figures)})
    return out


__all__ = ["DECISION_FIGURES", "LOWER_IS_BETTER", "UNITS", "best_cell", "best_in_rows", "best_way", "best_ways",
           "MAX_WORKERS", "better_sign", "carrier", "check_figures", "many_values", "seed_values", "unit_of"]
