"""Users as a struct of arrays (one entry per simulated agent), and their heterogeneous traits.

Reads: market.* (size, agents, segment mix, tier-1/2 share, trait spread, price, purchase cycle).
Creates every per-user array the mechanisms read and change; no mechanism keeps
per-user state anywhere else.

Population scale (Covasim's pop_scale, Kerr et al. 2021): the market has market.users
people; market.agents of them (all, if the market is smaller) are simulated, and each
agent stands for `scale = users / agents` people. An agent is a representative person:
what it meets (its group's size, its contacts, its messages) is what one person meets.
Aggregate resources in people (the budget's leads, staff hours, friend capacity, day-0
members, KOCs) are divided by `scale` to become agents; every reported count and RMB
figure is multiplied back (result.py). A one-off count of people recruited or seeded (KOCs,
day-0 members, the customers of a calibrated history) becomes whole agents by random rounding
(whole_agents: 0.3 agents is 1 agent in 3 runs out of 10), so the expected number is exact at
any scale; daily flows carry their fractions to the next day instead. The accounts' friend
capacity is truncated to whole agents (less than one agent off); a replayed order history runs
at scale 1 (one agent per customer).
"""
from __future__ import annotations

import numpy as np
from numba import njit

from .rng import Streams

SEGMENTS = ("deal_seeker", "quality_seeker", "loyal_prone")
CHANNELS = ("douyin", "xiaohongshu", "ecommerce", "organic", "referral", "koc", "existing", "store")
PAID_CHANNELS = CHANNELS[:3]
STATES = ("public", "pool", "churned")
PUBLIC, POOL, CHURNED = 0, 1, 2
REASONS = ("", "lapsed", "washed_back", "annoyed", "staff_left")
LAPSED, WASHED_BACK, ANNOYED, STAFF_LEFT = 1, 2, 3, 4
CH_ORGANIC, CH_REFERRAL, CH_KOC, CH_EXISTING, CH_STORE = 3, 4, 5, 6, 7

# Segment profiles (assumptions, documented in docs/model.md):
#                       deal  quality loyal
SEG_PRICE_SENS = np.array([0.9, 0.3, 0.5])   # 0..1, response to a discount
SEG_TOLERANCE = np.array([1.2, 0.7, 1.0])    # x messaging.tolerance
SEG_CYCLE = np.array([1.0, 1.2, 0.9])        # x market.purchase_cycle_days
SEG_SPEND = np.array([0.8, 1.3, 1.0])        # x market.price_rmb
SEG_LAPSE = np.array([1.5, 1.0, 0.5])        # x market.lapse_per_year
SEG_TRUST = np.array([0.7, 1.0, 1.5])        # x every trust gain
TIER12_SPEND, TIER12_TOLERANCE = 1.25, 0.85


def segment_profiles(market) -> dict[str, np.ndarray]:
    """The segment profiles above with their differences scaled by market.segment_contrast, the market's
    averages kept: a factor f becomes f^c rescaled so that its share-weighted mean (market.segments) is
    that of f, and price sensitivity s becomes m + c (s - m), m its share-weighted mean, clipped to 0..1.
    0 = segments differ only in name, 1 = the profiles as written."""
    c = float(market.segment_contrast)
    w = np.array([market.segments.deal_seeker, market.segments.quality_seeker, market.segments.loyal_prone])
    w = w / w.sum()

    def spread(f):
        g = f ** c
        return g * (w @ f) / (w @ g)
    m = w @ SEG_PRICE_SENS
    return {"price_sens": np.clip(m + c * (SEG_PRICE_SENS - m), 0.0, 1.0), "tolerance": spread(SEG_TOLERANCE),
            "cycle": spread(SEG_CYCLE), "spend": spread(SEG_SPEND), "lapse": spread(SEG_LAPSE),
            "trust": spread(SEG_TRUST)}


def sample_size(market) -> tuple[int, float]:
    """(agents simulated, people each agent stands for) for a Market section."""
    n = min(market.agents, market.users)
    return n, market.users / n


def whole_agents(people: float, scale: float, streams: Streams, stream: str) -> int:
    """Whole agents for a one-off count of `people`: floor(people / scale + u), u uniform from its own
    `stream` (reproducible per seed; the expected number of agents is exactly people / scale)."""
    u = float(streams.uniform(stream, -1, np.zeros(1, dtype=np.int64))[0])
    return int(np.floor(people / scale + u))


