"""Messaging and annoyance: brand messages to pool members, what an opened message does.

Reads messaging.* (per_week, or each membership tier's: tiers.playbook.<tier>.messaging.per_week; content mix, channel mix and open rates through containers.py, intent
and annoyance per open, reply_prob, muted_open_factor, no-disturb), trust.per_content, pool.container
(open rates and warmth), offers / member days (event notices), users.muted (the member's side only:
what a muted member sees).
Changes users.intent, annoyance, trust and the observable engagement arrays
(last_msg_day, unanswered, last_response_day); counts messages_sent / opened.

Each pool member gets per_week/7 messages a day on average (randomised rounding):
WeChat does not tell the brand who muted the chat, so the brand sends to every member
and every message counts as sent. A message goes out through a channel with its own open rate
(containers.py): a group member's share `group_share` is posted in their group and read with
open_group x the group's attention att(s) (groups.py); the rest, and every message of a member not in
a group, go directly, as Moments posts, one-to-one chats and mass messages in the strategy's mix (or
through an official account). The group's attention touches only what is posted in the group.
A member who muted the chat gets no notification and opens with muted_open_factor times that chance.
An opened message adds purchase intent and annoyance according to the content mix
(a promotion 1; useful content content_intent / content_annoy, a service note
service_intent / service_annoy of the per-open figures; only useful content builds trust);
an unopened one that notified the member (a chat, a mass message, a group post: not a Moments post;
none when muted) still adds a fifth of the annoyance.
A member who opens replies with chance 1 - (1 - reply_prob x max(0, 1 - annoyance /
tolerance))^opened: annoyance and muting are hidden, the reply (or its absence) is what
staff see; an unopened message counts as unanswered. No-disturb (seed 002) decides only
from what staff can see: a member who has left no_disturb_unanswered messages unanswered
(no reply, order or conversation since) rests until no_disturb_rest_days have passed
since the last message, then gets one more try (so it rests most muted members by itself).

Events are promotions too (seed 002: coupons and flash sales pushed too often emptied the QQ groups):
on a discount event's first day every member issued the coupon, and on a member day every member, gets
one notice through the same channels, a promotion by content (intent and annoyance per open, no
trust), counted as a message sent; no-disturb rests a member from notices as from any message (the
coupon itself is still theirs: offers.prices). So coupons annoy by how often they come, as messages do.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from ..core.population import trust_after
from ..core.rng import pair, unit
from . import containers, offers

NOTIFIED = 0.2      # an unopened notification's share of an opened message's annoyance
_ONE_RATE = np.zeros(0, np.int8)    # _deliver's `level` for one rate for all
_ONE_A_DAY = np.ones(1)             # a notice's per_day


@njit(cache=True)
def _deliver(idx, n_key, reply_key, attention, group_share, muted, annoyance, tolerance, intent, trust, trust_mult,
             last_msg, unanswered, last_response, day, per_day, level, open_direct, nag_direct, open_group, muted_open,
             reply_prob, hold_after, rest_days, intent_add, annoy_add, trust_add):
    """One pass over pool members: messages, opens, replies, intent, annoyance, trust.
    `attention` is per user, att(s) for a member of an active group and 0 otherwise (empty without
    groups): such a member's `group_share` of messages are group posts opened with open_group x att, the
    rest direct (opened with `open_direct`; `nag_direct` the chance a direct message notifies and stays
    unopened). A muted member opens with `muted_open` x the chance and gets no notification. No-disturb
    (the brand's rule): a member with at least `hold_after` unanswered messages is skipped until
    `rest_days` after the last message (hold_after = a huge number when off). `per_day`: messages a day, one
    value, or one per membership tier (member i's is per_day[level[i]]; `level` empty for one value).
    Draws: the number and opens from `n_key` (two uniforms of one draw, as Streams.uniform2), the reply from
    `reply_key` (as Streams.uniform). Returns (sent per value of per_day, opened)."""
    base = np.floor(per_day)
    frac = per_day - base
    use_att = attention.shape[0] > 0
    by_level = level.shape[0] > 0
    sent = np.zeros(per_day.shape[0])
    opened_all = 0.0
    for j in range(idx.shape[0]):
        i = idx[j]
        if unanswered[i] >= hold_after and day - last_msg[i] < rest_days:
            continue
        k = level[i] if by_level else 0
        u_n, u_open = pair(i, n_key)
        n = base[k] + (1.0 if u_n < frac[k] else 0.0)
        if n <= 0.0:
            continue
        g = group_share if use_att and attention[i] > 0.0 else 0.0
        p_group = open_group * (attention[i] if g > 0.0 else 0.0)
        p = (1.0 - g) * open_direct + g * p_group
        nag = NOTIFIED * ((1.0 - g) * nag_direct + g * (1.0 - p_group))   # per message sent
        if muted[i]:                                               # the member's side: no notification
            p *= muted_open
            nag = 0.0
        opened = np.floor(n * p + u_open)
        mood = max(0.0, 1.0 - annoyance[i] / tolerance[i])        # read before today's messages
        intent[i] += opened * intent_add
        annoyance[i] += (opened + nag * n) * annoy_add
        t = trust[i]
        trust[i] = trust_after(t, opened * trust_add, trust_mult[i], 1.0)
        last_msg[i] = day
        if opened > 0 and unit(i, reply_key) < 1.0 - (1.0 - reply_prob * mood) ** opened:
            unanswered[i] = 0
            last_response[i] = day
        else:
            unanswered[i] += int(n)
        sent[k] += n
        opened_all += opened
    return sent, opened_all


def content_units(m) -> tuple[float, float, float]:
    """(intent, annoyance, useful-content share) of one average opened message."""
    service = max(0.0, 1.0 - m.promo_share - m.value_share)
    intent = m.promo_share + m.content_intent * m.value_share + m.service_intent * service
    annoy = m.promo_share + m.content_annoy * m.value_share + m.service_annoy * service
    return intent, annoy, m.value_share


class _Plan(NamedTuple):
    """What a day's sending reads from the scenario and the model, worked out once per scenario (`_plan`)."""
    by_tier: object             # model.tiers.per_week() (None without tiers)
    per_day: np.ndarray         # messages a day, one value or one per membership tier
    any_sent: bool
    hold_after: int
    intent_add: float
    annoy_add: float
    trust_add: float
    consts: tuple               # _deliver's channel and reply constants (open_direct .. rest_days)


def _plan(model) -> _Plan:
    """The model's sending plan (read through model.constants: worked out again when the scenario is swapped)."""
    sc, by_tier = model.sc, model.tiers.per_week()
    m = sc.messaging
    i_unit, a_unit, value_share = content_units(m)
    per_week = np.array([m.per_week]) if by_tier is None else by_tier
    open_direct, nag_direct = containers.direct_reach(sc)
    return _Plan(
        by_tier, np.atleast_1d(np.asarray(per_week / 7.0, np.float64)), bool(np.any(per_week > 0)),
        _hold_after(m), m.intent_per_open * i_unit, m.annoy_per_open * a_unit,
        sc.trust.per_content * value_share * model.warmth,
        (m.group_share, open_direct, nag_direct, containers.group_open(sc), m.muted_open_factor, m.reply_prob,
         m.no_disturb_rest_days))


def _send(model, plan: _Plan, day: int, idx: np.ndarray, stream: str, reply_stream: str, per_day: np.ndarray,
          intent_add: float, annoy_add: float, trust_add: float, level: np.ndarray = _ONE_RATE) -> np.ndarray:
    """Deliver `per_day` messages on average to each member in `idx` (the `_deliver` pass; `per_day` float64, one
    value, or one per membership tier with `level` the users' tiers), drawing from `stream` and `reply_stream`,
    with the channels of the model's `plan`; counts messages_sent / opened. Returns the messages sent (per value of
    `per_day`)."""
    users, streams = model.users, model.streams
    group_share, open_direct, nag_direct, group_open, muted_open, reply_prob, rest_days = plan.consts
    sent, opened = _deliver(idx, streams.key(stream, day), streams.key(reply_stream, day), model.groups.attention,
                            group_share, users.muted, users.annoyance, users.tolerance, users.intent, users.trust,
                            users.trust_mult, users.last_msg_day, users.unanswered, users.last_response_day, day,
                            per_day, level, open_direct, nag_direct, group_open, muted_open, reply_prob, plan.hold_after,
                            rest_days, intent_add, annoy_add, trust_add)
    today = model.today
    for s in sent:                              # whole messages: the same total in any order
        today["messages_sent"] += s
    today["messages_opened"] += opened
    return sent


def send(model, day: int, pool: np.ndarray) -> None:
    """Deliver today's messages to the pool members `pool` (all of them: the brand cannot see who muted), each
    membership tier at its playbook's frequency with tiers on (tiers.py; the same draws per member), then the
    notices of events that start today (`announce`)."""
    plan = model.constants("messaging", _plan)
    if plan.any_sent and len(pool):
        sent = _send(model, plan, day, pool, "message", "reply", plan.per_day, plan.intent_add, plan.annoy_add,
                     plan.trust_add, _ONE_RATE if plan.by_tier is None else model.users.level)
    else:
        sent = np.zeros(len(plan.per_day))
    if plan.by_tier is not None:
        model.tiers.count_messages(pool, sent)
    announce(model, day, pool, plan)


def announce(model, day: int, pool: np.ndarray, plan: _Plan) -> None:
    """One promotional notice to each member a discount event starting today is issued to (every pool
    member, or with offers.old_customers_only those with an order), one to every member on a member day, and one
    on the first day of a sales-calendar event with a pool push. `plan`: the model's (`_plan`)."""
    if len(pool) == 0:
        return
    sc, users = model.sc, model.users
    m = sc.messaging
    if offers.event_starts(sc.offers, day):
        holders = pool[users.orders[pool] > 0] if sc.offers.old_customers_only else pool
        _send(model, plan, day, holders, "notice", "notice_reply", _ONE_A_DAY, m.intent_per_open, m.annoy_per_open,
              0.0)
    if offers.member_day(sc.service, day):
        _send(model, plan, day, pool, "notice_md", "notice_md_reply", _ONE_A_DAY, m.intent_per_open, m.annoy_per_open,
              0.0)
    if model.calendar.push_starts(day):     # a sales-calendar event the pool pushes (calendar.py)
        _send(model, plan, day, pool, "notice_cal", "notice_cal_reply", _ONE_A_DAY, m.intent_per_open, m.annoy_per_open,
              0.0)


def _hold_after(m) -> int:
    """Unanswered messages after which no-disturb rests a member (a number never reached when it is off)."""
    return m.no_disturb_unanswered if m.no_disturb else 2**31 - 1
