"""A per-agent Mesa reference implementation of the engine's core flows (a check and a speed peer).

The fast engine (model.py `PoolModel`) keeps users as numpy arrays and draws its
randomness from counter-based streams (rng.py). This module simulates the same
core model the idiomatic Mesa way: one `UserAgent` object per person with plain
Python attributes, an `AgentSet` of the current customers (people join it when
acquired and leave it when lost) stepped with `customers.shuffle_do("step")` once a
day, `self.random` for every draw and `mesa.DataCollector` for the daily series.
Only customers can act on a day (a person who has not found the brand has no
step), so only they are stepped, as a Mesa user would write it. It is used

  * to check the fast engine statistically (tests/test_reference.py): same
    formulas and parameter meanings, independent code and random numbers, so the
    two must agree in distribution, not number for number;
  * as the speed peer in benchmarks/bench_engine.py.

Core flows only (switch the rest off with `core_overrides()`; `ReferenceModel`
refuses a scenario with any other mechanism on):

  traits       segment, tier-1/2 city, price sensitivity, tolerance, buy rate,
               order value, proneness to leave (population.py constants; mean-one lognormal
               spreads, and mean-one gamma factors on the purchase rate and the proneness to
               leave, so their means do not move)
  acquisition  organic discovery at the daily hazard (p + q x customers / market) / 365
               (each person draws an Exp(1) threshold against the cumulative hazard);
               paid: reach x not-yet-acquired x f(budget x share / (cac x cac_factor x
               reach x market)) people per platform and day (f the Hill x/(1+x) or
               exponential 1-exp(-x) curve; the whole budget is booked) with the
               fraction carried over, drawn without replacement among the
               not-yet-acquired with weight 1 + deal_seeker_pull x offers.intensity
               for deal seekers (successive weighted sampling: Efraimidis-Spirakis keys)
  first order  on acquisition with the channel's first_order_prob at the user's order value
               (acquisition.first_order_chance: the odds x (value / ticket)^-elasticity) and return_rate;
               then a friend request (pool.accept_*) within the accounts' capacity
  purchases    P(buy today) = 1 - exp(-rate), none on a day the customer already ordered,
               rate = buy_rate x (1 + pool_buy_lift if an active pool member else 1)
                      x (1 + repeat_burst e^(-days since the last order / repeat_burst_days))
                      x (1 + buy_lift x trust^2)        (no intent, discounts, groups);
               a would-be order stalls with chance v^2 / (v^2 + consider_half_rmb^2)
               and goes ahead anyway with chance self_close (no one-to-one service
               answers it in the core model)
               repeat orders are returned with economics.pool_return_rate; a buyer
               still on the public side gets a new friend request
  trust        + per_order x warmth x segment factor x (1 - trust) per kept order of a pool member;
               halves every trust.half_life_days
  leaving      competing daily hazards lapse and wash-back (leaving.py, washback.py),
               shield exp(-leave_cut x trust) x proneness; one draw for "anything", one for
               which (no leaving right after an order: market.leave_after_order 0)
  ledger       revenue, cogs, returns, acquisition, staff salaries (ledger.py); each
               user's discounted value is their order margin (fixed staff cost is not
               spread over users)

The order of operations within a day follows `PoolModel.step`: organic, paid
(first orders, friend requests), purchases and leaving of every customer, trust
decay, staff cost booked, daily record.
"""
from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd

from ..core.ledger import Ledger
from ..core.population import (
    CH_ORGANIC,
    CHURNED,
    LAPSED,
    PAID_CHANNELS,
    POOL,
    PUBLIC,
    REASONS,
    TIER12_SPEND,
    TIER12_TOLERANCE,
    WASHED_BACK,
    segment_profiles,
)
from ..core.result import COLUMNS, VALUE_AGE, summarise
from ..core.scenario import Scenario
from ..engine.mesa_import import mesa
from ..engine.runner import resolve
from ..mechanisms import acquisition, containers, offers


