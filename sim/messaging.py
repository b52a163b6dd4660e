"""Messaging and annoyance: brand messages to pool members, what an opened message does.

Reads messaging.* (per_week, content mix, open rates, intent and annoyance per open,
no-disturb), trust.per_content, pool.container (open rate and warmth).
Changes users.intent, annoyance, trust; counts messages_sent.

Each pool member who has not muted the brand gets per_week/7 messages a day on
average (randomised rounding). In a group the brand's post is opened with the
container's open rate times the group's attention (groups.py); otherwise in a
one-to-one chat / Moments / WeCom mass message at the container's rate.
An opened message adds purchase intent and annoyance according to the content mix
(promotion 1, useful content 0.5 / 0.4, service 0.25 / 0.1 of the per-open figures);
an unopened one still adds a fifth of the annoyance (the notification).
With no-disturb on, a member whose annoyance is above no_disturb_level x tolerance
is not messaged that day (seed 002).
"""
from __future__ import annotations

import numpy as np


def content_units(m) -> tuple[float, float, float]:
    """(intent, annoyance, useful-content share) of one average opened message."""
    service = max(0.0, 1.0 - m.promo_share - m.value_share)
    intent = m.promo_share + 0.5 * m.value_share + 0.25 * service
    annoy = m.promo_share + 0.4 * m.value_share + 0.1 * service
    return intent, annoy, m.value_share


def send(model, day: int, pool: np.ndarray) -> None:
    """Deliver today's messages to the pool members `pool` (not muted ones)."""
    sc, users = model.sc, model.users
    m = sc.messaging
    if m.per_week <= 0 or len(pool) == 0:
        return
    idx = pool[~users.muted[pool]]
    if m.no_disturb:
        idx = idx[users.annoyance[idx] < m.no_disturb_level * users.tolerance[idx]]
    if len(idx) == 0:
        return
    per_day = m.per_week / 7.0
    base = np.floor(per_day)
    u_n, u_open = model.streams.uniform2("message", day, idx)
    n = base + (u_n < per_day - base)
    p_open = model.open_rate * (model.groups.attention[idx] if model.groups.enabled else 1.0)
    opened = np.floor(n * p_open + u_open)
    i_unit, a_unit, value_share = content_units(m)
    users.intent[idx] += opened * (m.intent_per_open * i_unit)
    users.annoyance[idx] += (opened + 0.2 * (n - opened)) * (m.annoy_per_open * a_unit)
    t = users.trust[idx]
    users.trust[idx] = t + opened * (sc.trust.per_content * value_share * model.warmth) * users.trust_mult[idx] * (1 - t)
    model.today["messages_sent"] += float(n.sum())
    model.today["messages_opened"] += float(opened.sum())
