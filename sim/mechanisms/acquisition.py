"""Acquisition on public platforms: paid (Douyin, Xiaohongshu, e-commerce), organic discovery,
and the common path every new customer takes (first order, friend request to the pool).

Reads acquisition.* (budget, cac, saturation, daily_reach, per-platform share / cac_factor /
first_order_prob / return_rate / ticket_rmb / ticket_elasticity, organic_*), referral.first_order_prob,
market.users / organic_discovery_per_year / organic_per_customer_per_year, offers.deal_seeker_pull,
pool.initial_members. Changes users.acquired, acq_day, channel, referrer; books acquisition cost.

Paid: a platform's daily spend s buys, in people,
    new = reach x U x f(x),   x = s / (cac x cac_factor x reach x M)
M = market.users, U = people not yet acquired, reach = acquisition.daily_reach, f a
saturation curve (SATURATION: Hill with shape 1, x / (1 + x), Jin et al. 2017; or
exponential, 1 - exp(-x): one conversion chance per ad exposure, Poisson exposures).
At low spend new ~ s / cac x U / M: the cost per user is `cac` in an untouched market
and rises as the market is used up; at high spend new -> reach x U: doubling the budget
buys less than double, and no budget buys more than `reach` of the market a day.
The whole spend is booked, converting or not. The people bought are drawn without
replacement from the not-yet-acquired, weighted so that a discount-led brand pulls in
more deal seekers (weight 1 + pull x offers.intensity).

Organic: each person not yet acquired finds the brand with the daily hazard
    h = p / 365 + q / 365 x C / M
p = organic_discovery_per_year (Bass innovation), q = organic_per_customer_per_year, C =
the brand's current customers: the Bass imitation term, so organic discovery grows with
the brand's awareness, not with the market's size. Each person draws an Exp(1)
threshold once and is found on the day the cumulative hazard passes it.

First order (every newcomer: paid, organic, referred, KOC): the channel's first_order_prob p holds at its
ticket_rmb T; a newcomer whose order is worth v converts with the odds scaled by (v / T)^-k,
    p(v) = p r / (1 - p + p r),   r = (v / T)^-k,   k = ticket_elasticity,
so conversion falls with the ticket at a rate the platform sets (Douyin's ~69 RMB [003]: revenue per
ad-bought newcomer p(v) v peaks where the odds are k - 1); organic, referred and KOC newcomers use
organic_ticket_rmb / organic_ticket_elasticity with their own first-order chances.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..core.population import (
    CH_EXISTING,
    CH_ORGANIC,
    PAID_CHANNELS,
    PUBLIC,
    whole_agents,
)
from ..core.rng import pair
from . import containers, history, offers, purchases

# Saturation curves f(x): f(0) = 0, f'(0) = 1, rising to 1 (the share of the day's reachable
# audience bought at relative spend x); the scenario picks one by name (acquisition.saturation).

class HillSaturation:
    """Hill curve with shape 1 (Michaelis-Menten), half saturation at x = 1: x / (1 + x)."""
    name = "hill"

    def __call__(self, x):
        return x / (1.0 + x)


class ExponentialSaturation:
    """Exponential saturation 1 - exp(-x): each ad exposure converts with a small chance."""
    name = "exponential"

    def __call__(self, x):
        return -np.expm1(-x)


SATURATION = {c.name: c for c in (HillSaturation, ExponentialSaturation)}


def paid_people(a, market_users: float, unacquired_people: float, share: np.ndarray | None = None) -> np.ndarray:
    """Expected people bought today on each platform (PAID_CHANNELS order) by acquisition section `a`;
    `share` is paid_share(a, market_users) when the caller keeps it (it does not change in a run)."""
    return a.daily_reach * unacquired_people * (paid_share(a, market_users) if share is None else share)


def paid_share(a, market_users: float) -> np.ndarray:
    """f(x) of each platform: the share of the day's reachable audience its spend buys."""
    ch = [getattr(a, name) for name in PAID_CHANNELS]
    spend = a.daily_budget * np.array([c.share for c in ch])
    audience = a.daily_reach * market_users
    x = spend / (a.cac * np.array([c.cac_factor for c in ch]) * audience)
    return SATURATION[a.saturation]()(x)


