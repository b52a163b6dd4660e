"""Does the verdict survive other plausible worlds? A vs B over joint draws of the assumptions.

    from sim.lab.robustness import robustness
    rob = robustness("scenarios/discount_only.yaml", "scenarios/differentiated_service.yaml", draws=64)
    rob.summary   # figure: p_a_beats_b, p_lo, p_hi, median (B - A), lo, hi (5th / 95th percentile), worlds,
                  # finite (worlds with a B - A), ties (worlds where both are equal, e.g. neither pays back)
    rob.hinges    # figure, key, rho, p_value, flip_value, flip_side, low, high: what the verdict hinges on
    rob.worlds    # one row per world: the drawn assumptions, then A, B and B - A of every figure
    # as findings: sim.lab.verdicts.worlds_of(rob); in words: sim.present.conclusions_lab.worlds_sentence;
    # as text: sim.present.tables.worlds_text

Worlds. Every schema key with a plausible range (`P(..., plausible=(low, high), why=...)`, the
parameters whose default is an assumption) is an uncertain assumption, except keys the two
strategies set differently (those are the strategies, not the world). A key both scenario files mark
as fitted from the brand's data (`sim calibrate`'s marks, with its 95% range: provenance.fitted_ranges)
is drawn from its fitted range instead. Where both set an assumption
away from its default (a case's 15,000 RMB ticket), its range is centred on their value: the
schema's range times value / default, within the key's bounds (a choice set away from its
default is theirs and is not drawn), so a case is not judged in worlds of a 120 RMB brand. `draws` worlds are drawn
jointly and uniformly over the ranges with a scrambled Latin hypercube (SciPy `qmc`, McKay et al.
1979) or a scrambled Sobol sequence; whole-number keys are rounded, a choice key takes one of its
plausible options, and the market's segment shares are rescaled to add up to 1. In each world both
strategies run with the same seeds 0..K-1 (common random numbers), so B - A in a world is the
strategies' difference there, not luck.

Figures. For each figure: the share of worlds in which A does better than B (a tie counts half;
"better" is larger, or smaller for churn, payback, costs and losses; a strategy that never pays
back is worse than one that does) with a 90% Jeffreys interval for that share, and the median of
B - A over worlds with the 5th and 95th percentile (the spread across worlds, not an interval of
the median). Hinges: the assumptions ranked by |Spearman rho| between the assumption's value and
B - A across worlds, with the p-value multiplied by the number of assumptions (Bonferroni: with
over 100 assumptions and a few dozen worlds some correlate by chance). For a hinge with adjusted p below
`HINGE_P`, where a straight line fitted to B - A against the assumption crosses zero inside its
plausible range, `flip_value` is that crossing and `flip_side` says on which side of it
B - A takes the sign opposite to the median (the verdict flips there, other assumptions averaged).
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats import qmc

from ..core.errors import UsageError
from ..core.places import find_scenario
from ..core.scenario import LINKED_KEYS, Scenario, iter_schema, plausible_ranges
from ..core.schema_sales import idle_sections
from ..core.schema_info import numeric_bounds
from ..engine.runner import resolve
from .experiments import check_count, check_seeds, flat_settings
from .explain import differing_keys
from .figures import DECISION_FIGURES, better_sign, check_figures, many_values
from .provenance import fitted_ranges, ranges_of

METHODS = ("lhs", "sobol")
LEVEL = 0.90
HINGE_P = 0.10     # a hinge's flip value is reported when its Bonferroni-adjusted Spearman p is below this
MIN_WORLDS = 8     # worlds with a finite difference needed to rank hinges
SHARE_GROUPS = tuple(g for g in LINKED_KEYS if g[0].startswith("market.segments."))


@dataclass
class Robustness:
    """What `robustness` measured. `runs` = 2 x worlds x seeds."""
    a_name: str
    b_name: str
    assumptions: dict
    seeds: list[int]
    method: str
    runs: int
    summary: pd.DataFrame
    hinges: pd.DataFrame
    worlds: pd.DataFrame


def world_assumptions(a: Scenario, b: Scenario, only=None, fitted: dict | None = None) -> dict[str, tuple]:
    """{key: (plausible values, why)} for every assumption the two strategies share (or the keys in `only`),
    centred on the scenarios' own values where they set one (`centred_range`); a key fitted from the brand's
    data (`fitted`: {key: (low, high)}, its 95% range, provenance.fitted_ranges) is drawn from that range."""
    ranges = dict(plausible_ranges())
    for k, rng in (fitted or {}).items():
        ranges[k] = (tuple(rng), "fitted from the brand's data (its 95% range)")
    values, bounds = flat_settings(a.model_dump()), numeric_bounds()
    defaults = flat_settings(Scenario().model_dump())     # the effective defaults (channels have their own)
    shared, differ = {}, differing_keys(a, b)
    idle = tuple(set(idle_sections(a)) & set(idle_sections(b)))     # a mechanism off in both: nothing to draw
    for k, v in ranges.items():
        if k in differ or (idle and k.startswith(idle)):
            continue
        rng = v[0] if k in (fitted or {}) else centred_range(v[0], defaults[k], values[k], bounds[k])
        if rng is not None:
            shared[k] = (rng, v[1] if rng == v[0] else f"{v[1]} (scaled to this scenario's {values[k]:g})")
    if only is None:
        return shared
    only = [only] if isinstance(only, str) else list(only)
    for k in only:
        if k not in ranges:
            raise UsageError(f"assumption '{k}' has no plausible range in the schema (see `python -m sim schema`)")
        if idle and k.startswith(idle):
            raise UsageError(f"assumption '{k}' changes nothing here: its mechanism is off in both strategies")
        if k not in shared:
            raise UsageError(f"assumption '{k}' is set differently by the two strategies; it is part of the strategy")
    return {k: shared[k] for k in only}


def shared_fitted_ranges(a, b) -> dict[str, tuple]:
    """{key: (low, high)} of the keys both scenarios mark as fitted with the same 95% range (a calibrated
    status quo and a strategy that extends it). `a`, `b`: scenario files, or their marks ({key: 'fitted from
    ...'}, provenance.fitted_marks); none for a Scenario object (it carries no marks)."""
    def ranges(x):
        if isinstance(x, Scenario) or x is None:
            return {}
        return ranges_of(x) if isinstance(x, Mapping) else fitted_ranges(find_scenario(x))
    ra, rb = ranges(a), ranges(b)
    return {k: r for k, r in ra.items() if rb.get(k) == r}


def centred_range(plausible: tuple, default, value, bounds: tuple) -> tuple | None:
    """The plausible range of an assumption for a scenario that holds `value`. At the schema default it
    is the schema's range. A scenario that sets it elsewhere (a case's own ticket, cycle or CAC) keeps
    that figure's relative uncertainty: the range times value / default, within the key's bounds. A
    choice set away from its default, or a number whose default is 0, is the scenario's: not drawn (None)."""
    if value is None or default is None or isinstance(value, (str, bool)) or isinstance(default, (str, bool)):
        return plausible if value == default else None
    if math.isclose(value, default, rel_tol=1e-9, abs_tol=1e-12):
        return plausible
    if not default:
        return None
    lo, hi, strict = bounds
    floor = None if lo is None else (lo + 1e-9 * max(1.0, abs(lo)) if strict else lo)
    out = []
    for x in plausible:
        y = x * value / default
        y = y if floor is None else max(y, floor)
        out.append(y if hi is None else min(y, hi))
    return tuple(out)


def draw_worlds(assumptions: dict, draws: int, method: str = "lhs", design_seed: int = 0) -> pd.DataFrame:
    """`draws` joint draws (rows) of the assumptions (columns), uniform over each plausible range."""
    if method not in METHODS:
        raise UsageError(f"method = {method!r}: choose one of {', '.join(METHODS)}")
    keys = list(assumptions)
    if not keys:
        raise UsageError("no uncertain assumptions left to draw (the strategies set every one differently)")
    d = len(keys)
    if method == "sobol":
        sampler = qmc.Sobol(d, scramble=True, seed=design_seed)
        u = sampler.random(draws) if draws & (draws - 1) else sampler.random_base2(int(math.log2(draws)))
    else:
        u = qmc.LatinHypercube(d, seed=design_seed).random(draws)
    types = {k: t for k, t, *_ in iter_schema()}
    cols = {}
    for j, k in enumerate(keys):
        vals = assumptions[k][0]
        if types[k] == "choice":
            cols[k] = [vals[min(int(x * len(vals)), len(vals) - 1)] for x in u[:, j]]
            continue
        x = vals[0] + u[:, j] * (vals[1] - vals[0])
        cols[k] = np.rint(x).astype(int).tolist() if types[k] == "int" else x.tolist()
    worlds = pd.DataFrame(cols)
    for group in SHARE_GROUPS:
        if all(k in worlds for k in group):
            worlds[list(group)] = worlds[list(group)].div(worlds[list(group)].sum(axis=1), axis=0)
    return worlds


def _jeffreys(successes: float, n: int, level: float = LEVEL) -> tuple[float, float]:
    if n == 0:
        return math.nan, math.nan
    a = (1 - level) / 2
    lo = stats.beta.ppf(a, successes + 0.5, n - successes + 0.5) if successes > 0 else 0.0
    hi = stats.beta.ppf(1 - a, successes + 0.5, n - successes + 0.5) if successes < n else 1.0
    return float(lo), float(hi)


def _score(values: np.ndarray, figure: str) -> float:
    """A world's figure over seeds for ranking: mean, with a missing value counted as the worst."""
    worst = -math.inf * better_sign(figure)
    return float(np.mean(np.where(np.isfinite(values), values, worst)))


def _hinges(worlds: pd.DataFrame, keys: list[str], figure: str, diff: np.ndarray, assumptions: dict) -> list[dict]:
    ok = np.isfinite(diff)
    med = float(np.median(diff[ok])) if ok.any() else math.nan
    rows = []
    for k in keys:
        col = worlds[k]
        numeric = pd.api.types.is_numeric_dtype(col)
        x = col.to_numpy(dtype=float) if numeric else pd.factorize(col)[0].astype(float)
        if ok.sum() < MIN_WORLDS or np.ptp(x[ok]) == 0 or np.ptp(diff[ok]) == 0:
            rho, p = math.nan, math.nan
        else:
            rho, p = stats.spearmanr(x[ok], diff[ok])
        flip, side = math.nan, ""
        lo, hi = assumptions[k][0] if numeric else (None, None)
        p_adj = min(1.0, p * len(keys)) if np.isfinite(p) else math.nan
        if numeric and p_adj < HINGE_P and med != 0:
            slope, icpt = np.polyfit(x[ok], diff[ok], 1)
            if slope != 0 and lo <= -icpt / slope <= hi:
                flip = float(-icpt / slope)
                side = "below" if (slope > 0) == (med > 0) else "above"
        rows.append({"figure": figure, "key": k, "rho": float(rho), "p_value": float(p), "p_adjusted": p_adj,
                     "flip_value": flip,
                     "flip_side": side, "low": lo, "high": hi})
    rows.sort(key=lambda r: -abs(r["rho"]) if np.isfinite(r["rho"]) else 0)
    return rows


def robustness(a, b, draws: int = 64, seeds: int = 1, figures=DECISION_FIGURES, users: int | None = None,
               days: int | None = None, method: str = "lhs", design_seed: int = 0, assumptions=None,
               agents: int | None = None, workers: int | None = None, fitted: dict | None = None) -> Robustness:
    """A vs B in `draws` plausible worlds x `seeds` seeds (see the module docstring).

    assumptions: None = every shared assumption with a plausible range, or a list of keys.
    workers: spread the runs over this many processes (the same numbers; see figures.many_values).
    fitted: {key: (low, high)} drawn from that fitted range; None = the keys both files mark alike
    (shared_fitted_ranges).
    """
    draws = check_count(draws, "draws", 2, unit="worlds")
    k = check_seeds(seeds)
    figures = check_figures(figures)
    sa, sb = resolve(a, users, days, agents), resolve(b, users, days, agents)
    chosen = world_assumptions(sa, sb, assumptions, fitted=shared_fitted_ranges(a, b) if fitted is None else fitted)
    worlds = draw_worlds(chosen, int(draws), method, design_seed)
    seed_list = list(range(k))
    pairs = []                                 # every world's scenarios, validated before any run
    for w in worlds.to_dict("records"):
        over = {key: (v.item() if hasattr(v, "item") else v) for key, v in w.items()}
        pairs += [s.with_overrides(over, source=f"{s.name} (plausible world)") for s in (sa, sb)]
    values = many_values(pairs, seed_list, figures, workers)
    per_world = list(zip(values[0::2], values[1::2]))
    table = worlds.copy()
    rows, hinges = {}, []
    for f in figures:
        va = np.array([_score(pa[f], f) for pa, _ in per_world])
        vb = np.array([_score(pb[f], f) for _, pb in per_world])
        with np.errstate(invalid="ignore"):
            diff = np.array([np.nanmean(pb[f] - pa[f]) if np.isfinite(pb[f] - pa[f]).any() else math.nan
                             for pa, pb in per_world])
        table[f"A:{f}"], table[f"B:{f}"], table[f"B-A:{f}"] = va, vb, diff
        sign = better_sign(f)
        ties = int(np.sum(va == vb))           # e.g. never paid back in both
        with np.errstate(invalid="ignore"):    # never-paid-back in both worlds: inf - inf, a tie
            a_wins = float(np.sum(sign * (va - vb) > 0) + 0.5 * ties)
        n = len(worlds)
        plo, phi = _jeffreys(a_wins, n)
        fin = diff[np.isfinite(diff)]
        rows[f] = {"p_a_beats_b": a_wins / n, "p_lo": plo, "p_hi": phi,
                   "median": float(np.median(fin)) if len(fin) else math.nan,
                   "lo": float(np.percentile(fin, 5)) if len(fin) else math.nan,
                   "hi": float(np.percentile(fin, 95)) if len(fin) else math.nan, "worlds": n, "finite": len(fin),
                   "ties": ties}
        hinges += _hinges(worlds, list(chosen), f, diff, chosen)
    summary = pd.DataFrame.from_dict(rows, orient="index")
    summary.index.name = "figure"
    label = "Latin hypercube" if method == "lhs" else "Sobol sequence"
    return Robustness(a_name=sa.name, b_name=sb.name, assumptions=chosen, seeds=seed_list,
                      method=f"{label}, {len(worlds)} worlds x {len(chosen)} assumptions", runs=2 * len(worlds) * k,
                      summary=summary, hinges=pd.DataFrame(hinges), worlds=table)


def missing_worlds(s) -> tuple[int, int] | None:
    """(worlds with a finite B - A, worlds) of summary row `s` when some have none (e.g. neither pays
    back), so that 'too few worlds' is not read as too few drawn; None when every world has one."""
    finite, n = int(s["finite"]), int(s["worlds"])
    return None if finite == n else (finite, n)


def hinge_finding(rob: Robustness, figure: str, top: int = 1) -> dict:
    """What `figure`'s B - A hinges on: {state, key, flips}. state 'few' (fewer than MIN_WORLDS worlds
    with a finite difference), 'flips' (`flips`: up to `top` (key, side, value) of hinges with adjusted
    p < HINGE_P whose line crosses zero in range), 'moves' (`key`: the strongest such hinge, no
    crossing) or 'none'."""
    hf = rob.hinges[rob.hinges["figure"] == figure]
    strong = hf[hf["p_adjusted"] < HINGE_P]
    flips = strong[strong["flip_value"].notna()]
    if rob.summary.loc[figure, "finite"] < MIN_WORLDS:
        return {"state": "few", "key": None, "flips": []}
    if len(flips):
        return {"state": "flips", "key": flips.iloc[0]["key"],
                "flips": [(r.key, r.flip_side, float(r.flip_value)) for r in flips.head(top).itertuples()]}
    if len(strong):
        return {"state": "moves", "key": strong.iloc[0]["key"], "flips": []}
    return {"state": "none", "key": None, "flips": []}


__all__ = ["METHODS", "Robustness", "draw_worlds", "hinge_finding", "robustness",
           "world_assumptions"]
