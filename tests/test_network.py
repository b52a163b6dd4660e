"""The social network build (sim/mechanisms/network.py): the compiled int32 build gives exactly the
graph of the former sort-based NumPy build (same random numbers, same order), and the network is
built only when a referral mechanism can use it."""
import numpy as np
import pytest

import sim
from sim.core.scenario import load_scenario
from sim.mechanisms import network
from sim.mechanisms.network import MAX_STUBS, Network

BASE = "scenarios/baseline.yaml"


def sort_based_csr(n, ref, rng, taste=None):
    """The former build, kept here as the reference: both ends of every stub as int64 arrays, both
    directions as int64 keys src x n + dst, sorted and de-duplicated. (community, indptr, indices)."""
    cs = min(ref.community_size, n)
    n_comm = max(1, n // cs)
    h = ref.homophily if taste is not None else 0.0
    key = rng.standard_normal(n) * np.sqrt(1.0 - h * h) + (h * taste if h > 0 else 0.0)
    community = np.empty(n, dtype=np.int32)
    community[np.argsort(key, kind="stable")] = np.minimum(np.arange(n) // cs, n_comm - 1)
    members = np.argsort(community, kind="stable")
    counts = np.bincount(community, minlength=n_comm)
    start = np.concatenate([[0], np.cumsum(counts)[:-1]])
    a = ref.degree_tail - 1.0
    k_min = ref.mean_degree * (a - 1) / a if a > 1 else ref.mean_degree / 2
    stubs = k_min * (1 - rng.random(n)) ** (-1 / a) / 2
    stubs = np.minimum(np.floor(stubs + rng.random(n)), min(n - 1, MAX_STUBS)).astype(np.int64)
    first_rank = np.repeat(np.cumsum(stubs) - stubs, stubs)
    src = np.repeat(np.arange(n, dtype=np.int64), stubs)
    rank = np.arange(len(src)) - first_rank
    bridge = (rng.random(len(src)) < ref.bridge_share) | (rank >= max(1, cs // 2))
    c = community[src]
    local = members[start[c] + np.floor(rng.random(len(src)) * counts[c]).astype(np.int64)]
    dst = np.where(bridge, rng.integers(0, n, len(src)), local)
    keep = src != dst
    src, dst = src[keep], dst[keep]
    key = np.sort(np.concatenate([src * n + dst, dst * n + src]))
    key = key[np.r_[True, key[1:] != key[:-1]]]
    rows, cols = key // n, key % n
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))]).astype(np.int64)
    return community, indptr, cols.astype(np.int32)


CASES = [  # (people, referral overrides, with taste (homophily))
    (3, {}, False),
    (7, {"community_size": 3}, True),
    (2_000, {}, True),
    (3_000, {"bridge_share": 0.0}, False),
    (3_000, {"bridge_share": 1.0}, True),
    (5_000, {"community_size": 100_000}, True),                # one community: the market
    (20_000, {"degree_tail": 2.05, "mean_degree": 60.0}, True),  # many hubs at the stub cap
    (30_000, {"homophily": 0.0}, True),
    (4_000, {"homophily": 1.0}, "ties"),                       # keys tie (5 tastes): the stable order decides
]


@pytest.mark.parametrize("chunk", [network.CHUNK, 777])
@pytest.mark.parametrize("n,over,with_taste", CASES)
def test_compiled_build_gives_the_sort_based_graph(n, over, with_taste, chunk, monkeypatch):
    """Same seed, same graph: community, indptr and indices equal the former build's, and the
    generator is left in the same state. A chunk of 777 stubs splits people's stubs across chunks."""
    monkeypatch.setattr(network, "CHUNK", chunk)
    ref = load_scenario(None).referral.model_copy(update=over)
    taste = (np.random.default_rng(9).integers(0, 5, n).astype(float) if with_taste == "ties"
             else np.random.default_rng(9).standard_normal(n) if with_taste else None)
    old_rng, new_rng = np.random.default_rng(3), np.random.default_rng(3)
    community, indptr, indices = sort_based_csr(n, ref, old_rng, taste)
    net = Network(n, ref, new_rng, taste)
    assert len(indices) > 0
    assert np.array_equal(net.community, community)
    assert np.array_equal(net.indptr, indptr)
    assert net.indices.dtype == np.int32 and np.array_equal(net.indices, indices)
    assert np.array_equal(net.degree, np.diff(indptr))
    assert new_rng.bit_generator.state == old_rng.bit_generator.state


