"""One-to-one care's compiled choice (service.py) gives what the NumPy it replaced gave, to the bit."""
import numpy as np

from sim.mechanisms.service import SMALL_K, _minus_scores, _smallest


def test_smallest_is_argpartitions_set_or_declines():
    """Whenever `_smallest` answers, its positions are the set np.argpartition(minus, k - 1)[:k] gives; it
    declines (and argpartition decides) only for a tie straddling the k-th place, a NaN or k > SMALL_K; on
    scores with few ties it answers."""
    rng = np.random.default_rng(5)
    answered = 0
    for t in range(3000):
        n = int(rng.integers(2, 300))
        k = int(rng.integers(1, min(n, SMALL_K + 8)))
        minus = -rng.random(n)
        if t % 3 == 1:
            minus = np.round(minus, 1)                       # many ties
        if t % 11 == 0:
            minus[rng.integers(0, n)] = np.nan
        if t % 5 == 0:
            minus = np.sort(minus)[::-1].copy()              # the worst order for a sorted insertion
        top, unique = _smallest(minus, k)
        ref = np.sort(np.argpartition(minus, k - 1)[:k])
        if unique:
            answered += 1
            assert np.array_equal(np.sort(top), ref)
        else:
            v = np.partition(minus, k - 1)[k - 1]
            assert k > SMALL_K or np.isnan(minus).any() or np.count_nonzero(minus <= v) > k
    assert answered > 1000


def test_tiered_scores_are_numpys_to_the_bit():
    """`_minus_scores` computes stake x (1 + risk) x recency in the precisions NumPy used on the float32 /
    int arrays (the formula service.py applied with NumPy before it was compiled), with and without tier
    priorities."""
    rng = np.random.default_rng(3)
    n, day, price, at_risk = 5000, 200, 129.0, 60.0
    last_response_day = rng.integers(-1, day, n).astype(np.int32)
    pool_day = rng.integers(-1, day, n).astype(np.int32)
    last_served = np.where(rng.random(n) < 0.5, -10_000, rng.integers(0, day, n)).astype(np.int32)
    tier = rng.integers(0, 3, n).astype(np.int8)
    spend = (rng.random(n) * 3000 * (rng.random(n) < 0.7)).astype(np.float32)
    pool = np.sort(rng.choice(n, 3000, replace=False))
    priority = np.array([1.0, 1.3, 2.0, 3.5])
    level = rng.integers(0, 4, n).astype(np.int8)
    for weight in (np.zeros(0), priority[level[pool]]):
        silent = day - np.maximum(last_response_day[pool], pool_day[pool])
        stake = (1.0 + tier[pool]) * (1.0 + spend[pool] / price)
        if len(weight):
            stake = stake * weight
        score = stake * (1.0 + np.minimum(2.0, silent / at_risk)) * np.minimum(1.0, (day - last_served[pool]) / 14.0)
        got = _minus_scores(pool, day, last_response_day, pool_day, tier, spend, np.float32(price), weight, at_risk,
                            last_served)
        assert np.array_equal((-score).view(np.uint64), got.view(np.uint64))
