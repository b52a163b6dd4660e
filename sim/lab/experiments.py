"""Many seeds and paired comparisons: intervals a decision can rest on.

    from sim.lab.experiments import run_many, compare

    many = run_many("scenarios/baseline.yaml", seeds=10)
    many.summary            # figure -> mean, lo, hi (90% t-interval of the mean), sd, n
    many.band("pool_users") # day -> mean, lo, hi (5th / 95th percentile across seeds)

    cmp = compare([a, b], seeds=10)      # same seeds for every scenario (common random numbers)
    cmp.table               # figure -> each mean, and diff/lo/hi/vr/n of each paired difference
    # as a typed finding presentation renders: sim.findings_of(cmp); as text: sim.present.tables.comparison_text

Statistics
  * Interval of a mean over K seeds: mean +- t(0.95, K-1) x sd / sqrt(K), a two-sided
    90% Student-t interval; seeds where a figure is None/NaN are left out of that figure.
  * Paired difference (compare): for seed s, d_s = figure(B, s) - figure(A, s); the
    interval is the t-interval of mean(d). The variance ratio vr = (var_A + var_B) / var(d)
    says how many times more seeds unpaired runs would need for the same precision.

Parameter sweeps are in `sim.lab.sweep`.
"""
from __future__ import annotations

import difflib
import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from ..core.errors import UsageError, check_count
from ..core.scenario import Scenario, iter_schema
from ..engine.runner import resolve
from .pool import run_seeds

LEVEL = 0.90                 # two-sided level of every interval of a mean
BAND = (5.0, 95.0)           # percentiles of Many.band


# ----------------------------------------------------------------- statistics

def mean_interval(values: Iterable, level: float = LEVEL) -> dict:
    """Mean, two-sided `level` Student-t interval of the mean, sd and n of the finite values.

    None / NaN / inf are skipped. With n == 1 the interval and sd are NaN; with n == 0
    everything is NaN. With sd == 0 the interval is the mean itself.
    """
    x = _finite(values)
    n = len(x)
    if n == 0:
        return {"mean": math.nan, "lo": math.nan, "hi": math.nan, "sd": math.nan, "n": 0}
    m = float(np.mean(x))
    if n == 1:
        return {"mean": m, "lo": math.nan, "hi": math.nan, "sd": math.nan, "n": 1}
    sd = float(np.std(x, ddof=1))
    from scipy import (
        stats,  # here, not at import: `python -m sim run` needs no scipy.stats
    )
    half = float(stats.t.ppf(0.5 + level / 2, n - 1)) * sd / math.sqrt(n)
    return {"mean": m, "lo": m - half, "hi": m + half, "sd": sd, "n": n}


@dataclass(frozen=True)
class Estimate:
    """A figure over seeds: the mean, its two-sided 90% interval (NaN with fewer than two values) and the
    number of seeds with a value (`mean_interval`); for a paired difference (`paired_difference`) also the
    variance ratio vr. `side` is how every verdict, chart colour and sentence reads the interval."""
    mean: float
    lo: float
    hi: float
    n: int
    vr: float = math.nan

    @classmethod
    def of(cls, d: dict) -> Estimate:
        """From a `mean_interval` or `paired_difference` dict."""
        return cls(mean=float(d.get("mean", d.get("diff"))), lo=float(d["lo"]), hi=float(d["hi"]), n=int(d["n"]),
                   vr=float(d.get("vr", math.nan)))

    @property
    def side(self) -> int:
        """1 above zero, -1 below, 0 when the interval spans zero or is missing (interval_side)."""
        return interval_side(self.lo, self.hi)


