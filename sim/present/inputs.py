"""Results in any shape a chart accepts ("runs"), normalised to {name: [Result, ...]}.

A `Result`, a list of Results (several seeds of one scenario), an experiments `Many`,
a dict {name: any of those}, or an experiments `Comparison`.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

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
    for lst in out.values():
        register_titles(scenario_name(lst[0]), lst[0].scenario)
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
    """Mean and 5-95% band across seeds of a daily column (indexed by day)."""
    arr = np.vstack([r.daily[column].to_numpy(dtype=float) for r in results])
    return pd.DataFrame({"mean": arr.mean(axis=0), "lo": np.percentile(arr, 5, axis=0),
                         "hi": np.percentile(arr, 95, axis=0)})


def figure_stats(results: list, fig_name: str) -> tuple[float, float, float, int]:
    """Mean, 90% interval of the mean (t-based) and count of non-missing values of a summary figure."""
    vals = np.array([np.nan if r.summary.get(fig_name) is None else float(r.summary[fig_name]) for r in results])
    vals = vals[~np.isnan(vals)]
    k = len(vals)
    if k == 0:
        return float("nan"), float("nan"), float("nan"), 0
    m = float(vals.mean())
    if k == 1:
        return m, m, m, 1
    from scipy import stats
    h = float(stats.t.ppf(0.95, k - 1) * vals.std(ddof=1) / math.sqrt(k))
    return m, m - h, m + h, k
