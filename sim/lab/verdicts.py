"""Verdicts with their reasons: which levers carry a difference (from `explain`), whether it holds across
plausible worlds and what it hinges on (from `robustness`), and the one rule that reconciles the seeds'
interval with the worlds' share. The typed findings presentation reads (sim.present).

    levers = levers_of(sim.explain(a, b, ...))["ltv"]        # Levers: contributions, carrier, interaction
    worlds = worlds_of(sim.robustness(a, b, ...))["ltv"]     # Worlds: share of worlds, spread, hinges
    v = verdict("ltv", seed_difference, worlds, a="A", b="B")  # Verdict: 'finding', 'conditional' or 'open'

The verdict rule. Under the scenarios' own assumptions the seeds give B - A with a 90% interval. Across
plausible worlds (every assumption drawn from its plausible range) each world gives B - A again.
  finding      the interval lies on one side of zero and every world (ties aside, at least MIN_WORLDS of
               them) agrees: it holds whatever the assumptions within their plausible ranges;
  conditional  some worlds disagree and the sign flips inside an assumption's plausible range (a clear
               hinge with a flip value, robustness.hinge_finding) on the side that agrees with the seeds
               (at the scenarios' own value the condition names the strategy the seeds put ahead): the
               strategy ahead in the median world is stated only with its condition ("only if ... is at
               least X");
  open         anything else: the worlds disagree with no single assumption found to decide it, or the
               seeds cannot rank the two; stated with both numbers, never as a finding.
Without worlds (`worlds` None) the kind is 'seeds': the interval alone, untested against the assumptions.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .experiments import Estimate
from .explain import Explanation
from .figures import better_sign, carrier, unit_of
from .provenance import schema_table
from .robustness import HINGE_P, MIN_WORLDS, Robustness, hinge_finding

TOP_HINGES = 6          # hinges a Worlds keeps (the chart shows them; sentences name the first ones)
KINDS = ("finding", "conditional", "open", "seeds")
NO_ROW = (None, "-", "", "")   # (default, unit, meaning, source) of a key the schema does not know


# ----------------------------------------------------------------- levers (explain)

@dataclass(frozen=True)
class LeverShare:
    """One lever's part of B - A: its Shapley contribution and its effect switched alone (each over seeds);
    `a`, `b` the lever's keys' values in A and in B."""
    lever: str
    keys: tuple[str, ...]
    a: dict
    b: dict
    contribution: Estimate
    alone: Estimate


@dataclass(frozen=True)
class Levers:
    """B - A of one figure split among the levers that differ (sim.explain): the total, the part no
    lever makes alone (interaction), each lever's share, and the lever carrying most of it (`carrier`:
    the largest contribution in the direction of the total)."""
    figure: str
    unit: str
    a: str
    b: str
    method: str
    seeds: int
    runs: int
    total: Estimate
    interaction: Estimate
    levers: tuple[LeverShare, ...]
    carrier: str | None
    rest: float = 0.0       # two-ends method: the part of the total left to interactions of 3+ levers (shared equally)

    @property
    def alone_sum(self) -> float:
        """What the levers add switched one at a time, in all."""
        return float(sum(s.alone.mean for s in self.levers))

    def share(self, lever: str) -> LeverShare:
        return next(s for s in self.levers if s.lever == lever)


def levers_of(ex: Explanation) -> dict[str, Levers]:
    """{figure: Levers} of an Explanation."""
    levers = {lv.name: lv for lv in ex.levers}
    out = {}
    for f in ex.totals.index:
        t = ex.totals.loc[f]
        c = ex.contributions[ex.contributions["figure"] == f]
        shares = tuple(LeverShare(lever=r.lever, keys=tuple(levers[r.lever].keys), a=dict(levers[r.lever].a),
                                  b=dict(levers[r.lever].b),
                                  contribution=Estimate(r.contribution, r.lo, r.hi, int(r.n)),
                                  alone=Estimate(r.alone, r.alone_lo, r.alone_hi, int(r.n))) for r in c.itertuples())
        total = Estimate(float(t["total"]), float(t["lo"]), float(t["hi"]), int(t["n"]))
        top = carrier({s.lever: s.contribution.mean for s in shares}, total.mean)
        out[f] = Levers(figure=f, unit=unit_of(f), a=ex.a_name, b=ex.b_name, method=ex.method, seeds=len(ex.seeds),
                        runs=ex.runs, total=total,
                        interaction=Estimate(float(t["interaction"]), float(t["interaction_lo"]),
                                             float(t["interaction_hi"]), int(t["n"])),
                        levers=shares, carrier=top, rest=float(t.get("ends_rest", 0.0)))
    return out


# ----------------------------------------------------------------- worlds (robustness)

@dataclass(frozen=True)
class Hinge:
    """An assumption B - A moves with across worlds. `meaning` and `unit` are the schema's; `value` the
    scenarios' own (None when unknown); `low`..`high` its plausible range (None for a choice). `clear` when
    its Bonferroni-adjusted Spearman p is below HINGE_P; then `flip_value` (else None) is where B - A crosses
    zero inside the range, and B - A has the sign opposite to its median on `flip_side` ('below' or 'above')
    of it."""
    key: str
    meaning: str
    unit: str
    value: object
    low: float | None
    high: float | None
    rho: float
    p_adjusted: float
    clear: bool
    flip_value: float | None
    flip_side: str

    @property
    def holds_side(self) -> str:
        """'above' or 'below': where B - A keeps the sign of its median (the other side of the flip)."""
        return "above" if self.flip_side == "below" else "below"


@dataclass(frozen=True)
class Worlds:
    """A vs B on one figure across plausible worlds (sim.robustness). `a_better` is the share of worlds in
    which A does better (ties count half) with its 90% Jeffreys interval; `median`, `lo`, `hi` the median
    and 5th-95th percentile of B - A over worlds with a value (`finite`); `ties` worlds where both are
    equal (e.g. neither pays back); `differences` B - A per world; `hinges` the assumptions ranked by
    |rho|; `state` what the difference hinges on: 'flips', 'moves', 'few' or 'none' (hinge_finding)."""
    figure: str
    unit: str
    better: int
    a: str
    b: str
    worlds: int
    seeds: int
    method: str
    a_better: float
    a_better_lo: float
    a_better_hi: float
    ties: int
    finite: int
    median: float
    lo: float
    hi: float
    differences: tuple[float, ...]
    hinges: tuple[Hinge, ...]
    state: str

    @property
    def b_better(self) -> float:
        return 1.0 - self.a_better

    def better_in(self, name: str) -> int:
        """Worlds in which `name` (A or B) does strictly better (the share counts a tie as half)."""
        b_wins = int(round(self.b_better * self.worlds - 0.5 * self.ties))
        return b_wins if name == self.b else self.worlds - self.ties - b_wins

    @property
    def flips(self) -> tuple[Hinge, ...]:
        """The clear hinges with a flip inside their plausible range, strongest first."""
        return tuple(h for h in self.hinges if h.clear and h.flip_value is not None)


def worlds_of(rob: Robustness, values: dict | None = None, names: tuple[str, str] | None = None) -> dict[str, Worlds]:
    """{figure: Worlds} of a Robustness; `values` {key: the scenarios' value} for the hinges; `names` (A, B)
    as the comparison names them (default: the scenarios' names)."""
    a, b = names or (rob.a_name, rob.b_name)
    schema, values = schema_table(), values or {}
    out = {}
    for f in rob.summary.index:
        s = rob.summary.loc[f]
        hf = rob.hinges[rob.hinges["figure"] == f].head(TOP_HINGES)
        hinges = tuple(Hinge(key=r.key, meaning=schema.get(r.key, NO_ROW)[2], unit=schema.get(r.key, NO_ROW)[1],
                             value=values.get(r.key), low=_num_or_none(r.low), high=_num_or_none(r.high),
                             rho=float(r.rho), p_adjusted=float(r.p_adjusted),
                             clear=bool(np.isfinite(r.p_adjusted) and r.p_adjusted < HINGE_P),
                             flip_value=_num_or_none(r.flip_value), flip_side=str(r.flip_side or ""))
                       for r in hf.itertuples())
        out[f] = Worlds(figure=f, unit=unit_of(f), better=better_sign(f), a=a, b=b,
                        worlds=int(s["worlds"]), seeds=len(rob.seeds), method=rob.method,
                        a_better=float(s["p_a_beats_b"]), a_better_lo=float(s["p_lo"]), a_better_hi=float(s["p_hi"]),
                        ties=int(s.get("ties", 0)), finite=int(s["finite"]), median=float(s["median"]),
                        lo=float(s["lo"]), hi=float(s["hi"]),
                        differences=tuple(float(x) for x in rob.worlds[f"B-A:{f}"]), hinges=hinges,
                        state=hinge_finding(rob, f)["state"])
    return out


def _num_or_none(v) -> float | None:
    try:
        v = float(v)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


# ----------------------------------------------------------------- the verdict

@dataclass(frozen=True)
class Verdict:
    """The stated verdict on one figure, B against A (see the module docstring for `kind`).

    seeds    B - A over the comparison's seeds, under the scenarios' own assumptions
    leader   who does better by the seeds (None when the interval spans zero)
    worlds   the plausible-worlds check, or None when it was not run
    agree    worlds in which `leader` does better (0 without a leader or worlds)
    ahead    who does better in the median world (None at a tie or without worlds)
    condition  the hinge a conditional verdict rests on: `ahead` does better only on its `holds_side`
    """
    figure: str
    a: str
    b: str
    better: int
    kind: str
    seeds: Estimate
    leader: str | None
    worlds: Worlds | None
    agree: int
    ahead: str | None
    condition: Hinge | None


def verdict(figure: str, seeds: Estimate, worlds: Worlds | None, a: str, b: str) -> Verdict:
    """The one rule turning a seed difference and a worlds check into a stated verdict (module docstring)."""
    better = better_sign(figure)
    side = seeds.side * better
    leader = b if side > 0 else a if side < 0 else None
    if worlds is None:
        return Verdict(figure, a, b, better, "seeds", seeds, leader, None, 0, None, None)
    med = worlds.median * better
    ahead = b if med > 0 else a if med < 0 else None
    agree = worlds.better_in(leader) if leader else 0
    decided = worlds.worlds - worlds.ties
    if leader and decided >= MIN_WORLDS and agree == decided:       # no world disagrees: a line's flip is a guess
        return Verdict(figure, a, b, better, "finding", seeds, leader, worlds, agree, ahead, None)
    if worlds.flips and ahead is not None and 0 < worlds.better_in(ahead) < decided \
            and _explains(worlds.flips[0], leader, ahead, a if ahead == b else b):
        return Verdict(figure, a, b, better, "conditional", seeds, leader, worlds, agree, ahead, worlds.flips[0])
    return Verdict(figure, a, b, better, "open", seeds, leader, worlds, agree, ahead, None)


def _explains(h: Hinge, leader: str | None, ahead: str, behind: str) -> bool:
    """Whether the hinge's condition agrees with the seeds: at the scenarios' own value of the assumption it
    names the strategy the seeds put ahead (or the seeds rank neither, or the value is unknown). Otherwise
    other assumptions decide the seeds' verdict, and the condition alone would mislead."""
    if leader is None or not isinstance(h.value, (int, float)) or isinstance(h.value, bool):
        return True
    holds = h.value >= h.flip_value if h.holds_side == "above" else h.value <= h.flip_value
    return (ahead if holds else behind) == leader


__all__ = ["Hinge", "LeverShare", "Levers", "Verdict", "Worlds", "levers_of", "verdict", "worlds_of"]
