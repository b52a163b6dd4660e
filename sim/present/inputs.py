"""Results in any shape a chart accepts ("runs"), normalised to {name: [Result, ...]}.

A `Result`, a list of Results (several seeds of one scenario), an experiments `Many`,
a dict {name: any of those}, or an experiments `Comparison`.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..lab.experiments import daily_band, mean_interval
from .labels import register_titles

# ----------------------------------------------------------------- inputs

def runs_of(obj, name: str | None = None) -> dict[str, list]:
    """Normalise results into {scenario name: [Result, ...]} (see module docstring)."""
    if obj is None:
        raise ValueError("no results given")
    if hasattr(obj, "runs") and hasattr(obj, "names"):          # experiments.Comparison
        out = {n: list(obj.runs[n].results) for n in obj.names}
    elif isinstance(obj, Mapping):
        out = {str(k): results_list(v) for k, v in obj.items()}
    else:
        lst = results_list(obj)
        out = {name or scenario_name(lst[0]): lst}
    own = {n: lst[0].scenario for n, lst in out.items() if n == scenario_name(lst[0])}   # keys that are names
    titles = [getattr(sc, "title", "") for sc in own.values()]
    for (n, sc), t in zip(own.items(), titles):     # a title two strategies share (inherited through
        register_titles(n, sc if not t or titles.count(t) == 1 else None)   # `extends:`) names neither
    return out


def results_list(v) -> list:
    if hasattr(v, "results"):                                 # experiments.Many
        return list(v.results)
    if hasattr(v, "daily") and hasattr(v, "summary"):          # Result
        return [v]
    if isinstance(v, Sequence) and v and all(hasattr(r, "daily") for r in v):
        return list(v)
    raise TypeError(f"expected a Result, a list of Results, a Many or a Comparison, not {type(v).__name__}")


def scenario_name(res) -> str:
    return getattr(res.scenario, "name", "scenario")


def band(results: list, column: str) -> pd.DataFrame:
    """Mean and 5-95% band across seeds of a daily column (indexed by day): sim.lab.experiments.daily_band."""
    return daily_band(results, column)


def figure_stats(results: list, fig_name: str) -> tuple[float, float, float, int]:
    """Mean, 90% interval of the mean (t-based: sim.lab.experiments.mean_interval) and count of
    non-missing values of a summary figure; one value is its own interval."""
    s = mean_interval(r.summary.get(fig_name) for r in results)
    if s["n"] == 1:
        return s["mean"], s["mean"], s["mean"], 1
    return s["mean"], s["lo"], s["hi"], s["n"]


# ----------------------------------------------------------------- one definition per figure
# Every figure shown anywhere (tables, charts, sentences, report, deck, dashboard) is computed on
# each simulated history (seed) and then averaged over the histories: LTV, churn and payback alike.
# The J-curve marks exactly these averages; see docs/notebooks.md "One definition per figure".

def payback_of(results: list) -> float | None:
    """Payback day: the mean over histories of each history's `payback_day` (first day cumulative
    profit is back at >= 0 after its lowest point); histories that never pay back within the horizon
    are left out; None if none pays back."""
    m, _, _, k = figure_stats(results, "payback_day")
    return None if k == 0 else m


def payback_month(day: float | None) -> int | None:
    """Month (1-based, 30.4-day months) in which a payback day falls."""
    return None if day is None or not math.isfinite(day) else int(day // 30.4) + 1


def dip_of(results: list, column: str = "cumulative_profit") -> tuple[float, int]:
    """The deepest point of the J-curve: mean over histories of each history's lowest cumulative
    profit (RMB, <= 0; the money the brand must put in before the pool pays back) and the mean day
    it is reached (rounded)."""
    lows, days = [], []
    for r in results:
        c = r.daily[column].to_numpy(dtype=float)
        i = int(np.argmin(c))
        lows.append(min(float(c[i]), 0.0))
        days.append(i)
    return float(np.mean(lows)), int(round(float(np.mean(days))))