def after_order_chances(mean: float, polar: float, streams: Streams, ids: np.ndarray) -> np.ndarray:
    """Each person's chance of leaving right after a repeat order: Beta(a, b) with mean `mean` and
    1 / (a + b + 1) = `polar` (all equal to `mean` at polar 0; all 0 when mean is 0), float32."""
    if mean <= 0:
        return np.zeros(len(ids), dtype=np.float32)
    if polar <= 0:
        return np.full(len(ids), mean, dtype=np.float32)
    total = (1.0 - polar) / polar
    ga = streams.gamma("trait_g", -1, ids, mean * total)
    gb = streams.gamma("leave_order", -1, ids, (1.0 - mean) * total)
    return (ga / np.maximum(ga + gb, 1e-300)).astype(np.float32)


def _lognormal(z: np.ndarray, sd: float) -> np.ndarray:
    """Mean-one lognormal factor from standard normals z."""
    return np.exp(sd * z - 0.5 * sd * sd)


class Users:
    """Every person in the market. Arrays are indexed by user id 0..n-1."""

    def __init__(self, n: int, market, tolerance: float, streams: Streams):
        self.n = n
        ids = np.arange(n)
        shares = np.array([market.segments.deal_seeker, market.segments.quality_seeker, market.segments.loyal_prone])
        u = streams.uniform("segment", -1, ids)
        self.segment = np.searchsorted(np.cumsum(shares)[:-1], u, side="right").astype(np.int8)
        self.tier12 = streams.uniform("trait_a", -1, ids) < market.tier12_share
        sd = market.trait_spread
        seg = self.segment
        prof = segment_profiles(market)
        self.price_sens = np.clip(prof["price_sens"][seg] + 0.5 * sd * streams.normal("trait_b", -1, ids), 0, 1).astype(np.float32)
        self.tolerance = (tolerance * prof["tolerance"][seg] * np.where(self.tier12, TIER12_TOLERANCE, 1.0)
                          * _lognormal(streams.normal("trait_c", -1, ids), sd)).astype(np.float32)
        # the customer process (btyd.py): a mean-one gamma factor on the purchase rate (the NBD's heterogeneity;
        # market.purchase_rate_spread is its coefficient of variation, market.trait_spread when unset), so a
        # segment's average purchase rate is 1 / (cycle x segment factor) at any spread
        rate_cv = sd if market.purchase_rate_spread is None else market.purchase_rate_spread
        self.buy_rate = (streams.mean_one_gamma("trait_d", -1, ids, rate_cv)
                         / (market.purchase_cycle_days * prof["cycle"][seg])).astype(np.float32)
        sd_value = sd if market.order_value_spread is None else market.order_value_spread
        self.order_value = (market.price_rmb * prof["spend"][seg] * np.where(self.tier12, TIER12_SPEND, 1.0)
                            * _lognormal(streams.normal("trait_e", -1, ids), sd_value)).astype(np.float32)
        self.lapse_mult = prof["lapse"][seg].astype(np.float32)
        # individual proneness to lapse or be washed back: a mean-one gamma factor (Pareto/NBD's heterogeneity)
        self.leave_mult = streams.mean_one_gamma("trait_f", -1, ids, market.leaving_spread).astype(np.float32)
        # chance of leaving right after a repeat order (BG/NBD): beta with mean leave_after_order and
        # polarisation leave_after_order_spread = 1 / (a + b + 1)
        self.leave_p = after_order_chances(market.leave_after_order, market.leave_after_order_spread, streams, ids)
        self.trust_mult = prof["trust"][seg].astype(np.float32)

        i32 = lambda v: np.full(n, v, dtype=np.int32)  # noqa: E731
        f32 = lambda: np.zeros(n, dtype=np.float32)  # noqa: E731
        self.state = np.zeros(n, dtype=np.int8)          # PUBLIC, POOL, CHURNED
        self.acquired = np.zeros(n, dtype=bool)          # known to the brand (lead or customer)
        self.acq_day = i32(-1)
        self.channel = np.full(n, -1, dtype=np.int8)
        self.pool_day = i32(-1)
        self.churn_day = i32(-1)
        self.reason = np.zeros(n, dtype=np.int8)
        self.muted = np.zeros(n, dtype=bool)
        self.orders = np.zeros(n, dtype=np.int32)
        self.spend = f32()                               # kept (not returned) list-price spend, RMB
        self.last_order_day = i32(-1)
        self.value = np.zeros(n, dtype=np.float64)       # discounted net margin since acquisition, RMB
        self.intent = f32()
        self.annoyance = f32()
        self.trust = f32()
        self.habit = f32()                               # learned waiting for coupons, 0..1
        self.referrer = i32(-1)
        self.referrals = np.zeros(n, dtype=np.int32)
        self.invites = np.zeros(n, dtype=np.int32)
        self.staff = i32(-1)                             # the account holding a pool member (staff, then assistants)
        self.entry = np.full(n, -1, dtype=np.int8)       # entry point that reached them (entry.py; -1: none)
        self.level = np.zeros(n, dtype=np.int8)          # membership tier held (tiers.py; 0: member)
        self.level_prev = np.zeros(n, dtype=np.int8)     # tier reached in the last membership window
        self.level_spend = np.zeros(n, dtype=np.float64) # qualifying spend in this window, RMB paid
        self.points = np.zeros(n, dtype=np.float64)      # points balance
        self.group = i32(-1)
        self.tier = np.zeros(n, dtype=np.int8)
        self.tier_day = i32(-1)
        self.last_served = i32(-10_000)
        self.koc = np.zeros(n, dtype=bool)

        # what staff can observe of a member's engagement (read by no-disturb, service targeting)
        self.last_msg_day = i32(-10_000)                 # day the brand last messaged the member
        self.last_response_day = i32(-1)                 # last reply, order or conversation (-1 = none)
        self.unanswered = np.zeros(n, dtype=np.int32)    # messages sent since the last response
        self.spam_received = np.zeros(n, dtype=np.int32) # reward-driven invitations received

        # the roster: everyone ever acquired or put in the pool, ascending. Nobody else has a state
        # other than PUBLIC or non-zero intent, annoyance or trust, so the daily passes (customers,
        # pool, decay, counts) walk the roster instead of the whole market.
        self.n_acquired = 0
        self._enrolled = np.zeros(n, dtype=bool)
        self._roster = np.zeros(0, dtype=np.int64)
        self._pending: list[np.ndarray] = []

    def acquire(self, idx: np.ndarray, day: int, channel, referrer=None) -> None:
        """Mark users `idx` acquired on `day` through `channel` (a code, or an array with one per user), by
        `referrer` (None, or one per user); enrols them in the roster."""
        idx = np.asarray(idx, dtype=np.int64)
        ch = np.asarray(channel, dtype=np.int8) if isinstance(channel, np.ndarray) else np.array([channel], dtype=np.int8)
        ref = _NO_REF if referrer is None else np.asarray(referrer, dtype=np.int32)
        got, new = _acquire(idx, day, ch, ref, self.acquired, self.acq_day, self.channel, self.referrer, self._enrolled)
        self.n_acquired += got
        if len(new):
            self._pending.append(new)

    def enter_pool(self, idx: np.ndarray, day: int, accounts: np.ndarray | None = None, dealt: int = 0,
                   turn: int = 1) -> None:
        """Users `idx` join the pool on `day`, each held on the staff account in `accounts` (one per user), or without
        `accounts` on accounts 0 .. turn-1 taken in turn after `dealt` earlier joiners ((dealt + j) % turn); enrols
        them in the roster."""
        new = _enter_pool(np.asarray(idx, dtype=np.int64), day, _NO_ACCOUNTS if accounts is None else accounts, dealt,
                          turn, self._enrolled, self.state, self.pool_day, self.staff)
        if len(new):
            self._pending.append(new)

    def roster(self) -> np.ndarray:
        """Everyone ever acquired or in the pool, ascending (see __init__)."""
        if self._pending:
            new = np.sort(np.concatenate(self._pending) if len(self._pending) > 1 else self._pending[0])
            self._pending = []
            self._roster = _merge(self._roster, new)
        return self._roster

    def customers_and_pool(self) -> tuple[np.ndarray, np.ndarray]:
        """(the customers: acquired users not yet lost, public-side and pool members; the pool members among them),
        ascending, in one pass over the roster."""
        return _select_both(self.roster(), self.acquired, self.state)

    def n_customers(self) -> int:
        """How many customers there are (without listing them)."""
        return int(_count(self.roster(), self.acquired, self.state, False))

    def pool(self) -> np.ndarray:
        """Indices of pool members, ascending."""
        return _select(self.roster(), self.acquired, self.state, True)

    def pool_on(self, accounts: np.ndarray) -> np.ndarray:
        """Pool members held on the accounts numbered `accounts` (users.staff), ascending: one pass over the
        roster (what users.pool() filtered by np.isin(staff, accounts) gives)."""
        mark = np.zeros(int(np.max(accounts)) + 1 if len(accounts) else 0, np.bool_)
        mark[accounts] = True
        return _pool_on(self.roster(), self.state, self.staff, mark)

    def taste(self) -> np.ndarray:
        """A person's standardised value propensity (log purchase rate x order value / lapse
        factor): the traits that make a customer worth more, which contacts tend to share."""
        v = np.log(self.buy_rate) + np.log(self.order_value) - np.log(self.lapse_mult)
        return (v - v.mean()) / (v.std() + 1e-12)


