"""One market, any number of agents; saturating paid acquisition; organic discovery through
customers; mean-preserving trait spread; staff turnover as a monthly rate; compare's diff list."""
from pathlib import Path

import numpy as np
import pytest

import sim
from sim.core.population import Users, sample_size
from sim.core.rng import Streams
from sim.core.scenario import load_scenario
from sim.lab.experiments import compare
from sim.present.tables import comparison_text
from sim.lab.validation import adoption_share, bass_F, bass_scenario
from sim.mechanisms.acquisition import SATURATION, paid_people

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "scenarios" / "baseline.yaml"
FIGS = ("ltv", "churn_rate_monthly", "payback_day", "profit")
SEEDS = range(6)
Z = 3.5


def _figures(sc, agents):
    rows = [sim.run(sc, seed=s, agents=agents).summary for s in SEEDS]
    return {k: np.array([np.nan if r[k] is None else r[k] for r in rows], dtype=float) for k in FIGS}


def _differ(a, b):
    """Figures whose means differ by more than Z standard errors of the difference (seeds independent
    between the two sets: different agent counts draw different people)."""
    out = {}
    for k in FIGS:
        x, y = a[k][~np.isnan(a[k])], b[k][~np.isnan(b[k])]
        se = np.sqrt(x.var(ddof=1) / len(x) + y.var(ddof=1) / len(y))
        if abs(x.mean() - y.mean()) > Z * se:
            out[k] = (x.mean(), y.mean(), se)
    return out


@pytest.fixture(scope="module")
def at_50k():
    return _figures(load_scenario(BASE), 50_000)


@pytest.mark.slow
def test_fewer_agents_more_noise_not_a_different_answer(at_50k):
    """The baseline market (100,000 people) simulated with 10,000 and with 50,000 agents: LTV, churn,
    payback day and profit (for the whole market) agree within 3.5 standard errors of the
    difference over 6 seeds each (a false alarm per figure ~0.5%). (Most of the seed-to-seed spread is
    the market's own randomness, e.g. 4 staff accounts quitting, which no number of agents removes.)"""
    at_10k = _figures(load_scenario(BASE), 10_000)
    assert not _differ(at_10k, at_50k), _differ(at_10k, at_50k)
    assert 1e5 < np.mean(at_50k["profit"]) and np.mean(at_50k["ltv"]) > 50   # the figures are for the market, not the sample


@pytest.mark.slow
def test_scale_check_has_power(at_50k):
    """The same check flags a real change: a purchase cycle of 45 x 1.3 = 58.5 days (43% longer than the
    default 41; written when the default was 45), run with 10,000 agents."""
    slower = load_scenario(BASE, {"market.purchase_cycle_days": 45 * 1.3})
    flagged = _differ(_figures(slower, 10_000), at_50k)
    assert {"ltv", "profit"} <= set(flagged), flagged


def test_counts_are_for_the_market():
    """A market of 60,000 people with 6,000 agents (scale 10): the daily counts are people; the
    agents never exceed the market; paid users match the saturating response to the budget."""
    sc = load_scenario(BASE, {"market.users": 60_000, "market.agents": 6_000})
    assert sample_size(sc.market) == (6_000, 10.0)
    assert sample_size(load_scenario(BASE, {"market.users": 500}).market) == (500, 1.0)
    res = sim.run(sc, seed=2, days=120)
    d = res.daily
    assert (d.public_users + d.pool_users + d.churned_users == 60_000).all()
    assert res.breakdown("channel")["users"].sum() == res.summary["acquired_users"]
    # without depletion the budget would buy 120 x sum(paid_people) people; depletion lowers it a little
    upper = 120 * paid_people(sc.acquisition, 60_000, 60_000).sum()
    assert 0.85 * upper < res.summary["paid_users"] <= upper + 30


def test_saturation_curves():
    """Both curves: cost per user is `cac` at low spend in an untouched market, rises with spend and as
    the market is used up, and no spend buys more than daily_reach of the market a day."""
    a = load_scenario(BASE).acquisition
    m = 100_000
    for name in SATURATION:
        ac = a.model_copy(update={"saturation": name})
        low = ac.model_copy(update={"daily_budget": 1.0})
        per_user = low.daily_budget * np.array([0.5, 0.2, 0.3]) / paid_people(low, m, m)
        assert per_user == pytest.approx([a.cac * 1.0, a.cac * 1.3, a.cac * 0.9], rel=1e-3)
        n1 = paid_people(ac, m, m).sum()
        n2 = paid_people(ac.model_copy(update={"daily_budget": 2 * a.daily_budget}), m, m).sum()
        assert n2 < 1.9 * n1                                        # doubling buys clearly less than double
        assert paid_people(ac, m, m / 2).sum() == pytest.approx(n1 / 2)   # half the market left: half the users
        huge = paid_people(ac.model_copy(update={"daily_budget": 1e8}), m, m)
        assert (huge <= a.daily_reach * m).all() and huge.sum() > 0.9 * 3 * a.daily_reach * m
    x = np.array([0.5, 2.0])
    assert (SATURATION["hill"]()(x) < SATURATION["exponential"]()(x)).all()   # Hill's longer tail


