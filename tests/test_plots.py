"""Charts: every chart in both languages has a title and axis labels with units; Chinese renders with
real glyphs (no "Glyph missing" warning); the LTV bridge adds up exactly to the LTV gap."""
from __future__ import annotations

import logging
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib.ticker import FixedLocator

import sim
from sim.lab.anatomy import cohort_retention, dip_of, flow_table, staff_quit_drops
from sim.lab.bridge import BRIDGE_DRIVERS, ltv_bridge_parts
from sim.present import plots, style
from sim.present.formats import money_text

USERS, DAYS, SEEDS = 2000, 150, 2
UNIT = re.compile(r"[(（]([^)）]+)[)）]")    # a unit in parentheses, full width in Chinese


@pytest.fixture(scope="module")
def runs():
    """Two strategies x 2 paired seeds, small: discount-led vs service-led (baseline overrides, so the
    test does not depend on the shipped scenario files' calibration)."""
    base = sim.load_scenario(plots_root() / "scenarios" / "baseline.yaml")
    a = base.with_overrides({"name": "discount_only", "offers.discount_depth": 0.3, "offers.discount_every_days": 14,
                             "messaging.per_week": 4})
    b = base.with_overrides({"name": "differentiated_service", "service.one_to_one_hours_per_day": 4,
                             "groups.size": 50, "referral.incentive_rmb": 20, "referral.invites_per_year": 6})
    return {sc.name: [sim.run(sc, users=USERS, days=DAYS, seed=s) for s in range(SEEDS)] for sc in (a, b)}


def plots_root():
    from sim.present.report import ROOT
    return ROOT


def _grid():
    rows = []
    for size in (0, 20, 100):
        for pw in (1, 2, 4):
            for seed in (0, 1):
                rows.append({"groups.size": size, "messaging.per_week": pw, "seed": seed,
                             "ltv": 100 + 10 * pw - 0.05 * size + seed, "churn_rate_monthly": 0.1 + 0.01 * pw})
    return pd.DataFrame(rows)


def _tornado():
    return pd.DataFrame({"lever": ["messaging.per_week", "groups.size", "offers.discount_depth"],
                         "low_value": [1, 10, 0.1], "high_value": [4, 200, 0.4],
                         "output_low": [150.0, 160.0, 170.0], "output_high": [180.0, 150.0, 140.0],
                         "base": [165.0] * 3})


