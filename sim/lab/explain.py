"""Which lever made the difference: Shapley attribution of B - A over the keys that differ.

    from sim.lab.explain import explain
    ex = explain("scenarios/discount_only.yaml", "scenarios/differentiated_service.yaml", seeds=5)
    ex.contributions   # figure, lever, contribution, lo, hi, alone, alone_lo, alone_hi, n
    ex.totals          # figure: total, lo, hi, interaction, interaction_lo, interaction_hi, n
    # as findings: sim.lab.verdicts.levers_of(ex); as text: sim.present.tables.levers_text

Levers. The keys whose values differ between A and B (their `name` aside) are grouped into
levers: one per dotted key (`by="key"`), one per section (`by="section"`), or, by default
(`by="auto"`), one per section where three or more keys of a section differ and one per key
elsewhere. Keys that the schema's consistency rules tie together (`LINKED_KEYS`, e.g. the
promotion and content shares of messages) always move together, so every mix is a valid scenario.

Method. For a set S of levers, v_s(S) is the figure of A with the levers in S switched to B's
values, run with seed s; v_s(none) = A, v_s(all) = B. Every mix is run on the same seeds 0..K-1
(common random numbers), so the differences between mixes are the levers' effects, not luck.
Lever i's Shapley value in seed s is the average, over every order in which the levers could be
switched, of what switching i adds (Shapley 1953). `method`:
  exact  every subset is run (2^n mixes x K seeds) up to `EXACT_MAX` levers; beyond, M random orders
         are sampled (Castro, Gomez & Tejada 2009), each order adding at most n-1 new mixes.
  ends   (the default from ENDS_FROM levers on; fewer levers: exact, which then costs no more) the two
         ends of every order: i switched first, v(i) - v(none) (`alone`), and i switched last,
         v(all) - v(all but i); phi_i = their mean, then the rest of the total (B - A minus the sum of the
         phi_i) shared equally among the levers. 2 + 2n mixes. This is Owen's (1972) multilinear
         extension integrated by the trapezoid rule: exact when the levers interact at most in pairs
         (A's figure = a sum of effects of single levers and of pairs: every Shapley value is then
         alone + half of each pair's interaction, both ends see the whole pair, and the rest is zero).
         Interactions of three or more levers are what it misses: the rest (`ends_rest` in the
         totals) is their visible trace and is printed. Tolerance (ENDS_TOLERANCE): on the default
         pair (discount_only vs differentiated_service, 6 levers, 5 seeds) every lever's share lies
         within 6% of |B - A| of its exact Shapley value (measured at 2,000 and 20,000 agents: at
         most 1.7% on LTV and profit, 5.3% on monthly churn, whose levers interact more;
         tests/test_decide_fast.py). That can exceed a small lever's seed noise (at 20,000 agents the
         member day's LTV share is +0.23 RMB by the ends, +0.35 [+0.26, +0.44] exact): a decision
         resting on a small lever's share, or a large printed rest, wants --exact.
In every method a seed's contributions add up exactly to that seed's B - A, so the mean
contributions add up to the mean difference.
The 90% interval of a contribution is the Student-t interval of its mean over seeds (with sampled
orders it covers seed noise only; the order sample is the same in every seed).
`alone` is a lever's effect switched on its own (v(i) - v(none)). The interaction is the part of
the difference that no lever makes on its own: total - sum(alone). Shapley shares it among the
levers involved; a large interaction says the levers work only (or differently) together.
A seed where a figure is missing in some mix (e.g. payback_day when a mix never pays back) is
left out of that figure; `n` says how many seeds remain.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..core.errors import ScenarioError, UsageError
from ..core.scenario import LINKED_KEYS, Scenario
from ..engine.runner import resolve
from .experiments import check_count, check_seeds, mean_interval, setting_differences
from .figures import DECISION_FIGURES, check_figures, many_values

EXACT_MAX = 8          # levers up to which every subset is run
ENDS_FROM = 4          # method "auto": the two-ends rule from this many levers on (below, exact costs no more)
METHODS = ("auto", "exact", "ends")
ENDS_TOLERANCE = 0.06  # two ends vs exact on the default pair: each share within this share of |B - A|
AUTO_SECTION_KEYS = 3  # by="auto": a section with at least this many differing keys is one lever
BY = ("auto", "key", "section")


@dataclass
class Lever:
    """A group of keys switched together: name, keys, A's values, B's values."""
    name: str
    keys: tuple[str, ...]
    a: dict
    b: dict


@dataclass
class Explanation:
    """What `explain` measured. `runs` = distinct mixes x seeds behind it; `reused` of them were the
    comparison's own runs (not simulated again). totals' `ends_rest`: with the two-ends method, the part of
    the total the two ends leave unattributed (interactions of three or more levers; shared equally)."""
    a_name: str
    b_name: str
    levers: list[Lever]
    method: str
    runs: int
    seeds: list[int]
    contributions: pd.DataFrame
    totals: pd.DataFrame
    per_seed: dict = field(repr=False, default_factory=dict)
    reused: int = 0


# ----------------------------------------------------------------- levers

def differing_keys(a: Scenario, b: Scenario) -> dict[str, tuple]:
    """{dotted key: (A's value, B's value)} for every key that differs (name and titles aside)."""
    return {k: (va, vb) for k, va, vb in setting_differences(a, b)}


def group_levers(diff: dict[str, tuple], by: str = "auto") -> list[Lever]:
    """Levers from the differing keys: per key, per section, or auto (see the module docstring)."""
    if by not in BY:
        raise UsageError(f"by = {by!r}: choose one of {', '.join(BY)}")
    section = {k: k.split(".")[0] if "." in k else k for k in diff}
    counts = pd.Series(section).value_counts() if diff else pd.Series(dtype=int)
    group = {}
    for k in diff:
        as_section = by == "section" or (by == "auto" and counts[section[k]] >= AUTO_SECTION_KEYS)
        group[k] = section[k] if as_section else k
    for linked in LINKED_KEYS:           # keys tied by a consistency rule share one lever
        names = sorted({group[k] for k in linked if k in group})
        for k in diff:
            if group[k] in names[1:]:
                group[k] = names[0]
    levers: dict[str, list[str]] = {}
    for k in diff:
        levers.setdefault(group[k], []).append(k)
    out = []
    for g, keys in levers.items():
        is_section = g not in diff and all(k.startswith(g + ".") for k in keys)
        name = g if is_section else " + ".join(keys)
        out.append(Lever(name=name, keys=tuple(keys), a={k: diff[k][0] for k in keys}, b={k: diff[k][1] for k in keys}))
    return out


def _mix(a: Scenario, levers: list[Lever], subset: frozenset) -> Scenario:
    over = {k: v for i in sorted(subset) for k, v in levers[i].b.items()}
    try:
        return a.with_overrides(over, source=f"{a.name} + B's {', '.join(levers[i].name for i in sorted(subset))}")
    except ScenarioError as exc:
        raise UsageError(f"explain: switching only some levers gives an invalid scenario ({exc}); "
                         f"try by='section' so the tied keys move together") from None


# ----------------------------------------------------------------- Shapley

def _exact_weights(n: int) -> dict[frozenset, dict[int, float]]:
    """For every subset S and lever i not in S: the Shapley weight |S|! (n-|S|-1)! / n!."""
    w = {}
    for size in range(n):
        c = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
        for s in itertools.combinations(range(n), size):
            w[frozenset(s)] = {i: c for i in range(n) if i not in s}
    return w


def _orders(n: int, permutations: int | None, order_seed: int) -> tuple[str, list[tuple[frozenset, int, float]]]:
    """The method and a list of (S, i, weight): phi_i = sum of weight x (v(S + i) - v(S))."""
    if permutations is None and n <= EXACT_MAX:
        terms = [(s, i, c) for s, d in _exact_weights(n).items() for i, c in d.items()]
        return f"exact Shapley over {2 ** n} mixes", terms
    m = int(permutations or max(2 * n, 32))
    rng = np.random.default_rng(order_seed)
    terms = []
    for _ in range(m):
        seen = frozenset()
        for i in rng.permutation(n):
            terms.append((seen, int(i), 1.0 / m))
            seen = seen | {int(i)}
    return f"Shapley by {m} sampled orders (Castro et al. 2009)", terms


def _ends_terms(n: int) -> list[tuple[frozenset, int, float]]:
    """The two-ends rule as (S, i, weight) terms: half of i switched first, half of i switched last."""
    full = frozenset(range(n))
    return [(frozenset(), i, 0.5) for i in range(n)] + [(full - {i}, i, 0.5) for i in range(n)]


def _method(method: str, n: int, permutations: int | None) -> str:
    """'exact' (subsets or sampled orders) or 'ends' for `n` levers (module docstring)."""
    if method not in METHODS:
        raise UsageError(f"method = {method!r}: choose one of {', '.join(METHODS)}")
    if method == "ends" and permutations is not None:
        raise UsageError("explain: permutations sample orders for the exact method; leave them out with method='ends'")
    if method == "auto":
        return "exact" if permutations is not None or n < ENDS_FROM else "ends"
    return method


def _reused(sa: Scenario, sb: Scenario, seed_list: list[int], figures: list[str], runs) -> dict:
    """{frozenset(): A's values, 'all': B's values} from a Comparison `runs` already made of the same two
    strategies on the same seeds (setting for setting, names aside), for the figures asked; {} otherwise."""
    if runs is None or len(runs.names) < 2:
        return {}
    ma, mb = runs.runs[runs.names[0]], runs.runs[runs.names[1]]
    if [int(s) for s in ma.seeds] != seed_list or setting_differences(ma.scenario, sa) \
            or setting_differences(mb.scenario, sb) or not all(f in ma.per_seed and f in mb.per_seed for f in figures):
        return {}
    return {"none": {f: ma.per_seed[f].to_numpy(dtype=float) for f in figures},
            "all": {f: mb.per_seed[f].to_numpy(dtype=float) for f in figures}}


def explain(a, b, seeds: int = 5, figures=DECISION_FIGURES, by: str = "auto", users: int | None = None,
            days: int | None = None, permutations: int | None = None, order_seed: int = 0,
            agents: int | None = None, workers: int | None = None, method: str = "auto",
            runs=None) -> Explanation:
    """Split B - A of each figure among the levers that differ (Shapley values on common random numbers).

    a, b: Scenario or path. seeds: K (seeds 0..K-1). figures: summary figures. by: auto | key | section.
    method: auto | exact | ends (module docstring). permutations: with the exact method, sample this many
    orders instead of every subset (None: every subset up to EXACT_MAX levers).
    workers: spread the runs over this many processes (the same numbers; see figures.many_values).
    runs: a Comparison of A and B already made (sim.compare, the same seeds and size): their runs are the
    mixes none and all, not run again (the same numbers, bit for bit).
    """
    k = check_seeds(seeds)
    figures = check_figures(figures)
    if permutations is not None:
        permutations = check_count(permutations, "permutations", 1)
    sa, sb = resolve(a, users, days, agents), resolve(b, users, days, agents)
    diff = differing_keys(sa, sb)
    if not diff:
        raise UsageError(f"explain: '{sa.name}' and '{sb.name}' have the same settings; nothing to attribute")
    levers = group_levers(diff, by)
    n = len(levers)
    if _method(method, n, permutations) == "ends":
        terms = _ends_terms(n)
        how = (f"Shapley from the two ends over {2 + 2 * n} mixes (each lever switched first and last; exact when "
               f"levers interact at most in pairs; --exact: every one of the {2 ** n} mixes)")
    else:
        how, terms = _orders(n, permutations, order_seed)
    full, none = frozenset(range(n)), frozenset()
    subsets = {none, full} | {s for s, _, _ in terms} | {s | {i} for s, i, _ in terms} \
        | {frozenset({i}) for i in range(n)}
    mixes = {s: _mix(sa, levers, s) for s in subsets}          # every mix validated before any run
    seed_list = list(range(k))
    known = _reused(sa, sb, seed_list, figures, runs)
    known = {none: known["none"], full: known["all"]} if known else {}
    todo = [s for s in mixes if s not in known]
    values = {**known, **dict(zip(todo, many_values([mixes[s] for s in todo], seed_list, figures, workers)))}
    ends = how.startswith("Shapley from the two ends")
    rows, totals, per_seed = [], {}, {}
    for f in figures:
        phi = np.zeros((n, k))
        used = np.ones(k, dtype=bool)
        for s, i, c in terms:
            d = values[s | {i}][f] - values[s][f]
            phi[i] += c * d
            used &= np.isfinite(d)
        alone = np.array([values[frozenset({i})][f] - values[none][f] for i in range(n)])
        total = values[full][f] - values[none][f]
        rest = total - phi.sum(axis=0) if ends else np.zeros(k)
        phi += rest / n                                # the two ends: the rest shared equally (exact: zero)
        used &= np.isfinite(total) & np.all(np.isfinite(alone), axis=0)
        per_seed[f] = pd.DataFrame(phi.T, index=pd.Index(seed_list, name="seed"), columns=[lv.name for lv in levers])
        for i, lv in enumerate(levers):
            c, al = mean_interval(phi[i, used]), mean_interval(alone[i, used])
            rows.append({"figure": f, "lever": lv.name, "contribution": c["mean"], "lo": c["lo"], "hi": c["hi"],
                         "alone": al["mean"], "alone_lo": al["lo"], "alone_hi": al["hi"], "n": c["n"]})
        t = mean_interval(total[used])
        inter = mean_interval(total[used] - alone[:, used].sum(axis=0))
        totals[f] = {"total": t["mean"], "lo": t["lo"], "hi": t["hi"], "interaction": inter["mean"],
                     "interaction_lo": inter["lo"], "interaction_hi": inter["hi"], "n": t["n"],
                     "ends_rest": mean_interval(rest[used])["mean"] if ends else 0.0}
    contributions = pd.DataFrame(rows)
    tot = pd.DataFrame.from_dict(totals, orient="index")
    tot.index.name = "figure"
    return Explanation(a_name=sa.name, b_name=sb.name, levers=levers, method=how, runs=len(mixes) * k,
                       seeds=seed_list, contributions=contributions, totals=tot, per_seed=per_seed,
                       reused=len(known) * k)


__all__ = [
    "ENDS_FROM",
    "ENDS_TOLERANCE",
    "EXACT_MAX",
    "METHODS",
    "Explanation",
    "Lever",
    "differing_keys",
    "explain",
    "group_levers",
]