def daily_band(results: list, column: str) -> pd.DataFrame:
    """Per-day mean and 5th / 95th percentile (BAND) across runs of a daily column (index: day)."""
    cols = list(results[0].daily.columns)
    if column not in cols:
        close = difflib.get_close_matches(column, cols, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f"; daily columns: {', '.join(cols)}"
        raise UsageError(f"band('{column}'): no such daily column{hint}")
    m = np.column_stack([r.daily[column].to_numpy(dtype=float) for r in results])
    day = results[0].daily["day"].to_numpy()
    with warnings.catch_warnings():   # all-NaN days give NaN quietly
        warnings.simplefilter("ignore", RuntimeWarning)
        return pd.DataFrame({"mean": np.nanmean(m, axis=1),
                             "lo": np.nanpercentile(m, BAND[0], axis=1),
                             "hi": np.nanpercentile(m, BAND[1], axis=1)},
                            index=pd.Index(day, name="day"))


def _finite(values) -> np.ndarray:
    x = np.array([math.nan if v is None else v for v in values], dtype=float)
    return x[np.isfinite(x)]


def _as_float(v) -> float:
    return math.nan if v is None else float(v)


MAX_SEEDS = 1000     # seeds per scenario; beyond this a run takes days and intervals no longer narrow usefully


def check_seeds(seeds, name: str = "seeds") -> int:
    """A number of seeds (argument `name`) as an int in 1 .. MAX_SEEDS; UsageError otherwise."""
    return check_count(seeds, name, 1, MAX_SEEDS, "seeds")


def _numeric(v) -> bool:
    return v is None or (isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool))


# ----------------------------------------------------------------- many seeds

@dataclass
class Many:
    """One scenario run with seeds seed0 .. seed0+K-1.

    results   list of Result, one per seed (in seed order)
    summary   DataFrame indexed by figure: mean, lo, hi (90% t-interval of the mean), sd, n
    per_seed  DataFrame indexed by seed, one column per summary figure
    """
    scenario: Scenario
    seeds: list[int]
    results: list
    summary: pd.DataFrame
    per_seed: pd.DataFrame = field(repr=False)

    def band(self, column: str) -> pd.DataFrame:
        """Per-day mean and 5th / 95th percentile across seeds of a daily column (index: day)."""
        return daily_band(self.results, column)


def _summary_frame(per_seed: pd.DataFrame) -> pd.DataFrame:
    rows = {fig: mean_interval(per_seed[fig]) for fig in per_seed.columns}
    out = pd.DataFrame.from_dict(rows, orient="index")[["mean", "lo", "hi", "sd", "n"]]
    out.index.name = "figure"
    return out


def run_many(scenario: Scenario | str | Path | None = None, seeds: int = 5, users: int | None = None,
             days: int | None = None, seed0: int = 0, agents: int | None = None) -> Many:
    """Run one scenario with seeds seed0 .. seed0+seeds-1 and summarise every numeric figure."""
    k = check_seeds(seeds)
    sc = resolve(scenario, users, days, agents)
    seed_list = [int(seed0) + i for i in range(k)]
    return many_of(run_seeds([sc], seed_list)[0])


def many_of(results: list) -> Many:
    """A `Many` from Results already run (one scenario, one per seed): every numeric figure summarised."""
    if not results:
        raise UsageError("many_of: no results given")
    sc, seed_list = results[0].scenario, [int(r.seed) for r in results]
    figs = [f for f, v in results[0].summary.items() if _numeric(v)]
    per_seed = pd.DataFrame({f: [_as_float(r.summary.get(f)) for r in results] for f in figs},
                            index=pd.Index(seed_list, name="seed"))
    return Many(scenario=sc, seeds=seed_list, results=results, summary=_summary_frame(per_seed), per_seed=per_seed)


# ----------------------------------------------------------------- paired comparison

@dataclass
class Comparison:
    """Scenarios run on the same seeds.

    names  scenario names (made unique)
    runs   name -> Many
    table  DataFrame indexed by figure: <name> (mean) for every scenario; for each scenario
           after the first diff:<name>, lo:<name>, hi:<name> (paired mean difference vs the
           first and its 90% interval), vr:<name> (variance ratio, independent / paired) and n:<name>
           (seeds where both have the figure)
    differs name -> [(key, value in the first scenario, value in this one)] for every setting
           that differs from the first (what the comparison actually compares)
    """
    names: list[str]
    runs: dict
    table: pd.DataFrame
    seeds: list[int] = field(default_factory=list)
    differs: dict = field(default_factory=dict)


DISPLAY_KEYS = tuple(k for k, *_, source in iter_schema() if source == "label")   # its name and titles: not what it does


def flat_settings(data: dict, prefix: str = "") -> dict:
    """A nested scenario dump as {dotted key: value}."""
    out = {}
    for k, v in data.items():
        if isinstance(v, dict):
            out.update(flat_settings(v, f"{prefix}{k}."))
        else:
            out[prefix + k] = v
    return out


