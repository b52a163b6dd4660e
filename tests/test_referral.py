"""Referral and the social network (issue: organic vs incentivised fission, KOC, Bass check)."""
import numpy as np
import pytest

import sim
from sim.mechanisms.network import Network
from sim.core.scenario import load_scenario
from sim.lab.experiments import mean_interval
from sim.lab.validation import adoption_share, bass_F, bass_peak, bass_scenario, fit_bass

P, Q = 0.03, 0.38


@pytest.fixture(scope="module")
def bass_runs():
    return [adoption_share(sim.run(bass_scenario(P, Q, 20_000), seed=s)) for s in range(2)]


def test_adoption_follows_the_bass_curve(bass_runs):
    """Mixed network, N=20,000: the mean adoption curve of 2 seeds stays within 0.02 of the
    Bass curve at every day of 10 years (Fibich et al. 2023 report ~1/N convergence; the
    REFERENCES example at t=6 is 0.439 Bass vs 0.434 ABM), and at t = 6 years within 0.015."""
    F = np.mean(bass_runs, axis=0)
    t = np.arange(1, len(F) + 1) / 365
    assert np.max(np.abs(F - bass_F(t, P, Q))) < 0.02
    assert abs(F[6 * 365 - 1] - bass_F(6, P, Q)) < 0.015


def test_time_to_peak_within_10_percent(bass_runs):
    """The peak of a Bass curve is flat, so the argmax of noisy daily adoption is a poor
    estimator. Two robust ones: (a) fit p and q to the simulated curve and take
    ln(q/p)/(p+q); (b) the time the simulated share reaches F(t*) = 1/2 - p/(2q).
    Both within 10% of t* = 6.19 years."""
    F = np.mean(bass_runs, axis=0)
    t = np.arange(1, len(F) + 1) / 365
    t_star, F_star = bass_peak(P, Q)
    p_hat, q_hat = fit_bass(t, F)
    t_fit, _ = bass_peak(p_hat, q_hat)
    assert abs(t_fit - t_star) / t_star < 0.10, (p_hat, q_hat, t_fit, t_star)
    t_cross = t[np.argmax(F >= F_star)]
    assert abs(t_cross - t_star) / t_star < 0.10, (t_cross, t_star)


def test_clustered_network_diffuses_slower(bass_runs):
    """On the clustered network word of mouth hits already-adopted neighbours: slower than the
    mixed Bass curve (Fibich & Gibori 2010; REFERENCES: ring ABM 0.310 vs 0.434 at t=6)."""
    clustered = adoption_share(sim.run(bass_scenario(P, Q, 20_000, network="clustered"), seed=0))
    mixed = np.mean(bass_runs, axis=0)
    at6 = 6 * 365 - 1
    assert clustered[at6] < mixed[at6] - 0.03
    assert clustered[-1] <= mixed[-1] + 0.01


def test_network_shape():
    ref = load_scenario(None).referral
    net = Network(30_000, ref, np.random.default_rng(1))
    deg = net.degree
    assert abs(deg.mean() - ref.mean_degree) / ref.mean_degree < 0.25
    assert deg.max() > 8 * deg.mean()                               # heavy tail: hubs exist
    rows = np.repeat(np.arange(30_000), deg)
    assert not np.any(rows == net.indices)                          # no self-loops
    key = rows.astype(np.int64) * 30_000 + net.indices
    rev = net.indices.astype(np.int64) * 30_000 + rows
    assert np.array_equal(np.sort(key), np.sort(rev))               # undirected
    cross = net.community[rows] != net.community[net.indices]      # contact in another community
    assert ref.bridge_share < cross.mean() < 0.35                   # mostly within communities; hubs reach out
    assert deg.max() <= 5000                                        # WeChat's friend cap
    hubs = deg >= np.quantile(deg, 0.99)
    bridging = np.bincount(rows[cross], minlength=30_000)           # each person's contacts in other communities
    assert bridging[hubs].mean() > 5 * bridging[~hubs].mean()       # hubs bridge communities
    same = Network(30_000, ref, np.random.default_rng(1))
    assert np.array_equal(same.indices, net.indices)                # reproducible from the seed


@pytest.fixture(scope="module")
def referral_arms():
    """Organic referral vs fission, 16 paired seeds, one agent per person (100,000: ~600 referred
    agents a run; at the default 20,000 agents ~125, too few to compare their 180-day value)."""
    org = [sim.run("scenarios/organic_referral.yaml", seed=s, agents=100_000) for s in range(16)]
    fis = [sim.run("scenarios/fission_blitz.yaml", seed=s, agents=100_000) for s in range(16)]
    return org, fis


