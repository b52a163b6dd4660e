"""Purchases: who buys today, at what price and margin, and which orders come back.

Reads market.public_buy_factor, messaging.intent_max, trust.buy_lift / per_order,
offers.* (through offers.price_effect), service.member_day_*, economics.*.
Changes users.orders, spend, last_order_day, value, intent, trust, habit; books
revenue, cogs, discounts, returns and gifts; invites public-side buyers to the pool.

Daily purchase hazard of a customer:
  rate = buy_rate * place * (1 + intent_max (1 - e^-intent)) * (1 + buy_lift trust^2)
         * price_effect * social_proof * member_day,   P(buy) = 1 - e^-rate,
member_day = 1 + member_day_lift x trust on a member day for reachable members
(trust must be built before it sells: seed 001's months of trust-building).
"""
from __future__ import annotations

import numpy as np

from . import containers, offers
from .population import POOL, PUBLIC


def book(model, idx: np.ndarray, day: int, u_return: np.ndarray, return_rate, discounted=None, gift=0.0):
    """Book one order for each user in `idx`: revenue, cogs, discount, returns, gifts and user value.

    `u_return` are the users' uniforms for the return draw; `discounted` is a mask of
    orders placed with a coupon (None = none). Returns the mask of kept orders.
    """
    if len(idx) == 0:
        return np.zeros(0, dtype=bool)
    users, led, econ = model.users, model.ledger, model.sc.economics
    value = users.order_value[idx] * users.fit_now(idx, day, model.sc.referral.fit_fade_days)
    kept = u_return >= return_rate
    depth = model.sc.offers.discount_depth if discounted is not None else 0.0
    disc = np.where(kept & discounted, value * depth, 0.0) if discounted is not None else 0.0
    kept_value = np.where(kept, value, 0.0)
    net = kept_value * (1 - econ.cogs_share) - disc - np.where(kept, gift, econ.return_handling_rmb)
    led.add("revenue", kept_value.sum())
    led.add("cogs", kept_value.sum() * econ.cogs_share)
    led.add("discounts", np.sum(disc))
    led.add("returns", (~kept).sum() * econ.return_handling_rmb)
    led.add("gifts", np.sum(np.where(kept, gift, 0.0)))
    led.credit_users(users, idx, day, net)
    users.orders[idx] += 1
    users.last_order_day[idx] = day
    k = idx[kept]
    users.spend[k] += kept_value[kept]
    users.trust[k] += model.sc.trust.per_order * model.warmth * users.trust_mult[k] * (1 - users.trust[k])
    if discounted is not None:
        offers.learn_habit(users, idx[kept & discounted], model.sc.offers.habit_gain)
    model.today["orders"] += len(idx)
    model.today["returned_orders"] += int((~kept).sum())
    return kept


def daily(model, day: int, cust: np.ndarray) -> np.ndarray:
    """Draw today's repeat orders among customers `cust`; returns the buyers."""
    if len(cust) == 0:
        return cust
    sc, users = model.sc, model.users
    state = users.state[cust]
    reachable = (state == POOL) & ~users.muted[cust]
    rate = users.buy_rate[cust] * np.where(reachable, 1.0, sc.market.public_buy_factor)
    rate *= 1.0 + sc.messaging.intent_max * (1.0 - np.exp(-users.intent[cust]))
    trust = users.trust[cust]
    rate *= 1.0 + sc.trust.buy_lift * trust * trust
    price, offered = offers.price_effect(model, cust, day)
    rate *= price
    if model.groups.enabled:
        rate *= model.groups.proof[cust]
    gift = 0.0
    if offers.member_day(sc.service, day):
        rate *= np.where(reachable, 1.0 + sc.service.member_day_lift * trust, 1.0)
        gift = np.where(reachable, sc.service.member_day_gift_rmb, 0.0)
    u_buy, u_ret = model.streams.uniform2("buy", day, cust)
    hit = u_buy < -np.expm1(-rate)
    buyers = cust[hit]
    disc = offered[hit] if offered is not None else None
    book(model, buyers, day, u_ret[hit], sc.economics.pool_return_rate, disc, gift[hit] if np.ndim(gift) else gift)
    model.ledger.use_hours(np.count_nonzero(reachable[hit]) * sc.service.support_minutes_per_order / 60.0)
    users.intent[buyers] *= 0.5  # an order uses up part of the intent that led to it
    model.groups.count_orders(buyers)
    public_buyers = buyers[users.state[buyers] == PUBLIC]
    containers.invite(model, public_buyers, day, np.ones(len(public_buyers), dtype=bool), stream="reinvite")
    return buyers
