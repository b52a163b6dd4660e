"""The engine's contracts: conservation, the ledger, determinism, common random numbers,
the Gupta-Lehmann closed form, and the result tables."""
import json

import numpy as np
import pandas as pd
import pytest

import sim
from sim.core.population import CHURNED, POOL
from sim.core.result import VALUE_AGE
from sim.engine.model import PoolModel

BASE = "scenarios/baseline.yaml"
ALL_ON = {  # every mechanism switched on
    "groups.size": 40, "groups.tiering": True, "groups.koc_share": 0.3,
    "offers.discount_depth": 0.2, "offers.discount_every_days": 10,
    "service.one_to_one_hours_per_day": 6, "service.member_day_every_days": 30,
    "messaging.per_week": 4, "messaging.no_disturb": True,
    "referral.incentive_rmb": 20, "referral.unlock_invites": 2,
    "referral.seed_koc": "degree", "referral.koc_count": 20,
    "staff.turnover_monthly": 0.2,
}


@pytest.fixture(scope="module")
def full_run():
    return sim.run(sim.load_scenario(BASE, ALL_ON), users=4000, days=200, seed=3)


def test_daily_columns_and_conservation(full_run):
    d = full_run.daily
    need = ["day", "public_users", "pool_users", "churned_users", "new_pool_users", "referred_users", "orders",
            "revenue", "cost", "profit", "cumulative_profit", "messages_sent"]
    assert all(c in d.columns for c in need)
    assert len(d) == 200 and (d["day"] == np.arange(200)).all()
    assert ((d.public_users + d.pool_users + d.churned_users) == 4000).all()
    assert (d.churned_users.diff().fillna(0) >= 0).all()          # lost users stay lost
    # every mechanism really fired in this run
    for col in ("referred_users", "messages_sent", "service_sessions", "staff_quits", "group_members",
                "tier_moves", "lost_lapsed", "lost_washed_back", "lost_staff_left", "invitations"):
        assert d[col].sum() > 0, col


def test_states_match_daily_counts(full_run):
    u = full_run.users
    last = full_run.daily.iloc[-1]
    counts = u["state"].value_counts()
    assert counts["pool"] == last.pool_users and counts["churned"] == last.churned_users
    assert counts["public"] == last.public_users
    assert (u["acquired_day"] >= 0).sum() - counts["churned"] == last.customers   # the close counts every acquisition
    lost = u[u.state == "churned"]
    assert (lost.reason != "").all() and (lost.left_day >= lost.acquired_day).all()
    assert (u[u.state != "churned"].reason == "").all()
    assert (u[u.state == "pool"].pool_day >= 0).all()


def test_ledger_adds_up(full_run):
    d = full_run.daily
    lines = ["acquisition", "cogs", "returns", "gifts", "staff", "service", "incentives"]
    assert np.allclose(d[lines].sum(axis=1), d.cost)
    assert np.allclose(d.revenue - d.cost, d.profit)
    assert np.allclose(d.profit.cumsum(), d.cumulative_profit)
    assert d.discounts.sum() > 0 and d.incentives.sum() > 0 and d.gifts.sum() > 0
    # revenue is booked at the price paid: the users' kept list-price spend minus the discounts given
    assert full_run.users.spend.sum() == pytest.approx(d.revenue.sum() + d.discounts.sum(), rel=1e-4)
    s = full_run.summary
    assert s["profit"] == pytest.approx(d.profit.sum())
    assert s["acquired_users"] == (full_run.users.acquired_day >= 0).sum()


def test_same_seed_same_numbers():
    a = sim.run(sim.load_scenario(BASE, ALL_ON), users=3000, days=120, seed=11)
    b = sim.run(sim.load_scenario(BASE, ALL_ON), users=3000, days=120, seed=11)
    c = sim.run(sim.load_scenario(BASE, ALL_ON), users=3000, days=120, seed=12)
    pd.testing.assert_frame_equal(a.daily, b.daily)
    pd.testing.assert_frame_equal(a.users, b.users)
    assert json.dumps(a.summary, sort_keys=True, default=str) == json.dumps(b.summary, sort_keys=True, default=str)
    assert not a.daily.equals(c.daily)


