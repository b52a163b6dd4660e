"""Offers: discount events (depth, cadence), coupon habits, old-customer-only events, member days.

Reads offers.*, service.member_day_* (a member day's pull wears off when they
come too often: member_day_wear) and messaging.muted_open_factor. Changes users.habit
when a discounted order is placed (see purchases.book). Discount events are pool
coupons: the brand issues them to every pool member (it is not told who muted the
chat); a member who muted sees a coupon on a given event day with chance
muted_open_factor, and an unseen coupon neither lifts buying nor is used. A
new-customer coupon discounts a newcomer's first order (acquisition.admit).

Deal seekers respond most to a discount (price sensitivity) and every discounted
order teaches the buyer to wait for the next coupon (habit), which lowers
full-price buying (seeds 001, 003: discount-only trains deal seekers).
"""
from __future__ import annotations

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


def member_day(service, day: int) -> bool:
    e = service.member_day_every_days
    return e > 0 and day % e == e - 1


def member_day_wear(service) -> float:
    """How much of a member day's pull is left when they come every `member_day_every_days`:
    1 - exp(-days between / member_day_recovery_days) (a day every month keeps ~88% at 14 days'
    recovery, every week ~39%, every day ~7%: frequent events wear off)."""
    e = service.member_day_every_days
    return 0.0 if e <= 0 else float(-np.expm1(-e / service.member_day_recovery_days))


def price_effect(model, idx: np.ndarray, day: int) -> tuple[np.ndarray, np.ndarray | None]:
    """Purchase-rate multiplier from prices today, and the mask of users holding a coupon they saw."""
    users, o = model.users, model.sc.offers
    habit = users.habit[idx]
    full_price = 1.0 - o.habit_wait * habit
    if not discount_today(o, day):
        return full_price, None
    offered = users.state[idx] == POOL                 # issued to every pool member
    if o.old_customers_only:
        offered &= users.orders[idx] > 0
    hidden = np.flatnonzero(offered & users.muted[idx])   # the member's side: a muted chat is rarely opened
    if len(hidden):
        offered[hidden] = model.streams.uniform("coupon_seen", day, idx[hidden]) < model.sc.messaging.muted_open_factor
    on_sale = (1.0 + o.elasticity * users.price_sens[idx] * o.discount_depth) * (1.0 + habit)
    return np.where(offered, on_sale, full_price), offered


def first_order_take_up(model, idx: np.ndarray, p_first: np.ndarray) -> tuple[np.ndarray, bool]:
    """First-order probability of newcomers `idx`, raised by a new-customer coupon:
    p' = 1 - (1 - p)^(1 + elasticity x price sensitivity x depth). Returns (p', coupon given)."""
    o = model.sc.offers
    if not o.new_customer_coupon or o.discount_depth <= 0:
        return p_first, False
    boost = 1.0 + o.elasticity * model.users.price_sens[idx] * o.discount_depth
    return 1.0 - (1.0 - p_first) ** boost, True


@njit(cache=True, inline="always")
def habit_after(habit, habit_gain):
    """A discounted order moves the buyer's habit of waiting toward 1 (float32 in, float32 out)."""
    return habit + habit_gain * (np.float32(1.0) - habit)
