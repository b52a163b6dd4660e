"""Leaving: lapsing, wash-back and annoyance, as competing daily hazards with a recorded reason.

Reads market.lapse_per_year, market.leaving_spread (users.leave_mult), trust.leave_cut, messaging.leave_rate_over_tolerance /
mute_share, and wash-back (washback.py).
Changes users.state, churn_day, reason, muted, group.

For a customer (acquired, not lost), with shield = exp(-leave_cut x trust) x proneness (the
individual mean-one factor of market.leaving_spread):
  lapse   = lapse_per_year/365 x segment factor x shield
  wash    = washback.hazard(...)
  annoyed = leave_rate_over_tolerance x max(0, annoyance - tolerance)   (active pool members)
One uniform decides whether anything happens (P = 1 - e^-sum), a second which one.
An annoyed member in a group leaves the group; otherwise mutes (mute_share) or
deletes the brand (lost, reason 'annoyed').
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..core.population import ANNOYED, CHURNED, LAPSED, POOL, REASONS, WASHED_BACK
from . import washback


@njit(cache=True)
def _events(cust, state, muted, trust, lapse_mult, leave_mult, annoyance, tolerance, u_event, u_which,
            leave_cut, lapse_per_day, wash_per_day, protection, muted_factor, leave_rate):
    """One pass over customers: competing hazards -> event code (0 none, else a reason) and,
    for annoyance, the position v in [0, 1) that decides between muting and deleting."""
    n = cust.shape[0]
    code = np.zeros(n, np.int8)
    v = np.zeros(n)
    for j in range(n):
        i = cust[j]
        shield = np.exp(-leave_cut * trust[i]) * leave_mult[i]   # trust shields; proneness is individual
        in_pool = state[i] == POOL
        m = muted[i]
        h_lapse = lapse_per_day * lapse_mult[i] * shield
        h_wash = washback.hazard(in_pool, m, shield, wash_per_day, protection, muted_factor)
        h_annoy = leave_rate * max(0.0, annoyance[i] - tolerance[i]) if (in_pool and not m) else 0.0
        total = h_lapse + h_wash + h_annoy
        if u_event[j] < -np.expm1(-total):
            x = u_which[j] * total
            if x < h_lapse:
                code[j] = LAPSED
            elif x < h_lapse + h_wash or h_annoy <= 0.0:
                code[j] = WASHED_BACK
            else:
                code[j] = ANNOYED
                v[j] = min((x - h_lapse - h_wash) / h_annoy, 0.999999999)
    return code, v


class Leaving:
    def __init__(self, model):
        self.model = model

    def churn(self, idx: np.ndarray, day: int, reason: int) -> None:
        """Mark `idx` as lost to the brand on `day` for `reason`."""
        if len(idx) == 0:
            return
        users = self.model.users
        self.model.pool_count -= int(np.count_nonzero(users.state[idx] == POOL))
        users.state[idx] = CHURNED
        users.churn_day[idx] = day
        users.reason[idx] = reason
        users.group[idx] = -1
        self.model.today["lost_" + REASONS[reason]] += len(idx)

    def daily(self, day: int, cust: np.ndarray) -> None:
        model, users, sc = self.model, self.model.users, self.model.sc
        if len(cust) == 0:
            return
        u_event, u_which = model.streams.uniform2("leave", day, cust)
        code, v = _events(cust, users.state, users.muted, users.trust, users.lapse_mult, users.leave_mult,
                          users.annoyance,
                          users.tolerance, u_event, u_which, sc.trust.leave_cut, sc.market.lapse_per_year / 365.0,
                          sc.washback.public_per_year / 365.0, sc.pool.protection, sc.washback.muted_factor,
                          sc.messaging.leave_rate_over_tolerance)
        hit = np.flatnonzero(code)
        if len(hit) == 0:
            return
        code, v, who = code[hit], v[hit], cust[hit]
        self.churn(who[code == LAPSED], day, LAPSED)
        self.churn(who[code == WASHED_BACK], day, WASHED_BACK)
        ann = code == ANNOYED
        annoyed, v = who[ann], v[ann]
        in_group = users.group[annoyed] >= 0
        model.groups.leave(annoyed[in_group])
        model.today["left_group"] += int(in_group.sum())
        rest, v = annoyed[~in_group], v[~in_group]
        users.muted[rest[v < sc.messaging.mute_share]] = True
        model.today["muted"] += int((v < sc.messaging.mute_share).sum())
        self.churn(rest[v >= sc.messaging.mute_share], day, ANNOYED)
