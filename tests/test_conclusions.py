"""Stated conclusions: every number in a sentence is the comparison table's number (and the J-curve's
marks are the table's payback); the driver named is the largest contribution in the direction of the
gap; swapping the strategies flips the words; grids and optional attribution/robustness inputs."""
from __future__ import annotations

import math
import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

import sim
from sim.lab.experiments import comparison_of, many_of
from sim.lab.robustness import HINGE_P
from sim.present import conclusions as C
from sim.present import conclusions_lab as L
from sim.present import plots
from sim.present.labels import register_titles
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
    assert f.paid_back_a == f.paid_back_b == f.k       # every history pays back: the payback sentence is checked below
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
    # a lever is named in a sentence one way everywhere (formats.lever_name, as conclusions_lab's sentences
    # name it): its display name without the unit; the unit goes with the value
    assert "Of the levers that differ, Messages per week carries the most of the LTV gap: " in out[-2]
    assert "30 RMB" in out[-2]
    assert out[-1].startswith("Service has the higher LTV in 83% of 64 plausible worlds")
    assert out[-1].endswith("; the verdict flips when Messages per week passes 1.6 msgs/week.")
    zh = C.conclusions(cmp, "zh", explanation=Ex(), robustness={"p_b_better": 0.2, "worlds": 10})
    assert "优惠券" in zh[-1] and "80%" in zh[-1]


# ----------------------------------------------------------------- the lab's tools (conclusions_lab)

CJK = re.compile(r"[\u4e00-\u9fff]")


def _verdict(profit, ltv_on=1165.4, ltv_off=1042.2, title=("Hair-transplant clinic", "植发机构")):
    return {"case": "hair_clinic", "title": title[0], "title_zh": title[1],
            "lever": "service.one_to_one_hours_per_day", "on": 8, "off": 0, "seeds": 4,
            "profit": profit, "ltv": (ltv_on - ltv_off, 1.0, 2.0), "churn_rate_monthly": (0.0, -0.01, 0.01),
            "payback_day": (0.0, -1.0, 1.0), "ltv_on": ltv_on, "ltv_off": ltv_off}


def test_case_sentences_follow_the_interval_and_carry_its_numbers():
    vs = [_verdict((1_288_000.0, 727_000.0, 1_850_000.0)), _verdict((-166_000.0, -172_000.0, -160_000.0)),
          _verdict((180_000.0, -21_000.0, 380_000.0), title=("Douyin womenswear", "抖音女装"))]
    en, zh = L.case_conclusions(vs, "en"), L.case_conclusions(vs, "zh")
    assert [(" pays:" in s, " loses money:" in s, "is not clear" in s) for s in en] == \
        [(True, False, False), (False, True, False), (False, False, True)]
    assert ["赚钱" in s for s in zh] == [True, False, False] and "亏钱" in zh[1] and "尚无定论" in zh[2]
    assert en[0].startswith("Hair-transplant clinic: One-to-one service at 8 hours/day (against 0 hours/day)")
    assert "profit +1.29M RMB" in en[0] and "+727K RMB to +1.85M RMB over 4 paired seeds" in en[0]
    assert "LTV 1,165 RMB per acquired customer with the lever, 1,042 RMB without" in en[0]
    assert "-166K RMB" in en[1] and "-21K RMB to +380K RMB" in en[2]
    # Chinese: the case's Chinese title, the lever's Chinese name, 万 amounts, the same LTV
    assert zh[0].startswith("植发机构:一对一服务设为 8 小时/天") and "+129万元" in zh[0] and "+72.7万元" in zh[0]
    assert "有该杠杆时 1,165 元,没有时 1,042 元" in zh[0] and zh[2].startswith("抖音女装")
    assert not any("hair_clinic" in s or "Hair" in s for s in zh)
    # a lever without a display name is shown by its dotted key
    v = dict(_verdict((1.0e4, 5.0e3, 1.5e4)), lever="messaging.value_share", on=0.5)
    assert "messaging.value_share at 0.5 (against 0)" in L.case_conclusions([v], "en")[0]
    assert " messaging.value_share 设为 0.5" in L.case_conclusions([v], "zh")[0]