_NO_REF = np.zeros(0, dtype=np.int32)


@njit(cache=True)
def trust_after(t, amount, mult, one):
    """Trust `t` moved toward 1 by `amount` x the segment's trust factor `mult`: t + amount mult (1 - t),
    the one rule every trust gain follows (orders, content, groups, service). `one` is 1 in the
    arrays' precision, so compiled passes compute as NumPy does."""
    return t + amount * mult * (one - t)


@njit(cache=True)
def _enrol(idx, enrolled):
    """Flag `idx` as enrolled; return those who were not (in the order given, each once)."""
    new = np.empty(idx.shape[0], np.int64)
    k = 0
    for i in idx:
        if not enrolled[i]:
            enrolled[i] = True
            new[k] = i
            k += 1
    return new[:k]


_NO_ACCOUNTS = np.zeros(0, np.int64)


@njit(cache=True)
def _enter_pool(idx, day, accounts, dealt, turn, enrolled, state, pool_day, staff):
    """Users.enter_pool in one pass: state, joining day and account (`accounts[j]`, or without accounts
    (dealt + j) % turn), after enrolling (`_enrol`, whose new entries it returns)."""
    new = _enrol(idx, enrolled)
    given = accounts.shape[0] > 0
    for j in range(idx.shape[0]):
        i = idx[j]
        state[i] = POOL
        pool_day[i] = day
        staff[i] = accounts[j] if given else (dealt + j) % turn
    return new