def test_budget_response_in_runs():
    """In whole runs: doubling the budget buys clearly less than double the paid users at a higher
    cost per user; a budget 30x the baseline's cannot buy the market in a year, let alone a day."""
    paid, cac = {}, {}
    for b in (3000, 6000, 90_000):
        s = sim.run(load_scenario(BASE, {"acquisition.daily_budget": b}), seed=1, agents=5_000).summary
        paid[b], cac[b] = s["paid_users"], s["cac"]
    assert paid[6000] < 1.85 * paid[3000] and cac[6000] > 1.1 * cac[3000]
    assert paid[90_000] < 0.8 * 100_000 and cac[90_000] > 3 * cac[3000]


def test_organic_discovery_follows_customers_as_the_bass_imitation_term():
    """With organic_per_customer_per_year = q and nothing else but p, adoption follows the Bass curve
    (hazard p + q F; a mixed population, N = 20,000, 8 years): within 0.02 of it every day."""
    p, q = 0.03, 0.38
    F = adoption_share(sim.run(bass_scenario(p, q, 20_000, years=8, imitation="organic"), seed=0))
    t = np.arange(1, len(F) + 1) / 365
    assert np.max(np.abs(F - bass_F(t, p, q))) < 0.02
    off = adoption_share(sim.run(bass_scenario(p, 0.0, 20_000, years=8, imitation="organic"), seed=0))
    assert off[-1] < F[-1] - 0.3                                      # the imitation term matters


def test_no_customers_no_organic_discovery():
    """A small brand no one knows (p = 0) gains organic users only through its customers: none without
    a budget, more with a bigger one."""
    none = sim.run(load_scenario(BASE, {"acquisition.daily_budget": 0}), seed=0, agents=5_000).summary
    assert none["organic_users"] == 0 and none["acquired_users"] == 0
    small = sim.run(load_scenario(BASE), seed=0, agents=5_000).summary
    big = sim.run(load_scenario(BASE, {"acquisition.daily_budget": 9000}), seed=0, agents=5_000).summary
    assert 0 < small["organic_users"] < big["organic_users"]
    assert small["organic_users"] < 0.2 * small["paid_users"]           # organic does not swamp paid


@pytest.mark.parametrize("spread", [0.3, 1.5])
def test_trait_spread_keeps_the_mean_purchase_rate(spread):
    """Each segment's mean purchase rate is 1 / (cycle x segment factor) at any spread (within 3% over
    200,000 draws: the lognormal's sd at spread 1.5 is 2.9, so 3 standard errors ~2%); the inverse of
    a mean-one factor on the cycle (the old rule) would be exp(sd^2) = 1.09 / 9.5 times too high."""
    n = 200_000
    sc = load_scenario(BASE, {"market.trait_spread": spread})
    u = Users(n, sc.market, 6.0, Streams(4))
    flat = Users(n, load_scenario(BASE, {"market.trait_spread": 0}).market, 6.0, Streams(4))
    for seg in range(3):
        k = u.segment == seg
        assert u.buy_rate[k].mean() == pytest.approx(flat.buy_rate[k].mean(), rel=0.03)
        assert u.order_value[k].mean() == pytest.approx(flat.order_value[k].mean(), rel=0.03)
    if spread > 1:
        old = 1.0 / (1.0 / flat.buy_rate * np.exp(spread * np.random.default_rng(0).standard_normal(n) - spread ** 2 / 2))
        assert old.mean() > 5 * flat.buy_rate.mean()              # the check would catch the old rule


def test_staff_turnover_is_a_monthly_rate():
    """turnover_monthly = 1: about one quit per account a month (4 accounts x 12 months = 48,
    Poisson sd ~7), not one a day (4 x 365 = 1,460); 0.05: a few a year."""
    quits = {}
    for rate in (1.0, 0.05):
        d = sim.run(load_scenario(BASE, {"staff.turnover_monthly": rate}), seed=0, agents=2_000).daily
        quits[rate] = d.staff_quits.sum()
    assert 28 < quits[1.0] < 70, quits
    assert quits[0.05] < 10, quits


def test_compare_lists_the_settings_that_differ():
    cmp = compare([BASE, ROOT / "scenarios" / "discount_only.yaml"], seeds=1, days=5, agents=1_000)
    keys = {k for k, _a, _b in cmp.differs["discount_only"]}
    assert keys == {"offers.discount_depth", "offers.discount_every_days", "offers.new_customer_coupon"}
    text = comparison_text(cmp)
    assert "differs from 'baseline' in 3 setting(s)" in text and "offers.discount_depth: 0 -> 0.15" in text


