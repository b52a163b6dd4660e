"""A business decision's options, run on the same seeds: which sales events to join and how deep, how hard to
steer pool members to the mini-program store, which entry points to fund, which membership tier thresholds
(issue 28's questions).

    from sim.lab.business import entry_options, event_options, steer_options, tier_options
    q = steer_options(load_scenario("scenarios/mini_program_store.yaml"), (0, 0.25, 0.5, 1), seeds=3)
    q.table()          # per option: each figure's mean, and the option minus the first (paired 90% interval)
    q.best("profit")   # the option with the best mean, and its lead over the runner-up (paired)

An option is a whole scenario; the first is the reference (not joining, not steering, funding none). Every
option runs with seeds 0..seeds-1 (common random numbers), so the differences are the options'. Nothing here
says which option wins: the runs do.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.errors import UsageError
from ..core.scenario import Scenario
from ..core.schema_entry import ENTRY_POINTS
from ..core.schema_tiers import TIERS
from ..engine.runner import resolve
from .experiments import check_seeds, paired_difference
from .figures import better_sign, many_values

FIGURES = ("profit", "ltv", "orders", "churn_rate_monthly")
NOT_JOINED = "none"      # the event option without the event


@dataclass(frozen=True)
class Lead:
    """The best option by its mean, and its paired lead over the runner-up (diff, lo, hi; better-signed: a lead
    above zero means the best is ahead). `settled`: the lead's interval lies above zero."""
    option: str
    value: float
    runner_up: str | None
    diff: float
    lo: float
    hi: float

    @property
    def settled(self) -> bool:
        return self.runner_up is None or self.lo > 0


@dataclass(frozen=True)
class Options:
    """A decision's options (the first is the reference), their scenarios, and each figure's value per seed.
    `kind`: 'event' (options: 'none' or a price cut), 'steer' (a share of readers), 'entry' ('none' or an entry
    point), 'tier' or any other name; `subject`: what the options are about (the event's name, or '')."""
    kind: str
    subject: str
    options: tuple[str, ...]
    scenarios: tuple[Scenario, ...]
    values: tuple[dict, ...]           # per option: {figure: array over seeds}
    seeds: tuple[int, ...]

    @property
    def figures(self) -> tuple[str, ...]:
        return tuple(self.values[0])

    def table(self) -> pd.DataFrame:
        """One row per option: each figure's mean over seeds, and `<figure>_diff/_lo/_hi`: the option minus the
        reference, paired by seed (90% interval; the reference's own row is 0)."""
        rows = []
        for name, vals in zip(self.options, self.values):
            row = {"option": name}
            for f in self.figures:
                d = paired_difference(self.values[0][f], vals[f])
                row.update({f: float(np.nanmean(vals[f])), f"{f}_diff": d["diff"], f"{f}_lo": d["lo"],
                            f"{f}_hi": d["hi"]})
            rows.append(row)
        return pd.DataFrame(rows).set_index("option")

    def best(self, figure: str = "profit") -> Lead:
        """The option with the best mean `figure` (better_sign; of equal ones the earlier), and its paired lead
        over the runner-up."""
        if figure not in self.figures:
            raise UsageError(f"best({figure!r}): choose one of {', '.join(self.figures)}")
        sign = better_sign(figure)
        means = [sign * float(np.nanmean(v[figure])) for v in self.values]
        order = sorted(range(len(means)), key=lambda i: -means[i])     # ties: the earlier option first
        top = order[0]
        if len(order) < 2:
            return Lead(self.options[top], means[top] * sign, None, np.nan, np.nan, np.nan)
        second = order[1]
        d = paired_difference(sign * self.values[second][figure], sign * self.values[top][figure])
        return Lead(self.options[top], means[top] * sign, self.options[second], d["diff"], d["lo"], d["hi"])


def options(kind: str, variants: dict[str, Scenario], subject: str = "", seeds: int = 3, users: int | None = None,
            days: int | None = None, agents: int | None = None, figures=FIGURES,
            workers: int | None = None) -> Options:
    """Run every variant ({option: scenario}, the first the reference) on seeds 0..seeds-1; `workers` > 1 spreads
    the runs over processes (the same numbers)."""
    if len(variants) < 2:
        raise UsageError(f"{kind} options: give at least two, not {len(variants)}")
    k = check_seeds(seeds)
    resolved = [resolve(sc, users, days, agents) for sc in variants.values()]
    values = many_values(resolved, range(k), figures, workers=workers)
    return Options(kind, subject, tuple(variants), tuple(resolved), tuple(values), tuple(range(k)))


def event_options(scenario: Scenario, event: int | str, depths=(0.1, 0.2, 0.3), **run) -> Options:
    """Join calendar event `event` (its index or name) at each price cut of `depths`, against not joining it
    (option 'none': the event left out; the other events stay as they are). `run`: options()'s seeds, users,
    days, agents, figures, workers."""
    events = list(scenario.calendar.events)
    names = [e.name for e in events]
    i = names.index(event) if isinstance(event, str) and event in names else event
    if not isinstance(i, int) or not 0 <= i < len(events):
        raise UsageError(f"event_options: event = {event!r}: choose one of {', '.join(map(repr, names)) or '(none)'}")
    variants = {NOT_JOINED: _with_events(scenario, events[:i] + events[i + 1:])}
    for depth in depths:
        ev = events[i].model_copy(update={"depth": float(depth)})
        variants[f"{depth:g}"] = _with_events(scenario, events[:i] + [ev] + events[i + 1:])
    return options("event", variants, names[i], **run)


