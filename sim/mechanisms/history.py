"""A brand's own order history inside a run: replayed first purchases (for calibration) and
day-0 customers seeded from a calibrated history (pool.initial_from).

Reads pool.initial_from, pool.initial_trust. Changes users.acquired, acq_day, channel, orders,
spend, last_order_day, trust, state (through containers.join).

- `Arrivals`: who first bought on which day through which channel, and (when the data says)
  on which day they joined the pool. `Acquisition.replay` admits them day by day with their
  observed first order; everything after that first order is the model's.
- `seed_customers`: the customers of a calibrated history (the `customers.csv` that
  `python -m sim calibrate` writes) become the day-0 customers: their past orders, spend,
  days since their last order, and pool membership. Their individual purchase rates are drawn
  from the fitted population and matched by rank to their observed buying (the most frequent
  buyer gets the highest rate among the seeded agents): an approximation of each customer's
  rate given their history.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.customers import CUSTOMER_COLUMNS, read_customers  # noqa: F401 (the one reader: sim/core/customers.py)
from ..core.errors import ScenarioError
from ..core.population import whole_agents
from . import containers


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


def seed_customers(model, customers: pd.DataFrame, channel_code: int) -> None:
    """Day 0: the history's customers become customers of this run (see module docstring); at population
    scale s > 1 a random 1/s of them are seeded, each agent standing for s customers."""
    users, p = model.users, model.sc.pool
    if model.scale != 1 and len(customers):   # each agent stands for `scale` people: seed a random 1/scale of the rows
        m = min(whole_agents(len(customers), model.scale, model.streams, "history_count"), len(customers))
        key = model.streams.uniform("existing_sample", -1, np.arange(len(customers)))
        customers = customers.iloc[np.sort(np.argsort(key, kind="stable")[:m])]
    k = len(customers)
    if k > users.n:
        raise ScenarioError(p.initial_from, "market.users", users.n,
                            f"at least the {k} customers of pool.initial_from (the simulated market holds them)")
    if k == 0:
        return
    key = model.streams.uniform("existing", -1, np.arange(users.n))
    chosen = np.sort(np.argpartition(key, k - 1)[:k])
    tenure = customers["first_order_days_ago"].to_numpy(float) + 1.0
    rate_obs = customers["orders"].to_numpy(float) / tenure
    jitter = model.streams.uniform("existing_rank", -1, np.arange(k))  # breaks ties at random
    by_obs = np.lexsort((jitter, rate_obs))                            # history rows, slowest buyer first
    by_rate = chosen[np.argsort(users.buy_rate[chosen], kind="stable")]
    idx = np.empty(k, dtype=np.int64)
    idx[by_obs] = by_rate                                               # row r -> agent idx[r]
    users.acquire(idx, 0, channel_code)
    users.orders[idx] = customers["orders"].to_numpy(np.int32)
    users.spend[idx] = customers["spend"].to_numpy(np.float32)
    users.last_order_day[idx] = -customers["last_order_days_ago"].to_numpy(np.int32)
    in_pool = customers["in_pool"].to_numpy(bool)
    users.trust[idx[in_pool]] = p.initial_trust
    containers.join(model, idx[in_pool], 0, newcomers=False)
