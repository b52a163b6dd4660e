"""Entry points: how a newcomer is added to the pool, what that costs, and whom each brings.

Reads entry.* (off unless entry.enabled: then newcomers get one friend request at pool.accept_*, containers.invite,
as before this section) and stores.invite_share (store customers always enter through the store's assistants,
stores.py). Changes users.entry (the first entry point that reached a person: their cohort), trust (a starting trust for those who join), the pool (containers.join); books
the entry points' costs (ledger line `pool_entry`); `tally` keeps the run's totals per entry point
(Result.breakdown("entry")).

Which entry point reaches a newcomer (one each, by how they came):
  referral     referred and KOC newcomers: the inviter passes the brand's account on
  store        store customers (stores.py), those the assistants ask (stores.invite_share)
  live_room    Douyin newcomers: the live-stream room points viewers and buyers to the account
  insert_card  other newcomers who bought: the card in their parcel
  paid_ads     other newcomers who did not buy: the ad's add-WeCom button or lead form
A public-side customer's later order (purchases.daily) reaches them again: through the store for store customers,
the insert card in the parcel otherwise.
A reached person adds the account with the entry point's add_rate (in place of pool.accept_*; one draw per person
at arrival, a new one each later order, as containers.invite), and joins the pool as far as the accounts have room
(store customers: their assistant's account, stores.py), starting with the entry point's start_trust. Costs:
cost_per_contact_rmb for each person reached, cost_per_add_rmb for each who adds. Not part of a user's value (as
acquisition is not): the breakdown sets them beside LTV.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from numba import njit

from ..core.population import CH_KOC, CH_REFERRAL, CH_STORE, CHANNELS, CHURNED, PAID_CHANNELS
from ..core.rng import unit
from ..core.schema_entry import ENTRY_POINTS
from . import containers

INSERT_CARD, LIVE_ROOM, STORE, PAID_ADS, REFERRAL = range(len(ENTRY_POINTS))
CH_DOUYIN = CHANNELS.index(PAID_CHANNELS[0])
TALLY = ("reached", "added", "joined", "cost")
assert len(ENTRY_POINTS) < 8           # _requests sums the costs as NumPy does below 8 entries


class Entry:
    """The scenario's entry points as arrays, and the run's totals per entry point (`tally`, in agents)."""

    def __init__(self, sc):
        e = sc.entry
        self.on = bool(e.enabled)
        self.stores_on = bool(sc.stores.enabled)
        self.invite_share = sc.stores.invite_share
        pts = [getattr(e, name) for name in ENTRY_POINTS]
        self.add_rate = np.array([p.add_rate for p in pts])
        self.per_contact = np.array([p.cost_per_contact_rmb for p in pts])
        self.per_add = np.array([p.cost_per_add_rmb for p in pts])
        self.start_trust = np.array([p.start_trust for p in pts], np.float32)
        self.tally = np.zeros((len(TALLY), len(ENTRY_POINTS)))

    @property
    def used(self) -> bool:
        """Whether any newcomer enters through an entry point (entry points, or stores, on)."""
        return self.on or self.stores_on

    def invite(self, model, idx: np.ndarray, day: int, bought: np.ndarray, channel: np.ndarray | None,
               stream: str = "accept") -> np.ndarray:
        """Reach `idx` (newcomers with their acquisition `channel`, or None for a later order's parcel or store
        visit) through their entry points; those who add join the pool as far as there is room. Returns who joined.
        With entry points and stores off this is containers.invite (one request at pool.accept_*)."""
        if not self.used or len(idx) == 0:
            return containers.invite(model, idx, day, bought, stream)
        users = model.users
        ch = users.channel[idx] if channel is None else channel
        point = _points(ch, bought, channel is None)
        if not self.on:                      # stores only: the other newcomers as before
            rest = point != STORE
            joined = containers.invite(model, idx[rest], day, bought[rest], stream)
            idx, point = idx[~rest], point[~rest]
        else:
            joined = idx[:0]
        if self.stores_on:                   # the assistants ask only part of the store's customers
            store = point == STORE
            if self.invite_share < 1 and np.any(store):
                skip = store & (model.streams.uniform("store_ask", -1 if stream == "accept" else day, idx)
                                >= self.invite_share)
                idx, point = idx[~skip], point[~skip]
        reached = self._reach(model, idx, point, day, stream)
        return np.concatenate([joined, reached]) if len(joined) else reached

    def _reach(self, model, idx: np.ndarray, point: np.ndarray, day: int, stream: str) -> np.ndarray:
        """Requests through entry points `point` to `idx`: adds, costs, joins, starting trust. Returns who joined."""
        if len(idx) == 0:
            return idx
        users = model.users
        key = model.streams.key(stream, -1 if stream == "accept" else day)
        reached, added, cost, total, other, other_pt, store, store_pt = _requests(
            idx, point, key, self.add_rate, users.entry, self.per_contact, self.per_add)
        model.today["friend_requests"] += len(idx)
        model.today["friend_accepts"] += int(added.sum())
        model.ledger.add("pool_entry", total)
        parts = []                           # join keeps a prefix of those it is given (as far as there is room)
        for who, pts, accounts in ((other, other_pt, None), (store, store_pt, model.stores.assign)):
            if len(who):
                joined = containers.join(model, who, day, accounts=accounts)
                parts.append((joined, pts[:len(joined)]))
        if len(parts) == 2:
            jidx, pj = (np.concatenate(x) for x in zip(*parts))
        else:
            jidx, pj = parts[0] if parts else (idx[:0], point[:0])
        _joined(jidx, pj, users.trust, self.start_trust, self.tally, reached, added, cost)
        return jidx

    def table(self, model) -> pd.DataFrame | None:
        """Per entry point over the run, for the whole market (None when no entry point is used): people (the cohort
        it reached first: on arrival, or at a later order for those reached then first), requests, adds and the add
        rate (adds / requests, later orders' included), joined (adds the accounts had room for), LTV (mean value of
        its cohort, RMB; a cohort member may join later through another entry point), lost (share of its cohort
        lost by the end), cost (RMB) and cost per person joined."""
        if not self.used:
            return None
        users, scale = model.users, model.scale
        has = users.entry >= 0
        e = users.entry[has].astype(np.int64)
        k = len(ENTRY_POINTS)
        people = np.bincount(e, minlength=k).astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            t = pd.DataFrame({
                "people": people * scale,
                "requests": self.tally[0] * scale,
                "adds": self.tally[1] * scale,
                "add_rate": self.tally[1] / np.where(self.tally[0] > 0, self.tally[0], np.nan),
                "joined": self.tally[2] * scale,
                "ltv": np.bincount(e, weights=users.value[has], minlength=k) / np.where(people > 0, people, np.nan),
                "lost": np.bincount(e, weights=(users.state[has] == CHURNED).astype(float), minlength=k)
                / np.where(people > 0, people, np.nan),
                "cost": self.tally[3] * scale,
                "cost_per_joined": self.tally[3] / np.where(self.tally[2] > 0, self.tally[2], np.nan),
            }, index=pd.Index(ENTRY_POINTS, name="entry"))
        return t


@njit(cache=True, inline="always")
def route(ch, bought, later):
    """The entry point reaching a person (module docstring) who came through acquisition channel `ch` and `bought`;
    `later`: at a later order, not on arrival."""
    if ch == CH_STORE:
        return STORE
    if not later:
        if ch == CH_DOUYIN:
            return LIVE_ROOM
        if ch == CH_REFERRAL or ch == CH_KOC:
            return REFERRAL
    return INSERT_CARD if bought else PAID_ADS


@njit(cache=True)
def _points(ch, bought, later):
    """`route` for each person (int8)."""
    out = np.empty(ch.shape[0], np.int8)
    for j in range(ch.shape[0]):
        out[j] = route(ch[j], bought[j], later)
    return out


@njit(cache=True)
def _requests(idx, point, key, add_rate, entry, per_contact, per_add):
    """Who of `idx` adds the account reaching them through `point` (one uniform each of the stream's `key`); a
    person's first entry point is kept in `entry`. Returns (reached, added: counts per entry point; cost per entry
    point and its total, summed in NumPy's order (sequential under 8 entry points); the adds not from the store and
    the store's adds, each in the order given, with their entry points)."""
    n, k = idx.shape[0], add_rate.shape[0]
    reached, added = np.zeros(k, np.int64), np.zeros(k, np.int64)
    add = np.empty(n, np.bool_)
    n_store = 0
    for j in range(n):
        i, p = idx[j], point[j]
        add[j] = unit(i, key) < add_rate[p]
        if entry[i] < 0:
            entry[i] = p
        reached[p] += 1
        if add[j]:
            added[p] += 1
            n_store += p == STORE
    n_other = 0
    for p in range(k):
        n_other += added[p]
    n_other -= n_store
    other, other_pt = np.empty(n_other, np.int64), np.empty(n_other, np.int8)
    store, store_pt = np.empty(n_store, np.int64), np.empty(n_store, np.int8)
    a = b = 0
    for j in range(n):
        if add[j]:
            if point[j] == STORE:
                store[b], store_pt[b] = idx[j], point[j]
                b += 1
            else:
                other[a], other_pt[a] = idx[j], point[j]
                a += 1
    cost = np.empty(k)
    total = 0.0
    for p in range(k):
        cost[p] = reached[p] * per_contact[p] + added[p] * per_add[p]
        total += cost[p]
    return reached, added, cost, total, other, other_pt, store, store_pt


@njit(cache=True)
def _joined(jidx, point, trust, start_trust, tally, reached, added, cost):
    """Those who joined (`jidx`, through `point`) start with at least their entry point's trust; the day's requests,
    adds, joins and costs per entry point go to `tally` (rows as TALLY)."""
    for j in range(jidx.shape[0]):
        i, p = jidx[j], point[j]
        trust[i] = max(trust[i], start_trust[p])
        tally[2, p] += 1.0
    for p in range(tally.shape[1]):
        tally[0, p] += reached[p]
        tally[1, p] += added[p]
        tally[3, p] += cost[p]