def _f(runs, key):
    return np.array([r.summary[key] for r in runs], dtype=float)


def test_fission_lifts_growth_and_referral_share(referral_arms):
    """In every seed: more new customers in the first 90 days, over 1.5x the referral share, a higher
    k-factor (24 paired seeds: +113 new customers, sd 14; share ratio 2.1, lowest 1.88; each at
    least 7.9 per-seed sd from its bound)."""
    org, fis = referral_arms
    early = lambda runs: np.array([r.daily.new_customers[:90].sum() for r in runs])  # noqa: E731
    assert (early(fis) > early(org)).all()
    assert (_f(fis, "referral_share") > 1.5 * _f(org, "referral_share")).all()
    assert (_f(fis, "k_factor") > _f(org, "k_factor")).all()


def test_fission_referred_users_are_worth_less(referral_arms):
    """Reward-driven invitations bring users who fit worse (a reward appeals to deal seekers, and
    unlock invitations come from new members rather than trusting ones): lower 180-day value and
    more deal seekers than organic referrals. Measured (16 paired seeds, 100,000 agents): 211 vs
    244 RMB, per-seed ratio -12.0%, 90% interval [-17.3%, -6.7%] (sd 12 points per seed: one seed in
    16 goes the other way; 24 seeds: -11.3% [-14.9%, -7.7%]); deal seekers +14 points of referred
    users (24 seeds, sd 2 per seed). Asserted: the 90% interval of the paired ratio lies below 0. (On
    the former 6 seeds, "below 0 by 2 SE" was expected at 2.7 SE: 0.7 SE from failing.)"""
    org, fis = referral_arms
    ratio = _f(fis, "ltv180_referred") / _f(org, "ltv180_referred") - 1
    assert mean_interval(ratio)["hi"] < 0, ratio
    deal = lambda runs: np.mean([(r.users[r.users.channel == "referral"].segment == "deal_seeker").mean()  # noqa: E731
                                 for r in runs])
    assert deal(fis) > deal(org) + 0.05
    assert sum(r.daily.incentives.sum() for r in fis) > 0 == sum(r.daily.incentives.sum() for r in org)


def test_koc_seeding_by_degree_beats_random():
    """50 KOCs recruited by contacts bring more referred users than 50 recruited at random
    (every one of 4 seeds)."""
    over = {"referral.koc_count": 50, "referral.invites_per_year": 0.5}
    deg = [sim.run(load_scenario("scenarios/baseline.yaml", {**over, "referral.seed_koc": "degree"}), seed=s)
           for s in range(4)]
    rnd = [sim.run(load_scenario("scenarios/baseline.yaml", {**over, "referral.seed_koc": "random"}), seed=s)
           for s in range(4)]
    assert all(d.summary["referred_users"] > r.summary["referred_users"] for d, r in zip(deg, rnd))


def test_invitation_pass_converts_once_and_tires_contacts_by_what_they_received():
    """The compiled invitation pass (referral._invite) on a star: 300 people whose only contact is
    person 0 each send one reward-driven invitation. Person 0 converts once, to the first inviter;
    each sender pays the spam trust cost once; person 0 has then received 300 invitations, and a second
    round reads the fatigue of those 300 ((1/2)^300: no conversion), not of none."""
    from sim.mechanisms.referral import _invite
    n = 301
    indptr = np.r_[0, np.arange(301)].astype(np.int64)         # person i >= 1: one contact, person 0
    degree, indices = np.diff(indptr).astype(np.int32), np.zeros(300, dtype=np.int32)
    state, acquired = np.zeros(n, dtype=np.int8), np.zeros(n, dtype=bool)
    spam, invites, referrals = (np.zeros(n, dtype=np.int32) for _ in range(3))
    annoyance, trust = np.zeros(n, dtype=np.float32), np.full(n, 0.5, dtype=np.float32)
    senders = np.arange(1, n)

    def round_():
        return _invite(senders, 12345, 67890, np.zeros(0), 1.0, 1.0, np.float32(1.0), np.ones(n, np.float32),
                       np.float32(1.0), 0.5 ** np.arange(400), np.float32(0.1), 0.01, False, n, degree, indptr,
                       indices, state, acquired, spam, annoyance, trust, invites, referrals)

    t, s, most = round_()
    assert list(t) == [0] and list(s) == [1] and referrals[1] == 1 and referrals.sum() == 1
    assert spam[0] == 300 and most == 300 and annoyance[0] == 0.0          # person 0 is not in the pool
    assert np.all(trust[1:] == np.float32(0.5 - 0.01)) and np.all(invites[1:] == 1)
    t, s, most = round_()
    assert len(t) == 0 and spam[0] == 600 and most == 600
