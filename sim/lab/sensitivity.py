"""Which levers matter: Morris screening, Sobol indices (SALib) and one-at-a-time tornado data.

    from sim.lab.sensitivity import morris, sobol, tornado_data
    levers = {"messaging.per_week": (0.5, 6), "referral.incentive_rmb": (0, 50)}
    morris(sc, levers, trajectories=10, seeds=2)   # lever, output, mu, mu_star, mu_star_conf, sigma
    sobol(sc, levers, n=64, seeds=2)               # lever, output, S1, S1_conf, ST, ST_conf
    tornado_data(sc, levers, "ltv", seeds=3)       # lever, low_value, high_value, output_low, output_high, base, swing

Every design is run through `sim.lab.sweep.sweep(..., sample=...)`: give `out=` and an
interrupted analysis resumes where it stopped; `backend="dask"` spreads it over a cluster.
Each design point is run with seeds 0..seeds-1 and the output averaged over seeds; the seeds
are common random numbers, so differences between design points are not blurred by seed noise
as much as independent runs would be. Integer-typed keys are rounded to whole numbers
before they are run (SALib designs are continuous); the analysis uses the design as drawn.
"""
from __future__ import annotations

import difflib
import functools
import math
import numbers
import warnings

import numpy as np
import pandas as pd

from ..core.errors import UsageError
from ..core.extras import require
from ..engine.runner import resolve
from .experiments import check_count, check_seeds
from .levers import numeric_range
from .sweep import run_key, sweep

DEFAULT_OUTPUTS = ("ltv", "churn_rate_monthly", "referral_share")


def _problem(scenario, levers: dict, users, days) -> tuple[dict, dict[str, bool]]:
    """Validate levers and build the SALib problem. Returns (problem, {key: is_int})."""
    if not isinstance(levers, dict) or not levers:
        raise UsageError("levers: give a dict of dotted.key -> (low, high), e.g. {'messaging.per_week': (1, 6)}")
    base = resolve(scenario, users, days)
    is_int = {}
    for key, rng in levers.items():
        _lo, _hi, is_int[key] = numeric_range(base, key, rng)
    return {"num_vars": len(levers), "names": list(levers), "bounds": [[float(a), float(b)] for a, b in levers.values()]}, is_int


def _cast(v: float, is_int: bool):
    return int(round(float(v))) if is_int else float(v)


