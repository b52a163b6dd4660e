"""Mechanisms with the limits reality gives them, deciding from what a brand can observe (issue 11).

Each test checks what a mechanism DOES: a rule's decision under controlled inputs, or an
effect over paired seeds (common random numbers: seed s of every arm shares its
randomness). Margins are stated per test. Runs are small (10,000 people) unless a
figure needs more.
"""
import numpy as np
import pytest

import sim
from sim.core.errors import ScenarioError
from sim.core.population import PAID_CHANNELS, POOL
from sim.engine.model import PoolModel
from sim.lab.experiments import mean_interval
from sim.mechanisms import messaging, offers
from sim.mechanisms.network import Network
from sim.mechanisms.purchases import stall_share

BASE = "scenarios/baseline.yaml"
SMALL = {"market.users": 10_000}


def runs(overrides, seeds=range(3), path=BASE, days=None):
    sc = sim.load_scenario(path, {**SMALL, **overrides})
    return [sim.run(sc, days=days, seed=s) for s in seeds]


def fig(rs, key):
    return np.array([r.summary[key] for r in rs], dtype=float)


# Friend requests accepted as often as the defaults had them before issue 23 (0.45 / 0.15 against 0.2 /
# 0.05 now): about twice the pool members, for tests of what messages do to members, whose effects the
# evidence-based defaults dilute below these tests' power at 10,000 people (at the defaults, 14 messages a
# week against 4 with no-disturb measured -0.9 RMB of LTV on 75, one seed of three the other way).
BIG_POOL = {"pool.accept_buyer_personal": 0.45, "pool.accept_nonbuyer_personal": 0.15}


def warm_model(overrides=None, days=120):
    """A baseline model with BIG_POOL stepped `days` days, so that it has pool members (~590 of 10,000
    people at 120 days: acquisition saturates, so a young pool is small)."""
    model = PoolModel(sim.load_scenario(BASE, {**SMALL, **BIG_POOL, **(overrides or {})}), seed=3)
    for _ in range(days):
        model.step()
    return model


# ----------------------------------------------------------------- no-disturb from observables

def test_no_disturb_reads_what_staff_see_not_hidden_annoyance():
    """No-disturb rests members by unanswered messages, not by their (hidden) annoyance:
    a furious member who has answered is messaged; a calm one with 3 unanswered messages last
    messaged yesterday rests; one last messaged 14+ days ago gets a new try."""
    m = warm_model({"messaging.no_disturb": True, "messaging.per_week": 7})
    users, day = m.users, m.day
    pool = np.flatnonzero((users.state == POOL) & ~users.muted)[:300]
    furious, resting, retry = pool[:100], pool[100:200], pool[200:]
    users.annoyance[furious] = 50 * users.tolerance[furious]
    users.unanswered[furious] = 0
    users.annoyance[resting] = 0.0
    users.unanswered[resting] = 3
    users.last_msg_day[resting] = day - 1
    users.unanswered[retry] = 3
    users.last_msg_day[retry] = day - 14
    messaging.send(m, day, pool)
    assert (users.last_msg_day[furious] == day).all()      # 7 a week: one message a day each
    assert (users.last_msg_day[resting] == day - 1).all()
    assert (users.last_msg_day[retry] == day).all()