def test_common_random_numbers_isolate_a_lever():
    """A lever that only acts inside the pool changes nothing before anyone could feel it:
    traits and the acquisition sequence are identical, and so is every day before the lever
    first bites."""
    base = sim.load_scenario(BASE)
    small = {"market.users": 3000, "acquisition.daily_reach": 0.02}     # a pool of ~1,000 by day 59
    a = PoolModel(base.with_overrides(small), seed=5)
    b = PoolModel(base.with_overrides({**small, "service.member_day_every_days": 60}), seed=5)
    for name in ("segment", "tolerance", "buy_rate", "order_value", "price_sens"):
        assert np.array_equal(getattr(a.users, name), getattr(b.users, name))
    assert np.array_equal(a.acquisition.order.key, b.acquisition.order.key)   # the paid-reach order's keys
    for _ in range(59):   # member day first falls on day 59
        a.step(), b.step()
    assert np.array_equal(a.users.state, b.users.state)
    assert np.array_equal(a.users.value, b.users.value)
    a.step(), b.step()
    assert not np.array_equal(a.users.orders, b.users.orders)


def test_crn_paired_differences_are_tighter():
    """With common random numbers, a lever's effect varies far less across seeds than the level."""
    lo = sim.load_scenario(BASE, {"messaging.per_week": 1})
    hi = sim.load_scenario(BASE, {"messaging.per_week": 3})
    la, lb = [], []
    for s in range(6):
        la.append(sim.run(lo, users=3000, days=180, seed=s).summary["ltv"])
        lb.append(sim.run(hi, users=3000, days=180, seed=s).summary["ltv"])
    la, lb = np.array(la), np.array(lb)
    assert np.var(lb - la, ddof=1) < (np.var(la, ddof=1) + np.var(lb, ddof=1)) / 3


def closed_form_scenario(n, days, cycle, lapse_per_year):
    return sim.load_scenario(BASE, {
        "market.users": n, "horizon_days": days,
        "market.segments.deal_seeker": 0, "market.segments.quality_seeker": 0, "market.segments.loyal_prone": 1,
        "market.trait_spread": 0, "market.tier12_share": 0, "market.organic_discovery_per_year": 0,
        "market.organic_per_customer_per_year": 0, "market.agents": n,
        "market.purchase_cycle_days": cycle, "market.lapse_per_year": lapse_per_year, "market.pool_buy_lift": 0.0,
        "acquisition.daily_budget": 0, "pool.initial_members": n, "pool.initial_trust": 0,
        "staff.accounts": 10, "staff.salary_rmb_per_month": 0, "staff.turnover_monthly": 0,
        "service.support_minutes_per_order": 0, "messaging.per_week": 0,
        "trust.per_order": 0, "trust.per_content": 0, "washback.public_per_year": 0,
        "economics.pool_return_rate": 0, "referral.invites_per_year": 0,
    })


def test_ltv_matches_gupta_lehmann_closed_form():
    """One homogeneous segment, constant purchase and leaving hazards, no referral, no annoyance;
    the whole market is a pool on day 0 (no budget buys a market in a day).

    Per day: purchase probability lam = 1 - exp(-1/cycle), survival r = exp(-h), margin m
    = price x (1 - cogs), daily discount i. Margin is booked on the day (t = 0 included), so
    E[LTV] = lam m (1+i)/(1+i-r) x (1 - (r/(1+i))^T)   (Gupta & Lehmann 2003, paid at t=0,
    truncated at the horizon T). Margin: 4 standard errors of the mean over 20,000 users.
    """
    n, days, cycle, lapse = 20_000, 365, 30.0, 2.0
    sc = closed_form_scenario(n, days, cycle, lapse)
    res = sim.run(sc, seed=7)
    v = res.users.value.to_numpy()
    assert (res.users.acquired_day == 0).all()
    lam = 1 - np.exp(-1 / (cycle * 0.9))            # loyal_prone purchase cycle factor 0.9
    h = lapse / 365 * 0.5                            # loyal_prone lapse factor 0.5
    r = np.exp(-h)
    i = 1.1 ** (1 / 365) - 1
    m = sc.market.price_rmb * (1 - sc.economics.cogs_share)
    expected = lam * m * (1 + i) / (1 + i - r) * (1 - (r / (1 + i)) ** days)
    se = v.std(ddof=1) / np.sqrt(n)
    assert abs(v.mean() - expected) < 4 * se, (v.mean(), expected, se)


