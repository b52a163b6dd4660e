"""Membership tiers and points (sim/mechanisms/tiers.py) and two review fixes in the same area (the calendar's event
lift on a pool coupon's day, the shop assistants' own friend capacity): one-lever tests on paired seeds (seed s of
both arms shares its random numbers), stated margins, the reference's refusal and one-line errors."""
from pathlib import Path

import numpy as np
import pytest

import sim

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "scenarios" / "baseline.yaml"


# ----------------------------------------------------------------- review fix a: one price lift at the deepest cut

def test_an_event_on_a_coupon_day_lifts_coupon_holders_once():
    """A pool of 4,000 day-0 members with no messages (nobody mutes: every member sees the coupon), paid newcomers until
    day 60 (public-side customers), none after, a 20% coupon every 100 days (days 0, 100) and, in one arm, a 20% calendar event on day 100 (no waiting, no stock-up:
    the two arms are the same run up to day 100). The price charged on day 100 is 20% off in both arms, so pool
    members (all coupon holders) must buy the same on day 100: at most 1% apart (same draws; measured: equal). Before
    the fix the event's lift multiplied the coupon's: pool orders x2.0-2.2 (seeds 0, 1). Public-side customers, who
    hold no coupon, still buy more in the event (their orders, both seeds together, at least 10% higher; measured
    21 against 12)."""
    over = {"market.users": 20_000, "market.agents": 20_000, "horizon_days": 101, "acquisition.stop_day": 60,
            "pool.initial_members": 4000, "messaging.per_week": 0, "referral.invites_per_year": 0,
            "market.organic_per_customer_per_year": 0, "offers.discount_every_days": 100, "offers.discount_days": 1,
            "offers.discount_depth": 0.2, "calendar.wait_share": 0, "calendar.stock_up": 0}
    event = {"name": "sale", "start": 100, "end": 100, "depth": 0.2}
    public = np.zeros(2)
    for seed in (0, 1):
        plain = sim.run(sim.load_scenario(BASE, over), seed=seed).daily.iloc[100]
        both = sim.run(sim.load_scenario(BASE, {**over, "calendar.events": [event]}), seed=seed).daily.iloc[100]
        assert abs(both["pool_orders"] / plain["pool_orders"] - 1) <= 0.01, (both["pool_orders"], plain["pool_orders"])
        public += [both["orders"] - both["pool_orders"], plain["orders"] - plain["pool_orders"]]
    assert public[0] > 1.1 * public[1], public
