"""Differentiated service: one-to-one conversations limited by staff hours, tiered targeting.

Reads service.* (hours, minutes per session, targeting, trust / intent / relief per
session, hourly cost), pool warmth. Changes users.trust, intent, annoyance,
last_served; books service hours.

Sessions per day = hours x 60 / minutes_per_session (people; / scale agents). With `tiered` targeting the
sessions go to the members with the highest priority
  (1 + tier) x (1 + spend / price) x min(1, days since served / 14) + annoyance / tolerance
(valuable, not recently served, or at risk of leaving: seeds 001, 002); with
`random` they go to members at random. A session adds trust (x warmth, saturating
at 1), purchase intent, and removes annoyance.
"""
from __future__ import annotations

import numpy as np


def serve(model, day: int, pool: np.ndarray) -> None:
    sc, users = model.sc, model.users
    s = sc.service
    if s.one_to_one_hours_per_day <= 0:
        return
    model.ledger.use_hours(s.one_to_one_hours_per_day / model.scale)
    idx = pool[~users.muted[pool]]
    # sessions in people / scale = sessions in agents; the fraction carries to the next day
    model.service_carry += s.one_to_one_hours_per_day * 60 / s.minutes_per_session / model.scale
    k = int(model.service_carry)
    model.service_carry -= k
    k = min(k, len(idx))
    if k == 0:
        return
    if s.targeting == "tiered":
        score = (1.0 + users.tier[idx]) * (1.0 + users.spend[idx] / sc.market.price_rmb) \
            * np.minimum(1.0, (day - users.last_served[idx]) / 14.0) + users.annoyance[idx] / users.tolerance[idx]
    else:
        score = model.streams.uniform("service", day, idx)
    chosen = idx if k == len(idx) else idx[np.argpartition(-score, k - 1)[:k]]
    users.gain_trust(chosen, s.trust_per_session * model.warmth)
    users.intent[chosen] += s.intent_per_session
    users.annoyance[chosen] = np.maximum(0.0, users.annoyance[chosen] - s.relief_per_session)
    users.last_served[chosen] = day
    model.today["service_sessions"] += k
