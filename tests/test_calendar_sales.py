"""The sales calendar (sim/mechanisms/calendar.py) and the sales channels (sim/mechanisms/sales.py): one-lever shape
tests on paired seeds (seed s of both arms shares its random numbers), the shipped scenarios, the reference's
refusal and one-line errors.

Margins: a paired mean difference must exceed 3 standard errors of the paired differences and hold in every seed.
"""
from pathlib import Path

import numpy as np
import pytest

import sim
from sim.lab.reference import ReferenceModel, core_overrides

ROOT = Path(__file__).resolve().parents[1]
SEEDS = range(4)
# a pool without paid acquisition (no growth to confound the levels before and after): 4,000 day-0 members
STEADY = {"market.users": 20_000, "horizon_days": 220, "acquisition.daily_budget": 0, "pool.initial_members": 4000}
EVENT = {"name": "sale", "start": 110, "end": 120, "depth": 0.2}
PRE, WINDOW, POST = slice(70, 96), slice(110, 121), slice(121, 151)   # before the wait days; the event; 30 days after


def paired_gt(a, b, k=3.0):
    d = np.asarray(a, float) - np.asarray(b, float)
    se = d.std(ddof=1) / np.sqrt(len(d))
    return bool(d.mean() > k * se and (d > 0).all()), (d.mean(), se)


def orders(over, seeds=SEEDS):
    sc = sim.load_scenario(ROOT / "scenarios" / "baseline.yaml", over)
    return [sim.run(sc, seed=s).daily["orders"].to_numpy(float) for s in seeds]


def test_event_lifts_orders_then_dips_below_the_level_before():
    """Levels are measured against the paired run without the event (a pool always has a trend: this one shrinks
    ~14% from the days before to the days after): before the event (ahead of its wait days) the two runs agree;
    in its window orders are at least 30% higher; in the 30 days after, at least 5% lower (the stocked-up dip:
    with calendar.stock_up 0 it is ~1%, from the coupon habit alone)."""
    with_event = orders({**STEADY, "calendar.events": [EVENT]})
    without = orders(STEADY)

    def level(part):
        return np.array([e[part].sum() / n[part].sum() for e, n in zip(with_event, without)])
    before, during, after = level(PRE), level(WINDOW), level(POST)
    assert np.abs(before - 1).max() < 0.02, before
    assert during.min() > 1.3, during
    ok, stats = paired_gt(before - 0.05, after)
    assert ok, f"level before - 5% vs after the event (mean, se): {stats}"


def test_shoppers_wait_for_an_announced_event():
    with_event = orders({**STEADY, "calendar.events": [EVENT]})
    without = orders(STEADY)
    wait = slice(EVENT["start"] - 14, EVENT["start"])                 # calendar.wait_days (14) before it
    ok, stats = paired_gt([n[wait].mean() for n in without], [e[wait].mean() for e in with_event])
    assert ok, f"orders in the wait days: without vs with the event (mean, se): {stats}"


def test_event_platform_traffic_buys_more_newcomers_at_a_dearer_price():
    base = {"market.users": 20_000, "horizon_days": 60}
    ev = {"name": "big", "start": 30, "end": 39, "depth": 0.0, "platform_traffic": 3.0, "platform_price": 1.0}
    dear = dict(ev, platform_price=3.0)

    def newcomers(event):
        sc = sim.load_scenario(ROOT / "scenarios" / "baseline.yaml", {**base, "calendar.events": [event]})
        return [sim.run(sc, seed=s).daily["new_customers"].to_numpy(float)[30:40].sum() for s in SEEDS]
    none = newcomers({**ev, "platform_traffic": 1.0})
    more = newcomers(ev)
    ok, stats = paired_gt(more, none)
    assert ok, f"newcomers in the event: traffic x3 vs x1 (mean, se): {stats}"
    ok, stats = paired_gt(more, newcomers(dear))
    assert ok, f"newcomers in the event: price x1 vs x3 (mean, se): {stats}"


def sales_runs(steer, seeds=SEEDS):
    over = {"market.users": 20_000, "horizon_days": 240, "sales.enabled": True, "sales.steer_to_mini_program": steer}
    sc = sim.load_scenario(ROOT / "scenarios" / "baseline.yaml", over)
    return [sim.run(sc, seed=s) for s in seeds]


