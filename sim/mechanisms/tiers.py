"""Membership tiers and points (会员等级/积分): qualifying spend per membership window, points earned and redeemed,
tier benefits, the pull of the next tier, and the per-tier playbook.

Reads tiers.* (off unless tiers.enabled: then nothing here runs and every hook returns None or does nothing).
Changes users.level, level_prev, level_spend, points; books redeemed points (ledger line `points`, and the redeemer's
value); `tally` keeps the run's totals per tier (Result.breakdown("tier")).

Tiers (member < silver < gold < platinum): a customer's qualifying spend is the price paid on their kept orders in
the current membership window (windows of tiers.window_days from day 0). Reaching a tier's threshold_rmb promotes at
once; the tier is held for the rest of the window and the whole next one (tier = the higher of this window's and
the last window's), as airline and brand programmes do; then it is requalified or lost.
Points: points_per_rmb on each kept order's price paid; on a kept order a member uses their balance (before this
order's points) with chance redeem_share, costing balance x point_value_rmb; points left at a window's end expire.
The pull of the next tier (the goal gradient: Kivetz, Urminsky & Zheng 2006): a pool member who reads the chat
(the brand tells them how far they are) with progress p = qualifying spend / the next tier's threshold buys at
  rate x (1 + pull x max(0, (p - (1 - near)) / near))
so those just below a threshold buy more often and those far below are not pulled; a top-tier member is not.
Benefits, each through an existing mechanism's input (no multiplier on the answer):
  member price     a standing price cut on every order of a holder (offers.prices: the cut booked like a coupon's,
                   its pull the worn pull of an every-day discount; no coupon-waiting learned)
  exclusive group  holders are kept in the groups' VIP tier (groups.retier's floor)
Playbook per tier (tiers.playbook.<tier>): messages a week (messaging.send), coupon depth on the strategy's
discount days (offers.prices), priority in one-to-one care (service.py's stake).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from numba import njit

from ..core.population import CHURNED, POOL
from ..core.rng import unit
from ..core.schema_tiers import TIERS, thresholds
from . import offers

TALLY = ("messages", "member_days", "points_cost", "near_days", "near_orders", "far_days", "far_orders")
VIP = 2                 # groups.py's top tier when groups.tiering is on


class Tiers:
    """The scenario's tiers as arrays, the day's pull band per customer, and the run's totals per tier (`tally`)."""

    def __init__(self, model):
        t = model.sc.tiers
        self.model = model
        self.on = bool(t.enabled)
        self.t = t
        self.thr = np.array(thresholds(t), np.float64)
        levels = [None] + [getattr(t, name) for name in TIERS[1:]]
        self.price = np.array([0.0] + [lv.member_price for lv in levels[1:]], np.float32)
        self._priced = bool(np.any(self.price > 0))
        self.floor = np.array([0] + [VIP if lv.exclusive_group else 0 for lv in levels[1:]], np.int8)
        plays = [getattr(t.playbook, name) for name in TIERS]
        m, o = model.sc.messaging, model.sc.offers
        self.per_week_of = np.array([m.per_week if p.messaging.per_week is None else p.messaging.per_week for p in plays])
        self.coupon = [p.offers.discount_depth for p in plays]
        self.priority = np.array([p.service.priority for p in plays])
        self.band = np.full(model.users.n if self.on else 0, -1, np.int8)   # today's: -1 not pulled, 0 far, 1 near
        self.tally = np.zeros((len(TALLY), len(TIERS)))
        self.standing_wear = offers.wear(1.0, o.recovery_days)

    def daily(self, day: int) -> None:
        """A new membership window starts: this window's tier is kept as the last one's, spend restarts, points
        expire."""
        if not self.on or day == 0 or day % self.t.window_days:
            return
        users = self.model.users
        roster = users.roster()
        users.level_prev[roster] = _level(users.level_spend[roster], self.thr)
        users.level_spend[roster] = 0.0
        users.points[roster] = 0.0
        users.level[roster] = users.level_prev[roster]

    def pull(self, day: int, cust: np.ndarray) -> np.ndarray | None:
        """Each customer's purchase-rate multiplier from the next tier's pull today (module docstring); None when off.
        Counts pool members' days near / far below their next tier."""
        if not self.on:
            return None
        users = self.model.users
        return _pull(cust, users.state, users.muted, users.level, users.level_spend, self.thr, self.t.pull,
                     self.t.near, self.band, self.tally)

    def earn(self, idx: np.ndarray, day: int, kept: np.ndarray, paid: np.ndarray) -> None:
        """Booked orders of `idx` (`kept`, `paid`: price paid on kept orders): redeemed points (ledger line `points`,
        the redeemer's value), points earned, qualifying spend and promotions; orders near / far counted."""
        if not self.on or len(idx) == 0:
            return
        model, users, t = self.model, self.model.users, self.t
        cost = _earn(idx, day, kept, paid, model.streams.key("points_redeem", day), t.redeem_share, t.points_per_rmb, t.point_value_rmb, self.thr,
                     users.level, users.level_prev, users.level_spend, users.points, users.value, users.acq_day,
                     model.ledger.dfac, users.state, self.band, self.tally)
        model.ledger.add("points", cost)

    def member_prices(self) -> np.ndarray | None:
        """Each tier's standing member-price cut (float32; a customer's is that of users.level), or None when no tier
        has one."""
        return self.price if self.on and self._priced else None

    def coupon_depths(self, depth: float) -> np.ndarray | None:
        """Each tier's coupon depth on a discount day: the playbook's (the strategy's `depth` where it sets none);
        None when off or no tier sets one (then `depth` for all)."""
        if not self.on or all(c is None for c in self.coupon):
            return None
        return np.array([depth if c is None else c for c in self.coupon])

    def group_floor(self) -> np.ndarray | None:
        """Each membership tier's lowest group tier (the VIP groups for a tier with an exclusive group; a member's is
        floor[users.level]), or None when no tier has one."""
        if not self.on or not np.any(self.floor > 0):
            return None
        return self.floor

    def care_weight(self, idx: np.ndarray) -> np.ndarray | None:
        """Each pool member's weight in one-to-one care (the playbook's priority for their tier), or None when off
        (every member weighs 1)."""
        return self.priority[self.model.users.level[idx]] if self.on else None

    def per_week(self) -> np.ndarray | None:
        """Each tier's messages a week (the playbook's; messaging.per_week where it sets none), or None when off."""
        return self.per_week_of if self.on else None

    def count_messages(self, pool: np.ndarray, sent: np.ndarray) -> None:
        """Messages sent today to each tier (`sent`, one per tier) and its pool members (of `pool`)."""
        self.tally[0] += sent
        self.tally[1] += np.bincount(self.model.users.level[pool], minlength=len(TIERS))

    def table(self) -> pd.DataFrame | None:
        """Per tier over the run, for the whole market (None when off): people (customers holding the tier at the end
        or when they left), spend per person (kept, list price), LTV (mean value, RMB), lost (share of them lost by
        the end), points cost (RMB redeemed while in the tier) and per person, messages per pool-member day, and the
        pull's measure: orders per pool-member day near the next tier (within `near` of its threshold) and far below."""
        if not self.on:
            return None
        users, scale = self.model.users, self.model.scale
        has = users.acquired
        lv = users.level[has].astype(np.int64)
        k = len(TIERS)
        people = np.bincount(lv, minlength=k).astype(float)
        n = np.where(people > 0, people, np.nan)
        d = self.tally
        with np.errstate(invalid="ignore", divide="ignore"):
            return pd.DataFrame({
                "people": people * scale,
                "spend_per_person": np.bincount(lv, weights=users.spend[has], minlength=k) / n,
                "ltv": np.bincount(lv, weights=users.value[has], minlength=k) / n,
                "lost": np.bincount(lv, weights=(users.state[has] == CHURNED).astype(float), minlength=k) / n,
                "points_cost": d[2] * scale,
                "points_cost_per_person": d[2] / n,
                "messages_per_member_day": d[0] / np.where(d[1] > 0, d[1], np.nan),
                "orders_per_day_near": d[4] / np.where(d[3] > 0, d[3], np.nan),
                "orders_per_day_far": d[6] / np.where(d[5] > 0, d[5], np.nan),
            }, index=pd.Index(TIERS, name="tier"))


