"""The sales calendar: dated events (618, 双11, 年货节 or a brand's own), what they do to buying before, during and
after, to the paid platforms, and the pool's own push. No rule names an event: each is its days, depth, platform
traffic and price, and push (calendar.events).

Reads calendar.* (events via schema_sales.event_windows, wait_days, wait_share, stock_up, stock_days), offers.elasticity /
recovery_days / wait_recapture (an event is a price cut: the same response as a pool coupon). Changes nothing by
itself: purchases.daily multiplies each customer's purchase hazard by `rate_factors` and books event orders at the
event's price (purchases.book: a discounted order, so it teaches waiting like a coupon); acquisition.paid reads
`platform` (reach and cost per user today); acquisition.admit gives newcomers the event price (first-order take-up,
offers.first_order_take_up); messaging.announce sends the push's notice on the first day (`push_starts`).

A customer's purchase hazard is multiplied, for price sensitivity s (population.py):
  in the wait_days before an event with a price cut (shoppers who expect it put purchases off; the pre-promotion dip,
  van Heerde, Leeflang & Wittink 2000; Macé & Neslin 2004):       1 - wait_share x s
  during the event, depth d, L days long:  (1 + elasticity x s x d x wear) x (1 + wait_recapture x wait_share x s x
                                           wait_days / L) x (1 + pool_push if a pool member reads the chat)
      (wear = offers.wear(days since the previous event ended, offers.recovery_days): an event soon after another
      pulls less; the second factor is the put-off buying made during the event, the rest is lost)
  after an order placed during an event, at any later day (they stocked up; the post-promotion dip):
                                           1 - stock_up x e^(-days since that order / stock_days)
so an event lifts orders in its window and is followed by a dip below the level before it: the lift is made of
buying pulled forward from the weeks after (stocked up) and from the days before (waited), plus new buying from the
price cut. Overlapping events: the first one listed that runs today counts.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..core.population import POOL
from ..core.schema_sales import event_windows
from . import offers


class Calendar:
    """The scenario's events as arrays (empty when there are none: then nothing here is called per day)."""

    def __init__(self, sc):
        cal = sc.calendar
        self.cal, self.o = cal, sc.offers
        w = event_windows(cal)
        self.on = bool(w)
        self.start = np.array([s for s, _ in w], np.int64)
        self.end = np.array([e for _, e in w], np.int64)
        ev = cal.events
        self.depth = np.array([e.depth for e in ev], np.float64)
        self.traffic = np.array([e.platform_traffic for e in ev], np.float64)
        self.price = np.array([e.platform_price for e in ev], np.float64)
        self.push = np.array([e.pool_push for e in ev], np.float64)
        # wear: what is left of an event's pull given the days since the previous event (by start) ended
        self.wear = np.ones(len(ev))
        for i in range(len(ev)):
            before = self.end[(self.start < self.start[i]) & (self.end < self.start[i])]
            if len(before):
                self.wear[i] = offers.wear(float(self.start[i] - before.max()), self.o.recovery_days)
        # by day of the run: the event running (the first listed; -1: none) and whether a cut is awaited
        days = np.arange(sc.horizon_days + 1)
        self._running = np.full(len(days), -1, np.int64)
        self._awaited = np.zeros(len(days), np.bool_)
        for i in range(len(ev)):
            free = (self.start[i] <= days) & (days <= self.end[i]) & (self._running < 0)
            self._running[free] = i
            if self.depth[i] > 0 and cal.wait_days > 0:
                self._awaited |= (self.start[i] - days > 0) & (self.start[i] - days <= cal.wait_days)
        self._running, self._awaited = self._running.tolist(), self._awaited.tolist()   # read by day: plain lists
        self._push_days = frozenset(int(d) for d, push in zip(self.start, self.push) if push > 0)

    def running(self, day: int) -> int:
        """Index of the event running today (the first listed), -1 if none."""
        return self._running[day]

    def awaited(self, day: int) -> bool:
        """An event with a price cut starts within calendar.wait_days after today (and none runs today)."""
        return self._awaited[day]

    def depth_today(self, day: int) -> float:
        """The event price cut today (0 without an event)."""
        i = self.running(day)
        return float(self.depth[i]) if i >= 0 else 0.0

    def platform(self, day: int) -> tuple[float, float]:
        """(paid platforms' reach factor, cost-per-user factor) today; (1, 1) without an event."""
        i = self.running(day)
        return (float(self.traffic[i]), float(self.price[i])) if i >= 0 else (1.0, 1.0)

    def push_starts(self, day: int) -> bool:
        """An event with a pool push starts today (its notice goes to the pool)."""
        return day in self._push_days

    def rate_factors(self, model, day: int, cust: np.ndarray, cut: np.ndarray | None = None,
                     held: np.ndarray | None = None) -> np.ndarray | None:
        """Each customer's purchase-hazard multiplier today (module docstring); None without events. `cut`: each
        customer's own price cut today (a pool coupon they saw: offers.prices) and `held` its lift, already in their
        rate: one lift at the deepest cut, so the event's lift replaces it only where the event cuts deeper."""
        if not self.on:
            return None
        if cut is None:
            cut, held = _NO_CUT, _NO_CUT
        users, cal = model.users, self.cal
        i = self.running(day)
        lift = recap = push = 0.0
        if i >= 0:
            lift = self.o.elasticity * self.depth[i] * self.wear[i]
            if self.depth[i] > 0:
                recap = self.o.wait_recapture * cal.wait_share * cal.wait_days / (self.end[i] - self.start[i] + 1)
            push = self.push[i]
        wait = cal.wait_share if i < 0 and self.awaited(day) else 0.0
        # plain floats: a NumPy scalar argument is slow to type at each call
        return _factors(cust, day, users.state, users.muted, users.price_sens, users.orders, users.last_order_day,
                        self.start, self.end, i >= 0, float(lift), float(recap), float(push), float(wait),
                        float(cal.stock_up), float(cal.stock_days), float(self.depth[i]) if i >= 0 else 0.0, cut, held)


_NO_CUT = np.zeros(0, np.float32)


@njit(cache=True)
def _factors(cust, day, state, muted, price_sens, orders, last_order_day, starts, ends, running, lift, recap, push,
             wait, stock_up, stock_days, depth, cut, held):
    """The multipliers of Calendar.rate_factors, one pass over the customers (`cut`, `held`: one per customer, or
    empty for none)."""
    n = cust.shape[0]
    out = np.empty(n)                # every entry is set below
    m = starts.shape[0]
    own = cut.shape[0] > 0
    for j in range(n):
        i = cust[j]
        s = np.float64(price_sens[i])
        f = 1.0
        if running:
            if not own or cut[j] == 0.0:
                f = 1.0 + lift * s
            elif cut[j] < depth:                       # the event cuts deeper: its lift in place of the coupon's
                f = (1.0 + lift * s) / (1.0 + held[j])
            f *= 1.0 + recap * s
            if push > 0.0 and state[i] == POOL and not muted[i]:
                f *= 1.0 + push
        elif wait > 0.0:
            f = 1.0 - wait * s
        if stock_up > 0.0 and orders[i] > 0:
            d = last_order_day[i]
            for k in range(m):
                if starts[k] <= d <= ends[k]:
                    f *= 1.0 - stock_up * np.exp(-(day - d) / stock_days)
                    break
        out[j] = f
    return out
