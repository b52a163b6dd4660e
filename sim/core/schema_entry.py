"""The schema of entry points (how a person is added to the pool, and what that costs: `Entry`, `EntryPoint`)
and of stores with shop assistants (`Stores`). Both are off by default (entry.enabled and stores.enabled false),
so a scenario without them runs exactly as before they existed. Mechanisms: sim/mechanisms/entry.py and
sim/mechanisms/stores.py.
"""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from .schema_base import P, Section


class EntryPoint(Section):
    add_rate: float = P(0.1, "prob", "chance a person this entry point reaches adds the brand's account (replaces "
                        "pool.accept_* for them)", ge=0, le=1, plausible=(0.02, 0.6), why="from a card few scan to "
                        "a face-to-face request (every entry point's default inside it: the store's 0.4)")
    cost_per_contact_rmb: float = P(0.0, "RMB/person", "cost of reaching one person (a printed card, an ad's click)",
                                    "decision (the brand's own price list)", ge=0, le=10_000)
    cost_per_add_rmb: float = P(0.0, "RMB/add", "cost of each person who adds (a red packet, an assistant's bonus)",
                                "decision (the brand's own incentive)", ge=0, le=10_000)
    start_trust: float = P(0.0, "0..1", "trust a person added here starts with (met face to face, or vouched for by "
                           "a friend); trust lifts buying (trust.buy_lift)", ge=0, le=1, plausible=(0.0, 0.3),
                           why="from a stranger's card to a shop assistant who just served them")


def _insert_card():
    return EntryPoint(add_rate=0.05, cost_per_contact_rmb=0.3, cost_per_add_rmb=3.0, start_trust=0.0)


def _live_room():
    return EntryPoint(add_rate=0.03, cost_per_contact_rmb=0.0, cost_per_add_rmb=0.0, start_trust=0.0)


def _store():
    return EntryPoint(add_rate=0.4, cost_per_contact_rmb=0.0, cost_per_add_rmb=5.0, start_trust=0.2)


def _paid_ads():
    return EntryPoint(add_rate=0.03, cost_per_contact_rmb=0.0, cost_per_add_rmb=0.0, start_trust=0.0)


def _referral():
    return EntryPoint(add_rate=0.2, cost_per_contact_rmb=0.0, cost_per_add_rmb=0.0, start_trust=0.1)


ENTRY_POINTS = ("insert_card", "live_room", "store", "paid_ads", "referral")   # the order of entry.*, codes 0..4


class Entry(Section):
    enabled: bool = P(False, "-", "add newcomers to the pool through entry points, each with its own add rate, cost "
                      "and starting trust (off: one friend request at pool.accept_*, as before this section)",
                      "decision (off by default)")
    insert_card: EntryPoint = Field(default_factory=_insert_card, description="package insert card (包裹卡) in a "
                                    "newcomer's first parcel (online buyers from Xiaohongshu, e-commerce and organic "
                                    "discovery; later a public-side buyer's parcel): 2-8% scan and add, more with a "
                                    "2-5 RMB red packet; printing ~0.3 RMB a card (practitioner figures, low credibility)")
    live_room: EntryPoint = Field(default_factory=_live_room, description="Douyin live-stream room: the host points "
                                  "viewers and buyers to the fan group or WeCom; Douyin restricts off-platform "
                                  "contact, so few add (1-5%, practitioner figures, low credibility)")
    store: EntryPoint = Field(default_factory=_store, description="a shop assistant (导购) adding a store customer at "
                              "the till: 30-60% add when asked face to face, for a bonus of 2-10 RMB an add "
                              "(practitioner figures, low credibility); the customer met the assistant (starting trust)")
    paid_ads: EntryPoint = Field(default_factory=_paid_ads, description="an ad's add-WeCom button or lead form (加粉广告) "
                                 "for leads who did not buy: 1-5% of the leads who click add (practitioner figures, "
                                 "low credibility)")
    referral: EntryPoint = Field(default_factory=_referral, description="a member's friend (referred and KOC "
                                 "newcomers): the inviter passes the account on, so more add than a stranger "
                                 "(assumption)")


class Stores(Section):
    enabled: bool = P(False, "-", "the brand's offline stores: new store customers every day, added to the pool by "
                      "shop assistants who keep their own book (off: no stores)", "decision (off by default)")
    count: int = P(20, "stores", "stores", "decision (example setting)", ge=0, le=100_000)
    new_customers_per_store_per_day: float = P(5.0, "people/day", "first-time buyers a store serves per day (they buy "
                                               "in the store: a first order on the offline channel)", ge=0, le=10_000,
                                               plausible=(2.0, 15.0), why="a mall counter's new customers a day, "
                                               "from a quiet store to a busy flagship (practitioner figures)")
    assistants_per_store: int = P(3, "assistants", "shop assistants per store, each holding their own book of "
                                  "customers on their own account", "decision (example setting)", ge=1, le=1000)
    invite_share: float = P(1.0, "share", "share of new store customers the assistants ask to add (the brand's backing: "
                            "0 = assistants add nobody)", "decision (1 = every store customer is asked)", ge=0, le=1)
    container: Literal["personal", "wecom"] = P("wecom", "-", "where the assistants hold their customers: their own "
                                                "WeChat (customers leave with them, staff.loss_on_quit_personal) or "
                                                "WeCom (inheritance: staff.loss_on_quit_wecom)", "decision")
    turnover_monthly: float = P(0.06, "1/month", "assistants' turnover: quits per assistant per month",
                                ge=0, le=1, plausible=(0.03, 0.1), why="retail store staff stay 10 months to 3 years "
                                "(retail turnover of 40-70% a year)")
    offline_share: float = P(0.6, "share", "share of a store customer's repeat orders made in the store (the rest "
                             "by the sales channel mix; with sales.enabled)", ge=0, le=1, plausible=(0.3, 0.8),
                             why="store customers of an offline-led brand still buy part online")