def test_replies_fall_with_annoyance():
    """Staff see fewer replies from annoyed members: reply share of calm vs annoyed members."""
    m = warm_model()
    m.sc = m.sc.with_overrides({"messaging.per_week": 7})        # one message each today
    users, day = m.users, m.day
    pool = np.flatnonzero((users.state == POOL) & ~users.muted)
    calm, cross = pool[: len(pool) // 2], pool[len(pool) // 2:]
    assert len(cross) > 200
    users.annoyance[calm] = 0.0
    users.annoyance[cross] = 0.9 * users.tolerance[cross]
    users.unanswered[pool] = 0
    messaging.send(m, day, pool)
    replied = lambda idx: (users.last_response_day[idx] == day).mean()  # noqa: E731
    assert replied(calm) > 3 * replied(cross) and replied(calm) > 0.15


@pytest.fixture(scope="module")
def frequency_with_no_disturb():
    return {w: runs({"messaging.per_week": w, "messaging.no_disturb": True, **BIG_POOL}) for w in (4, 14)}


def test_no_disturb_does_not_make_any_frequency_free(frequency_with_no_disturb):
    """With no-disturb on, 14 messages a week still lose far more members to annoyance than 4 (every
    seed): the rule limits damage, it does not abolish it. What that costs in LTV is no longer asserted:
    with the pool's lift at the evidence's +30% (issue 23) a member lost is worth little more than a
    public-side customer, and 14 against 4 measured -0.3 RMB of LTV on 83 (BIG_POOL, 3 seeds, one of them
    +1.1); it lost LTV in every seed while the lift was 1.857."""
    r4, r14 = frequency_with_no_disturb[4], frequency_with_no_disturb[14]
    assert (fig(r14, "lost_annoyed") > 3 * fig(r4, "lost_annoyed")).all()


def test_no_disturb_protects_a_heavy_sender():
    """At 14 a week, no-disturb loses far fewer members to annoyance and keeps more LTV."""
    off = runs({"messaging.per_week": 14, "messaging.no_disturb": False})
    on = runs({"messaging.per_week": 14, "messaging.no_disturb": True})
    assert (fig(on, "lost_annoyed") < 0.8 * fig(off, "lost_annoyed")).all()
    assert (fig(on, "ltv") > fig(off, "ltv")).all()


# ----------------------------------------------------------------- referral limits

def test_rewards_raise_invitations_with_diminishing_returns():
    """Invitations per acquired user rise with the reward, each step less, and never beyond
    (1 + incentive_max_lift) x the organic rate (one seed; the figures are counts of thousands)."""
    inv = {x: runs({"referral.incentive_rmb": x}, seeds=[0])[0].daily.invitations.sum() for x in (0, 20, 100, 1000)}
    gains = [inv[20] - inv[0], inv[100] - inv[20], inv[1000] - inv[100]]
    assert inv[0] < inv[20] < inv[100] < inv[1000]
    assert gains[0] > gains[1] and gains[0] > gains[2]
    assert inv[1000] < 3.0 * inv[0] * 1.15        # max lift 2 (+15% for more members who invite)


def test_spammy_invitations_cost_the_inviter_trust_and_annoy_the_invited():
    """A reward-driven invitation costs its sender trust and annoys an invited pool member;
    its conversion falls with each earlier one the contact received."""
    m = warm_model({"referral.incentive_rmb": 50})
    users, ref = m.users, m.referral
    pool = np.flatnonzero(users.state == POOL)
    sender = pool[:200]
    users.trust[sender] = 0.5
    before = users.annoyance.copy()
    in_pool = users.state == POOL
    received = users.spam_received.copy()
    ref.send(np.repeat(sender, 3), m.day, 1.0, ("invite_target", "invite_convert"))
    assert np.allclose(users.trust[sender], 0.5 - 3 * m.sc.referral.spam_trust_cost)
    got = users.spam_received - received
    assert got.sum() == 600 - (ref.net.degree[sender] == 0).sum() * 3      # a clustered network (the default)
    hit_pool = (got > 0) & in_pool
    assert hit_pool.sum() > 20
    assert (users.annoyance[hit_pool] > before[hit_pool]).all()
    # organic invitations cost nothing
    users.trust[sender] = 0.5
    ref.send(np.repeat(sender, 3), m.day, 0.0, ("invite_target", "invite_convert"))
    assert np.allclose(users.trust[sender], 0.5)


def test_spam_fatigue_cuts_repeated_invitations():
    """Conversions of reward-driven invitations to the same contacts fall as contacts tire:
    fission with spam_fatigue 0.3 brings fewer referred users than with none (every seed)."""
    over = {"referral.unlock_invites": 10, "referral.unlock_take_up": 0.6}
    tired = runs(over)
    fresh = runs({**over, "referral.spam_fatigue": 0.0})
    assert (fig(tired, "referred_users") < fig(fresh, "referred_users")).all()


def test_invite_to_unlock_saturates_a_members_contacts():
    """50 invitations per member bring far less than 5x what 10 bring (a member has ~12 contacts),
    and never the whole market."""
    ten = fig(runs({"referral.unlock_invites": 10}, seeds=[0, 1]), "referred_users")
    fifty = fig(runs({"referral.unlock_invites": 50}, seeds=[0, 1]), "referred_users")
    assert (fifty < 1.6 * ten).all()
    assert (fifty < 0.2 * SMALL["market.users"]).all()


def test_unlock_invitations_go_to_different_contacts():
    m = warm_model({"referral.unlock_invites": 5, "referral.unlock_take_up": 1.0})
    net = m.referral.net
    senders = np.flatnonzero(net.degree >= 5)[:100]
    k = np.tile(np.arange(5), len(senders))
    s = np.repeat(senders, 5)
    u = np.repeat(np.linspace(0.01, 0.99, len(senders)), 5)
    t = net.contacts(s, u, k).reshape(len(senders), 5)
    assert all(len(set(row)) == 5 for row in t)


def test_koc_fee_buys_reach_not_trust():
    """Recruited KOCs keep the trust they had (0 for newcomers), yet their posts reach their whole
    network: 40 KOCs bring more referred users than none (3 paired seeds, each). Their fee is a
    cost line only (accounting: profit falls by koc_count x fee)."""
    over = {"referral.seed_koc": "degree", "referral.koc_count": 40, "referral.koc_fee_rmb": 300}
    kocs = runs(over, seeds=range(3))
    none = runs({**over, "referral.koc_count": 0}, seeds=range(3))
    assert (fig(kocs, "referred_users") > fig(none, "referred_users")).all()
    m = PoolModel(sim.load_scenario(BASE, {**SMALL, **over}), seed=0)
    m.step()
    koc = np.flatnonzero(m.users.koc)
    assert len(koc) == 40 and m.users.trust[koc].max() < 0.2
    assert m.ledger.today["incentives"] == pytest.approx(40 * 300)


# ----------------------------------------------------------------- homophily and the referral premium

def test_network_contacts_share_traits_with_homophily():
    sc = sim.load_scenario(BASE, SMALL)
    m = PoolModel(sc, seed=1)
    taste = m.users.taste()

    def contact_corr(h):
        net = Network(m.users.n, sc.referral.model_copy(update={"homophily": h}), np.random.default_rng(1), taste)
        rows = np.repeat(np.arange(m.users.n), net.degree)
        return np.corrcoef(taste[rows], taste[net.indices])[0, 1]
    assert contact_corr(0.6) > 0.2
    assert abs(contact_corr(0.0)) < 0.05


# Referred users join later than paid ones (mean acquisition day ~124 vs ~89). Organic and
# referred newcomers have their own first-order and return rates and ticket response (acquisition.organic_*,
# referral.first_order_prob), set apart from the paid platforms'; that gap is an input, not a
# referral effect (measured before this test was written: +8 points of premium at homophily 0),
# so the premium tests hold every channel's first-order and return rates and ticket response equal. Value is the
# contribution margin (ledger.py: fixed staff cost is not spread per head, which used to add
# ~17 points for users who join a bigger pool). Market = agents (scale 1). Satisfied members invite 30 times
# a year instead of organic_referral's 6: at issue 23's defaults (fewer, less trusting members) 6 a year
# referred ~48 agents a run, too few to measure a premium (SE 3.3 points on 40 seeds); 30 gives ~220. How
# often members invite does not change who a contact is, so it cannot make a premium.
EQUAL_CHANNELS = {
    **{f"acquisition.{c}.{k}": v for c in ("douyin", "xiaohongshu", "ecommerce")
       for k, v in (("first_order_prob", 0.6), ("return_rate", 0.12), ("ticket_elasticity", 0.0))},
    "acquisition.organic_first_order_prob": 0.6, "acquisition.organic_return_rate": 0.12,
    "acquisition.organic_ticket_elasticity": 0.0,
    "referral.first_order_prob": 0.6, "referral.invites_per_year": 30,
    "market.users": 20_000, "market.agents": 20_000,
}
PREMIUM_SEEDS = range(40)
HOMOPHILY = sim.Scenario().referral.homophily   # the default


@pytest.fixture(scope="module")
def premium_runs():
    """Organic referral with the default homophily and 0, channels equal, 40 paired seeds x 20,000 people (~50 s)."""
    out = {}
    for h in (HOMOPHILY, 0.0):
        sc = sim.load_scenario("scenarios/organic_referral.yaml", {**EQUAL_CHANNELS, "referral.homophily": h})
        out[h] = premium(sim.run(sc, seed=s) for s in PREMIUM_SEEDS)
    return out


WINDOW = 20   # days: referred users are compared with paid users acquired in the same window


def premium(rs):
    """Per run: referred users' 180-day value over that of paid users acquired in the same 20-day windows,
    weighted as the referred are, - 1. Referred users arrive later (mean day ~110 against ~87) and later
    arrivals are worth more whatever their channel (a paid user of day 100-120 more than one of day
    0-20): the raw ratio (summary ltv180_referred / ltv180_paid) carried +4.6 points of that timing at
    homophily 0 (12 seeds: +2.0% raw, -2.6% matched). Schmitt et al. (2011) compare customers acquired
    in the same period, as this does."""
    out = []
    for r in rs:
        u = r.users[r.users["value_180d"].notna()]
        window = u["acquired_day"] // WINDOW
        paid = u[u["channel"].isin(PAID_CHANNELS)].groupby(window)["value_180d"].mean()
        ref = u[u["channel"] == "referral"]
        like = paid.reindex(window[ref.index]).to_numpy()
        out.append(ref["value_180d"].mean() / np.nanmean(like) - 1)
    return np.array(out)


def mean_se(x):
    return x.mean(), x.std(ddof=1) / np.sqrt(len(x))


def test_organic_referral_premium_matches_the_literature(premium_runs):
    """Organically referred customers' 180-day value over paid ones' acquired in the same weeks: published
    +16-25% (Schmitt et al. 2011; Van den Bulte et al. 2018). A calibration guard, not a check: the default
    homophily was set to reach this band (schema: referral.homophily), so the test keeps the calibration in place
    when the engine changes; the evidence that homophily carries the premium is the ablation below. Measured with channel inputs equal
    (EQUAL_CHANNELS) at the default homophily 0.8, 40 seeds: mean +18.3% (SE 1.6 points; +24.0%, SE 1.7,
    without matching the acquisition day, see premium). The band allows 2 SE either side of the published
    one (here about +13% to +28%), so it tells the default from no premium, not finely from a nearby default."""
    p, se = mean_se(premium_runs[HOMOPHILY])
    assert 0.16 - 2 * se < p < 0.25 + 2 * se, (p, se)


def test_referral_premium_is_carried_by_homophily(premium_runs):
    """Ablation with channel inputs equal (EQUAL_CHANNELS), 40 paired seeds: without homophily the premium
    vanishes (measured +1.4%, SE 1.4; asserted below +8%, half the published lowest premium, with its
    one-sided 95% upper bound, 1.64 SE, so more noise cannot make it pass; without matching the acquisition
    day it was +6.3%, SE 1.5: the referred arrive later, see premium) and the default homophily raises it
    (measured +16.9 points, SE 2.2: above 0 by more than 2 SE of the paired difference; +7.6% at 0.6)."""
    p0, se0 = mean_se(premium_runs[0.0])
    assert abs(p0) + 1.64 * se0 < 0.08, (p0, se0)
    d, se_d = mean_se(premium_runs[HOMOPHILY] - premium_runs[0.0])
    assert d > 2 * se_d, (d, se_d)


# ----------------------------------------------------------------- groups age, at least 3 members

def test_groups_go_quiet_unless_revived():
    """After paid acquisition stops (day 60), most groups are quiet within about two months; member
    days every 30 days keep them lively. The lively share 5 days after the stop is near its bound
    in single runs (24 seeds: mean 0.917, sd 0.027 per seed; 13 of 24 seeds alone fall below 0.9,
    seed 0 not among them), so it is asserted on the 90% interval of its mean over 24 seeds
    (measured [0.907, 0.926]; [0.913, 0.933] once events wear and need members who are not fed up); on
    day 180, the day after a member day, every seed is far from its bound (quiet: 0.13, sd 0.02, bound 0.3;
    revived: 0.91-1.0 over seeds 0-3, bound 0.8: a member day revives a group by revive_per_event x its
    wear x the members' mood, ~0.65 here, so the revival is smaller than the 1.0 it gave before). With
    BIG_POOL: at issue 23's acceptance groups fill more slowly and the share at day 65 fell to 0.894 [lo of
    the interval]; the test is of how groups age, not of how fast they fill."""
    over = {"groups.size": 20, "acquisition.stop_day": 60, **BIG_POOL}
    quiet = [r.daily for r in runs(over, seeds=range(24), days=200)]
    lively = runs({**over, "service.member_day_every_days": 30}, seeds=[0], days=200)[0].daily
    share = lambda d, t: d.lively_groups[t] / d.groups[t]  # noqa: E731
    assert mean_interval([share(d, 65) for d in quiet])["lo"] > 0.9
    assert all(share(d, 180) < 0.3 for d in quiet)
    assert share(lively, 180) > 0.8


def test_koc_groups_fade_slower():
    """Groups with a lead member stay lively longer: lively group-days after acquisition stops."""
    over = {"groups.size": 20, "acquisition.stop_day": 60}
    koc = runs({**over, "groups.koc_share": 1.0}, seeds=[0], days=200)[0].daily
    none = runs(over, seeds=[0], days=200)[0].daily
    assert koc.lively_groups[60:].sum() > 1.3 * none.lively_groups[60:].sum()


def test_a_group_needs_three_members():
    for size in (1, 2):
        with pytest.raises(ScenarioError, match="at least 3"):
            sim.load_scenario(BASE, {"groups.size": size})
    m = warm_model({"groups.size": 3})
    users = m.users
    pool = np.flatnonzero(users.state == POOL)
    gid = users.group[pool]
    counts = np.bincount(gid[gid >= 0])
    small = np.flatnonzero((counts > 0) & (counts < 3))
    m.groups.daily(m.day, pool)
    in_small = pool[np.isin(users.group[pool], small)]
    assert len(in_small) > 0
    assert np.all(m.groups.attention[in_small] == 0.0)      # treated as not in a group: no group posts


# ----------------------------------------------------------------- member days wear off

def test_member_day_wear_off():
    s = sim.load_scenario(BASE).service
    wear = {e: offers.member_day_wear(s.model_copy(update={"member_day_every_days": e})) for e in (1, 7, 30)}
    assert wear[1] < 0.1 < wear[7] < 0.5 < wear[30] < 1.0


def test_a_member_day_every_day_loses_money():
    """Member days wear off and each one is announced (a promotion, which annoys): monthly ones beat weekly
    ones and daily ones lose money against none, in every paired seed. Measured (10,000 people, seeds 0-7,
    profit -629k RMB without member days): monthly -1.1k (SE 1.1k), weekly -56k (SE 5.9k), daily -436k
    (SE 17k); people lost to annoyance ~70 / ~118 / ~324 / ~1,000. Before member days were announced
    (a notice is one more promotion) monthly ones added +4.4k in seed 0."""
    base = runs({})
    monthly = runs({"service.member_day_every_days": 30})
    weekly = runs({"service.member_day_every_days": 7})
    daily = runs({"service.member_day_every_days": 1})
    assert (fig(monthly, "profit") > fig(weekly, "profit")).all()
    assert (fig(daily, "profit") < fig(base, "profit")).all()
    assert (fig(monthly, "lost_annoyed") < fig(weekly, "lost_annoyed")).all()


# ----------------------------------------------------------------- revenue at the price paid

def test_revenue_is_booked_at_the_price_paid():
    """A permanent 90% discount: revenue plus the discounts given is the list-price value of the kept
    orders (revenue is at the price paid), the discounts are most of the pool's orders' list value (every
    day is an event: 0.9 x the pool's orders at the mean order value, less the muted who do not see the
    coupon; measured 0.81 of it), and profit is revenue minus the cost lines, the discount memo not among
    them (it is not taken off twice). Pool orders are ~11% of all orders here (issue 23's acceptance), so
    the discounts are ~8% of list-price sales (15k of 193k RMB; 65k of 209k before)."""
    from sim.core.ledger import COST_LINES
    r = runs({"offers.discount_depth": 0.9, "offers.discount_every_days": 1, "offers.discount_days": 1},
             seeds=[0], days=120)[0]
    d = r.daily
    list_sales = r.users.spend.sum() * r.scale
    assert d.revenue.sum() + d.discounts.sum() == pytest.approx(list_sales, rel=1e-4)
    pool_list_value = d.pool_orders.sum() * r.scale * list_sales / (d.orders.sum() * r.scale)
    assert d.discounts.sum() > 0.5 * 0.9 * pool_list_value
    assert d.profit.sum() == pytest.approx(d.revenue.sum() - d[list(COST_LINES)].sum().sum(), rel=1e-9)
    assert r.summary["profit"] < 0


# ----------------------------------------------------------------- service

def test_stall_share_rises_with_the_ticket():
    s = stall_share(np.array([39, 120, 300, 3000, 15000]), 1500.0)
    assert np.all(np.diff(s) > 0) and s[1] < 0.01 and s[-1] > 0.98


def test_stalled_high_ticket_purchases_still_happen_without_the_brand():
    """At a 15,000 RMB ticket 99% of would-be repeat orders stall on a question; without service a
    share self_close (0.3) of them still goes ahead (the buyer finds the answer alone), so repeat
    orders are ~0.31 of the unstalled ones (fewer orders then build less trust: measured 0.24, seed 0);
    with self_close 0 nearly none are left (measured 0.009). Repeat orders only: acquisition stops on
    day 30 and there is no organic discovery or referral. The band 0.15-0.45 is the order of
    magnitude (one seed, and the trust feedback is not computed here): it excludes both the old rule
    (~0.01) and no stall at all (1), which is what the test is for."""
    over = {"market.price_rmb": 15_000, "acquisition.stop_day": 30, "market.organic_discovery_per_year": 0,
            "market.organic_per_customer_per_year": 0, "referral.invites_per_year": 0}
    repeat = lambda extra: runs({**over, **extra}, seeds=[0])[0].daily.orders[40:].sum()  # noqa: E731
    unstalled = repeat({"service.consider_half_rmb": 1e7})
    assert 0.15 < repeat({}) / unstalled < 0.45
    assert repeat({"service.self_close": 0.0}) / unstalled < 0.03


def test_after_sales_follow_ups_prevent_returns():
    """With one-to-one service a smaller share of orders comes back (womenswear case, 3 paired seeds): by what the
    follow-ups can save, follow-ups x return rate x save_return_share / orders (measured: 0.0132-0.0141 against
    0.0135-0.0142 expected; the paired seeds keep the returns' own noise well below that), within 30%."""
    path = "scenarios/cases/douyin_womenswear.yaml"
    sc = sim.load_scenario(path)
    drops, expected = [], []
    for seed in range(3):
        on = runs({}, seeds=[seed], path=path, days=150)[0].daily
        off = runs({"service.one_to_one_hours_per_day": 0}, seeds=[seed], path=path, days=150)[0].daily
        assert on.follow_ups.sum() > 0 == off.follow_ups.sum()
        drops.append(off.returned_orders.sum() / off.orders.sum() - on.returned_orders.sum() / on.orders.sum())
        expected.append(on.follow_ups.sum() * sc.economics.pool_return_rate * sc.service.save_return_share / on.orders.sum())
    assert 0.7 * np.mean(expected) < np.mean(drops) < 1.3 * np.mean(expected), (drops, expected)


def test_care_targets_from_observables_not_hidden_annoyance():
    """Tiered care picks the same members whatever their hidden annoyance."""
    over = {"service.one_to_one_hours_per_day": 2}
    a = warm_model(over)
    b = warm_model(over)
    pool = np.flatnonzero(a.users.state == POOL)
    b.users.annoyance[pool] = np.random.default_rng(0).random(len(pool)) * 20
    for m in (a, b):
        m.service.asked = 0              # no reactive work held back: today's sessions all go to care
        m.service.daily(m.day, pool)
    served = np.flatnonzero(a.users.last_served == a.day)
    assert 0 < len(served) < len(pool)   # care chose some members among many
    assert np.array_equal(a.users.last_served, b.users.last_served)


def test_user_value_is_contribution_minus_the_sessions_spent_on_them():
    """Per-user value (LTV) is order contribution minus the one-to-one sessions spent on the user
    (ledger.py): summed over users at a zero discount rate it equals revenue - cogs - returns - gifts
    - sessions x session cost, to rounding; fixed costs (salaries, the idle part of the paid shift)
    are not in it. Without the sessions term the sum is off by far more than rounding, so the check
    would catch a session that was not charged."""
    sc = sim.load_scenario(BASE, {**SMALL, "service.one_to_one_hours_per_day": 6, "economics.discount_rate_annual": 0.0})
    r = sim.run(sc, seed=1)
    d, s = r.daily, sc.service
    sessions = d.service_sessions.sum() * s.hourly_cost_rmb * s.minutes_per_session / 60
    orders = d.revenue.sum() - d.cogs.sum() - d.returns.sum() - d.gifts.sum()
    value = r.users["value"].sum() * r.scale
    assert value == pytest.approx(orders - sessions, rel=1e-6)
    assert abs(value - orders) > 100 * 1e-6 * abs(value)          # the sessions term is not negligible