def core_overrides() -> dict:
    """Dotted-key overrides that switch off every mechanism that is not in the core model."""
    return {
        "messaging.per_week": 0,                   # no messages: intent and annoyance stay 0 (so nobody mutes)
        "groups.size": 0,                          # no groups (no attention, social proof, noise, tiers)
        "service.one_to_one_hours_per_day": 0,     # no one-to-one service
        "service.member_day_every_days": 0,        # no member days (lift, gifts)
        "offers.discount_every_days": 0,           # no discount events: no coupons, no habit, intensity 0
        "offers.discount_depth": 0.0,
        "referral.invites_per_year": 0,            # no word of mouth ...
        "referral.unlock_invites": 0,              # ... no invite-N-to-unlock ...
        "referral.incentive_rmb": 0.0,             # ... no referral rewards ...
        "referral.seed_koc": "none",               # ... and no KOC seeding
        "referral.koc_count": 0,
        "staff.turnover_monthly": 0,               # no staff quits (no 'staff_left', no trust handover)
        "calendar.events": [],                     # no sales calendar
        "sales.enabled": False,                    # no sales channels (no fees, one repeat return rate)
        "entry.enabled": False,                    # no entry points (one friend request at pool.accept_*)
        "stores.enabled": False,                   # no stores or shop assistants
        "tiers.enabled": False,                    # no membership tiers or points
    }


def non_core(sc: Scenario) -> list[str]:
    """The keys of `sc` that switch on a mechanism the reference does not implement."""
    bad = []
    if sc.messaging.per_week > 0:
        bad.append("messaging.per_week")
    if sc.groups.size > 0:
        bad.append("groups.size")
    if sc.service.one_to_one_hours_per_day > 0:
        bad.append("service.one_to_one_hours_per_day")
    if sc.service.member_day_every_days > 0:
        bad.append("service.member_day_every_days")
    if sc.offers.discount_every_days > 0 and sc.offers.discount_depth > 0:
        bad.append("offers.discount_every_days")
    if sc.referral.invites_per_year > 0:
        bad.append("referral.invites_per_year")
    if sc.referral.unlock_invites > 0:
        bad.append("referral.unlock_invites")
    if sc.referral.seed_koc != "none" and sc.referral.koc_count > 0:
        bad.append("referral.seed_koc")
    if sc.staff.turnover_monthly > 0:
        bad.append("staff.turnover_monthly")
    if sc.market.agents < sc.market.users:
        bad.append("market.agents (the reference simulates one agent per person)")
    if sc.market.leave_after_order > 0:
        bad.append("market.leave_after_order")
    if sc.calendar.events:
        bad.append("calendar.events")
    bad += [f"{k}.enabled" for k in ("sales", "entry", "stores", "tiers") if getattr(sc, k).enabled]
    return bad


def _gamma_one(r, cv: float) -> float:
    """Mean-one gamma factor with coefficient of variation cv (1 at cv = 0), from Python's generator."""
    if cv <= 0:
        return 1.0
    k = 1.0 / (cv * cv)
    return r.gammavariate(k, 1.0 / k)


def _lognormal(z: float, sd: float) -> float:
    """Mean-one lognormal factor from a standard normal z (as population._lognormal)."""
    return math.exp(sd * z - 0.5 * sd * sd)


