"""Common random numbers: one counter-based stream per mechanism, indexed by user and day.

`Streams(seed).uniform(stream, day, idx)` returns the same number for the same
(seed, stream, day, user) whatever else the model does, so two scenarios that
differ in one lever draw identical randomness everywhere else (the Starsim idea).
The generator is the SplitMix64 finaliser applied to a counter, which is cheap,
vectorised and statistically sound for simulation use.
"""
from __future__ import annotations

import numpy as np
from scipy.special import ndtri

_G = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = (np.uint64(s) for s in (30, 27, 31, 11))
_TO_UNIT = 1.0 / 2.0**53

# Every mechanism has its own stream; adding one at the end keeps old results unchanged.
STREAMS = (
    "segment", "trait_a", "trait_b", "trait_c", "trait_d", "trait_e",
    "acq_order", "organic", "first_order", "accept",
    "buy", "order_return", "leave", "leave_reason",
    "message", "service", "staff", "staff_loss", "group", "invite", "invite_target",
    "invite_kind", "invite_convert", "network", "koc", "unlock",
)


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser, in place on a uint64 array."""
    x ^= x >> _S30
    x *= _M1
    x ^= x >> _S27
    x *= _M2
    x ^= x >> _S31
    return x


class Streams:
    """Per-mechanism uniform streams for one seed. Reads nothing else; holds only keys."""

    def __init__(self, seed: int):
        keys = np.random.SeedSequence(int(seed)).generate_state(len(STREAMS), dtype=np.uint64)
        self._key = dict(zip(STREAMS, (int(k) for k in keys)))

    def _base(self, stream: str, day: int) -> np.uint64:
        x = np.array([(self._key[stream] + (day + 1) * 0xD1B54A32D192ED03) & 0xFFFFFFFFFFFFFFFF], dtype=np.uint64)
        return _mix(x)[0]

    def bits(self, stream: str, day: int, idx: np.ndarray) -> np.ndarray:
        """64 random bits for each user index in `idx` (any int array) on `day`."""
        x = np.asarray(idx).astype(np.uint64)
        x *= _G
        x += self._base(stream, day)
        return _mix(x)

    def uniform(self, stream: str, day: int, idx: np.ndarray) -> np.ndarray:
        """Uniform [0, 1) float64 for each index in `idx`."""
        return (self.bits(stream, day, idx) >> _S11) * _TO_UNIT

    def uniform2(self, stream: str, day: int, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Two independent uniforms per index from one draw (upper and lower 32 bits)."""
        b = self.bits(stream, day, idx)
        hi = (b >> np.uint64(32)).astype(np.float64) * (1.0 / 2.0**32)
        lo = (b & np.uint64(0xFFFFFFFF)).astype(np.float64) * (1.0 / 2.0**32)
        return hi, lo

    def normal(self, stream: str, day: int, idx: np.ndarray) -> np.ndarray:
        """Standard normal for each index (inverse CDF of a uniform kept off 0)."""
        u = self.uniform(stream, day, idx)
        return ndtri(np.clip(u, 1e-12, 1 - 1e-12))

    def generator(self, stream: str) -> np.random.Generator:
        """A classic NumPy generator for one-off structures (e.g. the social network)."""
        return np.random.default_rng([self._key[stream] & 0xFFFFFFFF, self._key[stream] >> 32])
