"""The money ledger: every RMB the pool earns or costs, by line, per day; and per-user value.

Revenue is kept orders at the price paid (list price minus the coupon). The
discount given away is shown as its own line, `discounts`, a memo: it is already
out of revenue, so it is not a cost and profit does not subtract it again. Costs:
acquisition (paid platforms), cogs (on the goods, i.e. at list price), returns
(handling of returned orders), gifts
(member-day gifts), staff (account salaries), service (staff hours beyond the
accounts' own: one-to-one service, running groups and answering pool orders use
staff.accounts x staff.hours_per_day first; each hour over that costs
service.hourly_cost_rmb), incentives (referral rewards and KOC fees).
profit = revenue - sum(costs).

A user's `value` is their discounted net margin since acquisition (orders minus
cogs, discounts, returns and gifts, minus their share of the pool's staff and
service cost on each day they are a pool member). It excludes what was paid to
acquire them, so LTV can be set against CAC.
"""
from __future__ import annotations

import numpy as np

COST_LINES = ("acquisition", "cogs", "returns", "gifts", "staff", "service", "incentives")
MEMO_LINES = ("discounts",)   # shown, not subtracted: revenue is already net of it


class Ledger:
    """Today's totals by line, in the run's agent units (x scale for the market); reads
    economics.discount_rate_annual and staff salaries."""

    def __init__(self, sc, days: int, scale: float = 1.0):
        i_daily = (1 + sc.economics.discount_rate_annual) ** (1 / 365) - 1
        self.dfac = (1 + i_daily) ** -np.arange(days + 1, dtype=np.float64)  # by age in days
        # the run is in agents (each `scale` people): the accounts' salaries and own hours per agent-share
        self.staff_daily = sc.staff.accounts * sc.staff.salary_rmb_per_month * 12 / 365 / scale
        self.staff_hours = sc.staff.accounts * sc.staff.hours_per_day / scale
        self.hourly_cost = sc.service.hourly_cost_rmb
        self.today = dict.fromkeys(("revenue",) + MEMO_LINES + COST_LINES, 0.0)
        self.hours = 0.0

    def new_day(self) -> None:
        for k in self.today:
            self.today[k] = 0.0
        self.hours = 0.0

    def use_hours(self, hours: float) -> None:
        """Staff time spent today (groups, one-to-one service, order support)."""
        self.hours += float(hours)

    def add(self, line: str, amount: float) -> None:
        self.today[line] += float(amount)

    def credit_users(self, users, idx: np.ndarray, day: int, amounts: np.ndarray) -> None:
        """Add `amounts` (RMB, today) to the users' discounted value."""
        users.value[idx] += amounts * self.dfac[day - users.acq_day[idx]]

    def close_day(self, users, day: int, pool_idx: np.ndarray) -> None:
        """Book salaries and extra staff hours; charge staff + service cost to today's pool members."""
        self.today["staff"] += self.staff_daily
        self.today["service"] += max(0.0, self.hours - self.staff_hours) * self.hourly_cost
        retention = self.today["staff"] + self.today["service"]
        if len(pool_idx) and retention:
            self.credit_users(users, pool_idx, day, np.full(len(pool_idx), -retention / len(pool_idx)))

    @property
    def cost(self) -> float:
        return sum(self.today[k] for k in COST_LINES)