class UserAgent(mesa.Agent):
    """One person in the market: traits drawn at birth, state changed by the day's events."""

    def __init__(self, model: ReferenceModel, index: int):
        super().__init__(model)
        r, m = model.random, model.sc.market
        self.index = index                         # row in the user table (the engine's user id)
        # -- traits (population.py) --
        u = r.random()
        seg = 0 if u < model.seg_cut[0] else (1 if u < model.seg_cut[1] else 2)
        self.segment = seg
        self.tier12 = r.random() < m.tier12_share
        sd = m.trait_spread
        prof = model.profiles
        self.price_sens = min(1.0, max(0.0, prof["price_sens"][seg] + 0.5 * sd * r.gauss()))
        self.tolerance = (model.sc.messaging.tolerance * prof["tolerance"][seg]
                          * (TIER12_TOLERANCE if self.tier12 else 1.0) * _lognormal(r.gauss(), sd))
        self.buy_rate = _gamma_one(r, sd if m.purchase_rate_spread is None else m.purchase_rate_spread) / (
            m.purchase_cycle_days * prof["cycle"][seg])
        self.order_value = (m.price_rmb * prof["spend"][seg] * (TIER12_SPEND if self.tier12 else 1.0)
                            * _lognormal(r.gauss(), sd))
        half = model.sc.service.consider_half_rmb
        self.stall = (self.order_value ** 2 / (self.order_value ** 2 + half * half)   # purchases: stalls and
                      * (1.0 - model.sc.service.self_close))                 # is not answered elsewhere
        self.lapse_mult = float(prof["lapse"][seg])
        self.leave_mult = _gamma_one(r, m.leaving_spread)
        self.trust_mult = float(prof["trust"][seg])
        # cumulative organic-discovery hazard at which this person finds the brand by themselves
        self.discovery_threshold = r.expovariate(1.0)
        # how reachable by paid ads: Efraimidis-Spirakis key (smaller = reached earlier)
        self.ad_key = r.expovariate(1.0) / model.ad_weight[seg]
        # -- state --
        self.state = PUBLIC
        self.acquired = False
        self.acq_day = -1
        self.channel = -1
        self.pool_day = -1
        self.churn_day = -1
        self.reason = 0
        self.muted = False                         # stays False in the core model (no annoyance)
        self.staff = -1
        self.orders = 0
        self.spend = 0.0
        self.last_order_day = -1
        self.value = 0.0                           # discounted net margin since acquisition, RMB
        self.value_at_age = math.nan               # value when VALUE_AGE days old (model._snapshot_value)
        self.trust = 0.0

    # ------------------------------------------------------------ events
    def admit(self, day: int, channel: int) -> None:
        """Become a customer: maybe a first order, then a friend request to the pool."""
        model = self.model
        self.acquired = True
        self.acq_day = day
        self.channel = channel
        model.acquired_count += 1
        model.customers.add(self)
        model.cohorts.setdefault(day, []).append(self)
        model.today["new_customers"] += 1
        p = acquisition.first_order_chance(model.first_order_prob[channel], self.order_value, model.ticket[channel],
                                           model.ticket_elasticity[channel])
        bought = bool(model.random.random() < p)
        if bought:
            self.order(day, model.return_rate[channel])
        self.befriend(day, bought)

    def befriend(self, day: int, bought: bool) -> None:
        """Receive a friend request from a staff account; accept it or not."""
        if self.model.random.random() < self.model.accept[bought]:
            self.model.join(self, day)

    def order(self, day: int, return_rate: float) -> bool:
        """Place one order at the user's order value; it is kept or returned. Books the ledger."""
        model, econ = self.model, self.model.sc.economics
        led = model.ledger
        value = self.order_value
        kept = model.random.random() >= return_rate
        if kept:
            net = value * (1 - econ.cogs_share)
            led.add("revenue", value)
            led.add("cogs", value * econ.cogs_share)
            self.spend += value
            if self.state == POOL:
                self.trust += model.sc.trust.per_order * model.warmth * self.trust_mult * (1 - self.trust)
        else:
            net = -econ.return_handling_rmb
            led.add("returns", econ.return_handling_rmb)
            model.today["returned_orders"] += 1
        self.value += net * led.dfac[day - self.acq_day]
        self.orders += 1
        self.last_order_day = day
        model.today["orders"] += 1
        return kept

    def step(self) -> None:
        """The customer's day (only customers are stepped): maybe a repeat order, maybe leaving,
        then trust fades."""
        model = self.model
        day, sc, r = model.day, model.sc, model.random
        # -- purchases (purchases.daily): intent 0, full price, no groups, no member day --
        active = self.state == POOL and not self.muted
        m = sc.market
        rate = self.buy_rate * ((1.0 + m.pool_buy_lift) if active else 1.0) * (1.0 + sc.trust.buy_lift * self.trust * self.trust)
        if m.repeat_burst and self.orders > 0:
            rate *= 1.0 + m.repeat_burst * math.exp(-(day - self.last_order_day) / m.repeat_burst_days)
        ordered_today = self.orders > 0 and self.last_order_day == day
        if not ordered_today and r.random() < -math.expm1(-rate) and r.random() >= self.stall:
            self.order(day, sc.economics.pool_return_rate)
            if active:                             # a pool member's order takes staff time to support
                model.ledger.use_hours(model.support_hours)
            if self.state == PUBLIC:
                self.befriend(day, True)
        # -- leaving (leaving.daily, washback.hazard): lapse and wash-back compete --
        shield = math.exp(-sc.trust.leave_cut * self.trust) * self.leave_mult
        h_lapse = model.lapse_day * self.lapse_mult * shield
        protection = (sc.pool.protection * (sc.washback.muted_factor if self.muted else 1.0)
                      if self.state == POOL else 1.0)
        h_wash = model.wash_day * protection * shield
        total = h_lapse + h_wash
        if r.random() < -math.expm1(-total):
            model.churn(self, day, LAPSED if r.random() * total < h_lapse else WASHED_BACK)
        self.trust *= model.decay_trust


