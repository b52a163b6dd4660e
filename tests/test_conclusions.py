"""Stated conclusions: every number in a sentence is the comparison table's number (and the J-curve's
marks are the table's payback); the driver named is the largest contribution in the direction of the
gap; swapping the strategies flips the words; grids and optional attribution/robustness inputs."""
from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

import sim
from sim.lab.experiments import comparison_of, many_of
from sim.present import conclusions as C
from sim.present import plots
from sim.present.report import ROOT, fmt_figure, table_rows

AGENTS, DAYS, SEEDS = 2500, 365, 3


@pytest.fixture(scope="module")
def cmp():
    # the baseline market with 2,500 agents over a year: every history of both strategies pays back,
    # so every sentence has its numbers
    base = sim.load_scenario(ROOT / "scenarios" / "baseline.yaml")
    a = base.with_overrides({"name": "coupons", "title": "Coupons", "title_zh": "优惠券",
                             "offers.discount_depth": 0.3, "offers.discount_every_days": 14, "messaging.per_week": 4})
    b = base.with_overrides({"name": "service", "title": "Service", "title_zh": "服务",
                             "service.one_to_one_hours_per_day": 6, "groups.size": 50})
    return sim.compare([a, b], seeds=SEEDS, agents=AGENTS, days=DAYS)


def _numbers(s: str) -> list[float]:
    s = s.replace("90%", "")                       # the interval's level is not a result
    return [float(x.replace(",", "")) for x in re.findall(r"-?\d[\d,]*\.?\d*", s)]


def test_sentence_numbers_are_the_tables(cmp):
    f = C.facts(cmp)
    t = cmp.table
    assert f.ltv_diff == t.at["ltv", "diff:service"] and f.ltv_lo == t.at["ltv", "lo:service"]
    assert f.ltv_a == cmp.runs["coupons"].summary.at["ltv", "mean"]
    assert f.churn_diff == t.at["churn_rate_monthly", "diff:service"]
    s_ltv, s_churn, s_pay = C.conclusions(cmp, "en")[:3]
    # LTV: difference, both means and the interval, rounded as the sentence rounds them
    want = [C.rmb(f.ltv_diff), C.rmb_signed(f.ltv_b), C.rmb_signed(f.ltv_a), C.rmb_signed(f.ltv_lo),
            C.rmb_signed(f.ltv_hi)]
    assert _numbers(s_ltv)[:5] == [float(w.replace(",", "")) for w in want]
    # the report's table cell holds the same difference (to its own precision)
    head, rows = table_rows(cmp, "en")
    cell = next(r for r in rows if r[0].startswith("LTV per user"))[-1]
    assert round(_numbers(cell)[0]) == round(f.ltv_diff)
    assert ("more" in s_ltv) == (f.ltv_diff > 0)
    # churn in percentage points, the same as the table's "pp" cell
    assert _numbers(s_churn)[0] == round(abs(100 * f.churn_diff), 1)
    churn_cell = next(r for r in rows if r[0].startswith("Monthly churn"))[-1]
    assert churn_cell.startswith(fmt_figure("churn_rate_monthly", f.churn_diff, signed=True))
    # payback: the sentence's days are the table's payback means, which the J-curve marks
    for name, pb in (("service", f.payback_b), ("coupons", f.payback_a)):
        mean = cmp.runs[name].summary.at["payback_day", "mean"]
        assert pb == pytest.approx(mean)
        if pb is not None and math.isfinite(pb):
            assert f"day {pb:.0f}" in s_pay
    if f.paid_back_a == f.paid_back_b == SEEDS:            # the gap in days is the table's paired difference
        gap = round(cmp.table.at["payback_day", "diff:service"])
        assert (f"{abs(gap)} days" in s_pay) if gap else ("same day" in s_pay)
    else:                                                   # averages over different histories: counts, no gap
        assert f"of {SEEDS} simulated histories" in s_pay
    fig = plots.j_curve(cmp, "en")
    marks = [t.get_text() for t in fig.axes[0].texts if t.get_text().startswith("payback")]
    table_days = sorted(f"{cmp.runs[n].summary.at['payback_day', 'mean']:.0f}" for n in cmp.names
                        if math.isfinite(cmp.runs[n].summary.at["payback_day", "mean"]))
    assert sorted(re.search(r"day (\d+)", m).group(1) for m in marks) == table_days


def test_chinese_sentences_carry_the_same_numbers(cmp):
    en, zh = C.conclusions(cmp, "en"), C.conclusions(cmp, "zh")
    assert len(en) == len(zh) >= 4
    assert "服务" in zh[0] and "优惠券" in zh[0] and "Service" in en[0]
    assert _numbers(zh[0])[:5] == _numbers(en[0])[:5]
    assert all(re.search(r"[\u4e00-\u9fff]", s) for s in zh)