def test_closed_form_check_has_power():
    """The same check rejects a model whose hazard is 20% off (guards against a vacuous test)."""
    sc = closed_form_scenario(20_000, 365, 30.0, 2.0 * 1.2)
    v = sim.run(sc, seed=7).users.value.to_numpy()
    lam, r, i = 1 - np.exp(-1 / 27.0), np.exp(-2.0 / 365 * 0.5), 1.1 ** (1 / 365) - 1
    expected = lam * 66 * (1 + i) / (1 + i - r) * (1 - (r / (1 + i)) ** 365)
    assert abs(v.mean() - expected) > 4 * v.std(ddof=1) / np.sqrt(len(v))


def test_summary_figures(full_run):
    s = full_run.summary
    for k in ("ltv", "churn_rate_monthly", "retention_90d", "referral_share", "k_factor", "revenue", "profit",
              "payback_day", "pool_size_end", "acquired_users"):
        assert k in s
    assert 0 <= s["churn_rate_monthly"] <= 1 and 0 <= s["retention_90d"] <= 1
    assert s["referral_share"] == pytest.approx(s["referred_users"] / s["acquired_users"])
    u = full_run.users
    assert s["ltv"] == pytest.approx(u.value[u.acquired_day >= 0].mean())


def test_payback_day_definition():
    from sim.core.result import payback_day
    assert payback_day(np.array([-5.0, -8.0, -3.0, 1.0, 2.0])) == 3
    assert payback_day(np.array([1.0, 2.0])) == 0
    assert payback_day(np.array([-1.0, -2.0])) is None


def test_users_table():
    res = sim.run(BASE, users=1000, days=60, seed=1)
    u = res.users
    assert len(u) == 1000
    for c in ("segment", "channel", "state", "spend", "orders", "reason"):
        assert c in u.columns
    assert set(u.channel.unique()) <= {"none", "douyin", "xiaohongshu", "ecommerce", "organic", "referral", "koc"}


def test_breakdown_by_channel_and_segment(full_run):
    u = full_run.users
    acq = u[u.acquired_day >= 0]
    by_ch = full_run.breakdown("channel")
    assert by_ch.users.sum() == len(acq)
    assert by_ch.loc["douyin", "ltv"] == pytest.approx(acq[acq.channel == "douyin"].value.mean())
    weighted = (by_ch.ltv * by_ch.users).sum() / by_ch.users.sum()
    assert weighted == pytest.approx(full_run.summary["ltv"])
    assert set(full_run.breakdown("segment").index) == {"deal_seeker", "quality_seeker", "loyal_prone"}
    with pytest.raises(sim.UsageError, match="choose one of"):
        full_run.breakdown("colour")


def test_existing_pool_on_day_0():
    """pool.initial_members: people already in the pool on day 0 (channel 'existing'), with no
    acquisition cost in this run; conservation and the ledger still hold."""
    sc = sim.load_scenario(BASE, {"pool.initial_members": 1000, "market.users": 4000})
    res = sim.run(sc, days=90, seed=2)
    d, u = res.daily, res.users
    ex = u[u.channel == "existing"]
    assert len(ex) == 1000 and (ex.acquired_day == 0).all() and (ex.pool_day == 0).all()
    assert d.pool_users.iloc[0] >= 1000 - d.churned_users.iloc[0]
    assert d.new_pool_users.iloc[0] < 1000                       # day-0 members are not newcomers
    assert ((d.public_users + d.pool_users + d.churned_users) == 4000).all()
    assert res.summary["paid_users"] == (u.channel.isin(["douyin", "xiaohongshu", "ecommerce"])).sum()
    assert u.spend.sum() == pytest.approx(d.revenue.sum(), rel=1e-4)
    empty = sim.run(sim.load_scenario(BASE, {"market.users": 4000}), days=90, seed=2)
    assert d.cumulative_profit.iloc[-1] > empty.daily.cumulative_profit.iloc[-1]
    with pytest.raises(sim.ScenarioError, match="at most market.users"):
        sim.load_scenario(BASE, {"pool.initial_members": 5000, "market.users": 4000})


