"""The schema of membership tiers and points (会员等级/积分: `Tiers`, `TierLevel`) and of the per-tier playbook (how a
strategy treats each tier: `Playbook`, `Play`). Off by default (tiers.enabled false), so a scenario without them runs
exactly as before they existed. Mechanism: sim/mechanisms/tiers.py.
"""
from __future__ import annotations

from pydantic import Field

from .schema_base import P, Section

TIERS = ("member", "silver", "gold", "platinum")     # codes 0..3; member: every customer below silver


class TierLevel(Section):
    threshold_rmb: float = P(1000.0, "RMB", "qualifying spend (price paid on kept orders) within one membership window "
                             "that reaches this tier; the tier is held for the rest of that window and the whole next one",
                             "decision (the programme's design; seed 004: a brand's super members at 3,000 RMB of spend)",
                             gt=0, le=1e8)
    member_price: float = P(0.0, "share", "price cut on every order of a holder (会员价): a standing price, so its pull on "
                            "buying is the worn pull of an every-day discount (offers.wear at one day); it teaches no "
                            "coupon-waiting", "decision (0 = none)", ge=0, le=0.5)
    exclusive_group: bool = P(False, "-", "holders are kept in the VIP groups (groups.tiering's top tier; needs groups "
                              "with tiering)", "decision; seed 004 (super members, 3,000 RMB, join a WeChat group)")


def _silver():
    return TierLevel(threshold_rmb=500.0)


def _gold():
    return TierLevel(threshold_rmb=1500.0, member_price=0.05)


def _platinum():
    return TierLevel(threshold_rmb=3000.0, member_price=0.1)


class PlayMessaging(Section):
    per_week: float | None = P(None, "msgs/week", "brand messages a week to this tier's pool members (empty: "
                               "messaging.per_week)", "decision (empty = the strategy's)", ge=0, le=70)


class PlayOffers(Section):
    discount_depth: float | None = P(None, "share", "this tier's coupon depth on the strategy's discount days (empty: "
                                     "offers.discount_depth; 0 = no coupon for this tier)",
                                     "decision (empty = the strategy's)", ge=0, le=0.9)


class PlayService(Section):
    priority: float = P(1.0, "x", "weight of this tier's members when one-to-one care chooses whom to serve (x their "
                        "stake, service.targeting tiered): priority service", "decision (1 = no priority)", gt=0, le=100)


class Play(Section):
    messaging: PlayMessaging = Field(default_factory=PlayMessaging, description="message frequency for this tier")
    offers: PlayOffers = Field(default_factory=PlayOffers, description="coupons for this tier")
    service: PlayService = Field(default_factory=PlayService, description="one-to-one care for this tier")


class Playbook(Section):
    member: Play = Field(default_factory=Play, description="customers below silver")
    silver: Play = Field(default_factory=Play, description="silver members")
    gold: Play = Field(default_factory=Play, description="gold members")
    platinum: Play = Field(default_factory=Play, description="platinum members")


class Tiers(Section):
    enabled: bool = P(False, "-", "membership tiers and points: qualifying spend per window, points earned and redeemed "
                      "(a cost), tier benefits and the pull of the next tier (off: none, as before this section)",
                      "decision (off by default)")
    window_days: int = P(365, "days", "a membership window: qualifying spend and unredeemed points count within one "
                         "(points left at its end expire)", "decision (most programmes count a year)", ge=7, le=3650)
    points_per_rmb: float = P(1.0, "points/RMB", "points earned per RMB paid on a kept order",
                              "decision (1 point per RMB is the common rule: 1元=1积分)", ge=0, le=1000)
    point_value_rmb: float = P(0.01, "RMB/point", "what a redeemed point costs the brand",
                               "decision (100 points = 1 RMB is common: a 1% rebate at 1 point per RMB)", ge=0, le=100)
    redeem_share: float = P(0.3, "prob", "chance a member uses their points balance on a kept order (unused points expire "
                            "at the window's end: breakage)", ge=0, le=1, plausible=(0.1, 0.6),
                            why="loyalty programmes see a fifth to half of points go unredeemed (breakage); how often a "
                            "balance is used is an assumption")
    pull: float = P(0.25, "x", "extra purchase rate of a pool member who reads the chat, just below their next tier (the "
                    "goal gradient), falling linearly to 0 at `near` of the way below it",
                    "Kivetz, Urminsky & Zheng 2006 (J. Marketing Research 43(1)): café reward-card members bought ~20% "
                    "more often (inter-purchase time 0.7 days shorter) as the reward came near: +25% at the goal",
                    ge=0, le=5, plausible=(0.1, 0.4), why="from a weak pull of tier status to the café card's +25% and "
                    "somewhat beyond (status is a richer reward than a free coffee, but less visible)")
    near: float = P(0.3, "share", "how far below the next tier the pull starts, as a share of that tier's threshold "
                    "(progress = window spend / threshold; pull x (progress - (1 - near)) / near)", gt=0, le=1,
                    plausible=(0.2, 0.5), why="the goal gradient steepens over the last stretch; Kivetz et al. saw it "
                    "over a whole 10-stamp card, most of it in the last third")
    silver: TierLevel = Field(default_factory=_silver, description="silver (example: 500 RMB a year)")
    gold: TierLevel = Field(default_factory=_gold, description="gold (example: 1,500 RMB a year, 5% member price)")
    platinum: TierLevel = Field(default_factory=_platinum, description="platinum (example: 3,000 RMB a year [004], "
                                "10% member price)")
    playbook: Playbook = Field(default_factory=Playbook, description="how the strategy treats each tier: message "
                               "frequency, coupons, one-to-one care")


def thresholds(tiers: Tiers) -> tuple[float, ...]:
    """Qualifying spend of each tier in TIERS order (member: 0)."""
    return (0.0,) + tuple(getattr(tiers, t).threshold_rmb for t in TIERS[1:])
