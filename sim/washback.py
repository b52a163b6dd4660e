"""Wash-back: competitors' content in the public feeds taking a customer away.

Reads washback.public_per_year, washback.muted_factor, pool.protection.
Returns a daily hazard per customer; leaving.py draws the event (reason 'washed_back').

  hazard = public_per_year / 365 x protection(state) x exp(-leave_cut x trust)
  protection = 1 on the public side; pool.protection for an active pool member,
  times washback.muted_factor for a muted one (weakly attached). Seed 000: not being
  washed away again is the main reason to build a pool.
"""
from __future__ import annotations

import numpy as np


def hazard(sc, in_pool: np.ndarray, muted: np.ndarray, trust_shield: np.ndarray) -> np.ndarray:
    w = sc.washback
    shield = np.where(in_pool, sc.pool.protection * np.where(muted, w.muted_factor, 1.0), 1.0)
    return (w.public_per_year / 365.0) * shield * trust_shield

