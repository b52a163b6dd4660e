"""Offers: discount events (depth, cadence), coupon habits, old-customer-only events, member days.

Reads offers.*, service.member_day_* (a member day's pull wears off when they
come too often: member_day_wear) and messaging.muted_open_factor. Changes users.habit
when a discounted order is placed (see purchases.book). Discount events are pool
coupons: the brand issues them to every pool member (it is not told who muted the
chat); a member who muted sees a coupon on a given event day with chance
muted_open_factor, and an unseen coupon neither lifts buying nor is used. A
new-customer coupon discounts a newcomer's first order (acquisition.admit). Each event is
announced to the members it is issued to (messaging.announce: a promotion, which annoys).

Deal seekers respond most to a discount (price sensitivity) and every discounted
order teaches the buyer to wait for the next coupon (habit), which lowers
full-price buying (seeds 001, 003: discount-only trains deal seekers). Frequent events wear
out: an event's pull (a discount's lift on buyers, an event's revival of a group) is x wear =
1 - e^(-days between events / recovery days), as buyers come to expect the discount (frequent and deep
promotions lower the price buyers expect: Kalwani & Yim 1992). What a coupon-waiter puts off
(habit_wait x habit of their full-price buying on the days between events) is made up at the next
event only in part (wait_recapture): on an event day a holder's rate is
  (1 + elasticity x price sensitivity x depth x wear) x (1 + wait_recapture x habit_wait x habit x
  (every - days) / days),
so waiting shifts and loses purchases, and never adds any when the discount is always on.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from ..core.population import POOL
from ..core.rng import unit


def intensity(offers) -> float:
    """How discount-led the brand looks: depth x min(1, 7 / days between events)."""
    if offers.discount_every_days <= 0 or offers.discount_depth <= 0:
        return 0.0
    return offers.discount_depth * min(1.0, 7.0 / offers.discount_every_days)


def discount_today(offers, day: int) -> bool:
    e = offers.discount_every_days
    return e > 0 and offers.discount_depth > 0 and (day % e) < offers.discount_days


def event_starts(offers, day: int) -> bool:
    """A discount event begins today (its notice goes out, its pull reaches the groups)."""
    e = offers.discount_every_days
    return e > 0 and offers.discount_depth > 0 and day % e == 0


def member_day(service, day: int) -> bool:
    e = service.member_day_every_days
    return e > 0 and day % e == e - 1


def wear(every_days: float, recovery_days: float) -> float:
    """How much of an event's pull is left when it comes every `every_days`: 1 - exp(-every / recovery)
    (0 when there are no events). At 14 days' recovery: a monthly event keeps ~88%, a weekly one ~39%,
    a daily one ~7%: frequent events wear off."""
    return 0.0 if every_days <= 0 else float(-np.expm1(-every_days / recovery_days))


def member_day_wear(service) -> float:
    """What is left of a member day's pull at its cadence (wear, service.member_day_recovery_days)."""
    return wear(service.member_day_every_days, service.member_day_recovery_days)


def discount_wear(offers) -> float:
    """What is left of a discount event's pull at its cadence (wear, offers.recovery_days)."""
    return wear(offers.discount_every_days, offers.recovery_days) if offers.discount_depth > 0 else 0.0


def event_pull(sc, day: int) -> float:
    """Combined pull of the events that start today on a group (0 without one): 1 - prod(1 - wear)."""
    stay = 1.0
    if event_starts(sc.offers, day):
        stay *= 1.0 - discount_wear(sc.offers)
    if member_day(sc.service, day):
        stay *= 1.0 - member_day_wear(sc.service)
    return 1.0 - stay


class Prices(NamedTuple):
    """Today's prices for customers `idx` (offers.prices): `factor` the purchase-rate multiplier; `offered` the
    mask of coupon holders who saw their coupon (None without a discount today); `cut` each customer's own price cut
    (a coupon they saw, or a member price: the deeper; float32; None when nobody has one); `lift` that cut's pull on
    the rate, already in `factor` (calendar.py lifts an event's deeper cut in its place: one lift at the deepest
    cut); `standing` each customer's member-price cut (tiers.py; None when no tier has one)."""
    factor: np.ndarray
    offered: np.ndarray | None
    cut: np.ndarray | None
    lift: np.ndarray | None
    standing: np.ndarray | None


def prices(model, idx: np.ndarray, day: int) -> Prices:
    """Purchase-rate multiplier from prices today, the coupon holders who saw theirs, each customer's own cut and
    its lift, and their member price. A member price (tiers.py) is a standing cut: its pull is that of an every-day
    discount (wear at one day); on a discount day a holder's coupon counts where it cuts deeper (its depth is the
    tier's playbook coupon, tiers.coupon_depths). One compiled pass (_prices); the figures a float32 array meets are
    float32, so it computes as NumPy would on the arrays."""
    users, o, tiers = model.users, model.sc.offers, model.tiers
    standing = tiers.member_prices()
    disc = discount_today(o, day)
    per_tier = tiers.coupon_depths(o.discount_depth) if disc else None
    # days put off per event day
    between = np.float32((o.discount_every_days - o.discount_days) / o.discount_days) if disc else _ZERO32
    factor, offered, cut, lift, own = _prices(
        idx, users.habit, users.price_sens, users.level, users.state, users.orders, users.muted, disc,
        _NO_TIER32 if standing is None else standing, _NO_TIER64 if per_tier is None else per_tier, between,
        model.streams.key("coupon_seen", day), *model.constants("prices", _constants))
    own = None if standing is None else own
    if not disc:
        return Prices(factor, None, own, None if own is None else lift, own)
    return Prices(factor, offered, cut, lift, own)