def _charts(runs, lang):
    a, b = list(runs)
    return {
        "daily_series": plots.daily_series(runs[a], lang),
        "daily_series_multi": plots.daily_series(runs, lang, columns=("pool_users",)),
        "j_curve": plots.j_curve(runs, lang),
        "comparison_bars": plots.comparison_bars(runs, lang),
        "retention_curves": plots.retention_curves(runs, lang),
        "user_flow": plots.user_flow(runs, lang),
        "ltv_bridge": plots.ltv_bridge(runs, lang),
        "heatmap": plots.heatmap(_grid(), lang, value="ltv", mark_rows=True),
        "heatmap_min": plots.heatmap(_grid(), lang, value="churn_rate_monthly", best="min"),
        "tornado_chart": plots.tornado_chart(_tornado(), lang),
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_chart_has_title_and_labelled_units(runs, lang):
    if lang == "zh" and plots.cjk_font() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")
    for name, fig in _charts(runs, lang).items():
        fig.canvas.draw()
        axes = [ax for ax in fig.axes if ax.get_visible() and ax.get_label() != "<colorbar>"]
        assert axes, name
        suptitle = fig._suptitle.get_text() if fig._suptitle else ""
        for ax in axes:
            assert ax.get_title() or suptitle, f"{name}: an axes without a title"
        # the value axis carries a unit: at least one labelled axis with '(unit)' per chart,
        # and every non-empty y label of a main axes has one
        labels = [lab for ax in axes for lab in (ax.get_xlabel(), ax.get_ylabel()) if lab]
        assert any(UNIT.search(lab) for lab in labels), f"{name}: no axis label with a unit: {labels}"
        for ax in axes:
            categorical = isinstance(ax.yaxis.get_major_locator(), FixedLocator)   # e.g. lever names
            if ax.get_ylabel() and not categorical:
                assert UNIT.search(ax.get_ylabel()), f"{name}: y label without unit: {ax.get_ylabel()!r}"
            assert ax.get_xlabel() or ax.get_ylabel(), f"{name}: an axes without axis labels"


def test_units_in_labels_are_the_expected_ones(runs):
    fig = plots.j_curve(runs, "en")
    assert fig.axes[0].get_ylabel().endswith("(RMB)") and fig.axes[0].get_xlabel().endswith("(days)")
    if plots.cjk_font() is None:
        return
    fig = plots.j_curve(runs, "zh")
    assert fig.axes[0].get_ylabel().endswith("（元）") and fig.axes[0].get_xlabel().endswith("（天）")   # full width
    fig = plots.retention_curves(runs, "en")
    assert fig.axes[0].get_ylabel().endswith("(%)")


def test_chinese_renders_without_missing_glyphs(runs, tmp_path, caplog):
    if plots.cjk_font() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")
    caplog.set_level(logging.WARNING, logger="matplotlib")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for name, fig in _charts(runs, "zh").items():
            plots.save(fig, tmp_path, name, formats=("png",))
            plots.to_png_bytes(fig)                   # also the dashboard's path
    glyph = [str(w.message) for w in caught if "Glyph" in str(w.message) or "missing from" in str(w.message)]
    assert not glyph, glyph[:3]
    assert not [r.getMessage() for r in caplog.records if "findfont" in r.getMessage()]
    text = " ".join(t.get_text() for t in _charts(runs, "zh")["j_curve"].findobj(lambda o: hasattr(o, "get_text")))
    assert re.search(r"[\u4e00-\u9fff]", text), "the zh chart has no Chinese text"


def test_missing_cjk_font_gives_install_hint(monkeypatch, runs):
    monkeypatch.setattr(style, "cjk_font", lambda: None)
    with pytest.raises(plots.FontMissingError, match="apt-get install fonts-noto-cjk"):
        plots.j_curve(runs, "zh")
    plots.j_curve(runs, "en")                        # English does not need it


def test_every_label_has_both_languages():
    for key, pair in plots.LABELS.items():
        assert len(pair) == 2 and all(isinstance(s, str) and s for s in pair), key
    with pytest.raises(ValueError):
        plots.label("t.j_curve", "fr")


def test_ltv_bridge_parts_add_up_to_the_gap(runs):
    a, b = list(runs)
    p = ltv_bridge_parts(runs[a], runs[b])
    drivers = p[list(BRIDGE_DRIVERS)]
    gap = np.mean([r.summary["ltv"] for r in runs[b]]) - np.mean([r.summary["ltv"] for r in runs[a]])
    assert p["gap"] == pytest.approx(gap, abs=1e-9)
    assert drivers.sum() == pytest.approx(p["gap"], abs=1e-9)
    # a single pair, and the reverse direction, too
    one = ltv_bridge_parts(runs[a][0], runs[b][0])
    assert one[list(BRIDGE_DRIVERS)].sum() == pytest.approx(runs[b][0].summary["ltv"] - runs[a][0].summary["ltv"],
                                                                  abs=1e-9)
    rev = ltv_bridge_parts(runs[b], runs[a])
    assert rev[list(BRIDGE_DRIVERS)].to_numpy() == pytest.approx(-drivers.to_numpy(), abs=1e-9)
    # the discount driver is the difference in discounts + gifts per acquired user
    def disc(r):
        n = int((r.users["acquired_day"] >= 0).sum())
        return (r.daily["discounts"].sum() + r.daily["gifts"].sum()) / n
    assert one["discounts"] == pytest.approx(-(disc(runs[b][0]) - disc(runs[a][0])), abs=1e-9)
    # identical runs: no gap, no parts
    same = ltv_bridge_parts(runs[a], runs[a])
    assert np.allclose(same.to_numpy()[:-2], 0, atol=1e-9)


def test_save_writes_every_format(runs, tmp_path):
    if plots.cjk_font() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk): this saves a Chinese chart")
    paths = plots.save(plots.j_curve(runs, "zh"), tmp_path / "charts", "j_curve_zh")
    assert [p.suffix for p in paths] == [".png", ".svg", ".pdf"]
    assert all(p.stat().st_size > 1000 for p in paths)
    assert not [p for p in (tmp_path / "charts").iterdir() if p.name.startswith(".")]


