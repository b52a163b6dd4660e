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
from numba import njit


@njit(cache=True)
def _deliver(idx, u_n, u_open, attention, annoyance, tolerance, intent, trust, trust_mult,
             per_day, open_rate, hold_level, intent_add, annoy_add, trust_add):
    """One pass over reachable members: messages, opens, intent, annoyance, trust.
    `attention` is per user (empty without groups); members with annoyance >= hold_level x
    tolerance are skipped (no-disturb; hold_level = inf when off). Returns (sent, opened)."""
    base = np.floor(per_day)
    frac = per_day - base
    use_att = attention.shape[0] > 0
    sent = 0.0
    opened_all = 0.0
    for j in range(idx.shape[0]):
        i = idx[j]
        if annoyance[i] >= hold_level * tolerance[i]:
            continue
        n = base + (1.0 if u_n[j] < frac else 0.0)
        p = open_rate * (attention[i] if use_att else 1.0)
        opened = np.floor(n * p + u_open[j])
        intent[i] += opened * intent_add
        annoyance[i] += (opened + 0.2 * (n - opened)) * annoy_add
        t = trust[i]
        trust[i] = t + opened * trust_add * trust_mult[i] * (1.0 - t)
        sent += n
        opened_all += opened
    return sent, opened_all


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
    if len(idx) == 0:
        return
    u_n, u_open = model.streams.uniform2("message", day, idx)
    i_unit, a_unit, value_share = content_units(m)
    sent, opened = _deliver(idx, u_n, u_open, model.groups.attention,
                            users.annoyance, users.tolerance, users.intent, users.trust, users.trust_mult,
                            m.per_week / 7.0, model.open_rate, m.no_disturb_level if m.no_disturb else np.inf,
                            m.intent_per_open * i_unit, m.annoy_per_open * a_unit,
                            sc.trust.per_content * value_share * model.warmth)
    model.today["messages_sent"] += sent
    model.today["messages_opened"] += opened
