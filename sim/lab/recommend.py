"""What to do, how sure it is, and what to measure first: a comparison's finding turned into one
recommendation, the deck's and the report's (sim.present.storyline words it; nothing is decided there).

    rec = recommend(f)              # f = sim.findings_of(cmp): its verdicts checked in plausible worlds
    rec.action                      # 'adopt', 'adopt_if', 'pilot' or 'unchecked' (the rule below)
    rec.choice, rec.other           # the strategy recommended (or favoured) and the one it is set against
    rec.worth["profit"]             # Estimate of choice - other over the seeds (paired): what it is worth
    rec.wins, rec.worlds            # plausible worlds in which `choice` does better on the deciding figure
    rec.tests                       # the assumptions to measure first, each with the value that flips it
    rec.stake                       # LTV at stake in a pilot of PILOT_CUSTOMERS new customers (B - A)

The rule. The deciding figure is profit over the run (acquisition, salaries and every other cost
included); LTV when profit was not checked across worlds. The pair is the first strategy (A) and the
further strategy with the best profit against it (B). By the deciding figure's verdict
(lab.verdicts.verdict):
  finding      adopt   the leader: it does better in every plausible world;
  conditional  adopt_if  the strategy ahead in the median world, only if the hinge holds: measure it first;
  open         pilot   neither is settled: the assumptions decide, not luck. `choice` is the leader by the
                       seeds (else the one ahead in more worlds), stated with its share of worlds; the
                       pilot measures the hinges;
  seeds        unchecked  the seeds' leader, untested against the assumptions (no worlds were run).
The tests are the deciding figure's hinges, then LTV's: those that flip the verdict inside their plausible
range first (with the flip value and who is ahead on each side), then clear ones, then the strongest of
the rest as leads to check (`clear` False); at most MAX_TESTS.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from .experiments import Estimate
from .findings import Finding
from .verdicts import Hinge, Verdict

DECIDING = ("profit", "ltv")     # the deciding figure, in order of preference
MAX_TESTS = 3
PILOT_CUSTOMERS = 1000           # the size of the pilot the stake is stated for
FITTED_HINT = "sim calibrate"    # a schema source naming it: the assumption can be fitted from orders


@dataclass(frozen=True)
class Test:
    """An assumption to measure before deciding: the hinge the worlds check found (its key, schema meaning and
    unit, the scenarios' own value, plausible range, rank correlation and whether that is clear), whether the
    verdict turns at its flip value inside the plausible range (`flips`) and then which strategy is ahead above
    and below it, the figures whose verdict it moves, and whether the schema says it can be fitted from a
    brand's order history."""
    hinge: Hinge
    flips: bool
    above: str | None
    below: str | None
    figures: tuple[str, ...]
    fitted: bool

    key = property(lambda self: self.hinge.key)              # the hinge's own fields, read through the test
    meaning = property(lambda self: self.hinge.meaning)
    unit = property(lambda self: self.hinge.unit)
    value = property(lambda self: self.hinge.value)
    low = property(lambda self: self.hinge.low)
    high = property(lambda self: self.hinge.high)
    rho = property(lambda self: self.hinge.rho)
    clear = property(lambda self: self.hinge.clear)

    @property
    def flip_value(self) -> float | None:
        """Where the verdict turns, when it does inside the plausible range (else None)."""
        return self.hinge.flip_value if self.flips else None


@dataclass(frozen=True)
class Recommendation:
    """What to do (`action`, module docstring) between `choice` and `other`; `figure` the deciding figure and
    `verdict` its verdict, `support` the other figure's (None when not measured); `worth` {figure: Estimate
    of choice - other}; `wins` of `worlds` plausible worlds in which `choice` does better on `figure` (0 of 0
    when unchecked); `tests` what to measure first; `stake` 1,000 pilot customers' LTV of B - A."""
    action: str
    choice: str
    other: str
    a: str
    b: str
    figure: str
    verdict: Verdict
    support: Verdict | None
    worth: dict[str, Estimate]
    wins: int
    worlds: int
    ties: int
    tests: tuple[Test, ...]
    stake: Estimate

    @property
    def share(self) -> float | None:
        """Share of plausible worlds in which `choice` does better (None when unchecked)."""
        return self.wins / self.worlds if self.worlds else None

    @property
    def condition(self) -> Hinge | None:
        return self.verdict.condition


def _pair(f: Finding) -> tuple[str, str]:
    """(A, B): the first strategy and the further one with the best profit against it."""
    fig = "profit" if "profit" in f.figures else "ltv"
    g = f.figures[fig]
    b = max(f.others, key=lambda n: g.better * g.diffs[n].mean if g.diffs[n].mean == g.diffs[n].mean else -1e300)
    return f.first, b


def _signed(e: Estimate, flip: bool) -> Estimate:
    return Estimate(-e.mean, -e.hi, -e.lo, e.n, e.vr) if flip else e


def recommend(f: Finding) -> Recommendation:
    """The recommendation of a finding with at least two strategies (module docstring)."""
    if len(f.names) < 2:
        raise ValueError("a recommendation needs two strategies or more")
    a, b = _pair(f)
    checked = f.worlds.get(b, {})
    figure = next((g for g in DECIDING if g in checked), next(g for g in DECIDING if g in f.figures))
    v = f.verdict(figure, b)
    other_fig = next((g for g in DECIDING if g != figure and g in f.figures), None)
    support = f.verdict(other_fig, b) if other_fig else None
    action = {"finding": "adopt", "conditional": "adopt_if", "open": "pilot", "seeds": "unchecked"}[v.kind]
    if v.kind == "conditional":
        choice = v.ahead
    else:
        choice = v.leader or v.ahead or (a if v.kind == "seeds" else _more_often(v, a, b))
    other = b if choice == a else a
    w = v.worlds
    worth = {g: _signed(f.figures[g].diffs[b], choice == a) for g in DECIDING if g in f.figures}
    ltv = f.figures["ltv"].diffs[b] if "ltv" in f.figures else Estimate(float("nan"), float("nan"), float("nan"), 0)
    stake = Estimate(PILOT_CUSTOMERS * ltv.mean, PILOT_CUSTOMERS * ltv.lo, PILOT_CUSTOMERS * ltv.hi, ltv.n)
    return Recommendation(action=action, choice=choice, other=other, a=a, b=b, figure=figure, verdict=v,
                          support=support, worth=worth, wins=w.better_in(choice) if w else 0,
                          worlds=w.worlds if w else 0, ties=w.ties if w else 0,
                          tests=tests_of(f, b, (figure,) + ((other_fig,) if other_fig else ())), stake=stake)


def _more_often(v: Verdict, a: str, b: str) -> str:
    """The strategy ahead in more plausible worlds (A at a tie)."""
    w = v.worlds
    return b if w is not None and w.better_in(b) > w.better_in(a) else a


def tests_of(f: Finding, b: str, figures: tuple[str, ...]) -> tuple[Test, ...]:
    """The assumptions to measure first for B against the first strategy (module docstring)."""
    from .provenance import schema_table
    schema = schema_table()
    per_fig = [(g, f.worlds.get(b, {}).get(g)) for g in figures]
    ranked: list[tuple[int, str, Hinge]] = []
    for g, w in per_fig:
        if w is None:
            continue
        for h in w.hinges:
            level = 0 if h in w.flips else 1 if h.clear else 2
            ranked.append((level, g, h))
    ranked.sort(key=lambda t: (t[0], -abs(t[2].rho) if t[2].rho == t[2].rho else 0))
    out: dict[str, Test] = {}
    for level, g, h in ranked:
        if h.key in out:
            t = out[h.key]
            out[h.key] = replace(t, figures=t.figures + (g,)) if g not in t.figures else t
            continue
        if len(out) >= MAX_TESTS:
            continue
        w = f.worlds[b][g]
        above = below = None
        if level == 0:
            ahead = w.b if w.median * w.better > 0 else w.a
            behind = w.a if ahead == w.b else w.b
            above, below = (ahead, behind) if h.holds_side == "above" else (behind, ahead)
        out[h.key] = Test(hinge=h, flips=level == 0, above=above, below=below, figures=(g,),
                          fitted=FITTED_HINT in schema.get(h.key, (None,) * 4)[3])
    return tuple(out.values())


__all__ = ["DECIDING", "MAX_TESTS", "PILOT_CUSTOMERS", "Recommendation", "Test", "recommend", "tests_of"]
