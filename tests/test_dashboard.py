"""The dashboard driven from pytest: moving a slider reruns the model (same seeds) and updates the
table and charts; a setting the model refuses shows a readable message and keeps the last good result."""
from __future__ import annotations

import ipywidgets as widgets
import pytest

import sim
from sim.present.dashboard import LEVER_SLIDERS, build_dashboard
from sim.present.formats import fmt
from sim.present.report import scenario_path

USERS, DAYS = 2000, 120


@pytest.fixture()
def dash():
    base = sim.load_scenario(scenario_path("baseline"))
    a = base.with_overrides({"name": "discount_only", "offers.discount_depth": 0.3, "offers.discount_every_days": 14,
                             "messaging.per_week": 3})
    b = base.with_overrides({"name": "differentiated_service", "service.one_to_one_hours_per_day": 4})
    return build_dashboard([a, b], users=USERS, days=DAYS, seeds=1, chart_dpi=50)


def test_dashboard_is_a_widget_with_the_main_levers(dash):
    assert isinstance(dash, widgets.Widget)
    keys = [k for k, *_ in LEVER_SLIDERS] + ["pool.container"]
    assert list(dash.sliders) == keys
    for key, *_ in LEVER_SLIDERS:
        assert dash.sliders[key].continuous_update is False, key
    assert dash.sliders["messaging.per_week"].value == 3          # starts at the first scenario's values
    assert dash.sliders["offers.discount_depth"].value == pytest.approx(0.3)
    assert set(dash.reference) == {"discount_only", "differentiated_service"}
    assert "<table" in dash.table.value and "LTV" in dash.table.value
    assert dash.charts["j_curve"].value[:4] == b"\x89PNG"


def test_moving_a_slider_reruns_and_updates_the_table(dash):
    before_result, before_table = dash.result, dash.table.value
    before_chart = dash.charts["j_curve"].value
    dash.sliders["messaging.per_week"].value = 10.0
    assert dash.error is None
    assert dash.result is not before_result
    assert dash.result[0].scenario.messaging.per_week == 10.0
    assert dash.result[0].seed == dash.reference["discount_only"][0].seed == 0     # common random numbers
    assert dash.result[0].summary["ltv"] != before_result[0].summary["ltv"]
    assert dash.table.value != before_table
    assert fmt(dash.result[0].summary["ltv"], "rmb_user") in dash.table.value          # the one formatter's cell
    assert dash.charts["j_curve"].value != before_chart
    assert dash.last_seconds is not None and "Simulated again with your settings (1 simulated year)" in dash.status.value


def test_refused_setting_shows_a_message_and_keeps_the_last_good_result(dash):
    dash.sliders["messaging.per_week"].value = 5.0
    good, table, chart = dash.result, dash.table.value, dash.charts["j_curve"].value
    # a discount every day, with 3-day events: the model refuses (discount_days > discount_every_days)
    dash.sliders["offers.discount_every_days"].value = 1
    assert dash.error and "cannot use this setting" in dash.error
    assert "siyu-refused" in dash.status.value and "discount" in dash.status.value.lower()
    assert "Traceback" not in dash.status.value
    assert dash.result is good and dash.table.value == table and dash.charts["j_curve"].value == chart
    # moving it back to an accepted value clears the message
    dash.sliders["offers.discount_every_days"].value = 7
    assert dash.error is None and "siyu-refused" not in dash.status.value
    assert dash.result[0].scenario.offers.discount_every_days == 7


def test_start_from_another_strategy_moves_the_sliders(dash):
    dash.base.value = "differentiated_service"
    assert dash.sliders["service.one_to_one_hours_per_day"].value == 4
    assert dash.sliders["offers.discount_depth"].value == 0
    ref = dash.reference["differentiated_service"][0].summary
    assert (dash.result[0].summary["ltv"], dash.result[0].summary["profit"]) == (ref["ltv"], ref["profit"])
    dash.sliders["pool.container"].value = "wecom"
    assert dash.result[0].scenario.pool.container == "wecom"
    assert (dash.result[0].summary["ltv"], dash.result[0].summary["profit"]) != (ref["ltv"], ref["profit"])


def test_chinese_dashboard(dash):
    """Every word of the Chinese dashboard is Chinese: sliders with their units in full-width brackets, the table's
    figures, columns and change column, the status line; no English figure name, no jargon; money in 万."""
    from sim.present import plots
    from sim.present.labels import LABELS
    if plots.cjk_font() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")
    zh = build_dashboard([dash.scenarios["discount_only"], dash.scenarios["differentiated_service"]], users=USERS,
                         days=DAYS, lang="zh", chart_dpi=40)
    assert zh.sliders["messaging.per_week"].description == "每周消息数（条/周）"
    assert zh.sliders["pool.container"].description == "承载方式"
    table = zh.table.value
    for word in ("每用户 LTV（元/人）", "月流失率（%）", "期间利润（万元）", "当前设置", "相对只打折的变化", "只打折", "差异化服务"):
        assert word in table, word
    english = [en for key, (en, _) in LABELS.items() if key.startswith(("fig.", "ui.", "n.", "u."))
               and len(en) > 3 and en in table]
    assert not english, english
    zh.sliders["messaging.per_week"].value = 6.0
    assert zh.status.value.count("已按你的设置重新模拟") == 1
    for jargon in ("智能体", "种子", "agents", "seed"):
        assert jargon not in zh.status.value + table