class ReferenceModel(mesa.Model):
    """The core private-pool model with one agent per person. One `step()` is one day."""

    def __init__(self, scenario: Scenario, seed: int = 0):
        super().__init__(rng=int(seed))
        bad = non_core(scenario)
        if bad:
            raise ValueError("the reference model implements the core flows only; switch off "
                             + ", ".join(bad) + " (see sim.lab.reference.core_overrides())")
        sc = self.sc = scenario
        self.seed = int(seed)
        self.day = 0
        m, a = sc.market, sc.acquisition
        self.ledger = Ledger(sc, sc.horizon_days)
        self.warmth = containers.warmth(sc)
        self.capacity = containers.capacity(sc)
        p = sc.pool
        self.accept = ((p.accept_nonbuyer_personal, p.accept_buyer_personal) if p.container == "personal"
                       else (p.accept_nonbuyer_wecom, p.accept_buyer_wecom))      # indexed by bought
        channels = [getattr(a, name) for name in PAID_CHANNELS]
        self.unit = [a.cac * c.cac_factor for c in channels]
        self.carry = [0.0] * len(channels)
        fo_org = a.organic_first_order_prob                                   # CHANNELS order:
        self.first_order_prob = [c.first_order_prob for c in channels] + [fo_org, sc.referral.first_order_prob, fo_org]
        self.return_rate = [c.return_rate for c in channels] + [a.organic_return_rate] * 3
        self.ticket = [c.ticket_rmb for c in channels] + [a.organic_ticket_rmb] * 3
        self.ticket_elasticity = [c.ticket_elasticity for c in channels] + [a.organic_ticket_elasticity] * 3
        self.lapse_day = m.lapse_per_year / 365.0
        self.wash_day = sc.washback.public_per_year / 365.0
        self.decay_trust = 0.5 ** (1 / sc.trust.half_life_days)
        self.support_hours = sc.service.support_minutes_per_order / 60.0
        s = m.segments
        self.seg_cut = (s.deal_seeker, s.deal_seeker + s.quality_seeker)
        self.profiles = segment_profiles(m)
        self.ad_weight = (1.0 + sc.offers.deal_seeker_pull * offers.intensity(sc.offers), 1.0, 1.0)
        self.pool_count = self.churned_count = self.acquired_count = self.join_counter = 0
        self.pool: set[UserAgent] = set()          # the staff accounts' contact lists
        self.customers = mesa.agent.AgentSet([], random=self.random)      # acquired and not lost: stepped daily
        self.cohorts: dict[int, list[UserAgent]] = {}                    # acquisition day -> customers
        self.today: dict[str, float] = dict.fromkeys(COLUMNS, 0.0)

        people = [UserAgent(self, i) for i in range(m.users)]
        self.people = people
        self._ad_queue = sorted(people, key=lambda ag: ag.ad_key)   # paid reach order
        self._ad_ptr = 0
        self._discovery = sorted(people, key=lambda ag: ag.discovery_threshold)   # organic order
        self._discovery_ptr = 0
        self._hazard = 0.0                                          # cumulative organic hazard
        self.datacollector = mesa.DataCollector(model_reporters={c: (lambda mod, c=c: mod.today[c]) for c in COLUMNS})

    # ------------------------------------------------------------ pool membership
    def join(self, agent: UserAgent, day: int) -> bool:
        """Add `agent` to a staff account if there is room (containers.join)."""
        if self.capacity - self.pool_count <= 0:
            return False
        agent.state = POOL
        agent.pool_day = day
        agent.staff = self.join_counter % self.sc.staff.accounts
        self.join_counter += 1
        self.pool_count += 1
        self.pool.add(agent)
        self.today["new_pool_users"] += 1
        return True

    def churn(self, agent: UserAgent, day: int, reason: int) -> None:
        """`agent` is lost to the brand (leaving.churn)."""
        if agent.state == POOL:
            self.pool_count -= 1
            self.pool.discard(agent)
        agent.state = CHURNED
        self.customers.discard(agent)
        agent.churn_day = day
        agent.reason = reason
        self.churned_count += 1
        self.today["lost_" + REASONS[reason]] += 1

    # ------------------------------------------------------------ acquisition
    def _organic(self, day: int) -> None:
        m = self.sc.market
        customers = self.acquired_count - self.churned_count
        self._hazard += (m.organic_discovery_per_year + m.organic_per_customer_per_year * customers / len(self.people)) / 365
        queue = self._discovery
        while self._discovery_ptr < len(queue) and queue[self._discovery_ptr].discovery_threshold < self._hazard:
            agent = queue[self._discovery_ptr]
            self._discovery_ptr += 1
            if not agent.acquired:
                agent.admit(day, CH_ORGANIC)

    def _next_prospect(self) -> UserAgent | None:
        """The next person in paid-reach order who is not yet a customer (None if the market is used up)."""
        queue = self._ad_queue
        while self._ad_ptr < len(queue):
            agent = queue[self._ad_ptr]
            self._ad_ptr += 1
            if not agent.acquired:
                return agent
        return None

    def _paid(self, day: int) -> None:
        a = self.sc.acquisition
        if a.daily_budget <= 0 or (0 <= a.stop_day <= day):
            return
        counts = []
        n = len(self.people)
        reach_people = a.daily_reach * (n - self.acquired_count)
        for c, name in enumerate(PAID_CHANNELS):
            x = a.daily_budget * getattr(a, name).share / (self.unit[c] * a.daily_reach * n)
            f = x / (1 + x) if a.saturation == "hill" else 1 - math.exp(-x)
            want = reach_people * f + self.carry[c]
            k = math.floor(want)
            self.carry[c] = want - k
            counts.append(k)
        self.ledger.add("acquisition", a.daily_budget)
        for c, k in enumerate(counts):
            for _ in range(k):
                agent = self._next_prospect()
                if agent is None:
                    return
                agent.admit(day, c)

    # ------------------------------------------------------------ the day
    def step(self) -> None:
        """Simulate one day."""
        day, today, led = self.day, self.today, self.ledger
        for k in today:
            today[k] = 0.0
        led.new_day()
        self._organic(day)
        self._paid(day)
        self.customers.shuffle_do("step")
        led.close_day()           # salaries and staff hours beyond the accounts' own (not per user)
        for agent in self.cohorts.get(day - VALUE_AGE + 1, ()):       # value at age VALUE_AGE days
            agent.value_at_age = agent.value
        self._record(day)
        self.datacollector.collect(self)
        self.day += 1

    def _record(self, day: int) -> None:
        t, led = self.today, self.ledger.today
        n = len(self.people)
        t["day"] = day
        t["pool_users"] = self.pool_count
        t["churned_users"] = self.churned_count
        t["public_users"] = n - self.pool_count - self.churned_count
        t["customers"] = self.acquired_count - self.churned_count
        t["muted_users"] = 0
        t["revenue"] = led["revenue"]
        for k in led:
            if k != "revenue":
                t[k] = led[k]
        t["staff_hours"] = self.ledger.hours
        t["cost"] = self.ledger.cost
        t["profit"] = t["revenue"] - t["cost"]

    # ------------------------------------------------------------ results
    def user_arrays(self) -> SimpleNamespace:
        """The agents' state as arrays indexed by user id, in the layout of the engine's `Users`
        (so result.summarise / result.user_table apply unchanged); mechanisms outside the core
        model get their untouched initial values."""
        ppl, n = self.people, len(self.people)

        def col(name, dtype):
            return np.fromiter((getattr(ag, name) for ag in ppl), dtype=dtype, count=n)

        u = SimpleNamespace(n=n)
        for name, dtype in _AGENT_COLUMNS.items():
            setattr(u, name, col(name, dtype))
        for name, (dtype, fill) in _IDLE_COLUMNS.items():
            setattr(u, name, np.full(n, fill, dtype=dtype))
        return u


