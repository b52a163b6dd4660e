"""Summary figures as decision criteria: which ones exist, which way is better, and their values
per seed for a scenario (shared by `explain`, `robustness` and `optimise`).

    check_figures(("ltv", "profit"))         # -> list, or UsageError naming the closest figure
    better_sign("churn_rate_monthly")        # -1: lower is better
    seed_values(sc, seeds=[0, 1], figures)   # -> {figure: array over seeds}, None -> NaN
"""
from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from ..core.scenario import Scenario
from ..engine.runner import run
from .sensitivity import _check_outputs

# Figures where a smaller number is the better outcome; every other figure: larger is better.
LOWER_IS_BETTER = frozenset({
    "cac", "churn_rate_monthly", "churn_rate_monthly_paid", "churn_rate_monthly_referred", "pool_churn_rate_monthly",
    "payback_day", "cost", "washed_back_share", "lost_lapsed", "lost_washed_back", "lost_annoyed", "lost_staff_left",
})
DECISION_FIGURES = ("ltv", "profit", "churn_rate_monthly", "payback_day")


def check_figures(figures: Iterable[str] | str) -> list[str]:
    """The figures as a list; UsageError for an unknown one (with the closest name)."""
    return _check_outputs(figures)


def better_sign(figure: str) -> int:
    """+1 if a larger value of `figure` is better, -1 if a smaller one is."""
    return -1 if figure in LOWER_IS_BETTER else 1


def seed_values(scenario: Scenario, seeds: Iterable[int], figures: Iterable[str]) -> dict[str, np.ndarray]:
    """Run `scenario` once per seed; {figure: values in seed order} (None, e.g. no payback, -> NaN)."""
    figures = list(figures)
    out = {f: [] for f in figures}
    for s in seeds:
        summary = run(scenario, seed=int(s), progress=False).summary
        for f in figures:
            v = summary.get(f)
            out[f].append(math.nan if v is None else float(v))
    return {f: np.asarray(v, dtype=float) for f, v in out.items()}


__all__ = ["DECISION_FIGURES", "LOWER_IS_BETTER", "better_sign", "check_figures", "seed_values"]
