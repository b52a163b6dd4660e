"""Pool mechanics (issue: containers, groups, frequency, offers vs service, staff, wash-back).

Each test checks a trade-off that must EMERGE from trust, annoyance, margins and hazards
with the shipped defaults, over several seeds with common random numbers (seed s of every
arm shares its randomness). Margins are stated per test: a paired mean difference must
exceed k standard errors of the paired differences or have its 90% paired interval above 0,
and/or hold in every seed; seed counts are set from the effect's measured spread per seed.
"""
import numpy as np
import pytest

import sim
from sim.lab.experiments import paired_difference

BASE = "scenarios/baseline.yaml"
SEEDS = range(5)


def summaries(path, overrides=None, seeds=SEEDS, users=None, days=None):
    sc = sim.load_scenario(path, overrides or {})
    return [sim.run(sc, users=users, days=days, seed=s) for s in seeds]


def fig(runs, key):
    return np.array([r.summary[key] for r in runs], dtype=float)


def paired_gt(a, b, k=3.0):
    """mean(a - b) > k x standard error of the paired differences."""
    d = np.asarray(a) - np.asarray(b)
    se = d.std(ddof=1) / np.sqrt(len(d))
    return d.mean() > k * se and d.mean() > 0, (d.mean(), se)


def paired_above(a, b):
    """The 90% paired interval of mean(a - b) lies above 0 (experiments.paired_difference, seeds paired)."""
    pd_ = paired_difference(b, a)
    return pd_["lo"] > 0, pd_


@pytest.fixture(scope="module")
def frequency_runs():
    return {w: summaries(BASE, {"messaging.per_week": w}, seeds=range(4)) for w in (0, 2, 4, 8)}


def test_ltv_has_an_interior_best_frequency(frequency_runs):
    """LTV rises from 0 to 2 messages a week, then falls by 8 (margin: 3 paired SE)."""
    ltv = {w: fig(r, "ltv") for w, r in frequency_runs.items()}
    ok, info = paired_gt(ltv[2], ltv[0])
    assert ok, info
    ok, info = paired_gt(ltv[2], ltv[8])
    assert ok, info


def test_churn_rises_with_frequency(frequency_runs):
    churn = {w: fig(r, "churn_rate_monthly") for w, r in frequency_runs.items()}
    for lo, hi in ((2, 4), (4, 8)):
        ok, info = paired_gt(churn[hi], churn[lo])
        assert ok, (lo, hi, info)
    annoyed = {w: fig(r, "lost_annoyed") for w, r in frequency_runs.items()}
    assert annoyed[0].sum() == 0 and (annoyed[8] > annoyed[2]).all()


def test_group_activity_falls_and_reach_per_hour_rises_with_size():
    """Per-member activity (member posts per member-day) falls with group size; members reached
    per staff hour rise. Daily group figures summed over a 200-day run."""
    act, reach = [], []
    for size in (10, 40, 150, 500):
        d = sim.run(sim.load_scenario(BASE, {"groups.size": size}), users=10_000, days=200, seed=1).daily
        act.append(d.group_posts.sum() / d.group_members.sum())
        reach.append(d.group_members.sum() / d.group_hours.sum())
    assert all(a > b for a, b in zip(act, act[1:])), act
    assert all(a < b for a, b in zip(reach, reach[1:])), reach


def test_big_noisy_groups_annoy_more_than_small_ones():
    big = summaries(BASE, {"groups.size": 500}, seeds=range(3), users=10_000, days=240)
    small = summaries(BASE, {"groups.size": 15}, seeds=range(3), users=10_000, days=240)
    assert (fig(big, "pool_churn_rate_monthly") > fig(small, "pool_churn_rate_monthly")).all()
    assert (fig(small, "trust_end") > fig(big, "trust_end")).all()


@pytest.fixture(scope="module")
def offers_vs_service():
    # 16 paired seeds, 20,000 agents. The 90-day retention gap is the smallest effect asserted on these
    # arms (24 seeds: +1.4 points, sd 1.0 per seed, 2 of 24 seeds the other way): on the former 10 seeds
    # it cleared a 3-SE bar by about 1 SE only; on 16 its 90% interval is [+0.8, +1.8] points
    return (summaries("scenarios/discount_only.yaml", seeds=range(16)),
            summaries("scenarios/differentiated_service.yaml", seeds=range(16)))


def test_discount_books_more_profit_in_the_first_weeks(offers_vs_service):
    disc, serv = offers_vs_service
    early_d = np.array([r.daily.profit[:42].sum() for r in disc])
    early_s = np.array([r.daily.profit[:42].sum() for r in serv])
    ok, info = paired_gt(early_d, early_s)
    assert ok, info


def test_service_keeps_customers_but_costs_at_a_low_ticket(offers_vs_service):
    """Differentiated service keeps customers (lower churn, higher 90-day retention: 90% paired
    intervals above 0), but at the baseline's 120 RMB ticket its 20 staff hours a day and aging groups
    cost more than they bring: profit is lower in every seed. Measured on the fixture's 16 seeds:
    churn 10.8% vs 11.5% a month (-0.68 points [-0.79, -0.56]), 90-day retention 68.5% vs 67.2%
    (+1.3 points [+0.8, +1.8]), profit 416k vs 909k RMB (each seed: -493k, sd 49k). Where one-to-one
    service pays is a matter of stakes: tests/test_cases.py."""
    disc, serv = offers_vs_service
    ok, info = paired_above(fig(disc, "churn_rate_monthly"), fig(serv, "churn_rate_monthly"))
    assert ok, info
    ok, info = paired_above(fig(serv, "retention_90d"), fig(disc, "retention_90d"))
    assert ok, info
    assert (fig(serv, "profit") < fig(disc, "profit")).all()


