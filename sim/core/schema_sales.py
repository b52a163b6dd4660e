"""The schema of the sales calendar (dated events: `Calendar`, `Event`) and of the sales channels orders land on
(`Sales`, `SalesChannel`). Both are off by default (no events; sales.enabled false), so a scenario without them
runs exactly as before they existed. Mechanisms: sim/mechanisms/calendar.py and sim/mechanisms/sales.py.
"""
from __future__ import annotations

from pydantic import Field

from .schema_base import P, Section


class Event(Section):
    """One dated event of the sales calendar (618, 双11, 年货节, a brand's own day): its days, its price cut, what it
    does to the paid platforms and the pool's own push. Days are inclusive day numbers of the run (day 0 is the
    first simulated day) or dates (YYYY-MM-DD) counted from calendar.start_date."""
    name: str = P("event", "-", "the event's name (tables and charts)", "label")
    start: int | str = P(0, "day", "first day of the event: a day number of the run, or a date YYYY-MM-DD counted from "
                         "calendar.start_date", "decision (the event's dates: the platforms announce them)")
    end: int | str = P(0, "day", "last day of the event (inclusive): a day number or a date", "decision (the event's dates)")
    depth: float = P(0.2, "share", "the brand's price cut during the event, on every sales channel (0..0.9)",
                     "decision (example setting: platform-wide events run 15-30% off through cross-store coupons, "
                     "满减, e.g. 300 - 50)", ge=0, le=0.9)
    platform_traffic: float = P(1.0, "x", "paid platforms' daily reach during the event (x acquisition.daily_reach: more "
                                "shoppers are on the platforms)", "assumption (1 = an ordinary day; big events bring "
                                "1.5-4 times the shoppers: practitioner figures, low credibility)", ge=0, le=20)
    platform_price: float = P(1.0, "x", "cost per acquired user during the event (x acquisition.cac: every brand bids "
                              "for the same shoppers)", "assumption (1 = an ordinary day; ad prices rise 30-100% in "
                              "618 and 双11 weeks: practitioner figures, low credibility)", gt=0, le=20)
    pool_push: float = P(0.0, "x", "extra purchase rate during the event of a pool member who reads the chat (the "
                         "pool's own push: notices, group posts, reminders); announced once on the first day (one "
                         "promotion's annoyance)", "decision (0 = the pool does not push the event)", ge=0, le=20)


class Calendar(Section):
    start_date: str = P("", "date", "the date of day 0 (YYYY-MM-DD) when events are given as dates (empty: day numbers only)",
                        "run setting")
    events: list[Event] = P([], "-", "dated events (name, start, end, depth, platform_traffic, platform_price, "
                            "pool_push): see docs/model.md, 'The sales calendar'", "decision (none by default)")
    wait_days: int = P(14, "days", "days before an event with a price cut in which shoppers who expect it put purchases off",
                       "Tmall's 双11 pre-sale opens ~3 weeks ahead (Oct 20-24), 618's in late May; the waiting itself is the "
                       "pre-promotion dip of scanner data (van Heerde, Leeflang & Wittink 2000; Macé & Neslin 2004)",
                       ge=0, le=120, plausible=(7, 21), why="from the last week to the whole pre-sale period")
    wait_share: float = P(0.3, "share", "share of a fully price-sensitive customer's buying put off in those days (x price "
                          "sensitivity); part of it is made during the event (offers.wait_recapture), the rest is lost",
                          "assumption; pre-promotion dips are real but smaller than post-promotion ones (Macé & Neslin 2004)",
                          ge=0, le=1, plausible=(0.1, 0.5), why="a tenth to half of a deal seeker's buying waits for a known event")
    stock_up: float = P(0.5, "share", "cut in the purchase rate of a customer right after an order placed during an event "
                        "(they stocked up), fading with stock_days: rate x (1 - stock_up e^(-days since / stock_days))",
                        "assumption; post-promotion dips in scanner data (van Heerde, Leeflang & Wittink 2000; Macé & Neslin 2004)",
                        ge=0, le=1, plausible=(0.2, 0.8), why="from a small lull to buyers who stocked up for a whole cycle")
    stock_days: float = P(30.0, "days", "how fast the stocked-up lull fades (e-folding days)",
                          "assumption", gt=0, le=365, plausible=(14.0, 60.0), why="what was stocked lasts two weeks to two months")


class SalesChannel(Section):
    share: float = P(0.25, "share", "share of repeat orders that land here (before steering)", "decision (the brand's "
                     "channel mix; its order export tells it)", ge=0, le=1)
    commission: float = P(0.0, "share", "platform commission on the price paid (the offline store: the mall's concession fee)",
                          ge=0, le=0.9, plausible=(0.0, 0.3), why="platform commissions run 0-10% of sales; a mall counter's concession 20-30% (the offline default 0.25 inside it)")
    creator_commission: float = P(0.0, "share", "a creator's or live-streamer's commission on the price paid (0 = the "
                                  "brand sells itself)", "decision (creators take 20-30% on Douyin: practitioner figures, "
                                  "low credibility)", ge=0, le=0.9)
    payment_fee: float = P(0.006, "share", "payment fee on the price paid", "WeChat Pay's and Alipay's standard merchant rate "
                           "0.6% (published fee schedules; 0.38% in some categories)", ge=0, le=0.1)
    shipping_rmb: float = P(8.0, "RMB/order", "shipping the brand pays per parcel", ge=0, le=10_000,
                            plausible=(0.0, 12.0), why="express parcels cost brands 5-12 RMB at contract rates; an order taken home from a store ships nothing (0)")
    return_insurance_rmb: float = P(0.0, "RMB/order", "return shipping insurance (运费险) the brand pays per order",
                                    ge=0, le=1000, plausible=(0.0, 3.0), why="premiums of 0.5-3 RMB an order, dearer in "
                                    "categories with many returns (platform insurers' rates, medium-low credibility)")
    return_rate: float = P(0.08, "prob", "share of repeat orders on this channel returned", ge=0, le=1,
                           plausible=(0.03, 0.25), why="from a store's counter to impulse live-stream buying")


