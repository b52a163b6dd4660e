"""One-to-one service: staff conversations, limited by staff hours, doing what the seeds say service does.

Reads service.* (hours, minutes per session, targeting, trust / relief per session,
consult_close, save_return_share, at_risk_days), messaging.muted_open_factor, market.price_rmb,
pool warmth; users.muted only on the member's side (whether a care message is seen).
Changes users.trust, annoyance, last_served, last_response_day, last_msg_day, unanswered, value;
books the service shift (paid by the hour at hourly_cost_rmb, whether its sessions are
used or not: consultants' own time, not the accounts') and charges each session's cost
(minutes_per_session x hourly cost) to the value of the member served.

Sessions per day = hours x 60 / minutes_per_session (people; / scale agents, fractions carried), spent on four kinds of work
(seeds 000, 001, 002, 004):
  consultation   a pool member whose purchase stalls on a question (purchases.py: the
                 stall share rises with the order value) is answered, and the purchase
                 goes ahead with chance max(consult_close, self_close); biggest orders first;
  after-sales    a pool member who just ordered is followed up, which prevents a
                 save_return_share of the returns that order would have had; biggest
                 orders first;
  care, win-back the rest of the day goes to members chosen (targeting `tiered`) by
                 what staff can see: stake x (1 + risk) x recency, with
                 stake = (1 + tier) x (1 + spend / price) x priority (the member's membership
                 tier's, tiers.playbook.<tier>.service.priority; 1 without tiers), risk = min(2, days silent /
                 at_risk_days) (silent: no reply, order or conversation), recency =
                 min(1, days since last served / 14); or at random. Staff cannot see who
                 muted the chat, so every pool member can be chosen; a member who muted
                 sees the care message with chance messaging.muted_open_factor (the session
                 is spent either way; unseen, it is one more unanswered message). A
                 conversation adds trust_per_session x warmth (saturating), removes
                 relief_per_session of annoyance, and counts as the member's response.
                 Consultations and follow-ups need no such luck: the member starts them.
Staff plan the day: consultation and after-sales (reactive work) get first call on
the sessions, so care uses what yesterday's requests would have left free. What a session
is worth thus scales with what is at stake (order value, margin, return rate, the
member's value), its cost with staff hours; whether service pays is not set anywhere.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..core.population import trust_after
from ..core.rng import unit


@njit(cache=True, inline="always")
def _session(i, day, seen, cost, last_served, last_response_day, last_msg_day, unanswered, value, acq_day, dfac):
    """A session with user i (see `record`)."""
    last_served[i] = day
    if seen:
        last_response_day[i] = day
        unanswered[i] = 0
    else:
        last_msg_day[i] = day
        unanswered[i] += 1
    value[i] += -cost * dfac[day - acq_day[i]]


@njit(cache=True)
def record(idx, day, seen, cost, last_served, last_response_day, last_msg_day, unanswered, value, acq_day, dfac):
    """A session with each user in `idx`: served today, the session's cost (RMB) on their discounted
    value, and a response; or, for a care message the member did not see (`seen` False), one more
    unanswered message. Changes last_served, last_response_day or last_msg_day, unanswered, value."""
    for j in range(idx.shape[0]):
        _session(idx[j], day, seen, cost, last_served, last_response_day, last_msg_day, unanswered, value, acq_day,
                 dfac)


@njit(cache=True)
def _minus_scores(pool, day, last_response_day, pool_day, tier, spend, price, weight, at_risk_days, last_served):
    """Minus each pool member's care score with targeting `tiered` (module docstring: stake x (1 + risk) x
    recency; negated for argpartition, highest first), in NumPy's precisions (1 + spend / price in float32, as
    the arrays: `price` float32); `weight` each member's care priority by membership tier (empty: 1)."""
    out = np.empty(pool.shape[0])
    one = np.float32(1.0)
    for j in range(pool.shape[0]):
        i = pool[j]
        silent = day - max(last_response_day[i], pool_day[i])
        stake = (1.0 + np.float64(tier[i])) * np.float64(one + spend[i] / price)
        if weight.shape[0] > 0:
            stake = stake * weight[j]
        out[j] = -(stake * (1.0 + min(2.0, silent / at_risk_days)) * min(1.0, (day - last_served[i]) / 14.0))
    return out


@njit(cache=True)
def _care(chosen, day, seen_key, muted_open, muted, trust, trust_mult, gain, annoyance, relief, cost, last_served,
          last_response_day, last_msg_day, unanswered, value, acq_day, dfac):
    """Care sessions with `chosen`: a muted member sees the message with chance `muted_open` (the 'care_seen'
    draw, key `seen_key`); one who sees it gains trust (trust_after, by `gain`) and loses `relief` of annoyance
    (`gain`, `relief` in the arrays' float32, as NumPy computes), and the session is recorded (`record`).
    Changes trust, annoyance and what `record` changes."""
    one = np.float32(1.0)
    for j in range(chosen.shape[0]):
        i = chosen[j]
        seen = not muted[i] or unit(i, seen_key) < muted_open
        if seen:
            trust[i] = trust_after(trust[i], gain, trust_mult[i], one)
            annoyance[i] = max(0.0, annoyance[i] - relief)
        _session(i, day, seen, cost, last_served, last_response_day, last_msg_day, unanswered, value, acq_day, dfac)


