"""The plausibility table (issue 23 item 1): the evidence rows, each figure's computation, the engine's
counters behind them, the CLI, the generated docs section, and the baseline against the ranges."""
import math
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

import sim
from sim.core.errors import UsageError
from sim.lab.evidence import EVIDENCE, SOURCES
from sim.lab.plausibility import (
    DAYS_PER_MONTH,
    FIGURES,
    IN,
    NONE,
    OUT,
    UNMEASURED,
    Plausibility,
    figures_of,
    plausibility,
    plausibility_markdown,
    plausibility_table,
    replace_doc_section,
    rows_of,
    verdict,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def baseline():
    """The baseline as `python -m sim plausibility baseline` (and `make docs`) runs it: 2 seeds."""
    return plausibility("baseline")


# ----------------------------------------------------------------- the evidence table

def test_every_row_has_a_source_and_a_range_or_says_no_published_figure():
    tags = {s.tag for s in SOURCES}
    assert [e.key for e in EVIDENCE] == list(FIGURES), "one evidence row per figure, in the same order"
    assert len({e.figure for e in EVIDENCE}) == len(EVIDENCE)
    for e in EVIDENCE:
        assert e.source.strip() and e.credibility.strip() and e.unit.strip(), e.key
        cited = {t.strip() for group in re.findall(r"\[([^\]]+)\]", e.source) for t in group.split(";")}
        assert cited, f"{e.key}: the source names no [tag]"
        assert cited <= tags, f"{e.key}: tags without a SOURCES entry: {cited - tags}"
        if e.low is None or e.high is None:
            assert e.low is None and e.high is None, e.key
            assert "no published figure" in e.source, f"{e.key}: say that the field has no figure"
        else:
            assert 0 <= e.low < e.high, e.key
            assert "no published figure" not in e.source, e.key
    for s in SOURCES:
        assert s.title.strip() and s.where.strip() and s.credibility.strip(), s.tag


# ----------------------------------------------------------------- each figure on a hand-made run

def _hand_made(payback_day=61):
    """Two days, a market where each agent stands for 2 people (every count already for the market)."""
    daily = pd.DataFrame({
        "friend_requests": [10, 10], "friend_accepts": [4, 2],
        "orders": [6, 8], "pool_orders": [1, 3], "first_orders": [3, 1],
        "pool_users": [100, 100], "customers": [300, 300], "acquisition": [500.0, 500.0],
        "lost_annoyed": [1, 0], "muted": [2, 1], "group_posts": [30.0, 10.0], "group_members": [200, 200]})
    users = pd.DataFrame({
        "acquired_day": [0, 0, 1, 0, -1, 1],
        "channel": ["douyin", "douyin", "referral", "existing", "none", "ecommerce"],
        "in_pool_ever": [True, False, True, True, False, False],
        "orders": [2, 1, 0, 5, 0, 0],
        "order_value": [100.0, 200.0, 50.0, 80.0, 90.0, 300.0]})
    return SimpleNamespace(daily=daily, users=users, scale=2.0,
                           summary={"payback_day": payback_day, "referral_share": 0.25})


def test_each_figure_on_a_hand_made_run():
    f = figures_of(_hand_made())
    expect = {
        "join_share": 2 / 4,                            # acquired in the run: rows 0, 1, 2, 5; in the pool: 0, 2
        "accept_rate": 6 / 20,
        "orders_per_member_year": 4 / (200 / 365),
        "pool_public_ratio": (4 / 200) / ((14 - 4 - 4) / 400),   # first orders left out of the public side
        "repeat_rate": 1 / 2,                           # buyers acquired in the run: rows 0, 1; again: row 0
        "cac_over_first_order": (1000 / (2 * 2.0)) / 150,   # paid buyers rows 0, 1 (row 5 never bought)
        "deletion_monthly": 1 / (200 / DAYS_PER_MONTH),
        "mute_monthly": 3 / (200 / DAYS_PER_MONTH),
        "group_posts_per_100": 100 * 40 / 400,
        "payback_month": 61 / DAYS_PER_MONTH,
        "referral_share": 0.25,
    }
    assert set(f) == set(expect)
    for k, v in expect.items():
        assert f[k] == pytest.approx(v), k


def test_nothing_to_measure_is_not_a_number_and_no_payback_is_infinite():
    r = _hand_made(payback_day=None)
    r.daily["group_members"] = 0
    r.daily["friend_requests"] = 0
    f = figures_of(r)
    assert math.isnan(f["group_posts_per_100"]) and math.isnan(f["accept_rate"])
    assert math.isinf(f["payback_month"])
    rows = {x.key: x for x in rows_of([r, _hand_made()])}       # one seed without payback: never
    assert math.isinf(rows["payback_month"].value) and rows["payback_month"].verdict == OUT
    assert rows["group_posts_per_100"].value == pytest.approx(10.0)   # a seed with nothing to count is left out
    assert {x.key: x for x in rows_of([r, r])}["group_posts_per_100"].verdict == UNMEASURED


def test_verdicts_and_the_summary_line():
    assert verdict(0.3, 0.2, 0.7) == IN and verdict(0.2, 0.2, 0.7) == IN and verdict(0.7, 0.2, 0.7) == IN
    assert verdict(0.71, 0.2, 0.7) == OUT and verdict(0.1, 0.2, 0.7) == OUT
    assert verdict(0.5, None, None) == NONE and verdict(float("nan"), None, None) == NONE
    assert verdict(float("nan"), 0.2, 0.7) == UNMEASURED
    rows = rows_of([_hand_made(), _hand_made()])
    p = Plausibility("hand", 2, 2, 2, rows)
    line = p.summary_line()
    n_in = sum(r.verdict == IN for r in rows)
    assert line.startswith(f"{n_in} of {len(EVIDENCE)} in range")
    assert "out: " in line and "no published figure: " in line
    for r in rows:                                   # every figure named under its verdict
        assert r.verdict == IN or r.label in line
    text = plausibility_table(p)
    assert all(r.label in text for r in rows) and line in text and "[luckin]" in text
    # a row whose range a default was calibrated to is a target, not a check: the line and the table say so
    targets = [r for r in rows if r.calibrated]
    assert {k for r in targets for k in r.calibrated} == {"acquisition.cac", "market.purchase_cycle_days"}
    assert f"({len(targets)} of the rows are targets a default was set to reach, not checks: " in line
    assert "(target of acquisition.cac)" in text


# ----------------------------------------------------------------- the counters behind them

def test_friend_requests_are_every_newcomer_and_every_public_side_order():
    """Requests = newcomers (one on arrival) + public-side orders (a package insert each, first orders on
    arrival excepted); with room in the accounts every acceptance is a new pool member."""
    r = sim.run("baseline", users=3000, days=90, seed=1)
    d = r.daily.sum()
    assert d.friend_requests == d.new_customers + d.orders - d.pool_orders - d.first_orders
    assert d.friend_accepts == d.new_pool_users > 0
    assert 0 < d.pool_orders < d.orders and 0 < d.first_orders < d.new_customers
    full = sim.run(sim.load_scenario("baseline", {"staff.friend_cap": 10}), users=3000, days=90, seed=1)
    assert full.daily.pool_users.max() <= 40 < full.daily.friend_accepts.sum()   # 4 accounts x 10 friends
    assert full.daily.new_pool_users.sum() < full.daily.friend_accepts.sum()      # the rest said yes in vain


def test_pool_orders_are_the_orders_of_pool_members():
    nobody = sim.load_scenario("baseline", {"pool.accept_buyer_personal": 0.0, "pool.accept_nonbuyer_personal": 0.0})
    d = sim.run(nobody, users=2000, days=60, seed=0).daily.sum()
    assert d.friend_accepts == d.pool_orders == 0 and d.orders > 0 and d.friend_requests > 0
    everyone = sim.load_scenario("baseline", {"pool.initial_members": 2000, "acquisition.daily_budget": 0,
                                              "market.organic_per_customer_per_year": 0.0,
                                              "referral.invites_per_year": 0.0})
    d = sim.run(everyone, users=2000, days=60, seed=0).daily.sum()
    assert d.orders > 0 and d.pool_orders == d.orders and d.first_orders == d.friend_requests == 0


def test_figures_match_the_runs_own_counts():
    """On a real run: join share and referral share as the summary counts them (no day-0 members), deletions
    as the users table's 'annoyed' losses, payback as the summary's day."""
    r = sim.run("baseline", agents=5000, seed=2)
    f = figures_of(r)
    s = r.summary
    assert f["join_share"] == pytest.approx(s["pool_joined"] / s["acquired_users"])
    assert f["referral_share"] == s["referral_share"]
    members = r.daily.pool_users.sum()
    annoyed = (r.users.reason == "annoyed").sum() * r.scale
    assert f["deletion_monthly"] == pytest.approx(annoyed / (members / DAYS_PER_MONTH))
    buyers = r.users[(r.users.acquired_day >= 0) & (r.users.orders >= 1)]
    assert f["repeat_rate"] == pytest.approx((buyers.orders >= 2).mean())
    assert s["payback_day"] is not None and f["payback_month"] * DAYS_PER_MONTH == pytest.approx(s["payback_day"])


def test_groups_give_member_posts():
    f = figures_of(sim.run("small_groups_weekly", users=3000, days=60, seed=0))
    assert f["group_posts_per_100"] > 0


# ----------------------------------------------------------------- API, CLI and docs

def test_bad_seeds_are_a_usage_error():
    with pytest.raises(UsageError, match="seeds"):
        plausibility("baseline", seeds=0)


def test_cli_prints_the_table_and_the_summary():
    p = subprocess.run([sys.executable, "-m", "sim", "plausibility", "baseline", "--seeds", "2", "--agents", "2000",
                        "--days", "120"], capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    for e in EVIDENCE:
        assert e.figure in p.stdout
    assert re.search(r"^\d+ of 11 in range", p.stdout, re.M) and "Sources" in p.stdout


@pytest.mark.parametrize("args, fragment", [(["nosuch_scenario"], "nosuch_scenario"), (["--seeds", "0"], "--seeds"),
                                            (["--days", "0"], "horizon_days"), (["--agents", "x"], "--agents")])
def test_cli_bad_input_one_line_exit_2(args, fragment):
    p = subprocess.run([sys.executable, "-m", "sim", "plausibility", *args], capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 2 and p.stdout == ""
    assert len(p.stderr.strip().splitlines()) == 1 and fragment in p.stderr and "Traceback" not in p.stderr


def test_doc_section_is_replaced_in_place_or_put_before_the_reference_tables():
    doc = "# A\n\ntext\n\n# Reference tables\n\n## Parameters\n\n| t |\n"
    once = replace_doc_section(doc, "## Plausibility against published figures\n\nv1\n")
    assert once.index("v1") < once.index("# Reference tables") and once.count("## Plausibility") == 1
    twice = replace_doc_section(once, "## Plausibility against published figures\n\nv2\n")
    assert "v1" not in twice and "v2" in twice and twice.count("## Plausibility") == 1 and "| t |" in twice


def test_model_doc_plausibility_section_is_current(baseline):
    """docs/model.md holds the section `make docs` writes for the baseline now (a changed default, engine
    or range must be regenerated into the docs)."""
    doc = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    assert plausibility_markdown(baseline) in doc, "docs/model.md plausibility section out of date: run make docs"


# Rows the baseline leaves out of range on purpose, each with why (reported, not tuned away: issue 23).
EXPLAINED_OUT = {
    "pool_public_ratio": "the lab's ratio compares members with everyone outside, and frequent buyers get more "
                         "parcel cards, so who joins alone gives x(1 + cv^2) = 2 at market.purchase_rate_spread 1.0; "
                         "Luckin's +30% is the joiners' own lift (docs/model.md, plausibility)",
}


def test_baseline_outputs_within_published_ranges(baseline):
    """Every figure with a published range lies inside it for the baseline (mean over 2 seeds), except the
    EXPLAINED_OUT rows (which must still be out: an explanation of a row back in range is stale); a figure the
    baseline has nothing to measure for (no groups) is not out of range."""
    out = {r.key: (r.value, r.low, r.high) for r in baseline.rows if r.verdict == OUT}
    unexplained = {k: v for k, v in out.items() if k not in EXPLAINED_OUT}
    assert not unexplained, f"out of range: {unexplained}"
    assert set(EXPLAINED_OUT) <= set(out), f"explained as out of range but now in: {set(EXPLAINED_OUT) - set(out)}"


def test_interval_is_over_seeds(baseline):
    """The interval is the 90% t-interval of the mean over the seeds' own values."""
    r = baseline.row("accept_rate")
    vals = [figures_of(sim.run("baseline", seed=s))["accept_rate"] for s in range(baseline.seeds)]
    assert r.value == pytest.approx(np.mean(vals)) and r.lo < r.value < r.hi