def _explanation(total=-527_169.0, lo=-764_237.0, hi=-290_101.0):
    contrib = pd.DataFrame({"figure": ["profit"] * 3 + ["ltv"],
                            "lever": ["groups.size", "messaging.per_week", "service.one_to_one_hours_per_day", "x"],
                            "contribution": [22_911.0, -195_647.0, -354_433.0, 1e9],
                            "lo": [-2_505.0, -296_297.0, -400_000.0, 0], "hi": [48_328.0, -94_997.0, -300_000.0, 0],
                            "alone": [27_929.0, -230_680.0, -359_578.0, 0]})
    totals = pd.DataFrame({"total": [total], "lo": [lo], "hi": [hi], "interaction": [35_160.0], "n": [2]},
                          index=["profit"])
    return SimpleNamespace(a_name="discount_only", b_name="differentiated_service", contributions=contrib,
                           totals=totals)


def _robustness(p_a=0.47, flip=140.0, p_adj=0.0971):
    summary = pd.DataFrame({"p_a_beats_b": [p_a, 0.06], "median": [131_715.0, -0.0217], "lo": [-619_527.0, -0.0439],
                            "hi": [846_545.0, 0.0011], "worlds": [32, 32], "finite": [32, 32]},
                           index=pd.Index(["profit", "churn_rate_monthly"], name="figure"))
    hinges = pd.DataFrame({"figure": ["profit", "churn_rate_monthly"],
                           "key": ["market.price_rmb", "messaging.per_week"], "rho": [0.557, -0.545],
                           "p_adjusted": [p_adj, 0.05], "flip_value": [flip, math.nan], "flip_side": ["below", ""]})
    return SimpleNamespace(a_name="discount_only", b_name="differentiated_service", summary=summary, hinges=hinges)


def _optimisation(churn_best=0.123):
    check = pd.DataFrame({"start": [446_180.0, 0.119, math.nan], "best": [728_088.0, churn_best, math.nan],
                          "diff": [281_908.0, 0.0044, math.nan], "lo": [207_825.0, -0.0041, math.nan],
                          "hi": [355_991.0, 0.0129, math.nan], "n": [4, 4, 0]},
                         index=["profit", "churn_rate_monthly", "service.one_to_one_hours_per_day"])
    start = sim.load_scenario(ROOT / "scenarios" / "differentiated_service.yaml")
    return SimpleNamespace(objective="profit", direction="maximize", check=check, start=start,
                           best_params={"messaging.per_week": 5.28305, "groups.size": 171,
                                        "service.one_to_one_hours_per_day": 0.429042},
                           constraints={"churn_rate_monthly": ("<=", 0.12),
                                        "service.one_to_one_hours_per_day": ("<=", 12)},
                           trials=pd.DataFrame({"number": range(20)}))


