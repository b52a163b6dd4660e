"""Acquisition on public platforms: paid (Douyin, Xiaohongshu, e-commerce), organic discovery,
and the common path every new customer takes (first order, friend request to the pool).

Reads acquisition.* (budget, cac, per-platform share / cac_factor / first_order_prob /
return_rate, organic_*), referral.first_order_prob, market.organic_discovery_per_year, offers.deal_seeker_pull.
Changes users.acquired, acq_day, channel, referrer; books acquisition cost.

Paid users are drawn without replacement from the not-yet-acquired, weighted so
that a discount-led brand pulls in more deal seekers (weight 1 + pull x
offers.intensity). Organic discovery is a constant hazard p/365 per person
(the Bass innovation term), drawn once per person as an exponential waiting time.
"""
from __future__ import annotations

import numpy as np

from ..core.population import CH_EXISTING, CH_ORGANIC, PAID_CHANNELS, PUBLIC
from . import containers, history, offers, purchases


class Acquisition:
    """Pre-drawn acquisition order and organic discovery days for one run."""

    def __init__(self, model, arrivals: history.Arrivals | None = None):
        sc, users, streams = model.sc, model.users, model.streams
        self.model = model
        self.arrivals = arrivals
        n = users.n
        ids = np.arange(n)
        w = np.ones(n)
        w[users.segment == 0] += sc.offers.deal_seeker_pull * offers.intensity(sc.offers)
        key = -np.log1p(-streams.uniform("acq_order", -1, ids)) / w      # Efraimidis-Spirakis keys
        self.order = np.argsort(key, kind="stable")
        self.ptr = 0
        p_day = sc.market.organic_discovery_per_year / 365.0
        if p_day > 0:
            wait = -np.log1p(-streams.uniform("organic", -1, ids)) / p_day
            day = np.minimum(np.floor(wait), 1e9).astype(np.int64)
            self.organic_order = np.argsort(day, kind="stable")
            self.organic_day = day[self.organic_order]
        else:
            self.organic_order = self.organic_day = np.zeros(0, dtype=np.int64)
        self.organic_ptr = 0
        a = sc.acquisition
        self.channels = [getattr(a, name) for name in PAID_CHANNELS]
        self.carry = np.zeros(len(PAID_CHANNELS))
        ch = self.channels
        fo_org, fo_ref = a.organic_first_order_prob, sc.referral.first_order_prob
        # indexed by channel code (population.CHANNELS); KOC and existing members use the organic figures
        self.first_order_prob = np.array([c.first_order_prob for c in ch] + [fo_org, fo_ref, fo_org, fo_org])
        self.return_rate = np.array([c.return_rate for c in ch] + [a.organic_return_rate] * 4)

    def _next_unacquired(self, k: int) -> np.ndarray:
        """The next k people in acquisition order who are not yet acquired (fewer if the market is used up)."""
        acquired, order = self.model.users.acquired, self.order
        out = []
        got = 0
        while got < k and self.ptr < len(order):
            chunk = order[self.ptr: self.ptr + 2 * (k - got) + 16]
            free = chunk[~acquired[chunk]]
            take = free[: k - got]
            if len(take) < len(free):
                self.ptr += int(np.flatnonzero(chunk == take[-1])[0]) + 1
            else:
                self.ptr += len(chunk)
            out.append(take)
            got += len(take)
        return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)

    def paid(self, day: int) -> None:
        """Spend today's budget on the platforms; admit the people it buys."""
        a = self.model.sc.acquisition
        if a.daily_budget <= 0 or (0 <= a.stop_day <= day):
            return
        unit = np.array([a.cac * c.cac_factor for c in self.channels])
        want = a.daily_budget * np.array([c.share for c in self.channels]) / unit + self.carry
        k = np.floor(want).astype(int)
        self.carry = want - k
        idx = self._next_unacquired(int(k.sum()))
        ch = np.repeat(np.arange(len(k)), k)[: len(idx)].astype(np.int8)
        self.model.ledger.add("acquisition", unit[ch].sum())
        admit(self.model, idx, day, ch)

    def seed_existing(self) -> None:
        """Day 0: pool.initial_members people, drawn at random, are already pool members (channel
        'existing', one past order counted in `orders` but not in this run's revenue or spend,
        pool.initial_trust). Their acquisition happened before the run,
        so no acquisition cost is booked; their value is counted from day 0."""
        model = self.model
        p, users = model.sc.pool, model.users
        if p.initial_from:
            history.seed_customers(model, history.read_customers(p.initial_from), CH_EXISTING)
            return
        k = min(p.initial_members, containers.capacity(model.sc))
        if k <= 0:
            return
        key = model.streams.uniform("existing", -1, np.arange(users.n))
        idx = np.sort(np.argpartition(key, k - 1)[:k])
        users.acquired[idx] = True
        users.acq_day[idx] = 0
        users.channel[idx] = CH_EXISTING
        users.orders[idx] = 1
        users.trust[idx] = p.initial_trust
        containers.join(model, idx, 0, newcomers=False)

    def replay(self, day: int) -> None:
        """Admit the customers an order history says first bought today, each with that first order;
        put those whose history says so into the pool on their joining day (sim/mechanisms/history.py)."""
        r = self.arrivals
        if r is None:
            return
        idx, channel = r.arriving(day)
        admit(self.model, idx, day, channel, join_pool=r.pool_day is None, certain_order=True)
        joining = r.joining(day)
        containers.join(self.model, joining[self.model.users.state[joining] == PUBLIC], day)

    def organic(self, day: int) -> None:
        """Admit people whose organic discovery day is today."""
        stop = np.searchsorted(self.organic_day, day, side="right")
        idx = self.organic_order[self.organic_ptr: stop]
        self.organic_ptr = stop
        idx = idx[~self.model.users.acquired[idx]]
        admit(self.model, idx, day, np.full(len(idx), CH_ORGANIC, dtype=np.int8))


def admit(model, idx: np.ndarray, day: int, channel: np.ndarray, referrer=None, join_pool=True,
          certain_order=False) -> None:
    """The common path of a new customer: mark acquired, maybe a first order (`certain_order`: a
    replayed history's observed first order), friend request."""
    if len(idx) == 0:
        return
    users, acq = model.users, model.acquisition
    users.acquired[idx] = True
    users.acq_day[idx] = day
    users.channel[idx] = channel
    if referrer is not None:
        users.referrer[idx] = referrer
    model.today["new_customers"] += len(idx)
    u_first, u_ret = model.streams.uniform2("first_order", day, idx)
    if certain_order:
        bought, coupon = np.ones(len(idx), dtype=bool), False
    else:
        p_first, coupon = offers.first_order_take_up(model, idx, acq.first_order_prob[channel])
        bought = u_first < p_first
    k = int(bought.sum())
    purchases.book(model, idx[bought], day, u_ret[bought], acq.return_rate[channel[bought]],
                   discounted=np.ones(k, dtype=bool) if coupon else None)
    if join_pool:
        containers.invite(model, idx, day, bought)
