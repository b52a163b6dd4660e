"""The social network over the market: clustered communities with a heavy-tailed degree, or fully mixed.

Reads referral.network, community_size, mean_degree, bridge_share, degree_tail, homophily,
and each person's value propensity (population.Users.taste).
Builds, reproducibly from the seed, an undirected graph in CSR form (indptr, int32 indices,
each person's contacts sorted) and per-person degree.

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

import hashlib
from collections import OrderedDict

import numpy as np
from numba import njit

MAX_STUBS = 2500   # half of WeChat's 5000-friend cap (seed 001): nobody has more than ~5000 contacts
CHUNK = 1 << 18    # contact stubs whose random numbers are drawn at a time (3 x 2 MB)
KEPT_MB = 64       # recent networks a process keeps for runs that would build them again (`built_for`)


@njit(cache=True, inline="always")
def contacts_of(i, mixed, mean_degree, degree):
    """How many contacts person `i` has (float64): their degree, or the mean degree everywhere on the mixed network."""
    return mean_degree if mixed else np.float64(degree[i])


@njit(cache=True, inline="always")
def contact(s, u, k, mixed, n, degree, indptr, indices):
    """The contact sender `s` reaches with uniform `u` on its k-th invitation today: a random start in
    its contact list, stepped on by k (anyone, on the mixed network); -1 when it has no contacts."""
    if mixed:
        return min(np.int64(u * n), n - 1)
    deg = np.int64(degree[s])
    if deg <= 0:
        return np.int64(-1)
    start = (min(np.int64(u * deg), deg - 1) + k) % deg
    return np.int64(indices[min(indptr[s] + start, indices.shape[0] - 1)])


@njit(cache=True)
def _contacts(senders, u, k, mixed, n, degree, indptr, indices):
    out = np.empty(senders.shape[0], np.int64)
    for j in range(senders.shape[0]):
        out[j] = contact(senders[j], u[j], k[j], mixed, n, degree, indptr, indices)
    return out


_kept: OrderedDict = OrderedDict()     # recent networks by what they are built from, most recent last


def built_for(n: int, ref, streams, taste: np.ndarray | None = None) -> "Network":
    """The network of a run with `n` people, referral settings `ref`, random streams `streams` (its "network"
    stream) and value propensities `taste`: a recent run's when all of these are the same (a slider moved
    on a strategy lever, the levers of an explanation, one world's two strategies), else built and kept.
    A network is read-only and depends on nothing else (`_inputs`), so a kept one is the one a build would give,
    bit for bit. Networks are kept up to KEPT_MB in all, the least recently used dropped first; a mixed network
    holds nothing and is not kept."""
    inputs = _inputs(ref, taste)
    if inputs[0] == "mixed":
        return Network(n, ref, streams.generator("network"), taste)
    key = (n, inputs, streams.root("network"),
           hashlib.blake2b(np.ascontiguousarray(taste).tobytes(), digest_size=16).digest() if inputs[3] > 0 else None)
    net = _kept.pop(key, None)
    if net is None:
        net = Network(n, ref, streams.generator("network"), taste)
    _kept[key] = net
    while len(_kept) > 1 and sum(x.nbytes for x in _kept.values()) > KEPT_MB * 2**20:
        _kept.popitem(last=False)
    return net


def _inputs(ref, taste: np.ndarray | None) -> tuple:
    """What a build reads of the referral settings: (kind, community size, mean degree, homophily in effect (0
    without tastes), degree tail, bridge share); with the people, the generator and the tastes, all it depends on."""
    return (ref.network, ref.community_size, ref.mean_degree, ref.homophily if taste is not None else 0.0,
            ref.degree_tail, ref.bridge_share)


def _read_only(*arrays: np.ndarray) -> tuple:
    """`arrays`, made read-only (shared: by the runs a network is kept for, or by every mixed network)."""
    for a in arrays:
        a.flags.writeable = False
    return arrays


_NO_ROWS = _read_only(np.zeros(0, np.int32), np.zeros(1, np.int64), np.zeros(0, np.int32))   # a mixed network's


class Network:
    def __init__(self, n: int, ref, rng: np.random.Generator, taste: np.ndarray | None = None):
        """`rng` must be able to jump ahead (PCG64, what np.random.default_rng and Streams.generator give)."""
        kind, size, mean_degree, h, tail, bridge = _inputs(ref, taste)
        self.n = n
        self.mixed = kind == "mixed"
        self.mean_degree = mean_degree
        if self.mixed:
            return
        cs = min(size, n)
        n_comm = max(1, n // cs)
        key = rng.standard_normal(n) * np.sqrt(1.0 - h * h) + (h * taste if h > 0 else 0.0)
        self.community = np.empty(n, dtype=np.int32)
        order = np.argsort(key)                          # the stable order when no two keys tie (checked)
        ranked = key[order]
        if np.any(ranked[1:] == ranked[:-1]):
            order = np.argsort(key, kind="stable")
        self.community[order] = np.minimum(np.arange(n) // cs, n_comm - 1)
        del order, ranked, key
        counts = np.bincount(self.community, minlength=n_comm)
        start = np.concatenate([[0], np.cumsum(counts)[:-1]])
        members = _by_community(self.community, start)      # np.argsort(community, kind="stable"), in one pass
        a = tail - 1.0                                   # Pareto shape of the degree
        k_min = mean_degree * (a - 1) / a if a > 1 else mean_degree / 2
        stubs = k_min * (1 - rng.random(n)) ** (-1 / a) / 2    # half the degree is emitted by each end
        stubs = np.minimum(np.floor(stubs + rng.random(n)), min(n - 1, MAX_STUBS)).astype(np.int64)
        # a stub links outside the community with chance bridge_share; a person's links inside are
        # capped at half the community, the rest reach out (hubs become bridges). Each stub's other end
        # is found once, and each person's links counted; then the rows are filled in stub order.
        ends = np.cumsum(stubs)
        state = rng.bit_generator.state
        args = (ends, stubs, self.community, members, start, counts, bridge, max(1, cs // 2))
        deg = np.zeros(n, dtype=np.int64)
        total = int(ends[-1])
        dest = np.empty(total, np.int32)                 # each stub's other end (-1: a self-link, dropped)
        for s0, draws in _stub_draws(rng, state, total, n):
            _link(s0, *draws, *args, deg, dest)
        self.indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(deg, out=self.indptr[1:])
        del deg
        indices = np.empty(self.indptr[-1], dtype=np.int32)
        pos = self.indptr.copy()
        _fill(ends, dest, pos, indices)
        del pos, ends, stubs, members, dest
        # shrinks in place (no second copy). refcheck off: `indices` owns its buffer and no view of it exists; what
        # else may refer to the array object itself (a Dask worker's profiler sampling this frame) sees it resized,
        # and with the check on that sampling made the resize fail at random in a Dask sweep
        indices.resize(_sort_rows_unique(self.indptr, indices), refcheck=False)
        self.indices = indices
        self.degree = np.diff(self.indptr).astype(np.int32)
        _read_only(self.community, self.indptr, self.indices, self.degree)   # shared by the runs that build it again

    @property
    def nbytes(self) -> int:
        """Memory its arrays hold."""
        return 0 if self.mixed else sum(a.nbytes for a in (self.community, self.indptr, self.indices, self.degree))

    def contacts(self, senders: np.ndarray, u: np.ndarray, k: np.ndarray | None = None) -> np.ndarray:
        """One contact per sender, chosen with the uniforms `u`; -1 where a sender has none.
        `k` (the k-th invitation of that sender today) steps through the contact list from
        the drawn start, so one sender's invitations reach different contacts until all are used."""
        k = np.zeros(len(senders), dtype=np.int64) if k is None else k
        return _contacts(senders, u, k, self.mixed, self.n, *self.rows)

    @property
    def rows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(degree, indptr, indices) for compiled kernels that call `contact` (empty on the mixed network)."""
        return _NO_ROWS if self.mixed else (self.degree, self.indptr, self.indices)

    def scores(self, how: str) -> np.ndarray:
        """A score per person to rank KOC candidates by: 'degree' (contacts) is the only one."""
        if how != "degree":
            raise ValueError(f"network scores: unknown score {how!r} (allowed: degree)")
        return np.zeros(self.n) if self.mixed else self.degree.astype(np.float64)


def _stub_draws(rng: np.random.Generator, state: dict, total: int, n: int):
    """Yield (first stub, (bridge uniforms, local-pick uniforms, bridge destinations)) in chunks of
    CHUNK stubs: the numbers rng.random(total), rng.random(total), rng.integers(0, n, total), drawn
    one after another from `state`, would give, from three copies of the generator jumped ahead to
    where each array starts. Leaves `rng` where those three draws would leave it."""
    gens = []
    for skip in (0, total, 2 * total):                      # a uniform double takes one 64-bit step
        g = np.random.Generator(type(rng.bit_generator)())
        g.bit_generator.state = state
        g.bit_generator.advance(skip)
        gens.append(g)
    for s0 in range(0, total, CHUNK):
        m = min(CHUNK, total - s0)
        yield s0, (gens[0].random(m), gens[1].random(m), gens[2].integers(0, n, m))
    rng.bit_generator.state = gens[2].bit_generator.state


@njit(cache=True)
def _link(s0, u_bridge, u_local, far, ends, stubs, community, members, start, counts, bridge_share, inside_cap,
          deg, dest):
    """The other end of stubs s0, s0+1, ... (stub s belongs to the person p with ends[p-1] <= s < ends[p]):
    `far` if it bridges, else a member of p's community picked by `u_local`, into dest[s] (-1 for a self-link,
    dropped); both ends' links counted in `deg`."""
    p = np.searchsorted(ends, s0, side="right")
    for i in range(len(u_bridge)):
        s = s0 + i
        while ends[p] <= s:
            p += 1
        if u_bridge[i] < bridge_share or s - (ends[p] - stubs[p]) >= inside_cap:
            d = far[i]
        else:
            c = community[p]
            d = members[start[c] + np.int64(np.floor(u_local[i] * counts[c]))]
        if d == p:
            dest[s] = -1
            continue
        dest[s] = d
        deg[p] += 1
        deg[d] += 1