# Users attributes the agents carry, and the ones the core model never changes (with their start value).
_AGENT_COLUMNS = {
    "segment": np.int8, "tier12": bool, "price_sens": np.float32, "tolerance": np.float32, "buy_rate": np.float32,
    "order_value": np.float32, "lapse_mult": np.float32, "trust_mult": np.float32, "state": np.int8,
    "acquired": bool, "acq_day": np.int32, "channel": np.int8, "pool_day": np.int32, "churn_day": np.int32,
    "reason": np.int8, "muted": bool, "orders": np.int32, "spend": np.float32, "last_order_day": np.int32,
    "value": np.float64, "trust": np.float32, "staff": np.int32,
}
_IDLE_COLUMNS = {
    "intent": (np.float32, 0.0), "annoyance": (np.float32, 0.0), "habit": (np.float32, 0.0),
    "referrer": (np.int32, -1), "referrals": (np.int32, 0), "invites": (np.int32, 0), "group": (np.int32, -1),
    "tier": (np.int8, 0), "tier_day": (np.int32, -1), "last_served": (np.int32, -10_000), "koc": (bool, False),
    "last_msg_day": (np.int32, -10_000), "last_response_day": (np.int32, -1), "unanswered": (np.int32, 0),
    "spam_received": (np.int32, 0),
}