def _tmall():
    return SalesChannel(share=0.5, commission=0.05, shipping_rmb=8.0, return_insurance_rmb=1.5, return_rate=0.10)


def _douyin_shop():
    return SalesChannel(share=0.3, commission=0.05, shipping_rmb=8.0, return_insurance_rmb=1.5, return_rate=0.20)


def _mini_program():
    return SalesChannel(share=0.1, commission=0.01, shipping_rmb=8.0, return_insurance_rmb=0.0, return_rate=0.06)


def _offline():
    return SalesChannel(share=0.1, commission=0.25, payment_fee=0.006, shipping_rmb=0.0, return_insurance_rmb=0.0,
                        return_rate=0.03)


SALES_CHANNELS = ("tmall", "douyin_shop", "mini_program", "offline")     # the order of sales.* channels, codes 0..3


class Sales(Section):
    enabled: bool = P(False, "-", "book every order on a sales channel with its fees and return rate (off: orders carry "
                      "no channel fees and repeat orders return at economics.pool_return_rate, as before this section)",
                      "decision (off by default)")
    steer_to_mini_program: float = P(0.0, "share", "how hard pool members are steered to the mini-program store: share of "
                                     "their online orders elsewhere (Tmall/Taobao, Douyin shop) sent there instead, for "
                                     "members who read the chat", "decision (0 = no steering)", ge=0, le=1)
    steer_loss: float = P(0.2, "share", "share of steered orders lost: the buyer will not leave the platform they know "
                          "(a new account and address, no platform coupons, no platform guarantee)", ge=0, le=1,
                          plausible=(0.05, 0.4), why="from a smooth one-tap mini-program to buyers loyal to their platform")
    tmall: SalesChannel = Field(default_factory=_tmall, description="Tmall/Taobao: commission 2-5% by category (Tmall's "
                                "software service fee schedule; 5% for apparel and beauty), 运费险 common, returns ~10% "
                                "on repeat orders (assumption)")
    douyin_shop: SalesChannel = Field(default_factory=_douyin_shop, description="Douyin shop: technical service fee ~5% "
                                      "for most categories (Douyin e-commerce fee schedule), 运费险 common, impulse "
                                      "returns (live-stream womenswear 40-45% [004]; repeat orders ~20%, assumption)")
    mini_program: SalesChannel = Field(default_factory=_mini_program, description="the brand's WeChat mini-program store: "
                                       "no platform commission, WeChat Pay 0.6%, store software (有赞/微盟 fees, ~1% of "
                                       "sales, assumption), fewer returns from members who know the brand (assumption)")
    offline: SalesChannel = Field(default_factory=_offline, description="offline store: no parcel, the mall's concession "
                                  "fee (扣点, 20-35% in department stores: practitioner figures, low credibility), few returns")


def _day(calendar: Calendar, value: int | str, what: str) -> int:
    """A day number of the run from an event's start or end (a day number, or a date counted from start_date);
    ValueError with what is allowed."""
    if isinstance(value, int):
        return value
    import datetime as dt
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"a day number or a date YYYY-MM-DD for {what}") from None
    if not calendar.start_date:
        raise ValueError(f"calendar.start_date (YYYY-MM-DD) set when {what} is a date")
    try:
        day0 = dt.date.fromisoformat(calendar.start_date)
    except ValueError:
        raise ValueError("calendar.start_date as a date YYYY-MM-DD") from None
    return (date - day0).days


def event_windows(calendar: Calendar) -> list[tuple[int, int]]:
    """(first day, last day) of each event, in the order given (ValueError naming what is allowed)."""
    return [(_day(calendar, e.start, "start"), _day(calendar, e.end, "end")) for e in calendar.events]


def idle_sections(sc) -> tuple[str, ...]:
    """Key prefixes of the off-by-default sections (this module's, schema_entry's and schema_tiers') whose mechanism is off in
    scenario `sc` (no events; sales, stores, tiers not enabled; entry points neither enabled nor used by stores): their assumptions change nothing there, so
    tools that draw assumptions (sim.lab.robustness) leave them out."""
    return tuple(p for p, idle in (("calendar.", not sc.calendar.events), ("sales.", not sc.sales.enabled),
                                   ("entry.", not (sc.entry.enabled or sc.stores.enabled)), ("stores.", not sc.stores.enabled),
                                   ("tiers.", not sc.tiers.enabled)) if idle)
