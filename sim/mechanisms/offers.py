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
    tier's playbook coupon, tiers.coupon_depth)."""
    users, o = model.users, model.sc.offers
    habit = users.habit[idx]
    put_off = o.habit_wait * habit                     # share of full-price buying a waiter puts off
    full_price = 1.0 - put_off
    standing = model.tiers.member_price(idx)
    if standing is not None:
        s_lift = o.elasticity * users.price_sens[idx] * standing * model.tiers.standing_wear
        full_price = full_price * (1.0 + s_lift)
    if not discount_today(o, day):
        if standing is None:
            return Prices(full_price, None, None, None, None)
        return Prices(full_price, None, standing, s_lift, standing)
    offered = users.state[idx] == POOL                 # issued to every pool member
    if o.old_customers_only:
        offered &= users.orders[idx] > 0
    depth = model.tiers.coupon_depth(idx, o.discount_depth)     # the strategy's, or each tier's (playbook)
    if np.ndim(depth):
        offered &= depth > 0
    hidden = np.flatnonzero(offered & users.muted[idx])   # the member's side: a muted chat is rarely opened
    if len(hidden):
        offered[hidden] = model.streams.uniform("coupon_seen", day, idx[hidden]) < model.sc.messaging.muted_open_factor
    between = (o.discount_every_days - o.discount_days) / o.discount_days    # days put off per event day
    lift = o.elasticity * users.price_sens[idx] * depth * discount_wear(o)
    recapture = 1.0 + o.wait_recapture * put_off * between
    cut = np.where(offered, np.asarray(depth, np.float32), np.float32(0))
    lift = np.where(offered, lift, 0.0)
    if standing is None:
        return Prices(np.where(offered, (1.0 + lift) * recapture, full_price), offered, cut, lift, None)
    member = standing >= cut                           # the member price is at least as deep: its lift counts
    cut, lift = np.where(member, standing, cut), np.where(member, s_lift, lift)
    return Prices(np.where(offered, (1.0 + lift) * recapture, full_price),
                  offered, cut, lift, standing)


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