def run_reference_model(scenario: Scenario | str | None, users: int | None = None, days: int | None = None,
                        seed: int = 0) -> ReferenceModel:
    """Build and step a ReferenceModel over the scenario's horizon; returns the model."""
    sc = resolve(scenario, users, days)
    model = ReferenceModel(sc, seed=seed)
    for _ in range(sc.horizon_days):
        model.step()
    return model


def daily_table(model: ReferenceModel) -> pd.DataFrame:
    """The DataCollector's daily series: the engine's COLUMNS (model.py) plus cumulative_profit."""
    df = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)[list(COLUMNS)]
    df["cumulative_profit"] = df["profit"].cumsum()
    return df


def summary_of(model: ReferenceModel) -> dict:
    """The engine's summary figures (result.summarise, same definitions) for a stepped ReferenceModel."""
    daily = daily_table(model)
    value_at_age = np.fromiter((ag.value_at_age for ag in model.people), dtype=np.float64, count=len(model.people))
    return summarise(SimpleNamespace(users=model.user_arrays(), value_at_age=value_at_age), daily)


def run_reference(scenario: Scenario | str | None, users: int | None = None, days: int | None = None,
                  seed: int = 0) -> dict:
    """Simulate the core model per agent; returns the summary dict with the fast engine's keys."""
    return summary_of(run_reference_model(scenario, users, days, seed))