def test_swapping_the_strategies_flips_the_words(cmp):
    rev = comparison_of({"service": cmp.runs["service"], "coupons": cmp.runs["coupons"]})
    f, r = C.facts(cmp), C.facts(rev)
    assert r.ltv_diff == pytest.approx(-f.ltv_diff)
    s, s_rev = C.conclusions(cmp, "en")[0], C.conclusions(rev, "en")[0]
    assert ("more" in s) != ("more" in s_rev) and ("less" in s) != ("less" in s_rev)


def test_driver_is_the_largest_in_the_direction_of_the_gap(cmp, monkeypatch):
    f = C.facts(cmp)
    parts = plots.ltv_bridge_parts(cmp.runs["coupons"], cmp.runs["service"])
    sign = np.sign(parts["gap"])
    along = {d: parts[d] for d in plots.BRIDGE_DRIVERS if parts[d] * sign > 0}
    assert f.driver == max(along, key=lambda d: abs(along[d]))
    # a made-up bridge whose largest part by size works AGAINST a positive gap: it must not be named
    fake = pd.Series({"referral_mix": 1.0, "retention": 20.0, "spend_per_order": 5.0, "discounts": 0.0,
                      "service_sessions": -33.0, "timing": 33.4, "gap": 26.4, "ltv_a": 100.0, "ltv_b": 126.4})
    monkeypatch.setattr(C, "ltv_bridge_parts", lambda a, b: fake)
    g = C.facts(cmp)
    assert g.driver == "timing" and g.offset == "service_sessions"
    fake["timing"] = 3.4
    fake["gap"] = -3.6
    g = C.facts(cmp)
    assert g.driver == "service_sessions"                 # a negative gap names the largest negative part


def test_one_history_says_there_is_no_interval():
    sc = sim.load_scenario(ROOT / "scenarios" / "baseline.yaml")
    a = sim.run(sc, users=1500, days=120, seed=0)
    b = sim.run(sc.with_overrides({"name": "more_messages", "title": "More messages", "messaging.per_week": 4}),
                users=1500, days=120, seed=0)
    en = C.conclusions({"baseline": a, "more_messages": b}, "en")
    assert "no interval" in en[0] and en[0].startswith("More messages")
    cmp = comparison_of({"baseline": many_of([a]), "more_messages": many_of([b])})
    assert C.facts(cmp).ltv_diff == pytest.approx(b.summary["ltv"] - a.summary["ltv"])


def _grid(best_pw_by_size=None):
    rows = []
    for size in (0, 20, 100):
        for pw in (1, 2, 4):
            for seed in (0, 1):
                peak = (best_pw_by_size or {}).get(size, 2)
                rows.append({"groups.size": size, "messaging.per_week": pw, "seed": seed,
                             "ltv": 100 - 10 * abs(pw - peak) - 0.05 * size + 2 * seed,
                             "churn_rate_monthly": 0.1 + 0.01 * pw})
    return pd.DataFrame(rows)


def test_grid_sentences_follow_the_grid():
    en = C.grid_conclusions(_grid(), "messaging.per_week", "groups.size", "en")
    assert en[0] == "At every group size tried, 2 msgs/week gives the highest LTV per user."
    assert "group size 0 members with 2 msgs/week: 101 RMB" in en[1]        # mean of seeds 0 and 1
    assert "monthly churn" in en[2] and "1 msgs/week: 11.0%" in en[2]
    assert "2 simulated histories" in en[3]
    mixed = C.grid_conclusions(_grid({0: 1, 20: 2, 100: 4}), "messaging.per_week", "groups.size", "en")
    assert mixed[0].startswith("The best messages per week depends on the group size")
    assert "100 members: 4 msgs/week" in mixed[0]
    zh = C.grid_conclusions(_grid(), "messaging.per_week", "groups.size", "zh")
    assert "2 条/周" in zh[0]


def test_attribution_and_robustness_sentences_when_given(cmp):
    f = C.facts(cmp)
    sign = 1 if f.ltv_diff >= 0 else -1
    contrib = pd.DataFrame({"figure": ["ltv", "ltv", "profit"], "lever": ["messaging.per_week", "groups.size", "x"],
                            "contribution": [sign * 30.0, sign * -4.0, 1e6], "lo": [sign * 20.0, -9.0, 0],
                            "hi": [sign * 40.0, 1.0, 0]})

    class Ex:
        contributions = contrib
    out = C.conclusions(cmp, "en", explanation=Ex(), robustness={"p_b_better": 0.83, "worlds": 64,
                                                                   "hinge": "messaging.per_week", "flip_at": 1.6})
    assert "Messages per week (msgs/week) carries the most of the LTV gap" in out[-2]
    assert "30 RMB" in out[-2]
    assert out[-1].startswith("Service has the higher LTV in 83% of 64 plausible worlds")
    assert "flips when Messages per week (msgs/week) passes 1.6" in out[-1]
    zh = C.conclusions(cmp, "zh", explanation=Ex(), robustness={"p_b_better": 0.2, "worlds": 10})
    assert "优惠券" in zh[-1] and "80%" in zh[-1]