def _with_events(sc: Scenario, events: list) -> Scenario:
    """A validated copy of `sc` with the calendar's events replaced."""
    data = sc.model_dump()
    data["calendar"]["events"] = [e.model_dump() for e in events]
    return type(sc).model_validate(data)


def steer_options(scenario: Scenario, levels=(0.0, 0.25, 0.5, 0.75, 1.0), **run) -> Options:
    """Steer each share of `levels` of the pool's readers to the mini-program store (sales.steer_to_mini_program;
    sales booked), the first level the reference. `run`: options()'s keyword arguments."""
    base = scenario.with_overrides({"sales.enabled": True})
    variants = {f"{lv:g}": base.with_overrides({"sales.steer_to_mini_program": float(lv)}) for lv in levels}
    return options("steer", variants, **run)


def entry_options(scenario: Scenario, points=None, **run) -> Options:
    """Fund each entry point of `points` (default: every entry point the scenario uses, i.e. with an add rate
    above 0) on its own, against funding none of them (option 'none': their add rates and costs set to 0; the
    scenario's other entry points stay). `run`: options()'s keyword arguments."""
    if not scenario.entry.enabled:
        raise UsageError("entry_options: this scenario has no entry points (set entry.enabled: true)")
    points = [p for p in ENTRY_POINTS if scenario.get(f"entry.{p}.add_rate") > 0] if points is None else list(points)
    bad = [p for p in points if p not in ENTRY_POINTS]
    if bad or not points:
        raise UsageError(f"entry_options: points = {bad or points!r}: choose among {', '.join(ENTRY_POINTS)}")
    off = {f"entry.{p}.{k}": 0.0 for p in points for k in ("add_rate", "cost_per_contact_rmb", "cost_per_add_rmb")}
    variants = {NOT_JOINED: scenario.with_overrides(off)}
    for p in points:
        variants[p] = scenario.with_overrides({k: v for k, v in off.items() if not k.startswith(f"entry.{p}.")})
    return options("entry", variants, **run)


def tier_options(scenario: Scenario, scales=(0.5, 1.0, 2.0), **run) -> Options:
    """Run the membership programme with every tier's spend threshold times each of `scales` (1: as the scenario
    has them), against no programme (option 'none': tiers.enabled false). `run`: options()'s keyword arguments."""
    if not scenario.tiers.enabled:
        raise UsageError("tier_options: this scenario has no membership tiers (set tiers.enabled: true)")
    variants = {NOT_JOINED: scenario.with_overrides({"tiers.enabled": False})}
    for k in scales:
        if not k > 0:
            raise UsageError(f"tier_options: scales = {k!r}: a threshold scale must be above 0")
        variants[f"{k:g}"] = scenario.with_overrides({f"tiers.{t}.threshold_rmb": scenario.get(f"tiers.{t}.threshold_rmb")
                                                      * float(k) for t in TIERS[1:]})
    return options("tier", variants, **run)


def pooled_breakdown(results: list, by: str) -> pd.DataFrame | None:
    """`Result.breakdown(by)` of several seeds' runs pooled (by = 'sales_channel' or 'entry'): counts and money
    summed over the runs and the rates recomputed from the sums (order share, margin per order; add rate, LTV
    weighted by people, share lost, cost per person joined), as totals per run (the sums / runs). None when
    the runs do not book it."""
    if by not in ("sales_channel", "entry"):
        raise UsageError(f"pooled_breakdown(by={by!r}): choose 'sales_channel' or 'entry'")
    tables = [getattr(r, "sales" if by == "sales_channel" else "entry") for r in results]
    if not tables or any(t is None for t in tables):
        return None
    n = len(tables)
    if by == "sales_channel":
        s = sum(t[["orders", "margin", "returned_orders"]] for t in tables)
        orders = s["orders"].where(s["orders"] > 0)
        return pd.DataFrame({"orders": s["orders"] / n, "order_share": s["orders"] / max(s["orders"].sum(), 1e-12),
                             "return_rate": s["returned_orders"] / orders, "margin_per_order": s["margin"] / orders})
    cols = ["people", "requests", "adds", "joined", "cost"]
    s = sum(t[cols].fillna(0) for t in tables)
    value = sum((t["ltv"] * t["people"]).fillna(0) for t in tables)
    lost = sum((t["lost"] * t["people"]).fillna(0) for t in tables)
    people = s["people"].where(s["people"] > 0)
    return pd.DataFrame({"people": s["people"] / n, "add_rate": s["adds"] / s["requests"].where(s["requests"] > 0),
                         "ltv": value / people, "lost": lost / people, "cost": s["cost"] / n,
                         "cost_per_joined": s["cost"] / s["joined"].where(s["joined"] > 0)})


__all__ = ["FIGURES", "NOT_JOINED", "Lead", "Options", "entry_options", "event_options", "options", "pooled_breakdown",
           "steer_options", "tier_options"]