def test_steering_to_the_mini_program_raises_margin_per_order_and_loses_orders():
    free, steered = sales_runs(0.0), sales_runs(0.8)

    def per_order(r):
        t = r.breakdown("sales_channel")
        return t["margin"].sum() / t["orders"].sum()
    ok, stats = paired_gt([per_order(r) for r in steered], [per_order(r) for r in free])
    assert ok, f"margin per order: steered vs not (mean, se): {stats}"
    ok, stats = paired_gt([r.summary["orders"] for r in free], [r.summary["orders"] for r in steered])
    assert ok, f"orders: not steered vs steered (mean, se): {stats}"
    mini = [r.breakdown("sales_channel").loc["mini_program", "order_share"] for r in steered]
    assert min(mini) > max(r.breakdown("sales_channel").loc["mini_program", "order_share"] for r in free)


def test_channel_fees_are_in_profit_and_the_table_adds_up():
    r = sales_runs(0.5, seeds=[0])[0]
    t, d = r.breakdown("sales_channel"), r.daily
    fees = t[["commission", "payment_fees", "shipping", "return_insurance"]].to_numpy().sum()
    assert d["channel_fees"].sum() == pytest.approx(fees, rel=1e-9)
    assert t["orders"].sum() == pytest.approx(d["orders"].sum(), rel=1e-9)
    assert t["revenue"].sum() == pytest.approx(d["revenue"].sum(), rel=1e-6)
    assert (t.loc["offline", ["shipping", "return_insurance"]] == 0).all()
    with pytest.raises(sim.UsageError, match="sales.enabled"):
        sim.run("baseline", days=5, users=500).breakdown("sales_channel")


@pytest.mark.parametrize("name", ["sales_calendar", "mini_program_store"])
def test_shipped_scenarios_load_and_run(name):
    r = sim.run(name, users=5000, days=365, seed=0)
    assert len(r.daily) == 365 and r.daily["orders"].sum() > 0
    if name == "sales_calendar":
        d = r.daily["orders"].to_numpy(float)
        for start, end in ((151, 168), (303, 314)):
            assert d[start:end + 1].mean() > d[start - 40:start - 14].mean()
    else:
        t = r.breakdown("sales_channel")
        assert list(t.index) == ["tmall", "douyin_shop", "mini_program", "offline"]
        assert t.loc["mini_program", "margin_per_order"] > t.loc["tmall", "margin_per_order"]


@pytest.mark.parametrize("over, key", [({"calendar.events": [EVENT]}, "calendar.events"),
                                       ({"sales.enabled": True}, "sales.enabled")])
def test_reference_refuses_the_new_mechanisms(over, key):
    sc = sim.load_scenario(ROOT / "scenarios" / "baseline.yaml", {**core_overrides(), "market.users": 50, **over})
    with pytest.raises(ValueError, match=key):
        ReferenceModel(sc)


@pytest.mark.parametrize("over, words", [
    ({"calendar.events": [{"start": 10, "end": 5}]}, "calendar.events.0.end = 5: allowed: a day at or after"),
    ({"calendar.events": [{"start": "2025-06-01", "end": "2025-06-18"}]}, "calendar.start_date"),
    ({"calendar.events": [{"start": 1, "end": 2, "depth": 2}]}, "calendar.events.0.depth = 2: allowed: float in 0 .. 0.9"),
    ({"sales.enabled": True, "sales.tmall.share": 0.9}, "sales.*.share = 1.4: allowed: sales channel shares that add up to 1"),
])
def test_bad_calendar_and_sales_values_are_one_line(over, words):
    with pytest.raises(sim.ScenarioError) as err:
        sim.load_scenario(ROOT / "scenarios" / "baseline.yaml", over)
    assert words in str(err.value) and "\n" not in str(err.value)


def test_dates_count_from_the_start_date():
    sc = sim.load_scenario(ROOT / "scenarios" / "sales_calendar.yaml", {
        "calendar.events": [{"start": "2025-06-01", "end": "2025-06-18", "depth": 0.2}]})
    by_day = sim.load_scenario(ROOT / "scenarios" / "sales_calendar.yaml", {
        "calendar.events": [{"start": 151, "end": 168, "depth": 0.2}]})
    a, b = sim.run(sc, users=3000, days=200), sim.run(by_day, users=3000, days=200)
    assert a.daily["orders"].tolist() == b.daily["orders"].tolist()