def test_heatmap_marks_the_best_cell():
    grid = _grid()
    best = plots.best_cell(grid, "messaging.per_week", "groups.size", "ltv")
    assert best["messaging.per_week"] == 4 and best["groups.size"] == 0
    worst = plots.best_cell(grid, "messaging.per_week", "groups.size", "churn_rate_monthly", best="min")
    assert worst["messaging.per_week"] == 1


def test_tornado_needs_its_columns():
    with pytest.raises(ValueError, match="output_high"):
        plots.tornado_chart(_tornado().drop(columns="output_high"))


def test_cohort_retention_starts_at_one_and_falls(runs):
    a = list(runs)[0]
    tab = cohort_retention(runs[a])
    assert not tab.empty
    first = tab.iloc[:, 0].dropna()
    assert first.iloc[0] <= 1.0 and (np.diff(first.to_numpy()) <= 1e-12).all()


def test_flow_shares_add_to_100(runs):
    t = flow_table(list(runs.values())[0])
    for stage, grp in t.groupby("stage"):
        assert grp["share"].sum() == pytest.approx(100.0, abs=1e-6), stage


# ----------------------------------------------------------------- deck-ready polish

def test_money_ticks_are_round_and_in_one_unit_per_axis():
    from matplotlib.figure import Figure
    fig = Figure()
    ax = fig.add_subplot()
    for lang, vmax, unit_ in (("en", 1.8e6, "M"), ("en", 9e5, "K"), ("zh", 1.8e6, "万"), ("zh", 3e8, "亿")):
        ax.set_ylim(-0.3 * vmax, vmax)
        plots.money_axis(ax.yaxis, lang)
        locs = [v for v in ax.yaxis.get_majorticklocs() if -0.3 * vmax <= v <= vmax]
        texts = ax.yaxis.get_major_formatter().format_ticks(locs)
        steps = np.diff(locs)
        step = steps[0]
        mant = step / 10 ** np.floor(np.log10(step))
        assert np.allclose(steps, step) and round(mant, 6) in (1, 2, 5), (lang, locs)
        nonzero = [t for t, v in zip(texts, locs) if v != 0]
        assert all(t.endswith(unit_) for t in nonzero), (lang, texts)          # one unit on the axis
        dec = {len(t.rstrip(unit_).split(".")[1]) if "." in t else 0 for t in nonzero}
        assert len(dec) == 1, texts                                             # one format on the axis
        assert len(set(texts)) == len(texts), texts                             # every tick readable
    f = style.MoneyFormatter("en")
    assert f.format_ticks([1_000_000, 1_250_000, 1_500_000]) == ["1.00M", "1.25M", "1.50M"]
    assert f.format_ticks([0, 250_000, 500_000, 750_000]) == ["0", "250K", "500K", "750K"]
    assert money_text(-1_190_000, "zh") == "-119万" and money_text(-96_000, "en") == "-96K"


def test_j_curve_marks_the_dip_and_payback_of_the_table(runs):
    fig = plots.j_curve(runs, "en")
    texts = [t.get_text() for t in fig.axes[0].texts]
    for name, results in runs.items():
        depth, day = dip_of(results)
        assert depth < 0 and any(t.startswith(f"deepest: {money_text(depth, 'en')} (day {day})")
                                 for t in texts), texts
    assert "seed" not in " ".join(texts + [fig.axes[0].get_title()])


