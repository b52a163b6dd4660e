"""Leaving: lapsing, wash-back and annoyance, as competing daily hazards with a recorded reason.

Reads market.lapse_per_year, trust.leave_cut, messaging.leave_rate_over_tolerance /
mute_share, referral.fit_fade_days, and wash-back (washback.py).
Changes users.state, churn_day, reason, muted, group.

For a customer (acquired, not lost), with shield = exp(-leave_cut x trust):
  lapse   = lapse_per_year/365 x segment factor / fit x shield
  wash    = washback.hazard(...)
  annoyed = leave_rate_over_tolerance x max(0, annoyance - tolerance)   (active pool members)
One uniform decides whether anything happens (P = 1 - e^-sum), a second which one.
An annoyed member in a group leaves the group; otherwise mutes (mute_share) or
deletes the brand (lost, reason 'annoyed'). A referred user's fit lowers leaving
only while the referrer is still a customer (Van den Bulte et al. 2018).
"""
from __future__ import annotations

import numpy as np

from . import washback
from .population import ANNOYED, CHURNED, LAPSED, POOL, WASHED_BACK, REASONS


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
        pool = users.state[cust] == POOL
        muted = users.muted[cust]
        shield = np.exp(-sc.trust.leave_cut * users.trust[cust])
        fit = np.ones(len(cust))
        referred = users.referrer[cust] >= 0
        if referred.any():
            r = cust[referred]
            still = users.state[users.referrer[r]] != CHURNED
            fit[referred] = np.where(still, users.fit_now(r, day, sc.referral.fit_fade_days), 1.0)
        h_lapse = (sc.market.lapse_per_year / 365.0) * users.lapse_mult[cust] / fit * shield
        h_wash = washback.hazard(sc, pool, muted, shield)
        active = pool & ~muted
        h_annoy = np.where(active, sc.messaging.leave_rate_over_tolerance
                           * np.maximum(0.0, users.annoyance[cust] - users.tolerance[cust]), 0.0)
        total = h_lapse + h_wash + h_annoy
        u_event, u_which = model.streams.uniform2("leave", day, cust)
        hit = u_event < -np.expm1(-total)
        if not hit.any():
            return
        x = u_which[hit] * total[hit]
        a, b = h_lapse[hit], h_wash[hit]
        who = cust[hit]
        self.churn(who[x < a], day, LAPSED)
        self.churn(who[(x >= a) & (x < a + b)], day, WASHED_BACK)
        ann = x >= a + b
        annoyed = who[ann]
        v = (x[ann] - a[ann] - b[ann]) / np.maximum(h_annoy[hit][ann], 1e-300)   # uniform in [0, 1)
        in_group = users.group[annoyed] >= 0
        model.groups.leave(annoyed[in_group])
        model.today["left_group"] += int(in_group.sum())
        rest, v = annoyed[~in_group], v[~in_group]
        users.muted[rest[v < sc.messaging.mute_share]] = True
        model.today["muted"] += int((v < sc.messaging.mute_share).sum())
        self.churn(rest[v >= sc.messaging.mute_share], day, ANNOYED)
