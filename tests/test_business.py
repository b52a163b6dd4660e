"""A business decision's options (sim.lab.business): each option is the scenario with only its change, run on
the same seeds; the table's differences are the paired ones; the best option and its lead are read from the runs;
bad input is one line."""
from __future__ import annotations

import numpy as np
import pytest

from sim import load_scenario
from sim.core.errors import UsageError
from sim.core.places import SCENARIOS_DIR
from sim.lab.business import NOT_JOINED, Options, entry_options, event_options, steer_options
from sim.lab.experiments import paired_difference
from sim.present.conclusions_lab import options_sentence
from sim.present.page import options_table

SMALL = {"seeds": 2, "users": 4000, "agents": 1000, "days": 120}


@pytest.fixture(scope="module")
def calendar():
    return load_scenario(SCENARIOS_DIR / "sales_calendar.yaml")


def test_event_options_change_only_that_event(calendar):
    q = event_options(calendar, "双11", depths=(0.1, 0.3), **SMALL)
    none, d1, d3 = q.scenarios
    assert [e.name for e in none.calendar.events] == ["618"]
    assert [(e.name, e.depth) for e in d3.calendar.events] == [("618", 0.2), ("双11", 0.3)]
    assert d1.calendar.events[1].model_dump() == {**calendar.calendar.events[1].model_dump(), "depth": 0.1}
    assert q.options == (NOT_JOINED, "0.1", "0.3") and q.subject == "双11"


def test_table_is_the_paired_difference_and_best_reads_the_means():
    sc = load_scenario(SCENARIOS_DIR / "mini_program_store.yaml")
    q = steer_options(sc, levels=(0, 0.5, 1), **SMALL)
    t = q.table()
    for o, vals in zip(q.options, q.values):
        d = paired_difference(q.values[0]["profit"], vals["profit"])
        assert t.at[o, "profit_diff"] == pytest.approx(d["diff"])
        assert t.at[o, "profit"] == pytest.approx(np.mean(vals["profit"]))
    assert t.at["0", "profit_diff"] == 0
    lead = q.best("profit")
    assert lead.option == t["profit"].idxmax()
    churn = q.best("churn_rate_monthly")                 # lower is better
    assert churn.option == t["churn_rate_monthly"].idxmin()
    for lang in ("en", "zh"):
        assert options_sentence(q, lang) and repr(options_table(q, lang))


def test_steering_keeps_the_commission_and_loses_some_orders():
    """The mechanism's shape through the options: steering every reader books fewer orders than none."""
    sc = load_scenario(SCENARIOS_DIR / "mini_program_store.yaml")
    q = steer_options(sc, levels=(0, 1), seeds=3, agents=3000)
    t = q.table()
    assert t.at["1", "orders_hi"] < 0


def test_entry_options_fund_one_point_each():
    sc = load_scenario(SCENARIOS_DIR / "cases" / "beauty_offline.yaml")
    q = entry_options(sc, points=("store", "insert_card"), **SMALL)
    none, store, card = q.scenarios
    assert none.entry.store.add_rate == 0 and none.entry.insert_card.add_rate == 0
    assert store.entry.store.add_rate == sc.entry.store.add_rate and store.entry.insert_card.add_rate == 0
    assert card.entry.insert_card.add_rate == sc.entry.insert_card.add_rate and card.entry.store.add_rate == 0
    assert none.entry.paid_ads.add_rate == sc.entry.paid_ads.add_rate      # the points not asked about stay


def test_bad_input_is_one_line(calendar):
    with pytest.raises(UsageError, match="'618', '双11'"):
        event_options(calendar, "年货节", **SMALL)
    with pytest.raises(UsageError, match="no entry points"):
        entry_options(calendar, **SMALL)
    with pytest.raises(UsageError, match="insert_card"):
        entry_options(load_scenario(SCENARIOS_DIR / "cases" / "beauty_offline.yaml"), points=("flyers",), **SMALL)
    q = Options("steer", "", ("0", "1"), (calendar, calendar), ({"profit": np.ones(2)}, {"profit": np.ones(2)}), (0, 1))
    with pytest.raises(UsageError, match="choose one of profit"):
        q.best("ltv")


def test_report_tables_pool_the_runs_of_the_strategies_that_book_them():
    """The report's business tables: the sales channels of the strategy that books them (named, as the other
    does not), the pooled rates equal to the sums over the runs; none for strategies that book nothing."""
    from sim.lab.business import pooled_breakdown
    from sim.lab.experiments import compare
    from sim.lab.findings import findings_of
    from sim.present.report_tables import business_tables
    small = {k: v for k, v in SMALL.items() if k != "seeds"}
    f = findings_of(compare(["baseline", "mini_program_store"], seeds=2, **small), worlds=0)
    ((title, _, head, rows),) = business_tables(f, "en")
    assert title == "Where the orders happen" and [r[0] for r in rows] == ["Tmall / Taobao", "Douyin shop",
                                                                            "Mini-program store", "Offline store"]
    from sim.present.labels import scenario_label
    assert all(h.startswith(scenario_label(f.names[1], "en") + ": ") for h in head[1:])
    results = f.strategies[f.names[1]].results
    p = pooled_breakdown(results, "sales_channel")
    orders = sum(r.sales["orders"] for r in results)
    assert p["order_share"].to_numpy() == pytest.approx((orders / orders.sum()).to_numpy())
    assert pooled_breakdown(f.strategies[f.names[0]].results, "sales_channel") is None
    assert business_tables(findings_of(compare(["baseline", "discount_only"], seeds=2, **small), worlds=0), "zh") == []


def test_tier_options_scale_every_threshold_and_name_them():
    from sim.lab.business import tier_options
    from sim.present.conclusions_lab import option_words
    sc = load_scenario(SCENARIOS_DIR / "membership_tiers.yaml")
    q = tier_options(sc, scales=(0.5, 2), **SMALL)
    none, half, double = q.scenarios
    assert not none.tiers.enabled and half.tiers.enabled
    for t in ("silver", "gold", "platinum"):
        assert half.get(f"tiers.{t}.threshold_rmb") == 0.5 * sc.get(f"tiers.{t}.threshold_rmb")
        assert double.get(f"tiers.{t}.threshold_rmb") == 2 * sc.get(f"tiers.{t}.threshold_rmb")
    assert option_words(q, "0.5", "zh") == "银卡 250 / 金卡 750 / 白金 1,500 元"
    with pytest.raises(UsageError, match="no membership tiers"):
        tier_options(load_scenario("baseline"), **SMALL)