def test_flow_chart_gives_every_legend_entry_its_own_colour(runs):
    fig = plots.user_flow(runs, "en")
    leg = fig.legends[0]
    colours = [tuple(np.round(h.get_facecolor(), 3)) for h in leg.legend_handles]
    assert len(colours) == len(set(colours)) >= 8
    from sim.present.charts_flows import FLOW_COLORS
    assert len(set(FLOW_COLORS.values())) == len(FLOW_COLORS)


def test_retention_draws_every_strategy_in_one_panel(runs):
    fig = plots.retention_curves(runs, "en")
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    colours = {ln.get_color() for ln in ax.lines}
    assert len(colours) == len(runs)                                   # one colour per strategy
    legend_texts = [t.get_text() for leg in (ax.get_legend(), *ax.artists) if leg for t in leg.get_texts()]
    assert {plots.scenario_label(n) for n in runs} <= set(legend_texts)


def test_staff_quit_drops_are_marked_where_the_pool_drops():
    sc = sim.load_scenario(plots_root() / "scenarios" / "baseline.yaml")
    res = [sim.run(sc.with_overrides({"staff.turnover_monthly": 0.3}), users=3000, days=200, seed=s) for s in (0, 1)]
    drops = staff_quit_drops(res)
    assert drops
    pool = np.mean([r.daily["pool_users"].to_numpy(float) for r in res], axis=0)
    for d in drops:
        assert pool[d] < pool[d - 1]                                    # a real drop on each marked day
        assert any(r.daily["staff_quits"].iloc[d] > 0 for r in res)
    fig = plots.daily_series(res, "en", columns=("pool_users",))
    marks = [ln for ln in fig.axes[0].lines if ln.get_marker() == "v"]
    assert marks and list(marks[0].get_xdata()) == drops
    calm = [sim.run(sc.with_overrides({"staff.turnover_monthly": 0.0}), users=3000, days=200, seed=0)]
    assert staff_quit_drops(calm) == []


def test_display_names_not_snake_case(runs):
    sc = sim.load_scenario(plots_root() / "scenarios" / "discount_only.yaml")
    assert (sc.title, sc.title_zh) == ("Discount only", "只打折")
    r = sim.run(sc, users=800, days=60, seed=0)
    k = sim.run(sc.with_overrides({"name": "koc_random"}), users=800, days=60, seed=0)   # inherits the title
    fig = plots.j_curve({"discount_only": [r], "koc_random": [k]}, "en")
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["discount only", "koc random"]          # a shared title names neither: their names do
    fig = plots.j_curve({"discount_only": [r]}, "zh" if plots.cjk_font() else "en")
    assert plots.scenario_label("discount_only", "zh") == "只打折"
    assert plots.scenario_label("discount_only (2)") == "Discount only (2)"


@pytest.mark.parametrize("users", [20_000, None])
def test_j_curve_labels_stay_inside_the_chart(users):
    """A deepest point or payback late in the year (here day 364 at 20,000 people; payback around day 300 in the
    shipped market) is labelled on its left, inside the chart, not cut off at its right edge."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    sc = sim.load_scenario(plots_root() / "scenarios" / "differentiated_service.yaml")
    r = sim.run(sc, users=users, days=365, seed=0)
    late = r.summary["payback_day"] or 365
    assert late > 0.6 * 365
    fig = plots.j_curve({"differentiated_service": [r]}, "zh" if plots.cjk_font() else "en")
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    box = fig.axes[0].get_window_extent(canvas.get_renderer())
    for t in fig.axes[0].texts:
        bb = t.get_window_extent(canvas.get_renderer())
        assert box.x0 - 1 <= bb.x0 and bb.x1 <= box.x1 + 1, (t.get_text(), bb, box)
