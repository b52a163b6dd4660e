"""The purchase draw's shortcut (purchases._draw): a customer whose uniform is not below their rate at no fade is
passed by without computing the fading factors; the buyers must be exactly those of computing every rate, also
with a lull (negative burst), negative or missing factors, orders dated after today and tiny or huge rates."""
import numpy as np
import pytest

from sim.core.population import POOL, PUBLIC
from sim.mechanisms.purchases import _draw


@pytest.mark.parametrize("burst", [0.0, 1.6, -0.9])
@pytest.mark.parametrize("proofs", [False, True])
def test_the_bound_gives_the_same_buyers_as_every_rate(burst, proofs):
    rng = np.random.default_rng(7)
    n = 200_000
    f32 = np.float32
    state = np.where(rng.random(n) < 0.6, POOL, PUBLIC).astype(np.int8)
    muted = rng.random(n) < 0.2
    buy_rate = (10.0 ** rng.uniform(-12, 1, n)).astype(f32)         # from never to several times a day
    intent = rng.exponential(1.0, n).astype(f32)
    intent[:1000] = -rng.random(1000).astype(f32)                    # out of range: still the same draws
    trust = rng.random(n).astype(f32)
    price = rng.uniform(0.5, 2.0, n)
    price[:500] = -0.5                                               # a negative factor: no shortcut
    price[500:600] = np.nan
    proof = rng.uniform(0.8, 1.5, n) if proofs else np.zeros(0)
    if proofs:
        proof[600:700] = -1.0
    orders = rng.integers(0, 4, n).astype(np.int32)
    day = 200
    last = rng.integers(0, day + 1, n).astype(np.int32)
    last[700:800] = day + 5                                          # dated after today
    u = rng.random(n)
    cust = np.sort(rng.choice(n, n // 2, replace=False))
    args = (cust, state, muted, buy_rate, intent, trust, price[cust], proof, u[cust], 0.3, 1.5, 1.5, 0.8,
            orders, last, day, burst, 30.0)
    fast, reach_fast = _draw(*args, True)
    slow, reach_slow = _draw(*args, False)
    assert slow.sum() > 1000 and (~slow).sum() > 1000                # both outcomes are exercised
    np.testing.assert_array_equal(fast, slow)
    np.testing.assert_array_equal(reach_fast, reach_slow)