@njit(cache=True)
def _level(spend, thr):
    """The tier a qualifying spend reaches (int8 per element)."""
    out = np.zeros(spend.shape[0], np.int8)
    for j in range(spend.shape[0]):
        k = 0
        while k + 1 < thr.shape[0] and spend[j] >= thr[k + 1]:
            k += 1
        out[j] = k
    return out


@njit(cache=True)
def _pull(cust, state, muted, level, spend, thr, pull, near, band, tally):
    """Tiers.pull in one pass: the multiplier per customer, today's band per user, pool-member days near / far."""
    n = cust.shape[0]
    out = np.empty(n)                # every entry set below (a fresh array of ones costs a pass of its own)
    top = thr.shape[0] - 1
    for j in range(n):
        i = cust[j]
        out[j] = 1.0
        band[i] = -1
        k = level[i]
        if state[i] != POOL or muted[i] or k >= top:
            continue
        x = (spend[i] / thr[k + 1] - (1.0 - near)) / near
        if x > 0.0:
            out[j] = 1.0 + pull * min(x, 1.0)
            band[i] = 1
            tally[3, k] += 1.0
        else:
            band[i] = 0
            tally[5, k] += 1.0
    return out


@njit(cache=True)
def _earn(idx, day, kept, paid, key, redeem, per_rmb, point_value, thr, level, level_prev, spend, points, value,
          acq_day, dfac, state, band, tally):
    """Tiers.earn in one pass (the redeem draws: the 'points_redeem' stream's `key`); returns the points redeemed
    today (RMB)."""
    cost = 0.0
    top = thr.shape[0] - 1
    for j in range(idx.shape[0]):
        i = idx[j]
        k = level[i]
        if band.shape[0] > 0 and state[i] == POOL and band[i] >= 0:
            tally[4 if band[i] == 1 else 6, k] += 1.0
        if not kept[j]:
            continue
        if points[i] > 0.0 and unit(i, key) < redeem:
            c = points[i] * point_value
            cost += c
            tally[2, k] += c
            value[i] -= c * dfac[day - acq_day[i]]
            points[i] = 0.0
        points[i] += paid[j] * per_rmb
        spend[i] += paid[j]
        while k < top and spend[i] >= thr[k + 1]:
            k += 1
        level[i] = max(k, level_prev[i])
    return cost