def test_koc_recruited_from_an_existing_pool_keeps_its_history():
    """KOCs chosen among day-0 members stay 'existing' (not admitted a second time)."""
    over = {"pool.initial_members": 2000, "market.users": 4000, "referral.seed_koc": "degree", "referral.koc_count": 200}
    u = sim.run(sim.load_scenario(BASE, over), days=5, seed=1).users
    both = u[u.koc & (u.channel == "existing")]
    assert len(both) > 0 and (both.acquired_day == 0).all() and (both.pool_day == 0).all()
    assert u.koc.sum() == 200 and (u[u.koc].channel.isin(["existing", "koc"])).all()


def _check_roster(model) -> None:
    """The day's compiled passes walk the roster (population.Users.roster); what they give must be
    what a pass over the whole market gives, and nobody outside the roster may hold any state."""
    u = model.users
    cust, pool = u.customers_and_pool()
    assert np.array_equal(cust, np.flatnonzero(u.acquired & (u.state != CHURNED)))
    assert np.array_equal(pool, cust[u.state[cust] == POOL])
    assert np.array_equal(u.pool(), np.flatnonzero(u.state == POOL))
    assert u.n_acquired == np.count_nonzero(u.acquired)
    out = np.ones(u.n, dtype=bool)
    out[u.roster()] = False
    for name in ("intent", "annoyance", "trust"):
        assert not getattr(u, name)[out].any(), name
    assert not (u.acquired[out].any() or (u.state[out] != 0).any() or (u.pool_day[out] >= 0).any())
    t = model.today
    assert t["pool_users"] == np.count_nonzero(u.state == POOL) == model.pool_count
    assert t["churned_users"] == np.count_nonzero(u.state == CHURNED)
    assert t["customers"] == len(cust)
    assert t["muted_users"] == np.count_nonzero(u.muted & (u.state == POOL))
    born = model.day - 1 - VALUE_AGE + 1
    if born >= 0:
        idx = np.flatnonzero(u.acq_day == born)
        assert np.array_equal(model.value_at_age[idx], u.value[idx])
    assert np.isnan(model.value_at_age[~u.acquired]).all()


@pytest.mark.parametrize("case", ["all_on", "replayed"])
def test_roster_passes_equal_whole_market_passes(case):
    """Customers, pool, decay, value at age and the daily levels computed over the roster equal the
    same computed over every user, every day (every mechanism on, day-0 members and KOCs; and a
    replayed order history whose customers join the pool on the days the data says)."""
    from sim.mechanisms.history import Arrivals
    over = {**ALL_ON, "market.users": 3000, "pool.initial_members": 300, "horizon_days": 200}
    arrivals = None
    if case == "replayed":
        rng = np.random.default_rng(0)
        first = rng.integers(0, 150, 600)
        arrivals = Arrivals(first, np.full(600, 3), np.where(rng.random(600) < 0.5, first + rng.integers(0, 30, 600), -1))
        over = {**over, "acquisition.daily_budget": 0, "market.organic_discovery_per_year": 0}
    model = PoolModel(sim.load_scenario(BASE, over), seed=2, arrivals=arrivals)
    for _ in range(200):
        model.step()
        _check_roster(model)
    assert model.today["churned_users"] > 0 and model.today["pool_users"] > 0
    u = model.users
    outside = np.setdiff1d(np.arange(u.n), u.roster())[0]
    u.annoyance[outside] = 0.1                        # the test of the test: state outside the roster is caught
    with pytest.raises(AssertionError):
        _check_roster(model)


def test_ranking_is_the_start_of_a_stable_argsort():
    """acquisition.Ranking sorts lazily; what it has sorted must equal the stable argsort's start
    (ties by id) however far it is read."""
    from sim.mechanisms.acquisition import Ranking
    rng = np.random.default_rng(1)
    for trial in range(60):
        n = int(rng.integers(1, 4000))
        key = rng.exponential(size=n) / rng.choice([1.0, 1.5], n)
        if trial % 2:
            key = np.round(key, 2)                      # many ties
        full = np.argsort(key, kind="stable")
        r = Ranking(key, 0.01)
        for c in np.sort(rng.integers(0, n + 50, 4)):
            assert np.array_equal(r.first(int(c)), full[:c])
        r = Ranking(key, 0.01)
        for v in np.sort(rng.exponential(size=5) * 2):
            stop = r.upto(float(v))
            assert stop == np.searchsorted(key[full], v, side="left")
            assert np.array_equal(r.order[:stop], full[:stop])


