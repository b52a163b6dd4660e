"""Purchases: who buys today, at what price and margin, and which orders come back.

Reads market.pool_buy_lift / repeat_burst / repeat_burst_days (users.leave_p for leaving after an order),
messaging.intent_max, trust.buy_lift / per_order,
offers.* (through offers.prices), service.member_day_* / consider_half_rmb /
self_close / consult_close / save_return_share, economics.*, the sales calendar (calendar.py: each customer's
hazard x Calendar.rate_factors, event orders at the event's price) and the sales channels (sales.py: where each
order lands, its return rate and fees, steering; off by default); a public-side buyer's order reaches them again
through an entry point (entry.py: the parcel's card, or the store; a friend request as before when off).
Changes users.orders, spend, last_order_day, value, intent, trust, habit,
last_response_day; books revenue (at the price paid), cogs, the discount given
(a memo line), returns, gifts and channel fees; invites public-side buyers to the pool.

Daily purchase hazard of a customer:
  rate = buy_rate * place * burst * (1 + intent_max (1 - e^-intent)) * (1 + buy_lift trust^2)
         * prices * social_proof * member_day,   P(buy) = 1 - e^-rate,
burst = 1 + repeat_burst e^(-d / repeat_burst_days), d = days since the customer's last order (a customer who
ordered today does not order again today: a day is one purchase occasion, as in the data calibration reads);
member_day = 1 + member_day_lift x wear x trust on a member day for pool members who have
not muted the chat (trust must be built before it sells: seed 001's months of
trust-building; wear: offers.member_day_wear); place = 1 + pool_buy_lift for them and 1
for public-side and muted customers (the member's side: a muted chat is not read).
After a repeat order a customer leaves for good (reason 'lapsed') with their own chance users.leave_p
(market.leave_after_order: BG/NBD's leaving; 0 by default).
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
first-order chance at the order's ticket (acquisition.first_order_chance) is its observed conversion,
questions included. A pool member's order followed up by
service is returned with chance return_rate x (1 - save_return_share).
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..core.population import LAPSED, POOL, PUBLIC, trust_after
from ..core.rng import unit
from . import offers
from .service import take


@njit(cache=True)
def _draw(cust, state, muted, buy_rate, intent, trust, price, proof, u_buy,
          pool_lift, intent_max, buy_lift, member_day_lift, orders, last_order_day, day, burst, burst_days, bounded=True):
    """One pass over customers: today's purchase hazard and draw. `proof` is per user (or empty
    when there are no groups); member_day_lift is 0 on ordinary days.
    Returns (bought, reachable): reachable = in the pool (what the brand sees; a muted member buys like a
    public-side one).
    The two fading factors (after-order burst, intent) are at most their values at no fade, and every step of the
    rate rounds monotonically with non-negative factors, so that rate at no fade bounds today's; 1 - e^-rate <=
    rate (expm1 is within an ulp): a customer whose uniform is not below the bound does not buy, without an exp
    (the same draws as computing each rate; `bounded` False computes every rate, for the tests)."""
    n = cust.shape[0]
    bought = np.empty(n, np.bool_)   # every entry is set below
    reachable = np.empty(n, np.bool_)
    use_proof = proof.shape[0] > 0
    burst_top = 1.0 + max(burst, 0.0)                          # 1 + burst e^-d at its largest (d >= 0)
    intent_top = 1.0 + intent_max                              # 1 + intent_max (1 - e^-intent) at its largest
    bounded = bounded and intent_max >= 0.0                    # (intent_max's range starts at 0)
    for j in range(n):
        i = cust[j]
        reachable[j] = state[i] == POOL
        bought[j] = False
        if orders[i] > 0 and last_order_day[i] == day:        # ordered today already: one occasion a day
            continue
        r = reachable[j] and not muted[i]                  # reads the pool's content
        t = trust[i]
        rate = buy_rate[i] * ((1.0 + pool_lift) if r else 1.0)
        repeat = burst != 0.0 and orders[i] > 0
        tail = (1.0 + buy_lift * t * t) * price[j]
        lift = 1.0 + member_day_lift * t
        if (bounded and rate >= 0.0 and tail >= 0.0 and lift >= 0.0 and (not use_proof or proof[i] >= 0.0)
                and (not repeat or last_order_day[i] <= day)):
            top = rate * burst_top if repeat else rate
            top *= intent_top
            top *= tail
            if use_proof:
                top *= proof[i]
            if r:
                top *= lift
            if not u_buy[j] < top:
                continue
        if repeat:
            rate *= 1.0 + burst * np.exp(-(day - last_order_day[i]) / burst_days)
        rate *= 1.0 + intent_max * (1.0 - np.exp(-intent[i]))
        rate *= tail
        if use_proof:
            rate *= proof[i]
        if r:
            rate *= lift
        bought[j] = u_buy[j] < -np.expm1(-rate)
    return bought, reachable


@njit(cache=True)
def _stall(v, half):
    """v^2 / (v^2 + half^2) for a value or an array of them (float64)."""
    v2 = v * v
    return v2 / (v2 + half * half)


@njit(cache=True)
def _settle(cust, hit, reachable, order_value, stall_key, half, self_close, consult_close, follow, save_share,
            return_rates, return_all, left, day, cost, last_served, last_response_day, last_msg_day, unanswered,
            value, acq_day, dfac):
    """The day's would-be orders (`hit`): stalls on a question, consultations for pool members while the `left`
    sessions last, the stalled that still close, then follow-ups of pool members' orders (when `follow`). Returns
    (the orders placed: their places in `cust`, ascending; each one's return rate; how many are pool members';
    consultations asked, given; follow-ups asked, given); the sessions are recorded by service.take.
    `return_rates`: each customer's return rate before a follow-up (one per customer in `cust`; empty: `return_all`
    for all)."""
    want = np.flatnonzero(hit)
    m = want.shape[0]
    u = np.empty(m)
    share = np.empty(m)
    n_ask = 0
    for a in range(m):
        u[a] = unit(cust[want[a]], stall_key)
        share[a] = _stall(np.float64(order_value[cust[want[a]]]), half)
        n_ask += u[a] < share[a] and reachable[want[a]]
    ask = np.empty(n_ask, np.int64)
    q = 0
    for a in range(m):
        if u[a] < share[a] and reachable[want[a]]:
            ask[q] = a
            q += 1
    who = cust[want[ask]]
    answered = take(who, order_value[who], left, day, cost, last_served, last_response_day, last_msg_day,
                    unanswered, value, acq_day, dfac)
    n_consult = np.count_nonzero(answered)
    close = np.full(m, self_close)                             # answered elsewhere: reviews, the platform's chat
    close[ask[answered]] = max(consult_close, self_close)      # the brand's answer: never worse than none
    n_buy = n_pool = 0
    for a in range(m):
        if not u[a] < share[a] * (1.0 - close[a]):
            n_buy += 1
            n_pool += reachable[want[a]]
    sel = np.empty(n_buy, np.int64)                            # the orders placed, and the pool members' among them
    new = np.empty(n_pool, np.int64)
    rate = np.empty(n_buy)
    b = c = 0
    for a in range(m):
        if not u[a] < share[a] * (1.0 - close[a]):
            j = want[a]
            sel[b] = j
            rate[b] = return_rates[j] if return_rates.shape[0] > 0 else return_all
            if reachable[j]:
                new[c] = b
                c += 1
            b += 1
    n_follow = 0
    if follow:
        who = cust[sel[new]]
        followed = take(who, order_value[who], left - n_consult, day, cost, last_served, last_response_day,
                        last_msg_day, unanswered, value, acq_day, dfac)
        n_follow = np.count_nonzero(followed)
        for b in new[followed]:
            rate[b] *= 1.0 - save_share
    return sel, rate, n_pool, n_ask, n_consult, n_pool if follow else 0, n_follow


@njit(cache=True)
def _book(idx, day, u_return, return_rate, depths, gift, gift_all, keep_share, handling, trust_gain,
          habit_gain, order_value, value, acq_day, dfac, orders, last_order_day, last_response_day, unanswered,
          spend, trust, trust_mult, habit, state, sale, fee_share, fee_fixed, standing):
    """Per-order arithmetic of `book` (its docstring): `depths` (each order's price cut), `gift`, the sales channels
    (`sale`, each order's; its channel takes `fee_share` of the price paid on a kept order and `fee_fixed` RMB per
    order: sales.Sales) and `standing` (each order's member-price cut: a cut no deeper teaches no waiting) may be
    empty (none; the same `gift_all` for all). Changes the users' value, orders, last_order_day, response, spend,
    trust, habit. Returns (kept, kept value at list price, discount, gift, price paid (0 if returned)) per order and
    the counts of returned orders and of pool members' orders, for the ledger's totals."""
    n = idx.shape[0]
    kept = np.empty(n, np.bool_)
    kept_value = np.empty(n, np.float32)
    disc = np.empty(n, np.float32)
    gifts = np.empty(n)
    paid = np.empty(n)
    one = np.float32(1.0)
    returned = in_pool = 0
    for j in range(n):
        i = idx[j]
        k = u_return[j] >= return_rate[j]
        returned += not k
        in_pool += state[i] == POOL
        coupon = k and depths.shape[0] > 0 and depths[j] > 0
        cut = coupon
        if coupon and standing.shape[0] > 0 and depths[j] <= standing[j]:
            coupon = False                # the member price: a standing cut teaches no waiting
        g = gift[j] if gift.shape[0] > 0 else gift_all
        kept[j] = k
        disc[j] = order_value[i] * depths[j] if cut else np.float32(0.0)
        kept_value[j] = order_value[i] if k else np.float32(0.0)
        gifts[j] = g if k else 0.0
        paid[j] = np.float64(kept_value[j]) - np.float64(disc[j])
        net = np.float64(kept_value[j] * keep_share - disc[j]) - (g if k else handling)
        if sale.shape[0] > 0:
            c = sale[j]
            net -= fee_share[c] * np.float64(kept_value[j] - disc[j]) + fee_fixed[c]
        value[i] += net * dfac[day - acq_day[i]]
        orders[i] += 1
        last_order_day[i] = day
        last_response_day[i] = day
        unanswered[i] = 0
        if k:
            spend[i] += kept_value[j]
            if state[i] == POOL:          # trust is built with the brand's people in the pool
                t = trust[i]
                trust[i] = trust_after(t, trust_gain, trust_mult[i], one)    # in float32, as NumPy would
        if coupon:
            habit[i] = offers.habit_after(habit[i], habit_gain)
    return kept, kept_value, disc, gifts, paid, returned, in_pool


@njit(cache=True)
def _spent(buyers, intent, state):
    """Halve each buyer's intent (an order uses up half the intent that led to it; each buyer once, in float32 as
    NumPy would); returns the buyers still on the public side, in order (their order's parcel may invite them)."""
    out = np.empty(buyers.shape[0], np.int64)
    k = 0
    half = np.float32(0.5)
    for i in buyers:
        intent[i] *= half
        if state[i] == PUBLIC:
            out[k] = i
            k += 1
    return out[:k]


_NO_DEPTH = np.zeros(0, np.float32)
_NONE = np.zeros(0)
_NO_SALE = np.zeros(0, np.int8)
_sum = np.add.reduce          # what ndarray.sum() calls (NumPy's pairwise sum), without its Python wrapper


def _constants(model) -> tuple:
    """What `book` reads of the scenario (model.constants), in the types `_book` computes with (float32 where NumPy
    would meet a float32 array): the share of list price kept after cogs, return handling, trust per order (x the
    container's warmth) and habit gain."""
    sc, f32 = model.sc, np.float32
    return (f32(1 - sc.economics.cogs_share), float(sc.economics.return_handling_rmb),
            f32(sc.trust.per_order * model.warmth), f32(sc.offers.habit_gain))


def book(model, idx: np.ndarray, day: int, u_return: np.ndarray, return_rate, depth=None, gift=0.0, sale=None,
         standing=None):
    """Book one order for each user in `idx`: revenue, cogs, discount, returns, gifts, channel fees and user value.

    `u_return` are the users' uniforms for the return draw; `depth` is each order's price cut (float32; 0 = full
    price; None = none discounted: a discounted order teaches waiting, offers.habit_after); `gift` a scalar or one
    per order; `sale` each order's sales channel (sales.py; None when sales are off); `standing` each order's
    member-price cut (tiers.py; a cut no deeper teaches no waiting; None: none). Books the buyers' points and
    qualifying spend (tiers.py). Returns the mask of kept orders. Revenue is booked at the price paid, cogs and spend at list price; the discount is a memo line
    (already out of revenue).
    """
    if len(idx) == 0:
        return np.zeros(0, dtype=bool)
    users, led, sc = model.users, model.ledger, model.sc
    econ = sc.economics
    each = isinstance(gift, np.ndarray) and gift.ndim > 0      # one gift per order, or the same for all
    kept, kept_value, disc, given, paid, returned, in_pool = _book(
        idx, day, u_return, np.asarray(return_rate, np.float64),
        _NO_DEPTH if depth is None else depth, np.asarray(gift, np.float64) if each else _NONE,
        0.0 if each else float(gift), *model.constants("book", _constants), users.order_value, users.value,
        users.acq_day, led.dfac, users.orders, users.last_order_day, users.last_response_day, users.unanswered,
        users.spend, users.trust, users.trust_mult, users.habit, users.state, _NO_SALE if sale is None else sale,
        model.sales.fee_share, model.sales.fee_fixed, _NO_DEPTH if standing is None else standing)
    if model.tiers.on:
        model.tiers.earn(idx, day, kept, paid)
    if sale is not None:
        led.add("channel_fees", model.sales.count(sale, kept, paid, kept_value, disc, econ.cogs_share,
                                                  econ.return_handling_rmb))
    list_value, discount = _sum(kept_value), _sum(disc)
    led.add("revenue", list_value - discount)
    led.add("cogs", list_value * econ.cogs_share)
    led.add("discounts", discount)
    led.add("returns", returned * econ.return_handling_rmb)
    if each or gift != 0:                     # no gift: nothing to add (its sum would be 0.0)
        led.add("gifts", _sum(given))
    model.today["orders"] += len(idx)
    model.today["pool_orders"] += in_pool
    model.today["returned_orders"] += returned
    return kept


def stall_share(order_value, half: float) -> np.ndarray:
    """Chance a would-be order of this value stalls on an unanswered question: v^2 / (v^2 + half^2)."""
    return _stall(np.asarray(order_value, dtype=np.float64), float(half))


def daily(model, day: int, cust: np.ndarray) -> np.ndarray:
    """Draw today's repeat orders among customers `cust`; returns the buyers."""
    if len(cust) == 0:
        return cust
    sc, users = model.sc, model.users
    s = sc.service
    price, offered, cut, held, standing = offers.prices(model, cust, day)
    events = model.calendar.rate_factors(model, day, cust, cut, held)   # None without a sales calendar
    if events is not None:
        price = price * events
    pull = model.tiers.pull(day, cust)                       # None without membership tiers
    if pull is not None:
        price = price * pull
    member_day = offers.member_day(s, day)
    u_buy, u_ret = model.streams.uniform2("buy", day, cust)
    m = sc.market
    hit, reachable = _draw(cust, users.state, users.muted, users.buy_rate, users.intent, users.trust, price,
                           model.groups.proof, u_buy,
                           m.pool_buy_lift, sc.messaging.intent_max, sc.trust.buy_lift,
                           s.member_day_lift * offers.member_day_wear(s) if member_day else 0.0,
                           users.orders, users.last_order_day, day, m.repeat_burst, m.repeat_burst_days)
    # considered purchases stall on a question; service answers pool members' questions while it has
    # time; then pool members' orders are followed up after the sale while it has time (fewer returns)
    sv = model.service
    sales = model.sales
    if sales.on:              # where each would-be order lands; steered orders may be lost (sales.py)
        sale, base_rate, returns = sales.repeat(model, day, cust, hit)
        rate_all = 0.0
    else:
        rate_all = float(sc.economics.pool_return_rate)
        sale, base_rate, returns = None, _NONE, rate_all > 0
    sel, rate, in_pool, *used = _settle(
        cust, hit, reachable, users.order_value, model.streams.key("stall", day), s.consider_half_rmb, s.self_close,
        s.consult_close, s.save_return_share > 0 and returns, s.save_return_share, base_rate, rate_all, sv.left, day,
        sv.session_cost, users.last_served, users.last_response_day, users.last_msg_day, users.unanswered,
        users.value, users.acq_day, model.ledger.dfac)
    sv.used(used[0], used[1], "consultations")
    sv.used(used[2], used[3], "follow_ups")
    gift = np.where(reachable[sel], s.member_day_gift_rmb, 0.0) if member_day else 0.0
    buyers = cust[sel]
    depth = None if cut is None else cut[sel]
    event_depth = model.calendar.depth_today(day)
    if event_depth > 0:                   # the event's price on every channel; a pool coupon may cut deeper
        depth = np.maximum(np.float32(0) if depth is None else depth, np.float32(event_depth)) * np.ones(len(buyers), np.float32)
    book(model, buyers, day, u_ret[sel], rate, depth, gift, None if sale is None else sale[sel],
         None if standing is None else standing[sel])
    model.ledger.use_hours(in_pool * sc.service.support_minutes_per_order / 60.0)
    public_buyers = _spent(buyers, users.intent, users.state)   # an order uses up half the intent that led to it
    model.groups.count_orders(buyers)
    model.entry.invite(model, public_buyers, day, np.ones(len(public_buyers), dtype=bool), None, stream="reinvite")
    if model.leave_after_orders:          # BG/NBD's leaving: some stop for good right after an order
        quit_ = buyers[model.streams.uniform("leave_order", day, buyers) < users.leave_p[buyers]]
        model.leaving.churn(quit_, day, LAPSED)
    return buyers
