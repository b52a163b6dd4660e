"""Wash-back: competitors' content in the public feeds taking a customer away.

Reads washback.public_per_year, washback.muted_factor, pool.protection.
Returns a daily hazard per customer; leaving.py draws the event (reason 'washed_back').

  hazard = public_per_year / 365 x protection(state) x shield,
  shield = exp(-leave_cut x trust) x the person's proneness to leave (market.leaving_spread; leaving.py)
  protection = 1 on the public side; pool.protection for an active pool member,
  times washback.muted_factor for a muted one (weakly attached). Seed 000: not being
  washed away again is the main reason to build a pool.
"""
from __future__ import annotations

from numba import njit


@njit(cache=True)
def hazard(in_pool: bool, muted: bool, trust_shield: float, public_per_day: float, protection: float,
           muted_factor: float) -> float:
    """Daily wash-back hazard of one customer (compiled: called inside leaving's kernel)."""
    if in_pool:
        return public_per_day * protection * (muted_factor if muted else 1.0) * trust_shield
    return public_per_day * trust_shield

