"""Common random numbers: one counter-based stream per mechanism, indexed by user and day.

`Streams(seed).uniform(stream, day, idx)` returns the same number for the same
(seed, stream, day, user) whatever else the model does, so two scenarios that
differ in one lever draw identical randomness everywhere else (the Starsim idea).
The generator is the SplitMix64 finaliser applied to a counter, which is cheap
and statistically sound for simulation use. The per-element loop is compiled with
Numba (one pass instead of a dozen NumPy temporaries; it is the engine's hottest
code); each stream's day keys are mixed once into a table. A compiled kernel can draw inside
its own loop with `pair(i, Streams.key(stream, day))` (the same numbers as `uniform2`) or
`unit(i, Streams.key(stream, day))` (as `uniform`).
"""
from __future__ import annotations

import numpy as np
from numba import njit
from scipy.special import ndtri

_G = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_DAY = np.uint64(0xD1B54A32D192ED03)
_S30, _S27, _S31, _S11 = (np.uint64(s) for s in (30, 27, 31, 11))
_TO_UNIT = 1.0 / 2.0**53

# Every mechanism has its own stream; adding one at the end keeps old results unchanged.
STREAMS = (
    "segment", "trait_a", "trait_b", "trait_c", "trait_d", "trait_e",
    "acq_order", "organic", "first_order", "accept",
    "buy", "leave",
    "message", "service", "staff", "staff_loss", "group", "invite", "invite_target",
    "invite_convert", "network", "koc", "unlock", "reinvite", "unlock_target", "unlock_convert", "existing",
    "trait_f", "existing_rank", "existing_sample",
    "reply", "stall", "care_seen", "coupon_seen", "koc_count", "existing_count", "history_count",
    "trait_g", "leave_order", "history_alive", "history_rate", "history_leave", "history_leave_b",
    "notice", "notice_reply", "notice_md", "notice_md_reply",
    "sale_channel", "sale_steer", "notice_cal", "notice_cal_reply",
    "assistants", "store_ask", "sale_store", "points_redeem",
)


@njit(cache=True, inline="always")
def _finalise(x):
    """The SplitMix64 finaliser."""
    x ^= x >> _S30
    x *= _M1
    x ^= x >> _S27
    x *= _M2
    x ^= x >> _S31
    return x


@njit(cache=True, inline="always")
def _mix64(i, base):
    """SplitMix64 of counter i under the key `base` (its 64 bits, passed as a signed int)."""
    return _finalise(np.uint64(i) * _G + np.uint64(base))


@njit(cache=True)
def _day_keys(key, days):
    """The keys of days -1 .. days-2 of a stream whose key is `key` (uint64 arithmetic wraps mod 2^64)."""
    out = np.empty(days, np.uint64)
    for d in range(days):
        out[d] = _finalise(key + np.uint64(d) * _DAY)
    return out


@njit(cache=True, inline="always")
def pair(i, base):
    """Two uniforms for index i from one draw (what Streams.uniform2 gives), for use inside compiled
    kernels with `base = Streams.key(stream, day)`."""
    x = _mix64(i, base)
    return (np.float64(x >> np.uint64(32)) * 2.3283064365386963e-10,
            np.float64(x & np.uint64(0xFFFFFFFF)) * 2.3283064365386963e-10)


@njit(cache=True, inline="always")
def unit(i, base):
    """One 53-bit uniform for index i (what Streams.uniform gives), for use inside compiled kernels
    with `base = Streams.key(stream, day)`."""
    return np.float64(_mix64(i, base) >> _S11) * _TO_UNIT


@njit(cache=True, nogil=True)
def _unit(idx, base, out, out2):
    """out[i] (53-bit) or, when out2 has the same length, out/out2 (two 32-bit halves)."""
    two = out2.shape[0] == out.shape[0]
    for i in range(idx.shape[0]):
        if two:
            out[i], out2[i] = pair(idx[i], base)
        else:
            out[i] = unit(idx[i], base)