@njit(cache=True)
def _acquire(idx, day, ch, ref, acquired, acq_day, channel, referrer, enrolled):
    """One pass over newly acquired users: flags, day, channel, referrer (when `ref` is not empty).
    Returns (how many were not acquired before, those new to the roster)."""
    got = 0
    for j in range(idx.shape[0]):
        i = idx[j]
        if not acquired[i]:
            got += 1
        acquired[i] = True
        acq_day[i] = day
        channel[i] = ch[j] if ch.shape[0] == idx.shape[0] else ch[0]
        if ref.shape[0] > 0:
            referrer[i] = ref[j]
    return got, _enrol(idx, enrolled)


@njit(cache=True)
def _select(roster, acquired, state, pool_only):
    """Roster entries who are pool members (`pool_only`) or customers (acquired, not lost)."""
    out = np.empty(roster.shape[0], np.int64)
    k = 0
    for i in roster:
        if _listed(i, acquired, state, pool_only):
            out[k] = i
            k += 1
    return out[:k]


@njit(cache=True)
def _select_both(roster, acquired, state):
    """Roster entries who are customers, and those of them in the pool (as _select lists each)."""
    cust, pool = np.empty(roster.shape[0], np.int64), np.empty(roster.shape[0], np.int64)
    k = p = 0
    for i in roster:
        if _listed(i, acquired, state, False):
            cust[k] = i
            k += 1
            if state[i] == POOL:
                pool[p] = i
                p += 1
    return cust[:k], pool[:p]


@njit(cache=True)
def _pool_on(roster, state, staff, mark):
    """Roster entries in the pool whose account is marked in `mark` (Users.pool_on)."""
    out = np.empty(roster.shape[0], np.int64)
    k = 0
    for i in roster:
        if state[i] == POOL:
            a = staff[i]
            if 0 <= a < mark.shape[0] and mark[a]:
                out[k] = i
                k += 1
    return out[:k]


@njit(cache=True, inline="always")
def _listed(i, acquired, state, pool_only):
    """User i is a pool member (`pool_only`) or a customer (acquired, not lost)."""
    return (state[i] == POOL) if pool_only else (acquired[i] and state[i] != CHURNED)


@njit(cache=True)
def _count(roster, acquired, state, pool_only):
    """How many roster entries _select would list."""
    k = 0
    for i in roster:
        if _listed(i, acquired, state, pool_only):
            k += 1
    return k


@njit(cache=True)
def _merge(a, b):
    """The union of two ascending arrays with no element in common, ascending (`b` the short one: each of its
    elements is placed by a binary search in `a`, and the runs of `a` between them copied as blocks)."""
    out = np.empty(a.shape[0] + b.shape[0], np.int64)
    i = k = 0
    for j in range(b.shape[0]):
        p = i + np.searchsorted(a[i:], b[j])
        out[k:k + p - i] = a[i:p]
        k += p - i
        out[k] = b[j]
        k += 1
        i = p
    out[k:] = a[i:]
    return out
