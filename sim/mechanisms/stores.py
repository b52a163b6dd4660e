"""Stores and shop assistants: new store customers every day, added to the pool by the assistants who served them,
each assistant keeping their own book of customers on their own account.

Reads stores.* (off unless stores.enabled), staff.accounts (assistants' accounts are numbered after the staff
accounts), market.users (through the model's scale). Changes users (store customers acquired with channel 'store'
and a first order in the store: acquisition.Acquisition.arrive, entry.py's store entry point) and users.staff (the assistant
holding each store customer who joins). Assistants quit at stores.turnover_monthly (staff.py): on WeCom their
customers are inherited by the next assistant, on their personal WeChat most leave with them.

Each day count x new_customers_per_store_per_day people (/ scale agents, fractions carried to the next day) who
are not yet customers buy for the first time in a store (the next people in the acquisition order,
acquisition.Acquisition.next_unacquired). Their first order is certain and lands on the offline sales channel
(sales.py, with sales.enabled); later a share stores.offline_share of their repeat orders is made in the store.
An assistant asks a share stores.invite_share of them to add their account (entry.py: the store entry point's add
rate, cost and starting trust); store customers who join are dealt to the assistants in turn, each assistant's
account holding at most its own friend capacity (staff.friend_cap or staff.wecom_cap on stores.container, / scale
agents): a full assistant is skipped, and when every book is full the customer is not added. The staff accounts'
capacity is theirs alone (containers.capacity).
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..core.population import CH_STORE, POOL
from .containers import account_cap


class Stores:
    """The stores' daily new customers and the assistants' accounts (numbered from staff.accounts)."""

    def __init__(self, model):
        s = model.sc.stores
        self.model = model
        self.on = bool(s.enabled)
        self.first = model.sc.staff.accounts
        self.assistants = s.count * s.assistants_per_store if self.on else 0
        self.cap = int(account_cap(model.sc, s.container) / model.scale)   # one assistant's book, in agents
        self.daily_agents = s.count * s.new_customers_per_store_per_day / model.scale
        self.carry = 0.0
        self.dealt = 0
        self.ever = np.zeros(model.users.n if self.on else 0, np.bool_)   # ever put on an assistant's account
        self._booked = np.zeros(64 if self.on else 0, np.int64)           # those people (only join sets staff),
        self._n_booked = 0                                                # in the first _n_booked places

    @property
    def booked(self) -> np.ndarray:
        """The people ever put on an assistant's account, in the order they were."""
        return self._booked[:self._n_booked]

    def note(self, idx: np.ndarray) -> None:
        """`idx` joined on assistants' accounts (containers.join): remembered, so a book is counted over them."""
        self._booked, self._n_booked = _note(np.asarray(idx, np.int64), self.ever, self._booked, self._n_booked)

    def book(self) -> np.ndarray:
        """Pool members on each assistant's account now (counted over the people ever put on one: the same as over
        the whole pool, since only containers.join sets an account, at a fraction of the cost)."""
        users = self.model.users
        return _book(self.booked, users.staff, users.state, self.first, self.assistants)

    def held(self) -> int:
        """Pool members on the assistants' accounts now (0 without stores)."""
        return int(self.book().sum()) if self.assistants else 0

    def assign(self, k: int) -> np.ndarray:
        """The assistants' accounts for up to k store customers joining the pool, dealt in turn to those with room
        (fewer than k when the books fill up)."""
        users = self.model.users
        ids, self.dealt = _assign(self.booked, users.staff, users.state, self.first, self.assistants, self.cap,
                                  self.dealt, k)
        return ids

    def daily(self, day: int) -> None:
        """Admit today's new store customers (a certain first order; the assistants' friend requests)."""
        if not self.on:
            return
        want = self.daily_agents + self.carry
        k = int(np.floor(want))
        self.carry = want - k
        acq = self.model.acquisition
        idx = acq.next_unacquired(k)
        acq.arrive(idx, day, np.full(len(idx), CH_STORE, np.int8), certain=True)


@njit(cache=True)
def _book(ids, staff, state, first, assistants):
    """Stores.book in one pass over `ids`: pool members on each assistant's account (accounts from `first`)."""
    out = np.zeros(assistants, np.int64)
    for i in ids:
        a = staff[i]
        if state[i] == POOL and a >= first:
            out[a - first] += 1
    return out


@njit(cache=True)
def _note(idx, ever, booked, n):
    """Stores.note: append those of `idx` not yet `ever` on an assistant's account to `booked` (its first n places
    in use; a larger copy when it may not hold them all), each once, and mark them. Returns (booked, places in use)."""
    if n + idx.shape[0] > booked.shape[0]:
        grown = np.empty(max(2 * booked.shape[0], n + idx.shape[0]), np.int64)
        grown[:n] = booked[:n]
        booked = grown
    for i in idx:
        if not ever[i]:
            ever[i] = True
            booked[n] = i
            n += 1
    return booked, n


@njit(cache=True)
def _assign(booked, staff, state, first, n, cap, dealt, k):
    """Stores.assign in one pass: each assistant's room (cap less the pool members on their account, `_book`), then k
    customers dealt in turn from `dealt` on, a full account skipped. Returns (the accounts, the new `dealt`)."""
    if n == 0:
        return np.zeros(0, np.int64), dealt
    room = cap - _book(booked, staff, state, first, n)
    if room.min() * n >= k + n:            # every book has room for its turns: plain round robin
        ids = np.empty(k, np.int64)
        for j in range(k):
            ids[j] = first + (dealt + j) % n
        return ids, dealt + k
    out = np.empty(k, np.int64)
    got = 0
    while got < k and room.max() > 0:
        a = dealt % n
        dealt += 1
        if room[a] > 0:
            room[a] -= 1
            out[got] = first + a
            got += 1
    return out[:got], dealt