class Ranking:
    """The people in ascending order of a pre-drawn key (ties by id), sorted only as far as it is read:
    a run reaches a few percent of a large market, and sorting the whole market costs more than
    the rest of setting up the run. `order[:len]` is exactly the start of a stable argsort of `key`."""

    def __init__(self, key: np.ndarray, first_bound: float):
        self.key = key
        self.bound = first_bound                      # every key below it is in `order`
        self.order = np.zeros(0, dtype=np.int64)
        self.sorted = np.zeros(0)                     # key[order]
        self.done = False
        self._extend()

    def _extend(self) -> None:
        """Add the people whose key is in [bound, 2 x bound) (all that remain when the key runs out)."""
        lo, self.bound = self.bound if len(self.order) else -np.inf, 2 * self.bound
        self.done = len(self.key) == 0 or self.bound >= self.key.max()
        k = self.key
        part = np.flatnonzero(k >= lo) if self.done else np.flatnonzero((k >= lo) & (k < self.bound))
        part = part[np.argsort(k[part], kind="stable")]
        self.order = np.concatenate([self.order, part])
        self.sorted = np.concatenate([self.sorted, k[part]])

    def upto(self, value: float) -> int:
        """How many keys are below `value` (sorting further when needed)."""
        while not self.done and value >= self.bound:
            self._extend()
        return int(self.sorted.searchsorted(value))           # side "left" (the method: no dispatch layer)

    def first(self, count: int) -> np.ndarray:
        """The first `count` people in order (fewer if the market has fewer)."""
        while not self.done and len(self.order) < count:
            self._extend()
        return self.order[:count]


@njit(cache=True)
def _next_free(order, ptr, k, acquired):
    """Up to k people of `order` from position `ptr` on who are not acquired, and the position after the last one
    taken (the end of `order` when fewer are free)."""
    out = np.empty(k, np.int64)
    got, j = 0, ptr
    while got < k and j < order.shape[0]:
        i = order[j]
        j += 1
        if not acquired[i]:
            out[got] = i
            got += 1
    return out[:got], j


@njit(cache=True)
def _whole(people, scale, carry):
    """Today's paid newcomers in whole agents: people / scale + carry on each platform, its whole part taken and the
    fraction carried. Returns (each newcomer's platform code, int8, platform by platform; the new carry)."""
    k = np.empty(people.shape[0], np.int64)
    left = np.empty(people.shape[0])
    for c in range(people.shape[0]):
        want = people[c] / scale + carry[c]
        k[c] = np.int64(np.floor(want))
        left[c] = want - np.float64(k[c])
    ch = np.empty(k.sum(), np.int8)
    j = 0
    for c in range(people.shape[0]):
        for _ in range(k[c]):
            ch[j] = c
            j += 1
    return ch, left


