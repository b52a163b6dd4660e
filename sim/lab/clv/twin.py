"""The customer twin: which process describes a brand's customers, the scenario keys that carry it into the
engine, and the engine's forecast from each customer's own posterior.

  choose(h, validation)        -> Choice: the chosen Process, the standard baselines and every candidate tried
  process_keys(proc, sc, ...)  -> scenario overrides that make the engine's new customers follow `proc`
  customers_table(...)         -> the customers.csv rows: history summary + each customer's posterior
  run_forecast(sc, customers, days, seeds, copies) -> daily repeat orders per run, expected orders per customer

Choosing (docs/model.md, "The customer twin"): the after-purchase burst is always in the family (its
kappa = 0 is the standard model; maximum likelihood says how much of it the data shows); leaving at any
time (Pareto/NBD) or after a purchase (BG/NBD) is chosen by likelihood (same number of parameters);
whether the rate had a lasting calendar trend is chosen by a validation split inside the calibration
period: both are fitted on its earlier part and the one whose engine forecast of its last part errs less
is kept (a single history cannot tell a lasting decline in buying from customers leaving).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ...core.btyd import ANYTIME, Histories, Process
from ...core.population import segment_profiles
from ...core.scenario import Scenario
from ...engine.model import PoolModel
from ...mechanisms.purchases import stall_share
from . import fit as F

FORECAST_AGENTS = 20_000      # agents of a forecast run (customers repeated when fewer)
NO_POOL = {f"pool.accept_{w}_{c}": 0.0 for w in ("buyer", "nonbuyer") for c in ("personal", "wecom")}
# a pool as a history shows it: its effect on buying is the fitted lift; what a strategy does in the pool
# (messages, groups, service, offers, member days, referral, trust, protection from wash-back) is set by the strategy
POOL_AS_OBSERVED = {"messaging.per_week": 0.0, "groups.size": 0, "service.one_to_one_hours_per_day": 0.0,
                    "service.member_day_every_days": 0, "offers.discount_every_days": 0, "offers.new_customer_coupon": False,
                    "referral.invites_per_year": 0.0, "referral.unlock_invites": 0, "referral.koc_count": 0,
                    "pool.initial_trust": 0.0, "pool.protection": 1.0}


def status_quo(base: Scenario, pool_known: bool) -> Scenario:
    """The brand as its history shows it: without a joined_pool column nobody is added to a pool; with one, the
    pool keeps adding people but none of the strategy's pool mechanisms run (its effect is the fitted lift)."""
    over = POOL_AS_OBSERVED if pool_known else NO_POOL
    return base.with_overrides(over, source=f"{base.name} (status quo)")
QUIET = {"acquisition.daily_budget": 0.0, "market.organic_discovery_per_year": 0.0,
         "market.organic_per_customer_per_year": 0.0, "referral.invites_per_year": 0.0, "referral.unlock_invites": 0,
         "referral.koc_count": 0, "pool.initial_members": 0, "pool.initial_from": ""}


@dataclass
class Choice:
    process: Process                         # the chosen one (fitted on the whole calibration period)
    baselines: dict                          # "BG/NBD", "Pareto/NBD": the standard models, same data
    candidates: list = field(default_factory=list)   # one dict per variant tried: label, log-likelihood, ...
    validation: dict | None = None           # the validation split: days, actual, each reading's forecast
    covariance: np.ndarray | None = None
    variant: F.Variant | None = None


def choose(h: Histories, validate=None) -> Choice:
    """Fit the family on histories `h` and choose (module docstring). `validate(leaving) -> dict` runs the
    validation split (None: no split, no trend). With the days customers joined the pool (h.join), every lab
    variant also fits the pool's lift."""
    pool = h.has_pool
    base = {lv: F.fit(h, F.Variant(lv)) for lv in (F.AFTER_PURCHASE, ANYTIME)}
    burst = {lv: F.fit(h, F.Variant(lv, burst=True, pool=pool), base[lv]) for lv in base}
    leaving = max(burst, key=lambda lv: burst[lv].log_likelihood_value)
    rows = [_row(base[lv], F.Variant(lv)) for lv in base] + [_row(burst[lv], F.Variant(lv, True, pool=pool))
                                                             for lv in burst]
    chosen, variant, val = burst[leaving], F.Variant(leaving, True, pool=pool), None
    if validate is not None:
        val = validate(leaving)
        if val is not None and abs(val["trend"] / val["actual"] - 1) < abs(val["no_trend"] / val["actual"] - 1):
            variant = F.Variant(leaving, True, True, pool)
            chosen = F.fit(h, variant, burst[leaving])
            rows.append(_row(chosen, variant))
    for r in rows:
        r["chosen"] = r["label"] == variant.label
    return Choice(chosen, {"BG/NBD": base[F.AFTER_PURCHASE], "Pareto/NBD": base[ANYTIME]}, rows, val,
                  F.covariance(chosen, h, variant), variant)


def _row(p: Process, v: F.Variant) -> dict:
    return {"label": v.label, "log_likelihood": round(p.log_likelihood_value, 2), "parameters": v.n_params,
            "params": {k: round(float(x), 6) for k, x in p.params.items()}}


# ----------------------------------------------------------------- into the engine