@njit(cache=True)
def take(idx, stake, left, day, cost, last_served, last_response_day, last_msg_day, unanswered, value,
         acq_day, dfac):
    """Reactive sessions (consultations, follow-ups) for users `idx`, biggest `stake` first, while the
    `left` free sessions last; records them (see `record`). Returns the served mask; its count is
    what the day's sessions lose (the caller's Service.used)."""
    n = idx.shape[0]
    served = np.zeros(n, np.bool_)
    k = min(left, n)
    if k <= 0:
        return served
    if k == n:
        served[:] = True
    else:
        order = np.argsort(-stake, kind="mergesort")          # stable: ties keep the order asked
        for j in range(k):
            served[order[j]] = True
    record(idx[served], day, True, cost, last_served, last_response_day, last_msg_day, unanswered, value,
           acq_day, dfac)
    return served


SMALL_K = 32         # _smallest works for up to this many sessions (a sorted insertion: O(n k) at worst)


@njit(cache=True)
def _smallest(minus, k):
    """Positions of the k smallest of `minus` (0 < k < its length), in order, and True, when that set is the one
    np.argpartition(minus, k - 1)[:k] gives whatever its algorithm: k <= SMALL_K, no NaN and no tie straddling
    the k-th place. Otherwise (empty, False): the caller asks argpartition, whose choice among ties is its own."""
    n = minus.shape[0]
    out = np.empty(k, np.int64)
    if k > SMALL_K:
        return out[:0], False
    best = np.empty(k)                         # the k smallest so far, ascending
    m = 0
    for j in range(n):
        x = minus[j]
        if x != x:
            return out[:0], False
        if m < k or x < best[k - 1]:
            a = min(m, k - 1)
            while a > 0 and best[a - 1] > x:
                best[a] = best[a - 1]
                a -= 1
            best[a] = x
            m = min(m + 1, k)
    v = best[k - 1]
    m = 0
    for j in range(n):
        if minus[j] <= v:
            if m == k:
                return out[:0], False         # more than k at or below the k-th value: a tie straddles it
            out[m] = j
            m += 1
    return out, True


_NO_WEIGHT = np.zeros(0)      # _minus_scores' weight without membership tiers


class Service:
    def __init__(self, model):
        self.model = model
        s, users = model.sc.service, model.users
        self.hours = s.one_to_one_hours_per_day
        self.per_day = s.one_to_one_hours_per_day * 60 / s.minutes_per_session / model.scale   # sessions in agents
        self.session_cost = s.hourly_cost_rmb * s.minutes_per_session / 60.0
        self.carry = 0.0              # fraction of a session carried to the next day (population scale)
        self.left = 0                 # sessions still free today
        self.asked = 0                # consultations + follow-ups asked for today (plans tomorrow's care)
        # per-run constants in the precisions NumPy would use on the float32 arrays (a Python float is cast to them)
        self._gain = np.result_type(users.trust.dtype, s.trust_per_session * model.warmth).type(
            s.trust_per_session * model.warmth)
        self._relief = np.result_type(users.annoyance.dtype, s.relief_per_session).type(s.relief_per_session)
        self._price = np.result_type(users.spend.dtype, model.sc.market.price_rmb).type(model.sc.market.price_rmb)

    def daily(self, day: int, pool: np.ndarray) -> None:
        """Start the day: book the shift, then spend what reactive work will not need on care."""
        if self.hours <= 0:
            return
        model = self.model
        model.ledger.pay_shift(self.hours / model.scale)   # agent units (ledger.py)
        self.carry += self.per_day
        capacity = int(self.carry)
        self.carry -= capacity
        self.left = capacity
        k_care, self.asked = max(0, capacity - self.asked), 0
        k = min(k_care, len(pool))        # every member can be chosen: the brand is not told who muted
        if k == 0:
            return
        users, s = model.users, model.sc.service
        if k == len(pool):                # everyone is served: no scores needed (the draws are per member)
            chosen = pool
        else:
            if s.targeting == "tiered":
                weight = model.tiers.care_weight(pool)       # priority by membership tier (None when off)
                minus = _minus_scores(pool, day, users.last_response_day, users.pool_day, users.tier, users.spend,
                                      self._price, _NO_WEIGHT if weight is None else weight, s.at_risk_days,
                                      users.last_served)
            else:
                minus = -model.streams.uniform("service", day, pool)
            top, unique = _smallest(minus, k)         # the set argpartition would give, found faster
            chosen = pool[top] if unique else pool[np.argpartition(minus, k - 1)[:k]]
        # the member's side: a muted chat's care message is mostly not seen
        _care(chosen, day, model.streams.key("care_seen", day), model.sc.messaging.muted_open_factor, users.muted,
              users.trust, users.trust_mult, self._gain, users.annoyance, self._relief, self.session_cost,
              users.last_served, users.last_response_day, users.last_msg_day, users.unanswered, users.value,
              users.acq_day, model.ledger.dfac)
        self.left -= k
        model.today["service_sessions"] += k

    def used(self, asked: int, served: int, counter: str) -> None:
        """Account reactive work done by `take` in a compiled pass: `asked` sessions asked for (they plan
        tomorrow's care), `served` of them given (counted under `counter`)."""
        self.asked += asked
        self.left -= served
        self.model.today["service_sessions"] += served
        self.model.today[counter] += served