class Acquisition:
    """Pre-drawn paid-reach order and organic-discovery thresholds for one run."""

    def __init__(self, model, arrivals: history.Arrivals | None = None, customers=None):
        sc, users, streams = model.sc, model.users, model.streams
        self.model = model
        self.arrivals = arrivals
        self.customers = customers
        n = users.n
        ids = np.arange(n)
        w = np.ones(n)
        w[users.segment == 0] += sc.offers.deal_seeker_pull * offers.intensity(sc.offers)
        # Efraimidis-Spirakis keys (first sorted: about the 1% with the smallest)
        self.order = Ranking(-np.log1p(-streams.uniform("acq_order", -1, ids)) / w, 0.01)
        self.ptr = 0
        # organic discovery: Exp(1) thresholds in ascending order against a cumulative hazard
        self.discovery = Ranking(-np.log1p(-streams.uniform("organic", -1, ids)), 0.01)
        self.organic_hazard = 0.0
        self.organic_ptr = 0
        a = sc.acquisition
        self.channels = [getattr(a, name) for name in PAID_CHANNELS]
        self.carry = np.zeros(len(PAID_CHANNELS))
        self.paid_share = None                # paid_share(...), on the first day with a budget
        self._arrived: list[tuple] = []       # today's newcomers awaiting their arrival (arrive, settle)
        ch = self.channels
        fo_org, fo_ref = a.organic_first_order_prob, sc.referral.first_order_prob
        # indexed by channel code (population.CHANNELS); KOC and existing members use the organic figures
        # (store customers: their first order is certain, stores.py, and returned as the offline channel's)
        self.first_order_prob = np.array([c.first_order_prob for c in ch] + [fo_org, fo_ref, fo_org, fo_org, 1.0])
        self.return_rate = np.array([c.return_rate for c in ch] + [a.organic_return_rate] * 4
                                    + [sc.sales.offline.return_rate])
        self.ticket = np.array([c.ticket_rmb for c in ch] + [a.organic_ticket_rmb] * 5)
        self.ticket_elasticity = np.array([c.ticket_elasticity for c in ch] + [a.organic_ticket_elasticity] * 5)

    def next_unacquired(self, k: int) -> np.ndarray:
        """The next k people in acquisition order who are not yet acquired (fewer if the market is used up)."""
        acquired, n = self.model.users.acquired, self.model.users.n
        out = []
        got = 0
        while got < k and self.ptr < n:
            take, self.ptr = _next_free(self.order.first(self.ptr + 2 * (k - got) + 16), self.ptr, k - got, acquired)
            out.append(take)
            got += len(take)
        return (out[0] if len(out) == 1 else np.concatenate(out)) if out else np.zeros(0, dtype=np.int64)

    def paid(self, day: int) -> None:
        """Spend today's budget on the platforms; admit the people it buys (in agents: people / scale). During a
        sales-calendar event the platforms reach `traffic` times as many people at `price` times the cost per user
        (calendar.Calendar.platform)."""
        model = self.model
        a, users, scale = model.sc.acquisition, model.users, model.scale
        if a.daily_budget <= 0 or (0 <= a.stop_day <= day):
            return
        unacquired = users.n - users.n_acquired
        if self.paid_share is None:
            self.paid_share = paid_share(a, model.sc.market.users)
        traffic, price = model.calendar.platform(day)
        if traffic != 1.0 or price != 1.0:
            a = a.model_copy(update={"daily_reach": a.daily_reach * traffic, "cac": a.cac * price})
            people = paid_people(a, model.sc.market.users, unacquired * scale)
        else:
            people = paid_people(a, model.sc.market.users, unacquired * scale, self.paid_share)
        ch, self.carry = _whole(people, float(scale), self.carry)
        idx = self.next_unacquired(len(ch))
        ch = ch[: len(idx)]
        model.ledger.add("acquisition", a.daily_budget / scale)
        self.arrive(idx, day, ch)

    def seed_existing(self) -> None:
        """Day 0: pool.initial_members people (/ scale whole agents, random rounding), drawn at random, are
        already pool members (channel 'existing', one past order counted in `orders` but not in this run's
        revenue or spend, pool.initial_trust). Their acquisition happened before the run, so no
        acquisition cost is booked; their value is counted from day 0."""
        model = self.model
        p, users = model.sc.pool, model.users
        if self.customers is not None or p.initial_from:
            table = self.customers if self.customers is not None else history.read_customers(p.initial_from)
            history.seed_customers(model, table, CH_EXISTING)
            return
        k = min(whole_agents(p.initial_members, model.scale, model.streams, "existing_count"), model.capacity)
        if k <= 0:
            return
        key = model.streams.uniform("existing", -1, np.arange(users.n))
        idx = np.sort(np.argpartition(key, k - 1)[:k])
        users.acquire(idx, 0, CH_EXISTING)
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
        """Admit people whose organic-discovery threshold today's cumulative hazard passes."""
        model = self.model
        m, users = model.sc.market, model.users
        customers = users.n_customers()
        self.organic_hazard += (m.organic_discovery_per_year + m.organic_per_customer_per_year * customers / users.n) / 365.0
        stop = self.discovery.upto(self.organic_hazard)
        if stop == self.organic_ptr:          # nobody's threshold passed today
            return
        idx = self.discovery.order[self.organic_ptr: stop]
        self.organic_ptr = stop
        idx = idx[~users.acquired[idx]]
        self.arrive(idx, day, np.full(len(idx), CH_ORGANIC, dtype=np.int8))

    def arrive(self, idx: np.ndarray, day: int, channel: np.ndarray, certain: bool = False) -> None:
        """Today's newcomers `idx` from organic discovery, paid reach or a store (`certain`: a certain first order):
        acquired now (the day's later sources pass them by); their first orders and friend requests are settled
        with the day's other newcomers (`settle`)."""
        if len(idx) == 0:
            return
        _acquire(self.model, idx, day, channel)
        self._arrived.append((idx, channel, certain))

    def settle(self, day: int) -> None:
        """First orders and friend requests of the day's newcomers (`arrive`), all together, in the order they
        came: the day's newcomers arrive at once (one pass, then the referrals they bring)."""
        if not self._arrived:
            return
        parts, self._arrived = self._arrived, []
        if len(parts) == 1:
            idx, channel, certain = parts[0]
        else:
            idx, channel, flags = zip(*parts)
            certain = flags[0] if len(set(flags)) == 1 else np.repeat(flags, [len(i) for i in idx])
            idx, channel = np.concatenate(idx), np.concatenate(channel)
        _arrival(self.model, idx, day, channel, certain)


