"""Stores and shop assistants: new store customers every day, added to the pool by the assistants who served them,
each assistant keeping their own book of customers on their own account.

Reads stores.* (off unless stores.enabled), staff.accounts (assistants' accounts are numbered after the staff
accounts), market.users (through the model's scale). Changes users (store customers acquired with channel 'store'
and a first order in the store: acquisition.admit, entry.py's store entry point) and users.staff (the assistant
holding each store customer who joins). Assistants quit at stores.turnover_monthly (staff.py): on WeCom their
customers are inherited by the next assistant, on their personal WeChat most leave with them.

Each day count x new_customers_per_store_per_day people (/ scale agents, fractions carried to the next day) who
are not yet customers buy for the first time in a store (the next people in the acquisition order,
acquisition.Acquisition.next_unacquired). Their first order is certain and lands on the offline sales channel
(sales.py, with sales.enabled); later a share stores.offline_share of their repeat orders is made in the store.
An assistant asks a share stores.invite_share of them to add their account (entry.py: the store entry point's add
rate, cost and starting trust); store customers who join are dealt to the assistants in turn.
"""
from __future__ import annotations

import numpy as np

from ..core.population import CH_STORE
from .acquisition import admit


class Stores:
    """The stores' daily new customers and the assistants' accounts (numbered from staff.accounts)."""

    def __init__(self, model):
        s = model.sc.stores
        self.model = model
        self.on = bool(s.enabled)
        self.first = model.sc.staff.accounts
        self.assistants = s.count * s.assistants_per_store
        self.daily_agents = s.count * s.new_customers_per_store_per_day / model.scale
        self.carry = 0.0
        self.dealt = 0

    def assign(self, k: int) -> np.ndarray:
        """The assistants' accounts for k store customers joining the pool, in turn."""
        ids = self.first + (self.dealt + np.arange(k)) % self.assistants
        self.dealt += k
        return ids

    def daily(self, day: int) -> None:
        """Admit today's new store customers (a certain first order; the assistants' friend requests)."""
        if not self.on:
            return
        want = self.daily_agents + self.carry
        k = int(np.floor(want))
        self.carry = want - k
        idx = self.model.acquisition.next_unacquired(k)
        admit(self.model, idx, day, np.full(len(idx), CH_STORE, np.int8), certain_order=True)