def _keep_by_segment(sc: Scenario) -> np.ndarray:
    """Per segment, the mean chance a would-be repeat order of a public-side customer goes ahead (stalls on a
    question that nobody answers: sim/mechanisms/purchases.py), over the order values the segment has."""
    from scipy.special import ndtri
    m, s = sc.market, sc.service
    spread = m.trait_spread if m.order_value_spread is None else m.order_value_spread
    z = ndtri((np.arange(200) + 0.5) / 200)
    factor = np.exp(spread * z - 0.5 * spread * spread)
    prof = segment_profiles(m)["spend"]
    out = []
    for f in prof:
        keep = []
        for tier, share in ((1.25, m.tier12_share), (1.0, 1 - m.tier12_share)):
            v = m.price_rmb * f * tier * factor
            keep.append(share * np.mean(1 - stall_share(v, s.consider_half_rmb) * (1 - s.self_close)))
        out.append(sum(keep))
    return np.array(out)


def process_keys(p: Process, sc: Scenario) -> dict:
    """Scenario overrides under which the engine's customers on the public side follow process `p` (a new
    customer's mean rate r / alpha after stalled orders and segment factors; its spread; the burst; leaving
    at the daily hazard (lapse, with wash-back kept when it fits inside the fitted hazard) or after a repeat
    order). Segments keep their relative differences, so new customers' spread is a little wider than fitted."""
    m = sc.market
    prof = segment_profiles(m)
    w = np.array([m.segments.deal_seeker, m.segments.quality_seeker, m.segments.loyal_prone])
    w = w / w.sum()
    mean_rate = p.r / p.alpha
    cycle = float(np.sum(w * _keep_by_segment(sc) / prof["cycle"])) / mean_rate
    out = {"market.purchase_cycle_days": round(min(max(cycle, 1.0), 3650.0), 3),
           **({"market.pool_buy_lift": round(float(p.pool_lift), 4)} if p.pool_lift else {}),
           "market.purchase_rate_spread": round(min(1.0 / math.sqrt(p.r), 10.0), 4),
           "market.repeat_burst": round(float(p.kappa), 4), "market.repeat_burst_days": round(float(p.theta), 3)}
    if p.leaving == ANYTIME:
        total = 365.0 * p.s / p.beta                     # mean leaving hazard per year
        wash = min(sc.washback.public_per_year, total)
        lapse = (total - wash) / float(np.sum(w * prof["lapse"]))
        out.update({"market.lapse_per_year": round(min(lapse, 50.0), 5), "washback.public_per_year": round(wash, 5),
                    "market.leaving_spread": round(min(1.0 / math.sqrt(p.s), 10.0), 4),
                    "market.leave_after_order": 0.0})
    else:
        out.update({"market.lapse_per_year": 0.0, "washback.public_per_year": 0.0, "market.leaving_spread": 0.0,
                    "market.leave_after_order": round(min(p.a / (p.a + p.b), 0.999), 6),
                    "market.leave_after_order_spread": round(min(1.0 / (p.a + p.b + 1.0), 0.999), 6)})
    return out


def customers_table(summary: pd.DataFrame, h: Histories, p: Process) -> pd.DataFrame:
    """The customers.csv rows: `summary` (customer_id, first_order_days_ago, last_order_days_ago, orders, spend,
    in_pool, in the order of `h`) with each customer's posterior at the end of the history (Process.state), the
    rate where they are: a pool member's at the fitted pool lift (history.py takes the scenario's lift back out)."""
    st = p.state(h)
    out = summary.reset_index(drop=True).copy()
    for k, v in st.items():
        out[k] = np.asarray(v, dtype=float)
    if p.pool_lift:
        out["rate_scale_days"] /= np.where(out["in_pool"].to_numpy(bool), 1.0 + p.pool_lift, 1.0)
    return out


def forecast_scenario(sc: Scenario, agents: int, days: int) -> Scenario:
    """`sc` as a closed world for a forecast: only the history's customers, nobody arriving or joining."""
    return sc.with_overrides({**QUIET, **NO_POOL, "market.users": agents, "market.agents": agents, "horizon_days": days},
                             source=f"{sc.name} (forecast)")


def run_forecast(sc: Scenario, customers: pd.DataFrame, days: int, seeds, copies: int = 0):
    """The engine's forecast for `customers` over `days` days: (repeat orders per day for each seed,
    shape (seeds, days); expected orders per customer row). Each customer is `copies` agents (default: enough
    for FORECAST_AGENTS), each drawn from the customer's posterior."""
    n = len(customers)
    copies = copies or max(1, math.ceil(FORECAST_AGENTS / max(n, 1)))
    tiled = pd.concat([customers] * copies, ignore_index=True)
    world = forecast_scenario(sc, len(tiled), days)
    daily = np.zeros((len(seeds), days))
    per = np.zeros(n)
    for j, seed in enumerate(seeds):
        model = PoolModel(world, seed=seed, customers=tiled)
        for d in range(days):
            model.step()
            daily[j, d] = model.today["orders"]
        rows, idx = model.history_agents
        np.add.at(per, rows % n, model.users.orders[idx] - tiled["orders"].to_numpy()[rows])
    return daily / copies, per / (copies * len(seeds))
