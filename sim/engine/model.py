"""The engine: a Mesa model whose users are arrays, stepped one day at a time.

`PoolModel(scenario, seed)` wires the mechanisms together; each lives in its own
module and reads the scenario keys its docstring names. It simulates
market.agents agents, each standing for `scale` people (population.py); the
daily record is in agents and result.py multiplies it back to the market. One `step()` is one day:

  1. staff turnover            (staff.py)      6. purchases              (purchases.py)
  2. acquisition: replayed,    (acquisition.py) 7. leaving: lapse, wash-  (leaving.py,
     organic, paid, first      (containers.py)     back, annoyance         washback.py)
  3. group life                (groups.py)     8. group tiers            (groups.py)
  4. messages                  (messaging.py)  9. referral invitations   (referral.py)
  5. one-to-one service        (service.py)   10. decay, ledger close, daily record

The daily series is collected by `mesa.DataCollector`.
"""
from __future__ import annotations

import mesa
import numpy as np

from ..core.ledger import Ledger
from ..core.population import CHURNED, POOL, Users, sample_size
from ..core.result import COLUMNS, VALUE_AGE
from ..core.rng import Streams
from ..core.scenario import Scenario
from ..mechanisms import containers, messaging, purchases, staff
from ..mechanisms.acquisition import Acquisition
from ..mechanisms.groups import Groups
from ..mechanisms.history import Arrivals
from ..mechanisms.leaving import Leaving
from ..mechanisms.network import Network
from ..mechanisms.referral import Referral
from ..mechanisms.service import Service


class PoolModel(mesa.Model):
    """A private-pool strategy run. `sc` is the validated Scenario (Mesa keeps its own `scenario`); `users` the arrays."""

    def __init__(self, scenario: Scenario, seed: int = 0, arrivals: Arrivals | None = None):
        super().__init__(rng=int(seed))
        self.sc = scenario
        self.seed = int(seed)
        self.day = 0
        self.streams = Streams(seed)
        n, self.scale = sample_size(scenario.market)          # agents, people per agent
        self.users = Users(n, scenario.market, scenario.messaging.tolerance, self.streams)
        self.capacity = int(containers.capacity(scenario) / self.scale)   # friend capacity in agents
        self.warmth = containers.warmth(scenario)
        self.open_rate = containers.open_rate(scenario)
        self.ledger = Ledger(scenario, scenario.horizon_days, self.scale)
        self.pool_count = 0
        self.join_counter = 0
        self.today: dict[str, float] = dict.fromkeys(COLUMNS, 0.0)
        self.groups = Groups(self)
        self.leaving = Leaving(self)
        self.acquisition = Acquisition(self, arrivals)  # arrivals: an order history's first purchases
        self.service = Service(self)
        self.referral = Referral(self, lambda: Network(self.users.n, scenario.referral, self.streams.generator("network"),
                                                       self.users.taste()))
        self._decay_intent = 0.5 ** (1 / scenario.messaging.intent_half_life_days)
        self._decay_annoy = 0.5 ** (1 / scenario.messaging.annoy_half_life_days)
        self._decay_trust = 0.5 ** (1 / scenario.trust.half_life_days)
        # one reporter returning the whole row as an array: Mesa deep-copies each reporter's value
        # every step, and one array copies far faster than 40 separate values
        self.datacollector = mesa.DataCollector(
            model_reporters={"row": lambda m: np.fromiter((m.today[c] for c in COLUMNS), float, len(COLUMNS))})
        self.value_at_age = np.full(self.users.n, np.nan)

    def step(self) -> None:
        """Simulate one day."""
        day, users, today = self.day, self.users, self.today
        for k in today:
            today[k] = 0.0
        self.ledger.new_day()
        if day == 0:
            self.acquisition.seed_existing()
            self.referral.seed_koc(day)
        staff.turnover(self, day)
        self.acquisition.replay(day)
        self.acquisition.organic(day)
        self.acquisition.paid(day)
        cust = users.customers()
        pool = cust[users.state[cust] == POOL]
        self.groups.daily(day, pool)
        messaging.send(self, day, pool)
        self.service.daily(day, pool)
        purchases.daily(self, day, cust)
        self.leaving.daily(day, cust)
        pool = np.flatnonzero(users.state == POOL)
        self.groups.retier(day, pool)
        self.referral.daily(day, pool)
        if self.pool_count != len(pool):          # referral brought new members in
            pool = np.flatnonzero(users.state == POOL)
        users.intent *= self._decay_intent
        users.annoyance *= self._decay_annoy
        users.trust *= self._decay_trust
        self.ledger.close_day()
        self._snapshot_value(day)
        self._record(day, len(pool))
        self.datacollector.collect(self)
        self.day += 1

    def _snapshot_value(self, day: int) -> None:
        """Keep each user's value at age VALUE_AGE days (for fair cohort LTV comparisons)."""
        born = day - VALUE_AGE + 1
        if born >= 0:
            idx = np.flatnonzero(self.users.acq_day == born)
            self.value_at_age[idx] = self.users.value[idx]

    def _record(self, day: int, pool_n: int) -> None:
        t, led, users = self.today, self.ledger.today, self.users
        churned = int(np.count_nonzero(users.state == CHURNED))
        t["day"] = day
        t["pool_users"] = pool_n
        t["churned_users"] = churned
        t["public_users"] = users.n - pool_n - churned
        t["customers"] = int(np.count_nonzero(users.acquired)) - churned
        t["muted_users"] = int(np.count_nonzero(users.muted & (users.state == POOL)))
        t.update(led)
        t["staff_hours"] = self.ledger.hours + self.ledger.shift_hours
        t["cost"] = self.ledger.cost
        t["profit"] = t["revenue"] - t["cost"]