def test_roster_merge_is_the_sorted_union():
    """population._merge (binary search and block copies) gives the sorted union of two disjoint ascending arrays,
    wherever the new ones fall: before, between, after the roster's, in runs, into an empty roster or none."""
    from sim.core.population import _merge
    rng = np.random.default_rng(3)
    for trial in range(300):
        n = int(rng.integers(0, 400))
        pool = rng.permutation(n)
        k = int(rng.integers(0, n + 1)) if trial % 3 else min(n, int(rng.integers(0, 4)))
        a, b = np.sort(pool[k:]).astype(np.int64), np.sort(pool[:k]).astype(np.int64)
        if trial % 7 == 0:                              # the new ones all after (or all before) the roster
            a, b = (a, b) if not len(a) or not len(b) else (np.arange(len(a)), np.arange(len(a), len(a) + len(b)))
        assert np.array_equal(_merge(a, b), np.sort(np.concatenate([a, b])))
        assert np.array_equal(_merge(b, a), np.sort(np.concatenate([a, b])))


def test_stream_keys_and_in_kernel_draws_match_the_streams():
    """The day keys come from a table (grown on demand) and compiled kernels draw with rng.pair:
    both must give exactly the numbers of SplitMix64 in Python integers and of Streams.uniform2."""
    from numba import njit

    from sim.core.rng import STREAMS, Streams, pair

    @njit
    def draw(idx, key):
        hi, lo = np.empty(len(idx)), np.empty(len(idx))
        for j in range(len(idx)):
            hi[j], lo[j] = pair(idx[j], key)
        return hi, lo

    s, m = Streams(11), 0xFFFFFFFFFFFFFFFF

    def splitmix(stream, day):
        x = (s._key[stream] + (day + 1) * 0xD1B54A32D192ED03) & m
        x ^= x >> 30
        x = (x * 0xBF58476D1CE4E5B9) & m
        x ^= x >> 27
        x = (x * 0x94D049BB133111EB) & m
        return x ^ (x >> 31)

    for stream in STREAMS[::5]:
        for day in (-1, 0, 364, 511, 2000):
            assert s.key(stream, day) & m == splitmix(stream, day)
    idx = np.arange(0, 5_000_000, 977)
    for day in (-1, 3, 700):
        hi, lo = s.uniform2("leave", day, idx)
        got = draw(idx, s.key("leave", day))
        assert np.array_equal(got[0], hi) and np.array_equal(got[1], lo)


def test_daily_constants_follow_a_swapped_scenario():
    """What booking and prices read of the scenario is worked out once (PoolModel.constants) and again when the
    model's scenario is replaced mid-run (as tests and what-ifs do): the share of an order's price a customer's value
    keeps after a new cogs share follows it at once."""
    from sim.engine.runner import resolve
    from sim.mechanisms import purchases
    m = PoolModel(resolve("baseline", agents=1000, days=30), seed=0)
    for _ in range(10):
        m.step()
    cust, _ = m.users.customers_and_pool()
    idx = cust[:3].copy()

    def value_added(share: float) -> np.ndarray:
        m.sc = m.sc.with_overrides({"economics.cogs_share": share})
        before = m.users.value[idx].copy()
        purchases.book(m, idx, 10, np.ones(3), np.zeros(3))      # uniforms above any return rate: all kept
        return m.users.value[idx] - before

    low, high = value_added(0.3), value_added(0.6)
    assert np.all(low > 0) and high == pytest.approx(low * 0.4 / 0.7, rel=1e-5)
    held = m.constants("book", purchases._constants)
    assert m.constants("book", purchases._constants) is held          # the same scenario: read once


def test_a_gift_is_one_for_all_or_one_per_order():
    """`book`'s gift: a number (or a 0-d array) for every kept order, or one per order."""
    from sim.engine.runner import resolve
    from sim.mechanisms import purchases
    m = PoolModel(resolve("baseline", agents=1000, days=30), seed=0)
    for _ in range(10):
        m.step()
    idx = m.users.customers_and_pool()[0][:3].copy()
    for gift, total in ((5.0, 15.0), (np.array(5.0), 15.0), (np.array([1.0, 2.0, 4.0]), 7.0)):
        m.ledger.new_day()
        purchases.book(m, idx, 10, np.ones(3), np.zeros(3), gift=gift)      # every order kept
        assert m.ledger.today["gifts"] == total