@njit(cache=True)
def _gamma(idx, base, shape, out):
    """out[n] = a Gamma(shape, 1) draw for index idx[n] (`shape` one value, or one per index), by Marsaglia &
    Tsang (2000): a cubed normal accepted by a squeeze; shape < 1 by the boost G(k) = G(k + 1) U^(1/k). Attempt
    j of index i draws from the key mixed with j, so each index's draw depends on nothing else."""
    one = shape.shape[0] == 1
    for n in range(idx.shape[0]):
        i = idx[n]
        k = shape[0] if one else shape[n]
        kk = k + 1.0 if k < 1.0 else k
        d = kk - 1.0 / 3.0
        c = 1.0 / np.sqrt(9.0 * d)
        j = np.uint64(0)
        while True:
            b = _finalise(np.uint64(base) + (j + np.uint64(1)) * _DAY)
            u1, u2 = pair(i, b)
            z = np.sqrt(-2.0 * np.log(max(u1, 1e-300))) * np.cos(6.283185307179586 * u2)
            v = 1.0 + c * z
            if v > 0.0:
                v = v * v * v
                u3 = unit(i, _finalise(b + _G))
                if np.log(max(u3, 1e-300)) < 0.5 * z * z + d - d * v + d * np.log(v):
                    break
            j += np.uint64(1)
        g = d * v
        if k < 1.0:
            g *= max(unit(i, _finalise(b + _M1)), 1e-300) ** (1.0 / k)
        out[n] = g


_EMPTY = np.zeros(0)


class Streams:
    """Per-mechanism uniform streams for one seed. Reads nothing else; holds only keys."""

    def __init__(self, seed: int):
        keys = np.random.SeedSequence(int(seed)).generate_state(len(STREAMS), dtype=np.uint64)
        self._key = dict(zip(STREAMS, (int(k) for k in keys)))
        self._bases: dict[str, list[int]] = {}

    def _base(self, stream: str, day: int) -> int:
        """The stream's key for `day` (-1 and up), from a table of all days computed at once. Its bits
        are handed to the kernels as a signed Python int (a NumPy scalar argument is slow to type)."""
        try:                                   # asked thousands of times a run: the common case first
            return self._bases[stream][day + 1]
        except (KeyError, IndexError):
            keys = _day_keys(np.uint64(self._key[stream]), max(512, 2 * (day + 2)))
            table = self._bases[stream] = keys.view(np.int64).tolist()
            return table[day + 1]

    key = _base       # the key of `stream` on `day`, for compiled kernels that draw with `pair` themselves

    def uniform(self, stream: str, day: int, idx: np.ndarray) -> np.ndarray:
        """Uniform [0, 1) float64 for each index in `idx`."""
        idx = np.asarray(idx)
        out = np.empty(len(idx))
        _unit(idx, self._base(stream, day), out, _EMPTY)
        return out

    def uniform2(self, stream: str, day: int, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Two independent uniforms per index from one draw (upper and lower 32 bits)."""
        idx = np.asarray(idx)
        hi, lo = np.empty(len(idx)), np.empty(len(idx))
        if len(idx):
            _unit(idx, self._base(stream, day), hi, lo)
        return hi, lo

    def normal(self, stream: str, day: int, idx: np.ndarray) -> np.ndarray:
        """Standard normal for each index (inverse CDF of a uniform kept off 0)."""
        u = self.uniform(stream, day, idx)
        return ndtri(np.clip(u, 1e-12, 1 - 1e-12))

    def gamma(self, stream: str, day: int, idx: np.ndarray, shape) -> np.ndarray:
        """A Gamma(shape, 1) draw for each index (`shape` a number or one per index)."""
        idx = np.asarray(idx)
        out = np.empty(len(idx))
        if len(idx):
            shape = np.maximum(np.atleast_1d(np.asarray(shape, dtype=np.float64)), 1e-8)   # 0 would divide by 0
            _gamma(idx, self._base(stream, day), shape, out)
        return out

    def mean_one_gamma(self, stream: str, day: int, idx: np.ndarray, cv: float) -> np.ndarray:
        """Mean-one gamma factors with coefficient of variation `cv` (shape 1 / cv^2; all 1 at cv = 0)."""
        if cv <= 0:
            return np.ones(len(idx))
        k = 1.0 / (cv * cv)
        return self.gamma(stream, day, idx, k) / k

    def generator(self, stream: str) -> np.random.Generator:
        """A classic NumPy generator for one-off structures (e.g. the social network): seeded by `root(stream)`."""
        return np.random.default_rng([self._key[stream] & 0xFFFFFFFF, self._key[stream] >> 32])

    def root(self, stream: str) -> int:
        """The stream's 64-bit key: everything its draws and its generator depend on (for this seed)."""
        return self._key[stream]