def test_shipped_strategies_change_only_named_levers():
    """Each strategy file differs from baseline only in the sections of the levers its comment names."""
    allowed = {
        "discount_only": {"offers"}, "wecom_mass_messaging": {"pool", "messaging"},
        "big_groups_daily_push": {"groups", "messaging"}, "small_groups_weekly": {"groups", "messaging"},
        "existing_pool": {"pool", "acquisition"}, "organic_referral": {"messaging", "service", "referral"},
        "fission_blitz": {"messaging", "service", "referral"},
        "differentiated_service": {"messaging", "service", "groups"},
    }
    from sim.lab.experiments import setting_differences
    base = load_scenario(BASE)
    for name, sections in allowed.items():
        diff = setting_differences(base, load_scenario(ROOT / "scenarios" / f"{name}.yaml"))
        assert diff and {k.split(".")[0] for k, *_ in diff} <= sections, (name, diff)


def test_ltv_bridge_uses_market_totals_per_person():
    """The LTV bridge divides the market's ledger totals by acquired people (agents x scale): its
    parts add up to the LTV up to a small timing term at scale 5 (it would be off ~5x otherwise)."""
    from sim.lab.bridge import _bridge_inputs
    res = sim.run(load_scenario(BASE, {"service.one_to_one_hours_per_day": 6}), seed=0, agents=20_000)
    assert res.scale == 5.0
    b = _bridge_inputs(res)
    assert abs(b["T"]) < 0.1 * b["ltv"], b
    assert 0 < b["C"] < b["G"] < 2 * b["ltv"]


def test_report_stand_ins_match_the_strategy_files():
    """The report's stand-ins for missing strategy files carry exactly the files' levers."""
    from sim.lab.experiments import setting_differences
    from sim.present.report import FALLBACK_OVERRIDES
    base = load_scenario(BASE)
    for name, over in FALLBACK_OVERRIDES.items():
        assert setting_differences(load_scenario(ROOT / "scenarios" / f"{name}.yaml"), base.with_overrides(over)) == []


def test_cached_results_keep_the_scale(tmp_path, monkeypatch):
    """A Result read back from the reference cache knows its scale (from its scenario): the LTV bridge
    of a cached run equals the live run's."""
    from sim.lab.bridge import _bridge_inputs
    from sim.present.refcache import cached_run
    monkeypatch.setenv("SIYU_CACHE", str(tmp_path))
    sc = load_scenario(BASE, {"horizon_days": 120, "market.agents": 4_000})
    live = sim.run(sc, seed=1)
    cached_run(sc, 1)
    again = cached_run(sc, 1)                    # read from disk
    assert again.scale == live.scale == 25.0
    assert _bridge_inputs(again)["C"] == pytest.approx(_bridge_inputs(live)["C"])


def test_segment_contrast_scales_how_different_segments_behave():
    """market.segment_contrast 0 makes the segments alike (a coupon event lifts deal seekers' and
    quality seekers' buying equally, 0.9 vs 0.3 price sensitivity at 1); at 1.5 the gap widens."""
    n = 50_000

    def gap(contrast):
        sc = load_scenario(BASE, {"market.segment_contrast": contrast, "market.trait_spread": 0,
                                   "market.order_value_spread": 0, "market.tier12_share": 0})
        u = Users(n, sc.market, 6.0, Streams(4))
        deal, quality = u.segment == 0, u.segment == 1
        return (u.price_sens[deal].mean() - u.price_sens[quality].mean(),
                u.order_value[quality].mean() / u.order_value[deal].mean())

    flat, written, wide = gap(0.0), gap(1.0), gap(1.5)
    assert flat == pytest.approx((0.0, 1.0), abs=1e-6)
    assert written == pytest.approx((0.6, 1.3 / 0.8), rel=1e-6)
    assert wide[0] > written[0] and wide[1] > written[1]


@pytest.mark.parametrize("contrast", [0.0, 0.5, 1.5])
def test_segment_contrast_keeps_the_market_averages(contrast):
    """Only the spread between segments moves: the share-weighted mean of every profile factor is the
    one the profiles as written give (exactly, by the rescaling; price sensitivity up to its 0..1 clip), so a robustness hinge on the contrast
    is not a hidden change of the average customer."""
    from sim.core.population import segment_profiles
    for shares in ((0.35, 0.35, 0.30), (0.6, 0.2, 0.2)):
        m = load_scenario(BASE, {"market.segments.deal_seeker": shares[0], "market.segments.quality_seeker": shares[1],
                                 "market.segments.loyal_prone": shares[2]}).market
        w = np.array(shares)
        base = segment_profiles(m)
        moved = segment_profiles(m.model_copy(update={"segment_contrast": contrast}))
        keys = ("tolerance", "cycle", "spend", "lapse", "trust") + (("price_sens",) if contrast <= 1 else ())
        for k in keys:           # price sensitivity is clipped to 0..1: above 1 its mean moves a little
            assert w @ moved[k] == pytest.approx(w @ base[k], rel=1e-9), k