@njit(cache=True)
def first_order_chance(p, value, ticket, elasticity):
    """Chance a newcomer whose first order is worth `value` places it, when `p` holds at `ticket`: the odds
    p / (1 - p) x (value / ticket)^-elasticity (numbers; p = 1 stays 1, p = 0 stays 0)."""
    r = (np.float64(value) / ticket) ** -elasticity
    return p * r / (1.0 - p + p * r)


@njit(cache=True)
def _arrivals(idx, channel, key, p, ticket, elasticity, order_value, chance):
    """Newcomers' two arrival uniforms (the first order, its return: `pair` of the stream's `key`) and, when
    `chance`, each one's first-order chance at their channel's `p`, `ticket` and `elasticity`
    (first_order_chance), in one pass."""
    n = idx.shape[0]
    u_first, u_ret, p_first = np.empty(n), np.empty(n), np.empty(n if chance else 0)
    for j in range(n):
        u_first[j], u_ret[j] = pair(idx[j], key)
        if chance:
            c = channel[j]
            p_first[j] = first_order_chance(p[c], order_value[idx[j]], ticket[c], elasticity[c])
    return u_first, u_ret, p_first


def admit(model, idx: np.ndarray, day: int, channel: np.ndarray, referrer=None, join_pool=True,
          certain_order=False) -> None:
    """The common path of a new customer: mark acquired, maybe a first order (`certain_order`: a
    replayed history's observed first order), friend request."""
    if len(idx) == 0:
        return
    _acquire(model, idx, day, channel, referrer)
    _arrival(model, idx, day, channel, certain_order, join_pool)


def _acquire(model, idx: np.ndarray, day: int, channel: np.ndarray, referrer=None) -> None:
    """Mark newcomers `idx` acquired on `day` (population.Users.acquire) and count them."""
    model.users.acquire(idx, day, channel, referrer)
    model.today["new_customers"] += len(idx)


def _arrival(model, idx: np.ndarray, day: int, channel: np.ndarray, certain, join_pool: bool = True) -> None:
    """Newcomers `idx` (acquired) on arrival: a first order (certain where `certain`, True for all or a mask; a
    certain first order is at full price), then the friend request (through the entry points when they are on)."""
    users, acq = model.users, model.acquisition
    # a person is admitted once: their first-order and friend-request draws are indexed by person only
    # (day -1), so a strategy that shifts when someone arrives does not change what they do on arrival
    u_first, u_ret, p_first = _arrivals(idx, channel, model.streams.key("first_order", -1), acq.first_order_prob,
                                        acq.ticket, acq.ticket_elasticity, users.order_value, certain is not True)
    if certain is True:
        bought, coupon = np.ones(len(idx), dtype=bool), False
    else:
        p_first, coupon = offers.first_order_take_up(model, idx, p_first, model.calendar.depth_today(day))
        bought = u_first < p_first
        if certain is not False:
            bought |= certain
    k = int(np.count_nonzero(bought))
    model.today["first_orders"] += k
    sales = model.sales
    if k < len(idx):
        b_idx, b_ch, u_ret = idx[bought], channel[bought], u_ret[bought]
    else:
        b_idx, b_ch = idx, channel
    depth = None
    if coupon:
        depth = np.full(k, coupon, np.float32)
        if certain is not False:
            depth[certain[bought]] = 0.0
    purchases.book(model, b_idx, day, u_ret, acq.return_rate[b_ch], depth=depth,
                   sale=sales.first(model, b_idx, b_ch) if sales.on else None)
    if join_pool:                         # through entry points when they are on (entry.py)
        model.entry.invite(model, idx, day, bought, channel)