def setting_differences(a: Scenario, b: Scenario) -> list[tuple[str, object, object]]:
    """(dotted key, value in a, value in b) for every setting of b that differs from a (display keys aside)."""
    fa, fb = flat_settings(a.model_dump()), flat_settings(b.model_dump())
    return [(k, fa[k], fb[k]) for k in fa if k not in DISPLAY_KEYS and fa[k] != fb[k]]


def unique_names(names: list[str]) -> list[str]:
    out, seen = [], {}
    for n in names:
        base = n
        if n in seen:
            i = seen[n] + 1
            while f"{base} ({i})" in seen or f"{base} ({i})" in names:
                i += 1
            seen[base] = i
            n = f"{base} ({i})"
        seen.setdefault(n, 1)
        out.append(n)
    return out


def paired_difference(a: Iterable, b: Iterable, level: float = LEVEL) -> dict:
    """Paired difference b - a over seeds where both are finite: mean, lo, hi, vr, n.

    vr = (var(a) + var(b)) / var(b - a): the variance of the difference if the seeds had
    been independent, over the variance actually seen with common random numbers
    (inf when the paired differences are all equal but a and b vary, NaN when nothing varies).
    """
    a = np.array([_as_float(v) for v in a])
    b = np.array([_as_float(v) for v in b])
    ok = np.isfinite(a) & np.isfinite(b)
    a, b = a[ok], b[ok]
    d = b - a
    ci = mean_interval(d, level)
    vr = math.nan
    if len(d) >= 2:
        num = float(np.var(a, ddof=1) + np.var(b, ddof=1))
        den = float(np.var(d, ddof=1))
        vr = num / den if den > 0 else (math.inf if num > 0 else math.nan)
    return {"diff": ci["mean"], "lo": ci["lo"], "hi": ci["hi"], "vr": vr, "n": len(d)}


def interval_side(lo, hi) -> int:
    """1 when the interval [lo, hi] lies above zero, -1 below it, 0 when it spans zero or a bound is
    missing (None or NaN): how every verdict, chart colour and sentence reads an interval."""
    if lo is None or hi is None or math.isnan(lo) or math.isnan(hi):
        return 0
    return 1 if lo > 0 else -1 if hi < 0 else 0


def compare(scenarios, seeds: int = 5, users: int | None = None, days: int | None = None,
            agents: int | None = None) -> Comparison:
    """Run every scenario with the same seeds 0..seeds-1 and compare each with the first, paired by seed."""
    if isinstance(scenarios, (Scenario, str, Path)):
        scenarios = [scenarios]
    scenarios = list(scenarios or [])
    if not scenarios:
        raise UsageError("compare: give at least one scenario")
    k = check_seeds(seeds)
    resolved = [resolve(s, users, days, agents) for s in scenarios]   # every file checked before any run
    names = unique_names([sc.name for sc in resolved])
    return comparison_of({n: many_of(rs) for n, rs in zip(names, run_seeds(resolved, list(range(k))))})


def comparison_of(runs: dict) -> Comparison:
    """A `Comparison` of runs already made, {name: Many} (same seeds in each), each paired with the first;
    `differs` lists the settings in which each scenario differs from the first."""
    names = list(runs)
    first = runs[names[0]]
    figs = list(first.per_seed.columns)
    table = pd.DataFrame(index=pd.Index(figs, name="figure"))
    for n in names:
        table[n] = runs[n].summary["mean"].reindex(figs)
    for n in names[1:]:
        pd_rows = {f: paired_difference(first.per_seed[f], runs[n].per_seed[f]) if f in runs[n].per_seed else
                   {"diff": math.nan, "lo": math.nan, "hi": math.nan, "vr": math.nan, "n": 0} for f in figs}
        for col in ("diff", "lo", "hi", "vr", "n"):
            table[f"{col}:{n}"] = [pd_rows[f][col] for f in figs]
    differs = {n: setting_differences(first.scenario, runs[n].scenario) for n in names[1:]}
    return Comparison(names=names, runs=runs, table=table, seeds=list(first.seeds), differs=differs)


__all__ = ["run_many", "Many", "compare", "Comparison", "Estimate", "mean_interval",
           "paired_difference", "interval_side"]
