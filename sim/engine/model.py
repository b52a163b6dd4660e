"""The engine: a Mesa model whose users are arrays, stepped one day at a time.

`PoolModel(scenario, seed)` wires the mechanisms together; each lives in its own
module and reads the scenario keys its docstring names. It simulates
market.agents agents, each standing for `scale` people (population.py); the
daily record is in agents and result.py multiplies it back to the market. One `step()` is one day:

  1. staff turnover,           (staff.py,      6. purchases              (purchases.py)
     membership windows        tiers.py)
  2. acquisition: replayed,    (acquisition.py) 7. leaving: lapse, wash-  (leaving.py,
     organic, paid, stores,    (stores.py,         back, annoyance         washback.py)
     first order, entry        entry.py, containers.py)
  3. group life                (groups.py)     8. group tiers            (groups.py)
  4. messages                  (messaging.py)  9. referral invitations   (referral.py)
  5. one-to-one service        (service.py)   10. decay, ledger close, daily record

The daily series is collected by `mesa.DataCollector`.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..core.ledger import Ledger
from ..core.population import CHURNED, POOL, Users, sample_size
from ..core.result import COLUMNS, VALUE_AGE
from ..core.rng import Streams
from ..core.scenario import Scenario
from ..mechanisms import containers, messaging, network, purchases, staff
from ..mechanisms.acquisition import Acquisition
from ..mechanisms.calendar import Calendar
from ..mechanisms.entry import Entry
from ..mechanisms.groups import Groups
from ..mechanisms.history import Arrivals
from ..mechanisms.leaving import Leaving
from ..mechanisms.referral import Referral
from ..mechanisms.sales import Sales
from ..mechanisms.service import Service
from ..mechanisms.stores import Stores
from ..mechanisms.tiers import Tiers
from .mesa_import import mesa


class PoolModel(mesa.Model):
    """A private-pool strategy run. `sc` is the validated Scenario (Mesa keeps its own `scenario`); `users` the arrays."""

    def __init__(self, scenario: Scenario, seed: int = 0, arrivals: Arrivals | None = None, customers=None):
        """`arrivals`: an order history's first purchases to replay; `customers`: a customers table (as
        pool.initial_from's file, read) to start from instead of the scenario's file."""
        super().__init__(rng=int(seed))
        self.sc = scenario
        self.seed = int(seed)
        self.day = 0
        self.streams = Streams(seed)
        n, self.scale = sample_size(scenario.market)          # agents, people per agent
        self.users = Users(n, scenario.market, scenario.messaging.tolerance, self.streams)
        self.capacity = int(containers.capacity(scenario) / self.scale)   # friend capacity in agents
        self.warmth = containers.warmth(scenario)
        self.ledger = Ledger(scenario, scenario.horizon_days, self.scale)
        self.pool_count = 0                 # pool members now (containers.join / leaving keep it)
        self.join_counter = 0
        self.today: dict[str, float] = dict.fromkeys(COLUMNS, 0.0)
        self._zero = dict(self.today)       # a new day's record, copied in at the start of each step
        self.calendar = Calendar(scenario)  # dated events (none by default)
        self.sales = Sales(scenario)        # sales channels and their fees (off by default)
        self.entry = Entry(scenario)        # entry points into the pool (off by default)
        self.stores = Stores(self)          # stores and shop assistants (off by default)
        self.tiers = Tiers(self)            # membership tiers and points (off by default)
        self.groups = Groups(self)
        self._constants: dict = {}          # what mechanisms read of the scenario each day (constants)
        self.leaving = Leaving(self)
        self.history_agents = (np.zeros(0, np.int64), np.zeros(0, np.int64))  # (customers row, agent) once seeded
        self.acquisition = Acquisition(self, arrivals, customers)
        self.service = Service(self)
        self.referral = Referral(self, lambda: network.built_for(self.users.n, scenario.referral, self.streams,
                                                                 self.users.taste()))
        # the arrays are float32: each day's factor is applied in float32, as `array *= python_float` does
        self._decay = tuple(np.float32(0.5 ** (1 / h)) for h in (
            scenario.messaging.intent_half_life_days, scenario.messaging.annoy_half_life_days,
            scenario.trust.half_life_days))
        # one reporter returning the whole row as an array: Mesa deep-copies each reporter's value
        # every step, and one array copies far faster than 40 separate values
        self.datacollector = mesa.DataCollector(
            model_reporters={"row": lambda m: np.fromiter((m.today[c] for c in COLUMNS), float, len(COLUMNS))})
        self.value_at_age = np.full(self.users.n, np.nan)
        self.leave_after_orders = bool(np.any(self.users.leave_p > 0))   # history customers may set it later

    def constants(self, owner: str, build):
        """`build(self)`: what a mechanism's daily pass reads of the scenario, in its kernel's types, worked out once
        and again only when `sc` is not the scenario it was read from (tests and what-ifs swap it mid-run)."""
        held = self._constants.get(owner)
        if held is None or held[0] is not self.sc:
            held = self._constants[owner] = (self.sc, build(self))
        return held[1]

    def step(self) -> None:
        """Simulate one day."""
        day, users = self.day, self.users
        self.today.update(self._zero)
        self.ledger.new_day()
        if day == 0:
            self.acquisition.seed_existing()
            self.referral.seed_koc(day)
        staff.turnover(self, day)
        self.tiers.daily(day)
        self.acquisition.replay(day)
        self.acquisition.organic(day)
        self.acquisition.paid(day)
        self.stores.daily(day)
        self.acquisition.settle(day)          # the day's newcomers arrive together: first orders, friend requests
        cust, pool = users.customers_and_pool()
        self.groups.daily(day, pool)
        messaging.send(self, day, pool)
        self.service.daily(day, pool)
        purchases.daily(self, day, cust)
        self.leaving.daily(day, cust)
        pool = users.pool()
        self.groups.retier(day, pool)
        self.referral.daily(day, pool)
        self.ledger.close_day()
        self._close(day)
        self.datacollector.collect(self)
        self.day += 1

    def _close(self, day: int) -> None:
        """End of day in one pass over the roster (population.py): decay intent, annoyance and
        trust; keep value at age VALUE_AGE days (for fair cohort LTV comparisons); count the
        day's levels; then write the daily record."""
        users = self.users
        pool_n, churned, muted = _end_of_day(
            users.roster(), users.state, users.muted, users.intent, users.annoyance, users.trust,
            *self._decay, users.acq_day, day - VALUE_AGE + 1, users.value, self.value_at_age)
        acquired = users.n_acquired              # everyone ever acquired (all on the roster; nobody is un-acquired)
        t, led = self.today, self.ledger.today
        t["day"] = day
        t["pool_users"] = pool_n
        t["churned_users"] = churned
        t["public_users"] = users.n - pool_n - churned
        t["customers"] = acquired - churned
        t["muted_users"] = muted
        t.update(led)
        t["staff_hours"] = self.ledger.hours + self.ledger.shift_hours
        t["cost"] = self.ledger.cost
        t["profit"] = t["revenue"] - t["cost"]


@njit(cache=True)
def _end_of_day(roster, state, muted, intent, annoyance, trust, d_intent, d_annoy, d_trust,
                acq_day, born, value, value_at_age):
    """Decay, value-at-age snapshot (users acquired on day `born`) and level counts, over the roster
    (nobody outside it has a state, an acquisition or non-zero intent, annoyance or trust).
    Returns (pool members, lost, muted pool members)."""
    pool_n = churned = muted_n = 0
    for i in roster:
        intent[i] *= d_intent
        annoyance[i] *= d_annoy
        trust[i] *= d_trust
        if born >= 0 and acq_day[i] == born:
            value_at_age[i] = value[i]
        s = state[i]
        if s == POOL:
            pool_n += 1
            if muted[i]:
                muted_n += 1
        elif s == CHURNED:
            churned += 1
    return pool_n, churned, muted_n