def test_service_pays_back_later_the_j_curve(offers_vs_service):
    """Differentiated service pays back later (paired mean difference > 3 SE over the fixture's
    16 seeds; measured: day 265 vs 182, +83 days [+77, +90], 24 SE)."""
    disc, serv = offers_vs_service
    ok, info = paired_gt(fig(serv, "payback_day"), fig(disc, "payback_day"))
    assert ok, info


def test_discounts_train_deal_seekers_to_wait():
    """Deal seekers are drawn in, and full-price buying falls as buyers learn to wait."""
    disc = sim.run("scenarios/discount_only.yaml", seed=2)
    base = sim.run(BASE, seed=2)
    # among users paid for in the first 120 days (before the market runs dry)
    share = lambda r: (r.users[r.users.acquired_day.between(0, 119)].segment == "deal_seeker").mean()  # noqa: E731
    assert share(disc) > share(base) + 0.03
    m = disc._model
    assert m.users.habit.max() > 0.2 and m.users.habit[m.users.segment == 0].mean() > m.users.habit[m.users.segment == 1].mean()


@pytest.mark.parametrize("turnover", [0.15, 0.0])
def test_wecom_keeps_customers_personal_converts_better(turnover):
    """With staff turnover, WeCom loses fewer members with a leaving account and ends the year with
    the bigger pool; without turnover, personal accounts convert more buyers into the pool and earn
    more per user (3 paired SE, or a 90% paired interval above 0). The pool-size gap is small against
    seed noise (24 seeds: +500 people [+331, +669], sd 830 per seed; on 4 seeds it was expected at
    2.1 SE, under the 3-SE bar it passed by luck), so turnover 0.15 runs 24 paired seeds."""
    over = {"staff.turnover_monthly": turnover}
    seeds = range(24) if turnover else range(4)
    pers = summaries(BASE, {**over, "pool.container": "personal"}, seeds=seeds)
    wec = summaries(BASE, {**over, "pool.container": "wecom"}, seeds=seeds)
    if turnover:
        ok, info = paired_gt(fig(pers, "lost_staff_left"), fig(wec, "lost_staff_left"))
        assert ok, info
        ok, info = paired_above(fig(wec, "pool_size_end"), fig(pers, "pool_size_end"))
        assert ok, info
    else:
        assert fig(wec, "lost_staff_left").sum() == 0 == fig(pers, "lost_staff_left").sum()
        ok, info = paired_gt(fig(pers, "pool_joined"), fig(wec, "pool_joined"))
        assert ok, info
        ok, info = paired_gt(fig(pers, "ltv"), fig(wec, "ltv"))
        assert ok, info


def test_the_pools_shield_from_wash_back_keeps_customers():
    """Without the pool's protection from competitors' content (pool.protection = 1: members are
    washed back like public-side customers) more customers are lost to wash-back, LTV falls and the
    pool ends the year smaller, in each of 3 paired seeds (10,000 agents; measured: wash-back losses
    +10-11%, LTV -3.0 to -3.8 RMB, 630-740 fewer members; +30-50% and -19 to -20 RMB before issue 23, when
    pool members bought 2.9x as often and the pool held twice the members; bounds at about half the
    measured effect)."""
    for s in range(3):
        shielded = sim.run(BASE, seed=s, agents=10_000).summary
        bare = sim.run(sim.load_scenario(BASE, {"pool.protection": 1.0}), seed=s, agents=10_000).summary
        assert bare["lost_washed_back"] > 1.05 * shielded["lost_washed_back"], (s, bare, shielded)
        assert bare["ltv"] < shielded["ltv"] - 1.5 and bare["pool_size_end"] < shielded["pool_size_end"]


def test_staff_hours_beyond_capacity_cost_money():
    a = sim.run(sim.load_scenario(BASE, {"service.one_to_one_hours_per_day": 0}), users=5000, days=60, seed=1)
    b = sim.run(sim.load_scenario(BASE, {"service.one_to_one_hours_per_day": 40}), users=5000, days=60, seed=1)
    assert a.daily.service.sum() == 0
    # 4 accounts x 3 h = 12 h of own time: 40 h of service needs at least 28 extra hours a day
    assert b.daily.service.sum() >= 60 * 28 * 60


def test_official_accounts_reach_fewer_than_direct_messages():
    """Seed 001: Moments are opened by >85%, a service account's messages by ~10%, a subscription
    account's by ~1%. What that does: direct messages (the baseline's mix of Moments, chats and mass
    messages, ~72% opened) bring the most orders and LTV, a service account more orders than a
    subscription account, and only direct messages are read often enough to annoy many into leaving
    (each of 3 paired seeds, 10,000 agents; measured orders ~31,300 / ~29,400 / ~29,100, LTV ~71 / ~67 /
    ~66 RMB, people lost to annoyance 100-190 / 0 / 0; before issue 23's evidence, with pool members
    buying 2.9x as often, ~31,200 / ~26,300 / ~25,500 and LTV ~167 / ~142 / ~137: a smaller pool moves
    fewer orders; bounds at about half the measured effect)."""
    for s in range(3):
        runs = {ch: sim.run(sim.load_scenario(BASE, {"messaging.channel": ch}), seed=s, agents=10_000).summary
                for ch in ("direct", "service_account", "subscription_account")}
        d, sa, sub = runs["direct"], runs["service_account"], runs["subscription_account"]
        assert d["orders"] > 1.03 * sa["orders"] and sa["orders"] > sub["orders"], (s, d["orders"], sa["orders"], sub["orders"])
        assert d["ltv"] > sa["ltv"] + 2
        assert d["lost_annoyed"] >= 10 * max(sa["lost_annoyed"], sub["lost_annoyed"], 1), (s, d, sa, sub)
