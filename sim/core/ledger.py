"""The money ledger: every RMB the pool earns or costs, by line, per day; and per-user value.

Revenue is kept orders at the price paid (list price minus the coupon). The
discount given away is shown as its own line, `discounts`, a memo: it is already
out of revenue, so it is not a cost and profit does not subtract it again. Costs:
acquisition (paid platforms), cogs (on the goods, i.e. at list price), returns
(handling of returned orders), gifts
(member-day gifts), staff (account salaries), service (one-to-one service shifts,
paid by the hour at service.hourly_cost_rmb: consultants' own time, on top of the
accounts; plus account work beyond the accounts' own hours: running groups and
answering pool orders use staff.accounts x staff.hours_per_day first, each hour over
that at the same hourly cost), incentives (referral rewards and KOC fees), channel_fees (the sales
channels' commissions, payment fees, shipping and return insurance: sim/mechanisms/sales.py, when sales.enabled),
pool_entry (entry points' cost per person reached and per add: sim/mechanisms/entry.py, with entry points or stores),
points (membership points redeemed: sim/mechanisms/tiers.py, with tiers.enabled).
profit = revenue - sum(costs).

A user's `value` is their discounted contribution since acquisition: order margin
minus cogs, discounts, returns, gifts and points redeemed, minus the cost of the one-to-one sessions
spent on them (activity-based: minutes x hourly cost). Fixed costs of running the
pool (account salaries, group work, idle service time) are not spread over users:
they do not depend on who is in the pool, and a per-head share would make users who
join a bigger pool look more valuable. They are in profit and payback. Value
excludes what was paid to acquire a user, so LTV can be set against CAC.
"""
from __future__ import annotations

import numpy as np

COST_LINES = ("acquisition", "cogs", "returns", "gifts", "staff", "service", "incentives", "channel_fees",
              "pool_entry", "points")
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
        self._zero = dict(self.today)     # a new day's lines, copied in at new_day
        self.hours = 0.0
        self.shift_hours = 0.0

    def new_day(self) -> None:
        self.today.update(self._zero)
        self.hours = 0.0
        self.shift_hours = 0.0

    def use_hours(self, hours: float) -> None:
        """Account staff time spent today (groups, order support): the accounts' own hours first."""
        self.hours += float(hours)

    def pay_shift(self, hours: float) -> None:
        """A one-to-one service shift today: paid by the hour, whether its sessions are used or not."""
        self.shift_hours += float(hours)
        self.today["service"] += float(hours) * self.hourly_cost

    def add(self, line: str, amount: float) -> None:
        self.today[line] += float(amount)

    def close_day(self) -> None:
        """Book today's salaries and the account hours beyond the accounts' own."""
        self.today["staff"] += self.staff_daily
        self.today["service"] += max(0.0, self.hours - self.staff_hours) * self.hourly_cost

    @property
    def cost(self) -> float:
        return sum(map(self.today.__getitem__, COST_LINES))       # line by line, in COST_LINES' order
