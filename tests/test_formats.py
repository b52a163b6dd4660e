"""One rule in one place (sim/present/formats.py, readings.py): the number formats of tables, charts and
sentences, and what charts and sentences read off the numbers (best grid cell, interval side, the
contribution that carries a difference). Where two functions were merged, the agreed text is pinned."""
from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from sim.present import conclusions as C
from sim.present import conclusions_lab as CL
from sim.present.charts_decide import waterfall
from sim.present.charts_grid import heatmap
from sim.present.formats import (
    figure_text,
    fmt_figure,
    level_text,
    money_words,
    rmb_diff,
    rmb_signed,
    short_number,
)
from sim.present.readings import best_cell, best_in_rows, carrier, interval_side
from sim.present.report import best_cells_text, text_grid

# ----------------------------------------------------------------- formats


def test_signed_rmb_in_sentences_is_one_rule():
    """The three signed-RMB variants of conclusions.py and conclusions_lab.amount are now rmb_signed
    (a level) and rmb_diff (a difference); a number written as zero carries no sign."""
    assert rmb_diff(30) == "+30" and rmb_diff(-4.04) == "-4.0" and rmb_diff(1234.4) == "+1,234"
    assert rmb_diff(0) == "0.0" and rmb_diff(-0.04) == "0.0" and rmb_diff(0.04) == "0.0"   # was '+0.0' / '-0.0'
    assert rmb_signed(-39.4) == "-39" and rmb_signed(39.4) == "39" and rmb_signed(-0.01) == "0.0"
    assert CL.amount("ltv", -0.04, "en") == "0.0 RMB"                                        # was '-0.0 RMB'


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


def test_figure_text_refuses_an_unknown_form():
    with pytest.raises(ValueError, match="form must be one of"):
        figure_text("ltv", 1.0, "en", "signed")


def test_money_words_follow_the_sentence_templates():
    assert money_words(-137_000, "en") == "-137K RMB" and money_words(-137_000, "zh") == "-13.7万元"


def test_table_cells_and_chart_labels():
    """fmt_figure is the table rule (report, CLI, and now the dashboard); short_number the chart-label
    rule (whole numbers from 10 up); both take the figure's own value (a share as a fraction)."""
    assert fmt_figure("ltv", 162.34) == "162.3" and short_number(162.34, "ltv") == "162"
    assert fmt_figure("churn_rate_monthly", -0.007, signed=True) == "-0.70 pp"
    assert fmt_figure("churn_rate_monthly", -0.007, signed=True, lang="zh") == "-0.70 个百分点"
    assert short_number(0.116, "churn_rate_monthly") == "11.6%" and short_number(0.004, "churn_rate_monthly") == "0.40%"
    assert fmt_figure("profit", math.nan) == "-" and short_number(None, "ltv") == "-"


def test_dashboard_cells_are_the_report_cells():
    from sim.present.dashboard import Dashboard
    d = SimpleNamespace(lang="zh", days=365)
    fmt = Dashboard._fmt.__get__(d)
    assert fmt("ltv", 162.34) == fmt_figure("ltv", 162.34) == "162.3"               # the dashboard wrote '162'
    assert fmt("referral_share", 0.005, signed=True) == "+0.50 个百分点"
    assert fmt("payback_day", 181.2) == "第 181 天" and fmt("payback_day", None) == "365 天内未回本"
    assert fmt("payback_day", 85.0, signed=True) == "+85"


def test_lever_levels():
    assert level_text("offers.discount_depth", 0.15, "en") == "15%"
    assert level_text("messaging.per_week", 2.0, "zh") == "2 条/周"
    assert level_text("offers.discount_depth", 0.15, "en", units=False) == "15"
    assert level_text("pool.container", "wecom", "en") == "WeCom"
    assert level_text("service.consult_close", 0.35, "en", spec=".3g") == "0.35"


def test_waterfall_labels_a_share_in_percent():
    """The waterfall labelled share contributions unscaled (a 0.7-point churn change read '0.01%')."""
    ex = SimpleNamespace(
        contributions=pd.DataFrame({"figure": ["churn_rate_monthly"] * 2, "lever": ["messaging.per_week", "groups.size"],
                                    "contribution": [-0.007, 0.002], "lo": [-0.009, 0.001], "hi": [-0.005, 0.003]}),
        totals=pd.DataFrame({"total": [-0.005], "interaction": [0.0]}, index=["churn_rate_monthly"]),
        seeds=[0, 1], a_name="a", b_name="b")
    fig = waterfall(ex, "churn_rate_monthly", "en")
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
    text = best_cells_text(t, ["groups.size", "messaging.per_week"])
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
