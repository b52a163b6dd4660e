"""Sales channels: where each order lands (Tmall/Taobao, Douyin shop, the brand's mini-program store, an offline
store), what that channel takes (commission, a creator's commission, payment fee, shipping, return shipping
insurance) and how often its orders come back; steering pool members to the mini-program store.

Reads sales.* (off unless sales.enabled: then nothing here runs and no order carries a channel fee).
Changes the day's would-be orders (a steered order may be lost); purchases.book books the fees (ledger line
`channel_fees`) and each buyer's value net of them, and `tally` keeps the run's totals per channel
(Result.breakdown("sales_channel")).

Where an order lands:
  first orders     a newcomer bought through Douyin ads on the Douyin shop, through Xiaohongshu (research there, buy
                   elsewhere [000, 004]) or e-commerce ads on Tmall/Taobao; organic, referred, KOC and day-0 newcomers
                   by the channel mix (sales.*.share); a first order keeps its acquisition platform's return rate
  repeat orders    by the channel mix, returned with the channel's return_rate (economics.pool_return_rate when sales
                   are off). A pool member who reads the chat and would buy on Tmall/Taobao or the Douyin shop is
                   steered to the mini-program store with chance steer_to_mini_program (a store customer's order,
                   stores.py, is made in the store with chance stores.offline_share, and is not steered); a steered order is lost with
                   chance steer_loss (the buyer will not leave the platform they know): steering trades conversion
                   for the margin the platforms take.
Fees: commission, creator_commission and payment_fee are shares of the price paid on kept orders (a return refunds
the sale and its commission); shipping and return insurance are paid on every order shipped.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from numba import njit

from ..core.population import CH_STORE, POOL
from ..core.rng import pair, unit
from ..core.schema_sales import SALES_CHANNELS

TMALL, DOUYIN_SHOP, MINI_PROGRAM, OFFLINE = range(4)
# first orders by acquisition channel (population.CHANNELS): douyin, xiaohongshu, ecommerce, store; the rest: the mix (-1)
FIRST_BY_ACQUISITION = np.array([DOUYIN_SHOP, TMALL, TMALL, -1, -1, -1, -1, OFFLINE], np.int8)
TALLY = ("orders", "returned_orders", "revenue", "cogs", "discounts", "commission", "payment_fees", "shipping",
         "return_insurance", "returns")


class Sales:
    """The scenario's sales channels as arrays, and the run's totals per channel (`tally`)."""

    def __init__(self, sc):
        s = sc.sales
        self.on = bool(s.enabled)
        ch = [getattr(s, c) for c in SALES_CHANNELS]
        self.cum = np.cumsum([c.share for c in ch])
        self.commission = np.array([c.commission + c.creator_commission for c in ch])
        self.payment = np.array([c.payment_fee for c in ch])
        self.shipping = np.array([c.shipping_rmb for c in ch])
        self.insurance = np.array([c.return_insurance_rmb for c in ch])
        self.return_rate = np.array([c.return_rate for c in ch])
        # per channel: the share of the price paid it takes, RMB paid per parcel shipped (purchases.book's fees)
        self.fee_share, self.fee_fixed = self.commission + self.payment, self.shipping + self.insurance
        self.steer, self.steer_loss = s.steer_to_mini_program, s.steer_loss
        self.store_share = sc.stores.offline_share if sc.stores.enabled else 0.0   # store customers' store orders
        self.tally = np.zeros((len(TALLY), len(SALES_CHANNELS)))

    def first(self, model, idx: np.ndarray, channel: np.ndarray) -> np.ndarray:
        """The sales channel of each newcomer's first order (`channel`: their acquisition channels)."""
        return _first(idx, channel, model.streams.key("sale_channel", -1), FIRST_BY_ACQUISITION, self.cum)

    def repeat(self, model, day: int, cust: np.ndarray, hit: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
        """The sales channel of each customer's would-be order today (one per customer in `cust`, -1 where none),
        steering pool members who read the chat; clears `hit` for steered orders that are lost. Returns (the
        channels, each customer's return rate: their channel's, the first channel's where none, whether any is
        above 0)."""
        users, st = model.users, model.streams
        return _repeat(cust, hit, st.key("sale_channel", day), st.key("sale_store", day), st.key("sale_steer", day),
                       self.cum, self.store_share, self.steer, self.steer_loss, users.channel, users.state, users.muted,
                       self.return_rate)

    def count(self, ch: np.ndarray, kept: np.ndarray, paid: np.ndarray, list_value: np.ndarray, discount: np.ndarray,
              cogs_share: float, handling: float) -> float:
        """Add today's booked orders to the tally; returns the channel fees (RMB) for the ledger."""
        return _count(self.tally, ch, kept, paid, list_value, discount, cogs_share, handling, self.commission,
                      self.payment, self.shipping, self.insurance)

    def table(self, scale: float) -> pd.DataFrame | None:
        """Orders and what each sales channel keeps over the run, for the whole market (x `scale`; None when sales
        are off): orders, returned orders, revenue (price paid on kept orders), cogs, discounts, each fee
        (commission incl. a creator's, payment fees, shipping, return insurance), return handling, then the share
        of orders, the return rate, the margin (revenue - cogs - fees - return handling) and margin per order."""
        if not self.on:
            return None
        t = pd.DataFrame(self.tally.T * scale, columns=list(TALLY), index=pd.Index(SALES_CHANNELS, name="sales_channel"))
        fees = t[["commission", "payment_fees", "shipping", "return_insurance"]].sum(axis=1)
        orders = t["orders"].where(t["orders"] > 0)
        t["order_share"] = t["orders"] / max(t["orders"].sum(), 1e-12)
        t["return_rate"] = t["returned_orders"] / orders
        t["margin"] = t["revenue"] - t["cogs"] - fees - t["returns"]
        t["margin_per_order"] = t["margin"] / orders
        return t


@njit(cache=True, inline="always")
def _mix(u, cum):
    """The channel a uniform `u` picks by the channel mix (`cum`: cumulative shares)."""
    k = 0
    while k < cum.shape[0] and cum[k] <= u:
        k += 1
    return min(k, cum.shape[0] - 1)


@njit(cache=True)
def _first(idx, channel, key, by_acquisition, cum):
    """Sales.first: each newcomer's first-order channel (by acquisition channel, or the mix: 'sale_channel' `key`)."""
    out = np.empty(idx.shape[0], np.int8)
    for j in range(idx.shape[0]):
        c = by_acquisition[channel[j]]
        out[j] = c if c >= 0 else _mix(unit(idx[j], key), cum)
    return out


@njit(cache=True)
def _repeat(cust, hit, key_mix, key_store, key_steer, cum, store_share, steer, steer_loss, channel, state, muted,
            return_rate):
    """Sales.repeat in one pass over the would-be orders (draws of the 'sale_channel', 'sale_store' and
    'sale_steer' streams' keys)."""
    ch = np.full(cust.shape[0], -1, np.int8)
    rate = np.full(cust.shape[0], return_rate[0])
    returns = cust.shape[0] > 0 and return_rate[0] > 0
    for j in range(cust.shape[0]):
        if not hit[j]:
            continue
        i = cust[j]
        c = _mix(unit(i, key_mix), cum)
        if store_share > 0 and channel[i] == CH_STORE and unit(i, key_store) < store_share:
            c = OFFLINE                     # a store customer buys in the store with chance stores.offline_share
        if steer > 0 and (c == TMALL or c == DOUYIN_SHOP) and state[i] == POOL and not muted[i]:
            u_steer, u_lose = pair(i, key_steer)
            if u_steer < steer:
                c = MINI_PROGRAM
                if u_lose < steer_loss:
                    hit[j] = False
        ch[j] = c
        rate[j] = return_rate[c]
        returns = returns or return_rate[c] > 0
    return ch, rate, returns


@njit(cache=True)
def _count(t, ch, kept, paid, list_value, discount, cogs_share, handling, commission, payment, shipping, insurance):
    """Sales.count in one pass: adds each order to its channel's column of `t` (rows as TALLY); returns the fees."""
    fees = 0.0
    for j in range(ch.shape[0]):
        c = ch[j]
        t[0, c] += 1.0
        t[3, c] += list_value[j] * cogs_share
        t[4, c] += discount[j]
        t[7, c] += shipping[c]
        t[8, c] += insurance[c]
        fees += shipping[c] + insurance[c]
        if kept[j]:
            t[2, c] += paid[j]
            t[5, c] += paid[j] * commission[c]
            t[6, c] += paid[j] * payment[c]
            fees += paid[j] * (commission[c] + payment[c])
        else:
            t[1, c] += 1.0
            t[9, c] += handling
    return fees
