"""A brand's own order history inside a run: replayed first purchases (for calibration) and
day-0 customers seeded from a calibrated history (pool.initial_from).

Reads pool.initial_from, pool.initial_trust, the customer process's keys (market.purchase_cycle_days,
purchase_rate_spread, lapse_per_year, leaving_spread, leave_after_order, leave_after_order_spread;
washback.public_per_year) and service.consider_half_rmb / self_close, market.pool_buy_lift.
Changes users.acquired, acq_day, channel, orders, spend, last_order_day, trust, buy_rate, leave_mult, leave_p,
state (through containers.join).

- `Arrivals`: who first bought on which day through which channel, and (when the data says)
  on which day they joined the pool. `Acquisition.replay` admits them day by day with their
  observed first order; everything after that first order is the model's.
- `seed_customers`: the customers of a calibrated history (the `customers.csv` that
  `python -m sim calibrate` writes) start the run where they are. Each is drawn from their own
  posterior given their history (sim/core/btyd.py): whether they are still a customer (those who
  are not stay out of the run), their purchase rate lam ~ Gamma(r + x, alpha + E) and their leaving
  (a rate mu ~ Gamma(s, beta + T), or a chance p ~ Beta(a, b + x) of leaving after an order). The
  posterior's parameters come from the file's columns p_alive, rate_shape, rate_scale_days and
  leave_shape / leave_scale_days or leave_a / leave_b when calibrate wrote them; otherwise from the
  scenario's process keys and the customer's orders and days (no burst).
  lam is the rate the customer showed (on the public side, or in the pool for in_pool customers);
  the engine's buy_rate is set so that their daily chance of an order is lam under today's
  conditions (stalled orders, the pool's lift), so a run with nothing changed goes on as the
  history would.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.btyd import AFTER_PURCHASE, ANYTIME, Histories, Process
from ..core.customers import CUSTOMER_COLUMNS, read_customers  # noqa: F401 (the one reader: sim/core/customers.py)
from ..core.errors import ScenarioError
from ..core.population import whole_agents
from . import containers
from .purchases import stall_share

POSTERIOR_COLUMNS = ("p_alive", "rate_shape", "rate_scale_days")   # + leave_shape, leave_scale_days | leave_a, leave_b
NO_SPREAD = 1e6        # gamma shape standing for "no spread" (cv = 0)


class Arrivals:
    """First purchases to replay: agent `idx[k]` first buys on `day[k]` through `channel[k]`;
    `pool_day[i]` is the day agent i joins the pool (-1 never), or None to let the scenario's
    friend requests decide."""

    def __init__(self, day: np.ndarray, channel: np.ndarray, pool_day: np.ndarray | None = None):
        order = np.argsort(day, kind="stable")
        self.idx = order.astype(np.int64)
        self.day = np.asarray(day)[order]
        self.channel = np.asarray(channel, dtype=np.int8)[order]
        self.pool_day = pool_day
        if pool_day is not None:
            has = np.flatnonzero(pool_day >= 0)
            j = np.argsort(pool_day[has], kind="stable")
            self.join_idx, self.join_day = has[j].astype(np.int64), pool_day[has][j]

    def arriving(self, day: int) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = np.searchsorted(self.day, [day, day + 1])
        return self.idx[lo:hi], self.channel[lo:hi]

    def joining(self, day: int) -> np.ndarray:
        if self.pool_day is None:
            return np.zeros(0, dtype=np.int64)
        lo, hi = np.searchsorted(self.join_day, [day, day + 1])
        return self.join_idx[lo:hi]


def scenario_process(sc) -> Process:
    """The customer process a scenario's keys describe for a customer on the public side (no burst):
    lam ~ Gamma(r, alpha) with r = 1 / cv^2 and mean 1 / purchase_cycle_days; leaving after an order when
    market.leave_after_order > 0, else at the daily hazard lapse + wash-back with a gamma proneness."""
    m = sc.market
    cv = m.trait_spread if m.purchase_rate_spread is None else m.purchase_rate_spread
    r = 1.0 / (cv * cv) if cv > 0 else NO_SPREAD
    if m.leave_after_order > 0:
        polar = max(m.leave_after_order_spread, 1e-6)
        total = (1 - polar) / polar
        return Process(AFTER_PURCHASE, r, r * m.purchase_cycle_days, a=m.leave_after_order * total,
                       b=(1 - m.leave_after_order) * total)
    mu = max((m.lapse_per_year + sc.washback.public_per_year) / 365.0, 1e-9)
    s = 1.0 / (m.leaving_spread ** 2) if m.leaving_spread > 0 else NO_SPREAD
    return Process(ANYTIME, r, r * m.purchase_cycle_days, s=s, beta=s / mu)


def posterior(customers: pd.DataFrame, sc) -> dict:
    """Per row: p_alive, rate shape and scale (days), and the leaving posterior's parameters, from the file's
    columns when calibrate wrote them, else from the scenario's process (`scenario_process`)."""
    if all(c in customers for c in POSTERIOR_COLUMNS):
        out = {c: customers[c].to_numpy(float) for c in POSTERIOR_COLUMNS}
        for c in ("leave_shape", "leave_scale_days", "leave_a", "leave_b"):
            if c in customers:
                out[c] = customers[c].to_numpy(float)
        return out
    proc = scenario_process(sc)
    T = customers["first_order_days_ago"].to_numpy(float)
    x = np.maximum(customers["orders"].to_numpy(float) - 1, 0)
    return proc.state(Histories.from_summary(x, T - customers["last_order_days_ago"].to_numpy(float), T))