_NO_TIER32 = np.zeros(0, np.float32)
_NO_TIER64 = np.zeros(0)
_ZERO32 = np.float32(0.0)


def _constants(model) -> tuple:
    """What `prices` reads of the scenario (model.constants), in the types `_prices` computes with (float32 where
    NumPy would meet a float32 array): habit_wait, elasticity, the member price's wear, old customers only, the
    discount's depth and wear, wait_recapture, muted_open_factor."""
    o, f32 = model.sc.offers, np.float32
    return (f32(o.habit_wait), f32(o.elasticity), f32(model.tiers.standing_wear), bool(o.old_customers_only),
            f32(o.discount_depth), float(discount_wear(o)), f32(o.wait_recapture),
            float(model.sc.messaging.muted_open_factor))


@njit(cache=True)
def _prices(idx, habit, sens, level, state, orders, muted, disc, standing, depth_tiers, between, key_seen, habit_wait,
            elasticity, standing_wear, old_only, depth, wear_, recapture, muted_open):
    """`prices` for each of `idx`: (factor, offered, cut, lift, own); `standing` each tier's member price (empty: none),
    `depth_tiers` each tier's coupon depth (empty: `depth` for all); `own` each one's member price (empty: none)."""
    n = idx.shape[0]
    factor, offered, cut, lift = np.empty(n), np.zeros(n if disc else 0, np.bool_), np.empty(n, np.float32), np.empty(n)
    own = np.empty(n if standing.shape[0] > 0 else 0, np.float32)
    has_st, per_tier = standing.shape[0] > 0, depth_tiers.shape[0] > 0
    one = np.float32(1.0)
    for j in range(n):
        i = idx[j]
        put_off = habit_wait * habit[i]               # share of full-price buying a waiter puts off (float32)
        full = one - put_off
        st = np.float32(0.0)
        s_lift = np.float32(0.0)
        if has_st:                                     # a member price: the worn pull of an every-day discount
            st = standing[level[i]]
            own[j] = st
            s_lift = elasticity * sens[i] * st * standing_wear
            full = full * (one + s_lift)
        factor[j] = full
        cut[j], lift[j] = st, s_lift
        if not disc:
            continue
        off = state[i] == POOL and (orders[i] > 0 or not old_only)     # issued to every pool member
        d = depth_tiers[level[i]] if per_tier else np.float64(depth)
        if per_tier:
            off = off and d > 0.0
        if off and muted[i]:                           # the member's side: a muted chat is rarely opened
            off = unit(i, key_seen) < muted_open
        c = (np.float32(d) if per_tier else depth) if off else np.float32(0.0)
        if not off:
            lf = 0.0
        elif per_tier:                                 # a tier's depth is float64: so is its lift
            lf = np.float64(elasticity * sens[i]) * d * wear_
        else:
            lf = np.float64(elasticity * sens[i] * depth * np.float32(wear_))
        if has_st and st >= c:                         # the member price is at least as deep: its lift counts
            c, lf = st, np.float64(s_lift)
        cut[j], lift[j], offered[j] = c, lf, off
        if off:
            recap = one + recapture * put_off * between
            if per_tier:
                factor[j] = (1.0 + lf) * np.float64(recap)
            else:
                factor[j] = (one + np.float32(lf)) * recap
    return factor, offered, cut, lift, own


def first_order_take_up(model, idx: np.ndarray, p_first: np.ndarray, event_depth: float = 0.0) -> tuple[np.ndarray, float]:
    """First-order probability of newcomers `idx`, raised by a new-customer coupon or a sales-calendar event's
    price cut (`event_depth`; the deeper one counts): p' = 1 - (1 - p)^(1 + elasticity x price sensitivity x depth).
    Returns (p', the first order's price cut: 0 = full price)."""
    o = model.sc.offers
    depth = o.discount_depth if o.new_customer_coupon and o.discount_depth > 0 else 0.0
    depth = max(depth, event_depth)
    if depth <= 0:
        return p_first, 0.0
    boost = 1.0 + o.elasticity * model.users.price_sens[idx] * depth
    return 1.0 - (1.0 - p_first) ** boost, depth


@njit(cache=True, inline="always")
def habit_after(habit, habit_gain):
    """A discounted order moves the buyer's habit of waiting toward 1 (float32 in, float32 out)."""
    return habit + habit_gain * (np.float32(1.0) - habit)
