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
        self.booked = np.zeros(0, np.int64)                               # those people (only join sets staff)

    def note(self, idx: np.ndarray) -> None:
        """`idx` joined on assistants' accounts (containers.join): remembered, so a book is counted over them."""
        new = idx[~self.ever[idx]]
        self.ever[new] = True
        self.booked = np.concatenate([self.booked, new])

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
        room = self.cap - self.book()
        n = self.assistants
        if room.min() * n >= k + n:               # every book has room for its turns: plain round robin
            ids = self.first + (self.dealt + np.arange(k)) % n
            self.dealt += k
            return ids
        out = []
        while len(out) < k and room.max() > 0:
            a = self.dealt % n
            self.dealt += 1
            if room[a] > 0:
                room[a] -= 1
                out.append(self.first + a)
        return np.array(out, np.int64)

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