def seed_customers(model, customers: pd.DataFrame, channel_code: int) -> None:
    """Day 0: the history's customers who are still customers (a draw from each one's posterior) become customers
    of this run (see module docstring); at population scale s > 1 a random 1/s of them are seeded, each agent
    standing for s customers."""
    users, p, sc = model.users, model.sc.pool, model.sc
    if model.scale != 1 and len(customers):   # each agent stands for `scale` people: seed a random 1/scale of the rows
        m = min(whole_agents(len(customers), model.scale, model.streams, "history_count"), len(customers))
        key = model.streams.uniform("existing_sample", -1, np.arange(len(customers)))
        customers = customers.iloc[np.sort(np.argsort(key, kind="stable")[:m])]
    rows = np.arange(len(customers))
    post = posterior(customers, sc)
    alive = model.streams.uniform("history_alive", -1, rows) < post["p_alive"]
    customers, rows = customers.iloc[np.flatnonzero(alive)], rows[alive]
    post = {k: v[alive] for k, v in post.items()}
    k = len(customers)
    if k > users.n:
        raise ScenarioError(p.initial_from, "market.users", users.n,
                            f"at least the {k} customers of pool.initial_from (the simulated market holds them)")
    if k == 0:
        return
    key = model.streams.uniform("existing", -1, np.arange(users.n))
    idx = np.sort(np.argpartition(key, k - 1)[:k])                      # row r -> agent idx[r]
    users.acquire(idx, 0, channel_code)
    users.orders[idx] = customers["orders"].to_numpy(np.int32)
    users.spend[idx] = customers["spend"].to_numpy(np.float32)
    users.last_order_day[idx] = -1 - customers["last_order_days_ago"].to_numpy(np.int32)   # day 0 follows the history
    in_pool = customers["in_pool"].to_numpy(bool)
    # the purchase rate they showed, as the engine's base rate: their daily chance of an order is lam where
    # they were (a would-be order that stalls on a question and is not answered does not happen; in the
    # pool the lift applies on top of the base rate)
    lam = model.streams.gamma("history_rate", -1, rows, post["rate_shape"]) / post["rate_scale_days"]
    s = sc.service
    keep = 1.0 - stall_share(users.order_value[idx], s.consider_half_rmb) * (1.0 - s.self_close)
    chance = np.minimum(lam / keep / np.where(in_pool, 1.0 + sc.market.pool_buy_lift, 1.0), 0.99)
    users.buy_rate[idx] = (-np.log1p(-chance)).astype(np.float32)
    _seed_leaving(model, idx, rows, post, sc)
    model.history_agents = (rows, idx)
    users.trust[idx[in_pool]] = p.initial_trust
    containers.join(model, idx[in_pool], 0, newcomers=False)


def _seed_leaving(model, idx, rows, post, sc) -> None:
    """Each seeded customer's leaving from their posterior: a rate mu through their proneness (lapse and
    wash-back hazards sum to mu on the public side), or a chance of leaving after each order."""
    users, m = model.users, sc.market
    if "leave_a" in post:
        a = model.streams.gamma("history_leave", -1, rows, post["leave_a"])
        b = model.streams.gamma("history_leave_b", -1, rows, post["leave_b"])
        users.leave_p[idx] = (a / np.maximum(a + b, 1e-300)).astype(np.float32)
        users.leave_mult[idx] = 0.0                                  # leaving only after an order
        model.leave_after_orders = True
        return
    mu = model.streams.gamma("history_leave", -1, rows, post["leave_shape"]) / post["leave_scale_days"]
    base = (m.lapse_per_year * users.lapse_mult[idx] + sc.washback.public_per_year) / 365.0
    users.leave_mult[idx] = np.divide(mu, base, out=np.zeros(len(idx)), where=base > 0).astype(np.float32)
    users.leave_p[idx] = 0.0