def test_build_differs_with_the_seed():
    """The comparison above can fail: another seed gives another graph."""
    ref = load_scenario(None).referral
    _, _, indices = sort_based_csr(2_000, ref, np.random.default_rng(4))
    assert not np.array_equal(Network(2_000, ref, np.random.default_rng(3)).indices, indices)


def test_a_market_of_one_has_no_contacts():
    """(The former build failed on a graph without edges.)"""
    net = Network(1, load_scenario(None).referral, np.random.default_rng(0))
    assert len(net.indices) == 0 and net.indptr.tolist() == [0, 0] and net.degree.tolist() == [0]


@pytest.mark.parametrize("over,built", [
    ({"referral.invites_per_year": 0, "referral.incentive_rmb": 50}, False),   # a reward, but nobody invites
    ({}, True),                                                                  # baseline: organic referral
    ({"referral.invites_per_year": 0, "referral.unlock_invites": 3}, True),
    ({"referral.invites_per_year": 0, "referral.seed_koc": "degree", "referral.koc_count": 5}, True),
])
def test_network_is_built_only_when_someone_can_invite(over, built, monkeypatch):
    calls = []
    built_for = network.built_for

    def counting_network(*args, **kw):
        calls.append(args[0])
        return built_for(*args, **kw)
    monkeypatch.setattr(network, "built_for", counting_network)
    sc = sim.load_scenario(BASE, {"market.users": 5_000, "market.agents": 5_000, "horizon_days": 365, **over})
    res = sim.run(sc, seed=0)
    assert calls == ([5_000] if built else [])
    if built:
        assert res.summary["referred_users"] > 0


def test_a_run_that_would_build_the_same_network_again_reuses_it_and_nothing_changes(monkeypatch):
    """built_for keeps recent networks by everything a build reads (people, referral settings, the seed's network
    stream, value propensities under homophily): the same run twice gives the same object and bit-identical
    results (the first run's network is read-only); another seed, another community size or other tastes
    build another; the kept networks stay under KEPT_MB, least recently used dropped first."""
    network._kept.clear()
    sc = sim.load_scenario(BASE, {"market.users": 4_000, "market.agents": 4_000, "horizon_days": 120})
    a, b = sim.run(sc, seed=5), sim.run(sc, seed=5)
    net = a._model.referral.net
    assert b._model.referral.net is net and not net.indices.flags.writeable
    assert a.daily.equals(b.daily) and a.users.equals(b.users)
    network._kept.clear()
    fresh = sim.run(sc, seed=5)                                   # built anew: the same numbers
    assert fresh._model.referral.net is not net and fresh.daily.equals(a.daily)
    assert np.array_equal(fresh._model.referral.net.indices, net.indices)
    other_seed = sim.run(sc, seed=6)._model.referral.net
    other_size = sim.run(sc.with_overrides({"referral.community_size": 150}), seed=5)._model.referral.net
    assert len({id(x) for x in (fresh._model.referral.net, other_seed, other_size)}) == 3
    ref = load_scenario(None).referral
    taste = np.random.default_rng(1).standard_normal(3_000)
    st = sim.engine.model.Streams(5)
    kept = network.built_for(3_000, ref, st, taste)
    assert network.built_for(3_000, ref, st, taste.copy()) is kept
    assert network.built_for(3_000, ref, st, taste[::-1].copy()) is not kept                 # other tastes
    assert network.built_for(3_000, ref.model_copy(update={"homophily": 0.0}), st, taste) is not kept
    assert network.built_for(3_000, ref.model_copy(update={"network": "mixed"}), st, taste).mixed   # holds nothing:
    assert all(not x.mixed for x in network._kept.values())                                         # not kept
    monkeypatch.setattr(network, "KEPT_MB", 1)                     # ~170 KB a network: five or six kept
    streams = [sim.engine.model.Streams(s) for s in range(12)]
    first = network.built_for(3_000, ref, streams[0], taste)
    built = []
    for st in streams[1:]:
        built.append(network.built_for(3_000, ref, st, taste))
        assert network.built_for(3_000, ref, streams[0], taste) is first       # used again each time: kept
    kept = list(network._kept.values())
    assert 2 < len(kept) < 12 and sum(x.nbytes for x in kept) <= 2**20      # the bound holds, by dropping some
    assert built[0] not in kept and built[-1] in kept and first in kept    # the least recently used went first