def test_decide_sentences_carry_the_objects_numbers_with_display_names():
    strategies = [ROOT / "scenarios" / "discount_only.yaml", ROOT / "scenarios" / "differentiated_service.yaml"]
    ex, rob, opt = _explanation(), _robustness(), _optimisation()
    en = L.decide_conclusions(ex, rob, opt, "en", strategies=strategies)
    zh = L.decide_conclusions(ex, rob, opt, "zh", strategies=strategies)
    assert len(en) == len(zh) == 7
    assert en[0] == ("Differentiated service's profit over the run is 527K RMB lower than Discount only's "
                     "(paired difference over 2 seeds, 90% interval -764K RMB to -290K RMB).")
    # the lever named is the largest contribution in the total's direction (not the largest positive one)
    assert en[1].startswith("Of the 3 levers that differ, One-to-one service carries the most of it: -354K RMB")
    assert "-562K RMB in all" in en[2] and "-527K RMB" in en[2] and "(interaction +35.2K RMB)" in en[2]
    assert en[3].startswith("Across 32 plausible worlds, Differentiated service has the higher profit over the "
                            "run in 53% of them")
    assert "median of Differentiated service minus Discount only: +132K RMB" in en[3]
    assert "changes sign when Ticket price is below 140" in en[3]
    assert "Differentiated service has the lower monthly churn in 94%" in en[4] and "-2.2 pp" in en[4]
    assert "Messages per week" in en[4] and "keeps its sign" in en[4]
    assert "best of 20 trials (Messages per week 5.28 msgs/week, Group size 171 members, One-to-one service " \
           "0.429 hours/day) gives 282K RMB more profit over the run" in en[5]
    assert "monthly churn at most 12.0%" in en[5] and "One-to-one service at most 12 hours/day" in en[5]
    assert en[6] == "On those seeds its monthly churn is 12.3%, outside the limit (monthly churn at most 12.0%)."
    # Chinese: display titles, no file names, 万 amounts, same verdicts
    assert zh[0].startswith("差异化服务的期间利润比只打折低 52.7万元") and "-76.4万元 至 -29万元" in zh[0]
    assert "一对一服务贡献最大" in zh[1] and "53%" in zh[3] and "当客单价低于 140 时差异反号" in zh[3]
    assert "超出限制" in zh[6] and "群规模 171 人" in zh[5]
    assert all(CJK.search(s) for s in zh)
    assert not any(n in s for s in zh for n in ("discount_only", "differentiated_service", "Discount", "Differentiated"))


def test_decide_words_follow_the_numbers():
    # B ahead, an interval spanning zero, A ahead in most worlds, no hinge, churn within its limit
    for name in ("discount_only", "differentiated_service"):      # display titles, whatever ran before
        register_titles(name, sim.load_scenario(ROOT / "scenarios" / f"{name}.yaml"))
    ex = _explanation(total=50_000.0, lo=-10_000.0, hi=110_000.0)
    ex.contributions.loc[0, "contribution"] = 80_000.0
    s = L.explain_sentences(ex, "profit", "en")
    assert "50K RMB higher" in s[0] and "cannot be ranked" in s[0]
    assert "Group size carries the most of it: +80K RMB" in s[1]
    assert "无法排出高下" in L.explain_sentences(ex, "profit", "zh")[0]
    rob = _robustness(p_a=0.8, p_adj=HINGE_P * 2)
    r = L.robustness_sentence(rob, "profit", "en")
    assert "Discount only has the higher profit over the run in 80%" in r and "no assumption moves it clearly" in r
    tie = L.robustness_sentence(_robustness(p_a=0.5), "profit", "en")
    assert "each have the better profit over the run in half of them" in tie
    ok = L.optimise_sentences(_optimisation(churn_best=0.115), "en")
    assert ok[1].startswith("On those seeds its monthly churn is 11.5%, within the limit")
    assert "在限制之内" in L.optimise_sentences(_optimisation(churn_best=0.115), "zh")[1]


def test_robustness_sentence_says_how_many_worlds_tied():
    """Payback in 64 worlds: both never pay back in 60, A pays back sooner in 3, B in 1. The share counts
    a tie as half (p_a_beats_b = 33/64), so 'A has the lower payback in 52% of them' alone would read as
    A ahead in half the worlds; the sentence must say 60 of them are ties (en and zh)."""
    rob = _robustness(p_a=33 / 64)
    rob.summary.loc["profit", ["worlds", "finite"]] = [64, 2]
    rob.summary["ties"] = [60, 0]
    en = L.robustness_sentence(rob, "profit", "en")
    assert "in 52% of them, counting the 60 where they are equal as half each" in en, en
    assert "其中 60 个情景两者相同,各计一半" in L.robustness_sentence(rob, "profit", "zh")
    assert "equal" not in L.robustness_sentence(rob, "churn_rate_monthly", "en")        # no ties: no clause


def test_print_both_languages(capsys):
    register_titles("hair_clinic", None)
    L.print_case_conclusions([_verdict((1_288_000.0, 727_000.0, 1_850_000.0))])
    out = capsys.readouterr().out
    assert out.index("What to conclude") < out.index("- Hair-transplant clinic") < out.index("结论") < \
        out.index("- 植发机构")
