"""Purchases: who buys today, at what price and margin, and which orders come back.

Reads market.public_buy_factor, messaging.intent_max, trust.buy_lift / per_order,
offers.* (through offers.price_effect), service.member_day_* / consider_half_rmb /
self_close / consult_close / save_return_share, economics.*.
Changes users.orders, spend, last_order_day, value, intent, trust, habit,
last_response_day; books revenue (at the price paid), cogs, the discount given
(a memo line), returns and gifts; invites public-side buyers to the pool.

Daily purchase hazard of a customer:
  rate = buy_rate * place * (1 + intent_max (1 - e^-intent)) * (1 + buy_lift trust^2)
         * price_effect * social_proof * member_day,   P(buy) = 1 - e^-rate,
member_day = 1 + member_day_lift x wear x trust on a member day for pool members who have
not muted the chat (trust must be built before it sells: seed 001's months of
trust-building; wear: offers.member_day_wear); place = 1 for them and public_buy_factor
for public-side and muted customers (the member's side: a muted chat is not read).
The brand's side cannot tell who muted: every pool member (reachable) gets consultation,
follow-ups, order support and member-day gifts.

A considered purchase can stall on a question: a would-be repeat order of value v
stalls with chance v^2 / (v^2 + consider_half_rmb^2) (impulse tickets almost never,
high tickets mostly). A stalled purchase still goes ahead with chance self_close (the
buyer finds the answer alone: reviews, the product page, the platform's pre-sale
chat), or with chance max(consult_close, self_close) if the buyer is a pool member
and one-to-one service answers the question (service.py: an answer never makes the
sale less likely than the buyer's own search); otherwise it does not happen today (the
buyer may try again another day). First orders do not stall here: a channel's
first_order_prob is its observed conversion, questions included. A pool member's order followed up by
service is returned with chance return_rate x (1 - save_return_share).
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..core.population import POOL, PUBLIC
from . import containers, offers


@njit(cache=True)
def _draw(cust, state, muted, buy_rate, intent, trust, price, proof, u_buy,
          public_factor, intent_max, buy_lift, member_day_lift):
    """One pass over customers: today's purchase hazard and draw. `proof` is per user (or empty
    when there are no groups); member_day_lift is 0 on ordinary days. Returns (bought, reachable):
    reachable = in the pool (what the brand sees; a muted member buys like a public-side one)."""
    n = cust.shape[0]
    bought = np.zeros(n, np.bool_)
    reachable = np.zeros(n, np.bool_)
    use_proof = proof.shape[0] > 0
    for j in range(n):
        i = cust[j]
        reachable[j] = state[i] == POOL
        r = reachable[j] and not muted[i]                  # reads the pool's content
        t = trust[i]
        rate = buy_rate[i] * (1.0 if r else public_factor)
        rate *= 1.0 + intent_max * (1.0 - np.exp(-intent[i]))
        rate *= (1.0 + buy_lift * t * t) * price[j]
        if use_proof:
            rate *= proof[i]
        if r:
            rate *= 1.0 + member_day_lift * t
        bought[j] = u_buy[j] < -np.expm1(-rate)
    return bought, reachable


def book(model, idx: np.ndarray, day: int, u_return: np.ndarray, return_rate, discounted=None, gift=0.0):
    """Book one order for each user in `idx`: revenue, cogs, discount, returns, gifts and user value.

    `u_return` are the users' uniforms for the return draw; `discounted` is a mask of
    orders placed with a coupon (None = none). Returns the mask of kept orders.
    """
    if len(idx) == 0:
        return np.zeros(0, dtype=bool)
    users, led, econ = model.users, model.ledger, model.sc.economics
    value = users.order_value[idx]
    kept = u_return >= return_rate
    coupon = kept & discounted if discounted is not None else np.zeros(len(idx), dtype=bool)
    disc = np.where(coupon, value * model.sc.offers.discount_depth, 0.0)
    kept_value = np.where(kept, value, 0.0)                # at list price: cogs and spend tiers
    net = kept_value * (1 - econ.cogs_share) - disc - np.where(kept, gift, econ.return_handling_rmb)
    led.add("revenue", kept_value.sum() - disc.sum())      # booked at the price paid
    led.add("cogs", kept_value.sum() * econ.cogs_share)
    led.add("discounts", disc.sum())                       # memo: already out of revenue
    led.add("returns", (~kept).sum() * econ.return_handling_rmb)
    led.add("gifts", np.sum(np.where(kept, gift, 0.0)))
    led.credit_users(users, idx, day, net)
    users.orders[idx] += 1
    users.last_order_day[idx] = day
    users.responded(idx, day)
    k = idx[kept]
    users.spend[k] += kept_value[kept]
    users.gain_trust(k, model.sc.trust.per_order * model.warmth)
    offers.learn_habit(users, idx[coupon], model.sc.offers.habit_gain)
    model.today["orders"] += len(idx)
    model.today["returned_orders"] += int((~kept).sum())
    return kept


def stall_share(order_value: np.ndarray, half: float) -> np.ndarray:
    """Chance a would-be order of this value stalls on an unanswered question: v^2 / (v^2 + half^2)."""
    v2 = np.asarray(order_value, dtype=np.float64) ** 2
    return v2 / (v2 + half * half)


def daily(model, day: int, cust: np.ndarray) -> np.ndarray:
    """Draw today's repeat orders among customers `cust`; returns the buyers."""
    if len(cust) == 0:
        return cust
    sc, users = model.sc, model.users
    s = sc.service
    price, offered = offers.price_effect(model, cust, day)
    member_day = offers.member_day(s, day)
    u_buy, u_ret = model.streams.uniform2("buy", day, cust)
    hit, reachable = _draw(cust, users.state, users.muted, users.buy_rate, users.intent, users.trust, price,
                           model.groups.proof, u_buy,
                           sc.market.public_buy_factor, sc.messaging.intent_max, sc.trust.buy_lift,
                           s.member_day_lift * offers.member_day_wear(s) if member_day else 0.0)
    # considered purchases stall on a question; service answers pool members' questions while it has time
    want = np.flatnonzero(hit)
    value = users.order_value[cust[want]]
    u_stall = model.streams.uniform("stall", day, cust[want])
    share = stall_share(value, s.consider_half_rmb)
    ask = np.flatnonzero((u_stall < share) & reachable[want])
    answered = model.service.take(cust[want[ask]], value[ask], day, "consultations")
    close = np.full(len(want), s.self_close)              # answered elsewhere: reviews, the platform's chat
    close[ask[answered]] = max(s.consult_close, s.self_close)   # the brand's answer: never worse than none
    hit[want[u_stall < share * (1.0 - close)]] = False
    # pool members' orders are followed up after the sale while service has time (fewer returns)
    rate = np.full(len(cust), sc.economics.pool_return_rate)
    if s.save_return_share > 0 and sc.economics.pool_return_rate > 0:
        new = np.flatnonzero(hit & reachable)
        followed = model.service.take(cust[new], users.order_value[cust[new]], day, "follow_ups")
        rate[new[followed]] *= 1.0 - s.save_return_share
    gift = np.where(reachable, s.member_day_gift_rmb, 0.0) if member_day else 0.0
    buyers = cust[hit]
    disc = offered[hit] if offered is not None else None
    book(model, buyers, day, u_ret[hit], rate[hit], disc, gift[hit] if np.ndim(gift) else gift)
    model.ledger.use_hours(np.count_nonzero(reachable[hit]) * sc.service.support_minutes_per_order / 60.0)
    users.intent[buyers] *= 0.5  # an order uses up part of the intent that led to it
    model.groups.count_orders(buyers)
    public_buyers = buyers[users.state[buyers] == PUBLIC]
    containers.invite(model, public_buyers, day, np.ones(len(public_buyers), dtype=bool), stream="reinvite")
    return buyers
