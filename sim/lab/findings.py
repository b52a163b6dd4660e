"""Typed findings: what the lab hands to presentation. Charts, sentences, the report, the deck, the
dashboard and the CLI tables render a `Finding` and nothing else (sim.present).

    f = findings_of(cmp)              # cmp = sim.compare([a, b], seeds=5); runs 16 plausible worlds per pair
    f = findings_of(cmp, worlds=0, explanation=sim.explain(a, b))   # no worlds; the levers that carry B - A
    f.figures["ltv"].values["a"]      # Estimate: mean over seeds, 90% interval, seeds with a value
    f.figures["ltv"].diffs["b"]       # Estimate of the paired difference b - a (with its variance ratio)
    f.strategies["a"].payback         # each strategy's runs as charts read them (band, dip, cohorts, flows)
    f.bridge("b")                     # the LTV gap split into drivers, and the driver carrying it
    f.verdict("ltv", "b")             # the stated verdict: 'finding', 'conditional' (with its hinge) or 'open'
    f.inputs["a"]["market.price_rmb"] # Provenance: a setting, a default (and its source), fitted, or a what-if
    f.what_if                         # {key: value} the user set for this run (report / compare --set)

`findings_of` accepts a Comparison, a Many, a Result, a list of Results (seeds of one scenario) or a dict
{name: any of those} (paired by seed with the first); it is the one place where results in those shapes
become something presentation reads. Every number comes from the runs: nothing is typed in.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from ..core.population import sample_size
from ..core.result import Result
from .anatomy import cohort_retention, dip_of, flow_table, payback_month, payback_of, staff_quit_drops
from .bridge import BRIDGE_DRIVERS, ltv_bridge_parts
from .business import pooled_breakdown
from .experiments import Comparison, Estimate, Many, comparison_of, daily_band, many_of
from .explain import Explanation
from .figures import DECISION_FIGURES, better_sign, carrier, unit_of
from .provenance import Provenance, provenance
from .robustness import Robustness
from .robustness import robustness as check_worlds
from .robustness import shared_fitted_ranges
from .verdicts import Levers, Verdict, Worlds, levers_of, verdict, worlds_of

DEFAULT_WORLDS = 16       # plausible worlds every stated comparison is checked in (one history each)
OFFSET_SHARE = 0.25       # a driver against the LTV gap is named when it is at least this share of the gap


@dataclass(frozen=True)
class FigureFinding:
    """One summary figure of a comparison: its unit (lab.figures.UNITS), which way is better (+1 larger,
    -1 smaller), each strategy's mean over seeds with its 90% interval, and each further strategy's paired
    difference from the first (with the variance ratio of pairing, `vr`)."""
    name: str
    unit: str
    better: int
    values: dict[str, Estimate]
    diffs: dict[str, Estimate]


@dataclass(frozen=True)
class Strategy:
    """One strategy's simulated histories as charts and sentences read them: its display titles, the
    payback (mean day over the histories that pay back, and how many do), the J-curve's deepest point, and
    on demand a daily column's band, cohort retention, user flows, the days staff took customers along and the
    sales channels' and entry points' tables."""
    name: str
    title: str
    title_zh: str
    histories: int
    days: int
    payback: float | None
    paid_back: int
    dip: float
    dip_day: int
    results: tuple = field(repr=False, compare=False)

    @property
    def payback_month(self) -> int | None:
        return payback_month(self.payback)

    def band(self, column: str) -> pd.DataFrame:
        """Per-day mean and 5th / 95th percentile across histories of a daily column (index: day)."""
        return daily_band(list(self.results), column)

    @cached_property
    def retention(self) -> pd.DataFrame:
        return cohort_retention(list(self.results))

    @cached_property
    def flows(self) -> pd.DataFrame:
        return flow_table(list(self.results))

    @cached_property
    def staff_drops(self) -> list[int]:
        return staff_quit_drops(list(self.results))

    def pooled(self, by: str) -> pd.DataFrame | None:
        """Where the orders happen ('sales_channel') or the entry points ('entry'), pooled over the histories
        (business.pooled_breakdown); None when the strategy does not book them."""
        return pooled_breakdown(list(self.results), by)


@dataclass(frozen=True)
class Bridge:
    """The LTV gap b - a split into drivers that add up to it (lab.bridge), the driver carrying most of it
    (largest in the gap's direction) and the one offsetting it (largest against, when at least a quarter)."""
    a: str
    b: str
    ltv_a: float
    ltv_b: float
    gap: float
    parts: dict[str, float]
    driver: str | None
    offset: str | None


@dataclass(eq=False)
class Finding:
    """A comparison as presentation reads it (see the module docstring). `names` in order, the first is
    the one every other is compared with; `levers` {figure: Levers} of names[0] vs names[1] (when explained);
    `worlds` {further strategy: {figure: Worlds}} (when checked); `titles` {name: (English, Chinese) or None
    (show the name)}; `differs` the settings each further strategy changes; `inputs` where each key came from."""
    names: tuple[str, ...]
    seeds: tuple[int, ...]
    users: int
    agents: int
    days: int
    strategies: dict[str, Strategy]
    figures: dict[str, FigureFinding]
    differs: dict[str, tuple]
    inputs: dict[str, dict[str, Provenance]]
    titles: dict[str, tuple[str, str] | None]
    levers: dict[str, Levers] = field(default_factory=dict)
    worlds: dict[str, dict[str, Worlds]] = field(default_factory=dict)
    _bridges: dict = field(default_factory=dict, repr=False)

    @property
    def first(self) -> str:
        return self.names[0]

    @property
    def others(self) -> tuple[str, ...]:
        return self.names[1:]

    @property
    def what_if(self) -> dict:
        """{key: value} of the settings the user made for this run (`--set`): the comparison is a what-if."""
        return {k: p.value for k, p in self.inputs[self.first].items() if p.kind == "what_if"}

    @property
    def world_count(self) -> int:
        """Plausible worlds each pair was checked in (0 when not checked)."""
        return max((w.worlds for per in self.worlds.values() for w in per.values()), default=0)

    def bridge(self, b: str | None = None) -> Bridge:
        """The LTV bridge from the first strategy to `b` (default: the second), computed once."""
        b = b or self.names[1]
        if b not in self._bridges:
            a = self.first
            p = ltv_bridge_parts(list(self.strategies[a].results), list(self.strategies[b].results))
            gap = float(p["gap"])
            parts = {d: float(p[d]) for d in BRIDGE_DRIVERS}
            offset = carrier(parts, gap, along=False)
            if offset is not None and abs(parts[offset]) < OFFSET_SHARE * abs(gap):
                offset = None
            self._bridges[b] = Bridge(a=a, b=b, ltv_a=float(p["ltv_a"]), ltv_b=float(p["ltv_b"]), gap=gap,
                                      parts=parts, driver=carrier(parts, gap), offset=offset)
        return self._bridges[b]

    def verdict(self, figure: str, b: str | None = None) -> Verdict:
        """The stated verdict on `figure`, `b` (default: the second) against the first (lab.verdicts.verdict)."""
        b = b or self.names[1]
        return verdict(figure, self.figures[figure].diffs[b], self.worlds.get(b, {}).get(figure), self.first, b)


# ----------------------------------------------------------------- building a finding

def comparison(obj) -> Comparison:
    """A Comparison from results in any shape `findings_of` takes (module docstring), paired by seed."""
    if isinstance(obj, Comparison):
        return obj
    if isinstance(obj, Mapping):
        if not obj:
            raise ValueError("no results given")
        return comparison_of({str(k): _many(v) for k, v in obj.items()})
    m = _many(obj)
    return comparison_of({m.scenario.name: m})


def _many(v) -> Many:
    if isinstance(v, Many):
        return v
    if isinstance(v, (list, tuple)) and v:
        return many_of(list(v))
    if isinstance(v, Result):
        return many_of([v])
    raise TypeError(f"expected a Result, a list of Results, a Many or a Comparison, not {type(v).__name__}")


def _strategy(name: str, m: Many) -> Strategy:
    res = list(m.results)
    dip, dip_day = dip_of(res)
    n_pay = int(m.summary.at["payback_day", "n"]) if "payback_day" in m.summary.index else 0
    return Strategy(name=name, title=m.scenario.title or "", title_zh=m.scenario.title_zh or "",
                    histories=len(res), days=len(res[0].daily), payback=payback_of(res), paid_back=n_pay,
                    dip=dip, dip_day=dip_day, results=tuple(res))


def scenario_titles(scenarios: Mapping) -> dict[str, tuple[str, str] | None]:
    """{name: (English, Chinese) display titles} of scenarios {name: Scenario}; None where a scenario has no
    title or shares its English title with another (inherited through `extends:`), so the name is shown."""
    shared = [sc.title for sc in scenarios.values()]
    out = {}
    for n, sc in scenarios.items():
        en, zh = sc.title or "", sc.title_zh or ""
        out[n] = (en or zh, zh or en) if (en or zh) and (not en or shared.count(en) == 1) else None
    return out


def _figures(cmp: Comparison) -> dict[str, FigureFinding]:
    t, out = cmp.table, {}
    for f in t.index:
        values = {}
        for n in cmp.names:
            s = cmp.runs[n].summary
            values[n] = Estimate.of(s.loc[f].to_dict()) if f in s.index else Estimate(float("nan"), float("nan"),
                                                                                        float("nan"), 0)
        diffs = {n: Estimate(float(t.at[f, f"diff:{n}"]), float(t.at[f, f"lo:{n}"]), float(t.at[f, f"hi:{n}"]),
                             int(t.at[f, f"n:{n}"]), float(t.at[f, f"vr:{n}"])) for n in cmp.names[1:]}
        out[f] = FigureFinding(name=f, unit=unit_of(f), better=better_sign(f), values=values, diffs=diffs)
    return out


def findings_of(obj, explanation: Explanation | None = None, robustness: Robustness | Mapping | None = None,
                worlds: int = DEFAULT_WORLDS, world_seeds: int = 1, workers: int | None = None,
                fitted: Mapping[str, Mapping[str, str]] | None = None, figures=DECISION_FIGURES,
                world_agents: int | None = None, what_if: Mapping | None = None) -> Finding:
    """The Finding of a comparison (or of results in any shape, `comparison`).

    explanation  a sim.explain result of the first two strategies: the levers carrying each difference
    robustness   a sim.robustness result of the first two (or {further strategy: result}): used as it is
    worlds       otherwise, check each further strategy against the first in this many plausible worlds
                 (sim.robustness at the strategies' own size, `world_seeds` histories each, on `workers`
                 processes; 0: no check, the verdicts then rest on the seeds alone); `world_agents` simulates
                 the worlds with fewer agents than the comparison (the same market, more noise per world)
    fitted       {strategy: {key: 'fitted from ...'}}: keys fitted from data (lab.provenance.fitted_marks)
    what_if      the keys the user set for this run on every strategy (`--set`): stated as their what-if
    figures      the figures the worlds check measures (default: lab.figures.DECISION_FIGURES)
    """
    cmp = comparison(obj)
    names, fitted = tuple(cmp.names), dict(fitted or {})
    sc = cmp.runs[names[0]].scenario
    inputs = {n: provenance(cmp.runs[n].scenario, fitted.get(n), what_if) for n in names}
    checks = _robustness_results(cmp, robustness, worlds, world_seeds, workers, figures, world_agents, fitted)
    values = {k: p.value for k, p in inputs[names[0]].items()}
    return Finding(names=names, seeds=tuple(cmp.seeds), users=sc.market.users, agents=sample_size(sc.market)[0],
                   days=sc.horizon_days, strategies={n: _strategy(n, cmp.runs[n]) for n in names},
                   figures=_figures(cmp), differs={n: tuple(d) for n, d in cmp.differs.items()}, inputs=inputs,
                   titles=scenario_titles({n: cmp.runs[n].scenario for n in names if n == cmp.runs[n].scenario.name}),
                   levers=levers_of(explanation) if explanation is not None else {},
                   worlds={b: worlds_of(rob, values, names=(names[0], b)) for b, rob in checks.items()})


def _robustness_results(cmp: Comparison, given, worlds: int, seeds: int, workers, figures,
                        agents: int | None, fitted: Mapping | None = None) -> dict[str, Robustness]:
    """{further strategy: Robustness}: the ones given, else `worlds` plausible worlds run for each (a key both
    strategies mark as fitted, `fitted`: {strategy: marks}, drawn from its fitted range)."""
    if given is not None:
        return dict(given) if isinstance(given, Mapping) else {cmp.names[1]: given}
    if not worlds or len(cmp.names) < 2:
        return {}
    a = cmp.runs[cmp.names[0]].scenario
    fitted = dict(fitted or {})
    return {b: check_worlds(a, cmp.runs[b].scenario, draws=worlds, seeds=seeds, figures=figures, workers=workers,
                            agents=agents, fitted=shared_fitted_ranges(fitted.get(cmp.names[0]), fitted.get(b)))
            for b in cmp.names[1:]}


__all__ = ["DEFAULT_WORLDS", "Bridge", "FigureFinding", "Finding", "Strategy", "comparison", "findings_of",
           "scenario_titles"]