def _check_outputs(outputs) -> list[str]:
    if isinstance(outputs, str):
        outputs = [outputs]
    outputs = list(outputs or [])
    if not outputs:
        raise UsageError("outputs: give at least one summary figure, e.g. ('ltv',)")
    known = _summary_figures()
    for o in outputs:
        if o not in known:
            close = difflib.get_close_matches(o, known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "the summary figures are listed in sim/core/result.py"
            raise UsageError(f"output '{o}' is not a summary figure; {hint}")
    return outputs


@functools.lru_cache(maxsize=1)
def _summary_figures() -> list[str]:
    """Names of the numeric summary figures (from a tiny run, so new figures are picked up)."""
    from ..engine.runner import run
    res = run(resolve(None, users=10, days=2), seed=0, progress=False)
    return [k for k, v in res.summary.items() if v is None or isinstance(v, (int, float))]


def _evaluate(scenario, design: np.ndarray, problem: dict, is_int: dict, outputs: list[str], seeds: int,
              users, days, backend, out, address, workers, progress) -> dict[str, np.ndarray]:
    """Run every design row x seeds through sweep(); return output -> mean over seeds per row."""
    names = problem["names"]
    sample = [{k: _cast(x, is_int[k]) for k, x in zip(names, row)} for row in design]
    table = sweep(scenario, sample=sample, seeds=seeds, out=out, backend=backend, address=address, users=users,
                  days=days, workers=workers, progress=progress)
    by_id = table.set_index("run_id")
    base = resolve(scenario, users, days)
    res = {o: np.full(len(sample), np.nan) for o in outputs}
    for i, params in enumerate(sample):
        ids = [run_key(base, params, s) for s in range(seeds)]
        rows = by_id.loc[ids]
        for o in outputs:
            vals = pd.to_numeric(rows[o], errors="coerce").to_numpy(dtype=float)
            vals = vals[np.isfinite(vals)]
            res[o][i] = vals.mean() if len(vals) else np.nan
    return res


def morris(scenario, levers: dict, outputs=DEFAULT_OUTPUTS, trajectories: int = 10, seeds: int = 2,
           users: int | None = None, days: int | None = None, backend: str = "serial", out=None,
           address: str | None = None, workers: int | None = None, num_levels: int = 4, design_seed: int = 0,
           progress: bool = True) -> pd.DataFrame:
    """Morris elementary-effects screening over `levers` {key: (low, high)}.

    Runs trajectories x (levers + 1) design points x seeds. Returns one row per (lever, output):
    mu (mean elementary effect), mu_star (mean absolute effect: how much the lever matters),
    mu_star_conf (95% bootstrap half-width of mu_star), sigma (spread of the effects: interactions
    or non-linearity). Effects are in output units per move of 2/3 of the lever's range (4 levels).
    """
    morris_analyze = require("SALib.analyze.morris", "lab", "Morris screening (sim.lab.sensitivity)")
    morris_sample = require("SALib.sample.morris", "lab", "Morris screening (sim.lab.sensitivity)")

    problem, is_int = _problem(scenario, levers, users, days)
    outputs = _check_outputs(outputs)
    check_seeds(seeds)
    trajectories = check_count(trajectories, "trajectories", 2)
    X = morris_sample.sample(problem, N=int(trajectories), num_levels=num_levels, seed=design_seed)
    Y = _evaluate(scenario, X, problem, is_int, outputs, seeds, users, days, backend, out, address, workers, progress)
    rows = []
    for o in outputs:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            si = morris_analyze.analyze(problem, X, Y[o], num_levels=num_levels, conf_level=0.95, seed=design_seed)
        for j, name in enumerate(problem["names"]):
            rows.append({"lever": name, "output": o, "mu": float(si["mu"][j]), "mu_star": float(si["mu_star"][j]),
                         "mu_star_conf": float(si["mu_star_conf"][j]), "sigma": float(si["sigma"][j])})
    df = pd.DataFrame(rows)
    order = {o: i for i, o in enumerate(outputs)}
    return (df.assign(_o=df["output"].map(order)).sort_values(["_o", "mu_star"], ascending=[True, False])
              .drop(columns="_o").reset_index(drop=True))


def sobol(scenario, levers: dict, outputs=DEFAULT_OUTPUTS, n: int = 64, seeds: int = 2,
          users: int | None = None, days: int | None = None, backend: str = "serial", out=None,
          address: str | None = None, workers: int | None = None, design_seed: int = 0,
          progress: bool = True) -> pd.DataFrame:
    """Sobol variance-based indices over `levers` {key: (low, high)} (uniform over each range).

    Runs n x (levers + 2) design points x seeds (Saltelli scheme, first and total order).
    Returns one row per (lever, output): S1 (share of the output's variance due to the lever
    alone), ST (share including its interactions), each with a 95% bootstrap half-width.
    An output that does not vary over the design gives NaN indices.
    """
    sobol_analyze = require("SALib.analyze.sobol", "lab", "Sobol indices (sim.lab.sensitivity)")
    sobol_sample = require("SALib.sample.sobol", "lab", "Sobol indices (sim.lab.sensitivity)")

    problem, is_int = _problem(scenario, levers, users, days)
    outputs = _check_outputs(outputs)
    check_seeds(seeds)
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 2 or n & (n - 1):
        raise UsageError(f"n = {n!r}: the Sobol base sample size must be a power of 2 (e.g. 32, 64, 128)")
    X = sobol_sample.sample(problem, int(n), calc_second_order=False, seed=design_seed)
    Y = _evaluate(scenario, X, problem, is_int, outputs, seeds, users, days, backend, out, address, workers, progress)
    rows = []
    for o in outputs:
        y = Y[o]
        if not np.all(np.isfinite(y)) or np.var(y) == 0:
            si = {k: [math.nan] * len(problem["names"]) for k in ("S1", "S1_conf", "ST", "ST_conf")}
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                si = sobol_analyze.analyze(problem, y, calc_second_order=False, conf_level=0.95, seed=design_seed)
        for j, name in enumerate(problem["names"]):
            rows.append({"lever": name, "output": o, "S1": float(si["S1"][j]), "S1_conf": float(si["S1_conf"][j]),
                         "ST": float(si["ST"][j]), "ST_conf": float(si["ST_conf"][j])})
    return pd.DataFrame(rows)


def tornado_data(scenario, levers: dict, output: str = "ltv", seeds: int = 3, users: int | None = None,
                 days: int | None = None, backend: str = "serial", out=None, address: str | None = None,
                 workers: int | None = None, progress: bool = False) -> pd.DataFrame:
    """One-at-a-time swings for a tornado chart (sim/present/charts_grid.py tornado_chart).

    The output (mean over seeds 0..seeds-1) with each lever at its low and its high value, all
    other keys at the scenario's value. Columns: lever, low_value, high_value, output_low,
    output_high, base (output of the unchanged scenario), swing = |output_high - output_low|;
    sorted by swing, largest first.
    """
    problem, is_int = _problem(scenario, levers, users, days)
    (output,) = _check_outputs([output])
    check_seeds(seeds)
    names = problem["names"]
    design = [{}]
    for k, (lo, hi) in zip(names, problem["bounds"]):
        design += [{k: _cast(lo, is_int[k])}, {k: _cast(hi, is_int[k])}]
    table = sweep(scenario, sample=design, seeds=seeds, out=out, backend=backend, address=address, users=users,
                  days=days, workers=workers, progress=progress)
    by_id = table.set_index("run_id")
    base_sc = resolve(scenario, users, days)

    def value(params):
        vals = pd.to_numeric(by_id.loc[[run_key(base_sc, params, s) for s in range(seeds)], output],
                             errors="coerce").to_numpy(dtype=float)
        vals = vals[np.isfinite(vals)]
        return float(vals.mean()) if len(vals) else math.nan

    base = value({})
    rows = []
    for i, k in enumerate(names):
        lo_p, hi_p = design[1 + 2 * i], design[2 + 2 * i]
        lo, hi = value(lo_p), value(hi_p)
        rows.append({"lever": k, "low_value": lo_p[k], "high_value": hi_p[k], "output_low": lo, "output_high": hi,
                     "base": base, "swing": abs(hi - lo)})
    df = pd.DataFrame(rows)
    return df.sort_values("swing", ascending=False, na_position="last", kind="stable").reset_index(drop=True)


__all__ = ["morris", "sobol", "tornado_data", "DEFAULT_OUTPUTS"]
