"""Messaging and annoyance: brand messages to pool members, what an opened message does.

Reads messaging.* (per_week, content mix, open rates, intent and annoyance per open,
reply_prob, muted_open_factor, no-disturb), trust.per_content, pool.container (open rate
and warmth), users.muted (the member's side only: what a muted member sees).
Changes users.intent, annoyance, trust and the observable engagement arrays
(last_msg_day, unanswered, last_response_day); counts messages_sent / opened.

Each pool member gets per_week/7 messages a day on average (randomised rounding):
WeChat does not tell the brand who muted the chat, so the brand sends to every member
and every message counts as sent. In a group the brand's post is opened with the
container's open rate times the group's attention (groups.py); otherwise in a
one-to-one chat / Moments / WeCom mass message at the container's rate. A member who
muted the chat gets no notification and opens with muted_open_factor times that chance.
An opened message adds purchase intent and annoyance according to the content mix
(a promotion 1; useful content content_intent / content_annoy, a service note
service_intent / service_annoy of the per-open figures; only useful content builds trust);
an unopened one still adds a fifth of the annoyance (the notification; none when muted).
A member who opens replies with chance 1 - (1 - reply_prob x max(0, 1 - annoyance /
tolerance))^opened: annoyance and muting are hidden, the reply (or its absence) is what
staff see; an unopened message counts as unanswered. No-disturb (seed 002) decides only
from what staff can see: a member who has left no_disturb_unanswered messages unanswered
(no reply, order or conversation since) rests until no_disturb_rest_days have passed
since the last message, then gets one more try (so it rests most muted members by itself).
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..core.population import trust_after


@njit(cache=True)
def _deliver(idx, u_n, u_open, u_reply, attention, muted, annoyance, tolerance, intent, trust, trust_mult,
             last_msg, unanswered, last_response, day, per_day, open_rate, muted_open, reply_prob, hold_after,
             rest_days, intent_add, annoy_add, trust_add):
    """One pass over pool members: messages, opens, replies, intent, annoyance, trust.
    `attention` is per user (empty without groups); a muted member opens with `muted_open` x the
    chance and gets no notification. No-disturb (the brand's rule): a member with at least
    `hold_after` unanswered messages is skipped until `rest_days` after the last message
    (hold_after = a huge number when off). Returns (sent, opened)."""
    base = np.floor(per_day)
    frac = per_day - base
    use_att = attention.shape[0] > 0
    sent = 0.0
    opened_all = 0.0
    for j in range(idx.shape[0]):
        i = idx[j]
        if unanswered[i] >= hold_after and day - last_msg[i] < rest_days:
            continue
        n = base + (1.0 if u_n[j] < frac else 0.0)
        if n <= 0.0:
            continue
        p = open_rate * (attention[i] if use_att else 1.0)
        notified = 0.2                                             # an unopened notification's share of annoyance
        if muted[i]:                                               # the member's side: no notification
            p *= muted_open
            notified = 0.0
        opened = np.floor(n * p + u_open[j])
        mood = max(0.0, 1.0 - annoyance[i] / tolerance[i])        # read before today's messages
        intent[i] += opened * intent_add
        annoyance[i] += (opened + notified * (n - opened)) * annoy_add
        t = trust[i]
        trust[i] = trust_after(t, opened * trust_add, trust_mult[i], 1.0)
        last_msg[i] = day
        if opened > 0 and u_reply[j] < 1.0 - (1.0 - reply_prob * mood) ** opened:
            unanswered[i] = 0
            last_response[i] = day
        else:
            unanswered[i] += int(n)
        sent += n
        opened_all += opened
    return sent, opened_all


def content_units(m) -> tuple[float, float, float]:
    """(intent, annoyance, useful-content share) of one average opened message."""
    service = max(0.0, 1.0 - m.promo_share - m.value_share)
    intent = m.promo_share + m.content_intent * m.value_share + m.service_intent * service
    annoy = m.promo_share + m.content_annoy * m.value_share + m.service_annoy * service
    return intent, annoy, m.value_share


def send(model, day: int, pool: np.ndarray) -> None:
    """Deliver today's messages to the pool members `pool` (all of them: the brand cannot see who muted)."""
    sc, users = model.sc, model.users
    m = sc.messaging
    if m.per_week <= 0 or len(pool) == 0:
        return
    u_n, u_open = model.streams.uniform2("message", day, pool)
    u_reply = model.streams.uniform("reply", day, pool)
    i_unit, a_unit, value_share = content_units(m)
    sent, opened = _deliver(pool, u_n, u_open, u_reply, model.groups.attention, users.muted,
                            users.annoyance, users.tolerance, users.intent, users.trust, users.trust_mult,
                            users.last_msg_day, users.unanswered, users.last_response_day, day,
                            m.per_week / 7.0, model.open_rate, m.muted_open_factor, m.reply_prob,
                            m.no_disturb_unanswered if m.no_disturb else 2**31 - 1, m.no_disturb_rest_days,
                            m.intent_per_open * i_unit, m.annoy_per_open * a_unit,
                            sc.trust.per_content * value_share * model.warmth)
    model.today["messages_sent"] += sent
    model.today["messages_opened"] += opened
