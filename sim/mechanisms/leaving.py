"""Leaving: lapsing, wash-back and annoyance, as competing daily hazards with a recorded reason.

Reads market.lapse_per_year, market.leaving_spread (users.leave_mult), trust.leave_cut, messaging.leave_rate_over_tolerance /
mute_share, and wash-back (washback.py).
Changes users.state, churn_day, reason, muted, group.

For a customer (acquired, not lost), with shield = exp(-leave_cut x trust) x proneness (the
individual mean-one factor of market.leaving_spread):
  lapse   = lapse_per_year/365 x segment factor x shield
  wash    = washback.hazard(...)
  annoyed = leave_rate_over_tolerance x max(0, annoyance - tolerance)   (active pool members)
One uniform decides whether anything happens (P = 1 - e^-sum), a second which one (both from one
draw of the 'leave' stream, made inside the compiled pass).
An annoyed member in a group leaves the group; otherwise mutes (mute_share) or
deletes the brand (lost, reason 'annoyed').
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..core.population import ANNOYED, CHURNED, LAPSED, POOL, REASONS, WASHED_BACK
from ..core.rng import pair
from . import washback


@njit(cache=True, inline="always")
def _lose(i, day, why, state, churn_day, reason, group):
    """User i is lost to the brand on `day` for reason `why`; True if they were a pool member."""
    was_pool = state[i] == POOL
    state[i] = CHURNED
    churn_day[i] = day
    reason[i] = why
    group[i] = -1
    return was_pool


@njit(cache=True)
def _lose_all(idx, day, why, state, churn_day, reason, group):
    """`_lose` for each user in `idx`; returns how many were pool members."""
    k = 0
    for i in idx:
        k += _lose(i, day, why, state, churn_day, reason, group)
    return k


@njit(cache=True)
def _events(cust, key, day, state, muted, trust, lapse_mult, leave_mult, annoyance, tolerance, churn_day, reason,
            group, leave_cut, lapse_per_day, wash_per_day, protection, muted_factor, leave_rate, mute_share, bounded):
    """One pass over customers: competing hazards (two uniforms of the 'leave' stream, `key`) decide
    whether each leaves today and why; the lost are marked at once. An annoyed member in a group is
    returned (they leave the group); one outside mutes or deletes the brand, by where the draw falls.
    `bounded`: every rate is >= 0 (as are the users' factors), so a customer's hazards grow with their shield.
    Returns (members annoyed in a group, lost by reason code, pool members lost, newly muted)."""
    n = cust.shape[0]
    lost = np.zeros(len(REASONS), np.int64)
    in_group = np.empty(n, np.int64)
    k = pool_lost = muted_n = 0
    for j in range(n):
        i = cust[j]
        u_event, u_which = pair(i, key)
        in_pool = state[i] == POOL
        m = muted[i]
        h_annoy = leave_rate * max(0.0, annoyance[i] - tolerance[i]) if (in_pool and not m) else 0.0
        cut = -leave_cut * trust[i]
        if bounded and cut <= 0.0:
            # exp(cut) <= 1, so the hazards at shield = proneness bound today's total (every step rounds
            # monotonically); nothing happens when u_event is not below that bound (see below): no exp needed
            top = np.float64(leave_mult[i])
            if not u_event < lapse_per_day * lapse_mult[i] * top + washback.hazard(
                    in_pool, m, top, wash_per_day, protection, muted_factor) + h_annoy:
                continue
        shield = np.exp(cut) * leave_mult[i]   # trust shields; proneness is individual
        h_lapse = lapse_per_day * lapse_mult[i] * shield
        h_wash = washback.hazard(in_pool, m, shield, wash_per_day, protection, muted_factor)
        total = h_lapse + h_wash + h_annoy
        # 1 - e^-total <= total (and expm1 is within an ulp), so u_event >= total needs no expm1: nothing happens
        if u_event < total and u_event < -np.expm1(-total):
            x = u_which * total
            if x < h_lapse:
                why = LAPSED
            elif x < h_lapse + h_wash or h_annoy <= 0.0:
                why = WASHED_BACK
            elif group[i] >= 0:
                in_group[k] = i
                k += 1
                continue
            elif min((x - h_lapse - h_wash) / h_annoy, 0.999999999) < mute_share:
                muted[i] = True
                muted_n += 1
                continue
            else:
                why = ANNOYED
            pool_lost += _lose(i, day, why, state, churn_day, reason, group)
            lost[why] += 1
    return in_group[:k], lost, pool_lost, muted_n


_COUNTED = tuple((code, "lost_" + REASONS[code]) for code in (LAPSED, WASHED_BACK, ANNOYED))   # daily counters


class Leaving:
    def __init__(self, model):
        self.model = model
        sc = model.sc
        # _events' hazard constants, read once per run, and its `bounded`
        rates = (sc.trust.leave_cut, sc.market.lapse_per_year / 365.0, sc.washback.public_per_year / 365.0,
                 sc.pool.protection, sc.washback.muted_factor, sc.messaging.leave_rate_over_tolerance,
                 sc.messaging.mute_share)
        self._rates = rates + (all(r >= 0 for r in rates[1:6]),)

    def churn(self, idx: np.ndarray, day: int, reason: int) -> None:
        """Mark `idx` as lost to the brand on `day` for `reason`."""
        if len(idx) == 0:
            return
        users = self.model.users
        self.model.pool_count -= int(_lose_all(np.asarray(idx, dtype=np.int64), day, reason, users.state,
                                               users.churn_day, users.reason, users.group))
        self.model.today["lost_" + REASONS[reason]] += len(idx)

    def daily(self, day: int, cust: np.ndarray) -> None:
        """Today's lapses, wash-back and annoyance among customers `cust` (the `_events` pass); counts them."""
        if len(cust) == 0:
            return
        model, users = self.model, self.model.users
        annoyed_in_group, lost, pool_lost, muted = _events(
            cust, model.streams.key("leave", day), day, users.state, users.muted, users.trust, users.lapse_mult,
            users.leave_mult, users.annoyance, users.tolerance, users.churn_day, users.reason, users.group,
            *self._rates)
        model.pool_count -= int(pool_lost)
        today = model.today
        for code, column in _COUNTED:
            today[column] += int(lost[code])
        if len(annoyed_in_group):
            model.groups.leave(annoyed_in_group)
            today["left_group"] += len(annoyed_in_group)
        today["muted"] += int(muted)
