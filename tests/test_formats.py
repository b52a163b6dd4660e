"""One rule in one place: the one unit-aware number formatter (sim/present/formats.fmt) of tables,
charts and sentences, and what charts and sentences read off the numbers, decided in the lab
(sim.lab.figures: best grid cell, the contribution that carries a difference; sim.lab.experiments:
the interval's side). Where functions were merged, the agreed text is pinned."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.lab.experiments import Estimate, interval_side
from sim.lab.figures import best_cell, best_in_rows, carrier, unit_of
from sim.lab.verdicts import Levers, LeverShare
from sim.present import conclusions as C
from sim.present import conclusions_lab as CL
from sim.present.charts_decide import waterfall
from sim.present.charts_grid import heatmap
from sim.present.formats import fmt, level_text
from sim.present.tables import best_cells_text, text_grid


def figure_text(fig, v, lang, form="level"):
    return fmt(v, unit_of(fig), lang, form, "sentence")


def fmt_figure(fig, v, signed=False, lang="en"):
    return fmt(v, unit_of(fig), lang, "diff" if signed else "level")


def short_number(v, fig):
    return fmt(v, unit_of(fig), place="label")

# ----------------------------------------------------------------- formats


def test_signed_rmb_in_sentences_is_one_rule():
    """RMB per customer in a sentence: a level has a minus below zero, a difference + or -; a number written
    as zero carries no sign."""
    def rmb(v, form):
        return fmt(v, "rmb_user", "en", form, "sentence", units=False)
    assert rmb(30, "diff") == "+30" and rmb(-4.04, "diff") == "-4.0" and rmb(1234.4, "diff") == "+1,234"
    assert rmb(0, "diff") == "0.0" and rmb(-0.04, "diff") == "0.0" and rmb(0.04, "diff") == "0.0"
    assert rmb(-39.4, "level") == "-39" and rmb(39.4, "level") == "39" and rmb(-0.01, "level") == "0.0"
    assert CL.amount("ltv", -0.04, "en") == "0.0 RMB"


def test_one_formatter_refuses_an_unknown_form_or_place():
    with pytest.raises(ValueError, match="form must be one of"):
        fmt(1.0, "rmb", form="signed")
    with pytest.raises(ValueError, match="place must be one of"):
        fmt(1.0, "rmb", place="slide")


@pytest.mark.parametrize("unit, v, place, form, want", [
    ("rmb", -1_234_567.0, "table", "level", "-1,234,567"), ("rmb", -1_234_567.0, "stable", "level", "-1,235,000"),
    ("rmb", -1_234_567.0, "label", "level", "-1.23M"), ("rmb", -1_234_567.0, "sentence", "level", "-1.23M RMB"),
    ("share", 0.1234, "table", "diff", "+12.3 pp"), ("share", 0.1234, "stable", "diff", "+12.3 pp"),
    ("share", 0.1234, "label", "level", "12.3%"), ("share", -0.1234, "sentence", "size", "12.3 pp"),
    ("rmb_user", 162.34, "table", "level", "162.3"), ("rmb_user", 162.34, "stable", "level", "162"),
    ("rmb_user", 162.34, "label", "level", "162"), ("rmb_user", 162.34, "sentence", "level", "162 RMB"),
    ("ratio", 2.049, "table", "level", "2.05"), ("days", 85.0, "sentence", "diff", "+85 days"),
])
def test_one_formatter_one_rule_per_place(unit, v, place, form, want):
    """The formatter the six of main (labels.fmt_figure, dashboard._fmt, style.short_number, report.rounded,
    conclusions' figure text, experiments._num) became: one function, the unit and the place decide."""
    assert fmt(v, unit, "en", form, place) == want


@pytest.mark.parametrize("v, form, units, want", [
    (-1_234_567.0, "level", True, "-123.5万"), (9_673.0, "diff", True, "+1.0万"), (-9_400.0, "diff", True, "-9,000"),
    (0.012, "diff", False, "+1.2"),
])
def test_chinese_notebook_numbers(v, form, units, want):
    """Notebook text in Chinese (place 'stable'): money counted in 万 once it rounds to 10,000 or more; a
    points interval's ends without the unit, which the mean carries (个百分点 once)."""
    assert fmt(v, "share" if abs(v) < 1 else "rmb", "zh", form, "stable", units) == want


@pytest.mark.parametrize("fig, v, lang, form, want", [
    ("churn_rate_monthly", 0.116, "en", "level", "11.6%"),
    ("churn_rate_monthly", -0.007, "en", "diff", "-0.7 pp"),
    ("churn_rate_monthly", 0.007, "zh", "diff", "+0.7 个百分点"),
    ("churn_rate_monthly", -0.007, "en", "size", "0.7 pp"),
    ("profit", -1.25e6, "en", "level", "-1.25M RMB"),
    ("profit", -1.25e6, "zh", "level", "-125万元"),       # the level form wrote '-125万 元' (a space before 元)
    ("profit", 5.06e5, "zh", "diff", "+50.6万元"),
    ("profit", -5.06e5, "en", "size", "506K RMB"),
    ("ltv", 162.4, "zh", "level", "162 元"),
    ("ltv", -39.2, "en", "diff", "-39 RMB"),
    ("payback_day", 85, "en", "diff", "+85 days"),
    ("ltv_to_cac", 2.049, "en", "level", "2.05"),
    ("ltv", math.nan, "en", "level", "-"),
])
def test_figure_text_writes_a_figure_in_a_sentence(fig, v, lang, form, want):
    assert figure_text(fig, v, lang, form) == want


def test_money_words_follow_the_sentence_templates():
    assert figure_text("profit", -137_000, "en") == "-137K RMB" and figure_text("profit", -137_000, "zh") == "-13.7万元"


def test_table_cells_and_chart_labels():
    """fmt_figure is the table rule (report, CLI, and now the dashboard); short_number the chart-label
    rule (whole numbers from 10 up); both take the figure's own value (a share as a fraction)."""
    assert fmt_figure("ltv", 162.34) == "162.3" and short_number(162.34, "ltv") == "162"
    assert fmt_figure("churn_rate_monthly", -0.007, signed=True) == "-0.70 pp"
    assert fmt_figure("churn_rate_monthly", -0.007, signed=True, lang="zh") == "-0.70 个百分点"
    assert short_number(0.116, "churn_rate_monthly") == "11.6%" and short_number(0.004, "churn_rate_monthly") == "0.40%"
    assert fmt_figure("profit", math.nan) == "-" and short_number(None, "ltv") == "-"


def test_a_difference_written_as_zero_carries_no_sign():
    """Table cells wrote '+0.00' (and '-0.00') for a difference that rounds to zero, against the module's rule."""
    assert fmt(0.0004, "ratio", "en", "diff") == "0.00" and fmt(-0.0004, "ratio", "en", "diff") == "0.00"
    assert fmt(0.00001, "share", "zh", "diff") == "0.00 个百分点" and fmt(0.2, "days", "en", "diff") == "0"
    assert fmt(0.005, "share", "zh", "diff") == "+0.50 个百分点" and fmt(-85.0, "days", "en", "diff") == "-85"
    assert fmt(123.45, "wan", "zh", "diff") == "+123.5" and fmt(-1234.5, "wan", "zh") == "-1,234"


def test_lever_levels():
    assert level_text("offers.discount_depth", 0.15, "en") == "15%"
    assert level_text("messaging.per_week", 2.0, "zh") == "2 条/周"
    assert level_text("offers.discount_depth", 0.15, "en", units=False) == "15"
    assert level_text("pool.container", "wecom", "en") == "WeCom"
    assert level_text("service.consult_close", 0.35, "en", spec=".3g") == "0.35"


def test_waterfall_labels_a_share_in_percent():
    """The waterfall labelled share contributions unscaled (a 0.7-point churn change read '0.01%')."""
    def est(m, lo, hi):
        return Estimate(m, lo, hi, 2)
    shares = tuple(LeverShare(lever=k, keys=(k,), a={}, b={}, contribution=est(*c), alone=est(*c))
                   for k, c in (("messaging.per_week", (-0.007, -0.009, -0.005)), ("groups.size", (0.002, 0.001, 0.003))))
    lv = Levers(figure="churn_rate_monthly", unit="share", a="a", b="b", method="exact", seeds=2, runs=8,
                total=est(-0.005, -0.006, -0.004), interaction=est(0.0, 0.0, 0.0), levers=shares, carrier=None)
    fig = waterfall(lv, "churn_rate_monthly", "en")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "-0.70%" in texts and "0.20%" in texts and "-0.50%" in texts


def test_text_grid_is_the_lab_table():
    lines = text_grid(["figure", "value"], [["LTV", "162.3"], ["Monthly churn", "11.6%"]])
    assert lines == ["figure         value", "-------------  -----", "LTV            162.3", "Monthly churn  11.6%"]
    assert text_grid(["figure", "value"], []) == ["figure  value", "------  -----"]


# ----------------------------------------------------------------- readings

def _grid(tie: bool = False) -> pd.DataFrame:
    rows = []
    for size in (0, 20, 100):
        for pw in (1, 2, 4):
            for seed in (0, 1):
                ltv = 50.0 if tie and pw == 2 and size in (20, 100) else 40 - abs(pw - 2) - 0.01 * size + seed
                rows.append({"groups.size": size, "messaging.per_week": pw, "seed": seed, "ltv": ltv,
                             "churn_rate_monthly": 0.1 + 0.01 * pw, "payback_day": math.nan})
    return pd.DataFrame(rows)


def test_best_cell_is_one_pick_for_chart_sentence_and_report():
    t = _grid(tie=True)
    (size, pw), v = best_cell(t, ["groups.size", "messaging.per_week"], "ltv")
    assert (size, pw, v) == (20, 2, 50.0)                         # a tie goes to the first cell in key order
    assert best_cell(t, ["groups.size", "messaging.per_week"], "churn_rate_monthly")[0] == (0, 1)  # lower is better
    assert best_cell(t, ["groups.size"], "payback_day") is None   # no cell has a value
    assert best_in_rows(t, "messaging.per_week", "groups.size", "ltv") == {0: 2, 20: 2, 100: 2}
    # the sentence, the report and the heatmap's outline name the same cell
    assert "at group size 20 members with 2 msgs/week: 50 RMB" in C.grid_conclusions(
        t, "messaging.per_week", "groups.size")[1]
    from sim.lab.figures import best_ways
    text = best_cells_text(t, ["groups.size", "messaging.per_week"], best_ways(("ltv", "profit", "payback_day")))
    assert "groups.size=20, messaging.per_week=2" in text and "payback" not in text.lower()
    ax = heatmap(t, "en", value="ltv").axes[0]
    best = [p for p in ax.patches if p.get_edgecolor()[:3] == pytest.approx((0xD5 / 255, 0x5E / 255, 0))]
    ylabels = [tk.get_text() for tk in ax.get_yticklabels()]
    r, c = best[0].get_y() + 0.5, best[0].get_x() + 0.5
    assert ylabels[round(r)] == "20" and [tk.get_text() for tk in ax.get_xticklabels()][round(c)] == "2"


@pytest.mark.parametrize("lo, hi, side", [(1, 2, 1), (-2, -1, -1), (-1, 1, 0), (0, 1, 0), (math.nan, 1, 0),
                                          (1, math.inf, 1), (None, 1, 0)])
def test_interval_side(lo, hi, side):
    assert interval_side(lo, hi) == side


def test_carrier_is_the_largest_in_the_direction_of_the_total():
    parts = {"retention": -46.0, "discounts": 27.0, "timing": -1.0, "mix": math.nan}
    assert carrier(parts, -39.0) == "retention" and carrier(parts, -39.0, along=False) == "discounts"
    assert carrier(parts, 5.0) == "discounts"                    # not the largest in size
    assert carrier({"a": -1.0}, 2.0) is None
    assert carrier(pd.Series([3.0, -5.0, 3.0], index=[7, 8, 9]), 1.0) == 7      # ties: the first
    assert carrier(np.array([1.0, 2.0]), 1.0) == 1                                # positions for an array


def test_a_difference_written_as_zero_has_no_tone():
    """One history (no interval): a difference that rounds to zero as written ('0.00 pp') is neither better nor
    worse (the dashboard showed '0.00 个百分点' in green); one that shows a digit keeps its sign's tone."""
    from sim.present.tables import _cell, _tone
    tiny, real = Estimate(mean=1e-6, lo=math.nan, hi=math.nan, n=1), Estimate(mean=0.01, lo=math.nan, hi=math.nan, n=1)
    for lang in ("en", "zh"):
        assert _cell(tiny, "share", lang, "diff", "table", True, _tone(tiny, 1)).tone == 0
        assert _cell(real, "share", lang, "diff", "table", True, _tone(real, 1)).tone == 1