@njit(cache=True)
def _fill(ends, dest, pos, indices):
    """Write each kept stub's two ends into the rows (at indices[pos], stepping pos on), in stub order."""
    p = 0
    for s in range(dest.shape[0]):
        while ends[p] <= s:
            p += 1
        d = dest[s]
        if d < 0:
            continue
        indices[pos[p]] = d
        indices[pos[d]] = p
        pos[p] += 1
        pos[d] += 1


@njit(cache=True)
def _by_community(community, start):
    """People grouped by community, in ascending order within each (a stable argsort of `community`, int32):
    a counting sort, community c's members from start[c]."""
    pos = start.copy()
    out = np.empty(community.shape[0], np.int32)
    for i in range(community.shape[0]):
        c = community[i]
        out[pos[c]] = i
        pos[c] += 1
    return out


@njit(cache=True)
def _sort_rows_unique(indptr, indices):
    """Sort each row of the CSR graph and drop repeated contacts, compacting indices and indptr in
    place; returns the number of entries kept."""
    w = 0
    lo = indptr[0]
    for r in range(len(indptr) - 1):
        hi = indptr[r + 1]
        if hi - lo > 24:
            indices[lo:hi].sort()
        else:                                   # insertion sort: faster on the many short rows
            for j in range(lo + 1, hi):
                v, k = indices[j], j - 1
                while k >= lo and indices[k] > v:
                    indices[k + 1] = indices[k]
                    k -= 1
                indices[k + 1] = v
        indptr[r] = w
        last = -1
        for j in range(lo, hi):
            if indices[j] != last:
                last = indices[j]
                indices[w] = last
                w += 1
        lo = hi
    indptr[len(indptr) - 1] = w
    return w
