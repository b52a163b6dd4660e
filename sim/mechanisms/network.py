"""The social network over the market: clustered communities with a heavy-tailed degree, or fully mixed.

Reads referral.network, community_size, mean_degree, bridge_share, degree_tail, homophily,
and each person's value propensity (population.Users.taste).
Builds, reproducibly from the seed, an undirected graph in CSR form (indptr, indices)
and per-person degree and bridging scores (contacts in other communities).

Clustered: people are split into communities of `community_size` by homophily
(McPherson, Smith-Lovin & Cook 2001): they are ranked by
  key = homophily x taste + sqrt(1 - homophily^2) x noise      (noise ~ N(0, 1))
and consecutive ranks form a community, so contacts share the traits that make a
customer worth more (purchase rate, order value, staying power); homophily = 0 is a
random split. A satisfied member's contacts therefore tend to be good customers
too: the referral premium follows from who refers whom, not from a multiplier. Each
person draws a Pareto number of contact stubs (exponent `degree_tail`, scaled to
`mean_degree`); each stub links inside the community, or with chance
`bridge_share` to anyone in the market; a person's links inside are capped at a
half of the community, so high-degree people reach out and bridge many
communities (the structural holes of seed 001). Contacts are capped near WeChat's
5000-friend limit. Mixed: everyone can reach anyone;
no graph is stored and contacts are drawn uniformly.
"""
from __future__ import annotations

import numpy as np

MAX_STUBS = 2500   # half of WeChat's 5000-friend cap (seed 001): nobody has more than ~5000 contacts


class Network:
    def __init__(self, n: int, ref, rng: np.random.Generator, taste: np.ndarray | None = None):
        self.n = n
        self.mixed = ref.network == "mixed"
        self.mean_degree = ref.mean_degree
        if self.mixed:
            return
        cs = min(ref.community_size, n)
        n_comm = max(1, n // cs)
        h = ref.homophily if taste is not None else 0.0
        key = rng.standard_normal(n) * np.sqrt(1.0 - h * h) + (h * taste if h > 0 else 0.0)
        self.community = np.empty(n, dtype=np.int32)
        self.community[np.argsort(key, kind="stable")] = np.minimum(np.arange(n) // cs, n_comm - 1)
        members = np.argsort(self.community, kind="stable")
        counts = np.bincount(self.community, minlength=n_comm)
        start = np.concatenate([[0], np.cumsum(counts)[:-1]])
        a = ref.degree_tail - 1.0                        # Pareto shape of the degree
        k_min = ref.mean_degree * (a - 1) / a if a > 1 else ref.mean_degree / 2
        stubs = k_min * (1 - rng.random(n)) ** (-1 / a) / 2    # half the degree is emitted by each end
        stubs = np.minimum(np.floor(stubs + rng.random(n)), min(n - 1, MAX_STUBS)).astype(np.int64)
        # a stub links outside the community with chance bridge_share; a person's links inside are
        # capped at half the community, the rest reach out (hubs become bridges)
        first_rank = np.repeat(np.cumsum(stubs) - stubs, stubs)
        src = np.repeat(np.arange(n, dtype=np.int64), stubs)
        rank = np.arange(len(src)) - first_rank                  # k-th stub of its person
        bridge = (rng.random(len(src)) < ref.bridge_share) | (rank >= max(1, cs // 2))
        c = self.community[src]
        local = members[start[c] + np.floor(rng.random(len(src)) * counts[c]).astype(np.int64)]
        dst = np.where(bridge, rng.integers(0, n, len(src)), local)
        keep = src != dst
        src, dst = src[keep], dst[keep]
        key = np.sort(np.concatenate([src * n + dst, dst * n + src]))
        key = key[np.r_[True, key[1:] != key[:-1]]]           # drop duplicate edges (sort-based: fast)
        rows, cols = key // n, key % n
        self.indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))]).astype(np.int64)
        self.indices = cols.astype(np.int32)
        self.degree = np.diff(self.indptr).astype(np.int32)
        cross = self.community[rows] != self.community[cols]
        self.bridging = np.bincount(rows[cross], minlength=n).astype(np.int32)

    def contacts(self, senders: np.ndarray, u: np.ndarray, k: np.ndarray | None = None) -> np.ndarray:
        """One contact per sender, chosen with the uniforms `u`; -1 where a sender has none.
        `k` (the k-th invitation of that sender today) steps through the contact list from
        the drawn start, so one sender's invitations reach different contacts until all are used."""
        if self.mixed:
            return np.minimum((u * self.n).astype(np.int64), self.n - 1)
        deg = self.degree[senders]
        start = np.minimum((u * deg).astype(np.int64), np.maximum(deg - 1, 0))
        if k is not None:
            start = (start + k) % np.maximum(deg, 1)
        pick = self.indptr[senders] + start
        return np.where(deg > 0, self.indices[np.minimum(pick, len(self.indices) - 1)], -1)

    def degree_of(self, idx: np.ndarray) -> np.ndarray:
        """Contacts of each person in `idx` (the mean degree everywhere on the mixed network)."""
        return np.full(len(idx), self.mean_degree) if self.mixed else self.degree[idx].astype(np.float64)

    def scores(self, how: str) -> np.ndarray:
        """Contacts ('degree') or contacts in other communities ('bridging') per person."""
        if self.mixed:
            return np.zeros(self.n)
        return (self.degree if how == "degree" else self.bridging).astype(np.float64)
