"""The newcomer path's compiled passes give what the NumPy steps they replaced gave (2026-12-07): each is run
against that plain version, written out here, on random inputs that reach its edge cases (full books, repeated
people (noted once each), a mixed network, fractions carried, nobody accepting). The first-order chance is the
one exception stated: it computes its power with the C library's pow, where NumPy's array power may differ in the
last bits (here: within 4 units in the last place)."""
from __future__ import annotations

import numpy as np
import pytest

from sim.core.rng import Streams
from sim.core.population import Users
from sim.mechanisms.acquisition import _arrivals, _whole, first_order_chance
from sim.mechanisms.containers import _accepted
from sim.mechanisms.referral import _unlock_senders
from sim.mechanisms.stores import _assign, _book, _note

POOL = 1


def _assign_plain(booked, staff, state, first, n, cap, dealt, k):
    room = cap - _book(booked, staff, state, first, n)
    if room.min() * n >= k + n:
        return first + (dealt + np.arange(k)) % n, dealt + k
    out = []
    while len(out) < k and room.max() > 0:
        a = dealt % n
        dealt += 1
        if room[a] > 0:
            room[a] -= 1
            out.append(first + a)
    return np.array(out, np.int64), dealt


def test_assign_deals_as_the_round_robin_with_full_books_skipped():
    rng = np.random.default_rng(0)
    for trial in range(400):
        n, first, cap = int(rng.integers(1, 6)), int(rng.integers(0, 4)), int(rng.integers(1, 8))
        people = int(rng.integers(0, 60))
        booked = rng.permutation(people).astype(np.int64)
        staff = rng.integers(-1, first + n, people).astype(np.int32)
        state = rng.integers(0, 3, people).astype(np.int8)
        dealt, k = int(rng.integers(0, 50)), int(rng.integers(0, 3 * cap * n))
        got, got_dealt = _assign(booked, staff, state, first, n, cap, dealt, k)
        want, want_dealt = _assign_plain(booked, staff, state, first, n, cap, dealt, k)
        assert np.array_equal(got, want) and got_dealt == want_dealt, trial


def test_note_appends_the_new_once_each_in_order_and_grows_its_buffer():
    rng = np.random.default_rng(1)
    ever, buf, used = np.zeros(200, np.bool_), np.zeros(0, np.int64), 0
    plain, plain_ever = np.zeros(0, np.int64), np.zeros(200, np.bool_)
    for _ in range(300):
        idx = rng.integers(0, 200, int(rng.integers(0, 12))).astype(np.int64)   # repeats allowed
        new = idx[~plain_ever[idx]]
        new = new[np.sort(np.unique(new, return_index=True)[1])]             # each once, at its first place
        plain_ever[new] = True
        plain = np.concatenate([plain, new])
        buf, used = _note(idx, ever, buf, used)
        assert np.array_equal(buf[:used], plain) and np.array_equal(ever, plain_ever)


@pytest.mark.parametrize("mixed", [False, True])
def test_unlock_senders_are_the_takers_repeated_up_to_their_contacts(mixed):
    rng = np.random.default_rng(2)
    streams = Streams(5)
    degree = rng.integers(0, 6, 500).astype(np.int32)
    for day in range(40):
        idx = rng.choice(500, int(rng.integers(0, 80)), replace=False).astype(np.int64)
        take_up, invites, mean_degree = float(rng.uniform(0, 1)), float(rng.integers(0, 5)), float(rng.uniform(0, 6))
        takers = idx[streams.uniform("unlock", day, idx) < take_up]
        per = np.full(len(takers), mean_degree) if mixed else degree[takers].astype(np.float64)
        want = np.repeat(takers, np.minimum(invites, per).astype(np.int64))
        got = _unlock_senders(idx, streams.key("unlock", day), take_up, invites, mixed, mean_degree, degree)
        assert np.array_equal(got, want)


def test_accepted_are_those_whose_draw_is_below_their_chance():
    rng = np.random.default_rng(3)
    streams = Streams(9)
    for day in range(-1, 40):
        idx = rng.choice(10_000, int(rng.integers(0, 300)), replace=False).astype(np.int64)
        bought = rng.random(len(idx)) < 0.5
        buyer, other = float(rng.uniform(0, 1)), float(rng.choice([0.0, rng.uniform(0, 1)]))
        want = idx[streams.uniform("accept", day, idx) < np.where(bought, buyer, other)]
        assert np.array_equal(_accepted(idx, streams.key("accept", day), bought, buyer, other), want)


def test_whole_takes_the_whole_agents_and_carries_the_fractions():
    rng = np.random.default_rng(4)
    carry = np.zeros(3)
    plain_carry = np.zeros(3)
    for _ in range(500):
        people = rng.uniform(0, 40, 3) * rng.choice([0.0, 1e-3, 1.0], 3)
        scale = float(rng.choice([1.0, 7.0, 12.5]))
        want = people / scale + plain_carry
        k = np.floor(want).astype(int)
        plain_carry = want - k
        ch, carry = _whole(people, scale, carry)
        assert np.array_equal(ch, np.repeat(np.arange(3), k).astype(np.int8))
        assert np.array_equal(carry, plain_carry)


def test_arrivals_draw_what_uniform2_draws_and_the_chance_within_ulps():
    rng = np.random.default_rng(5)
    streams = Streams(3)
    for trial in range(50):
        n, k = int(rng.integers(0, 40)), int(rng.integers(1, 9))
        idx = rng.choice(1000, n, replace=False).astype(np.int64)
        channel = rng.integers(0, k, n).astype(np.int8)
        p, ticket, elast = rng.uniform(0, 1, k), rng.uniform(20, 300, k), rng.uniform(0, 2, k)
        p[0] = 1.0                                          # p = 1 stays 1
        value = rng.lognormal(4.5, 0.6, 1000).astype(np.float32)
        u_first, u_ret, chance = _arrivals(idx, channel, streams.key("first_order", -1), p, ticket, elast, value, True)
        hi, lo = streams.uniform2("first_order", -1, idx)
        assert np.array_equal(u_first, hi) and np.array_equal(u_ret, lo)
        r = (value[idx].astype(np.float64) / ticket[channel]) ** -elast[channel]
        plain = p[channel] * r / (1.0 - p[channel] + p[channel] * r)
        assert np.all(np.abs(chance - plain) <= 4 * np.spacing(plain)), trial
        assert np.all(chance[channel == 0] == 1.0)
        assert len(_arrivals(idx, channel, 1, p, ticket, elast, value, False)[2]) == 0   # a certain order: no chance
    assert first_order_chance(0.0, 150.0, 100.0, 0.8) == 0.0 and first_order_chance(0.3, 100.0, 100.0, 0.8) == 0.3


def test_entering_the_pool_takes_the_accounts_in_turn():
    from sim.core.scenario import load_scenario
    sc = load_scenario("baseline")
    users = Users(200, sc.market, sc.messaging.tolerance, Streams(0))
    idx = np.array([5, 17, 3, 150, 42, 8, 99], np.int64)
    users.enter_pool(idx[:4], 3, dealt=11, turn=4)
    users.enter_pool(idx[4:], 4, np.array([7, 0, 2], np.int64))
    assert users.staff[idx].tolist() == [(11 + j) % 4 for j in range(4)] + [7, 0, 2]
    assert users.pool_day[idx].tolist() == [3] * 4 + [4] * 3 and np.all(users.state[idx] == POOL)
    assert sorted(users.roster().tolist()) == sorted(idx.tolist())


def test_spent_halves_the_buyers_intent_and_keeps_the_public_ones():
    from sim.mechanisms.purchases import _spent
    rng = np.random.default_rng(8)
    for trial in range(100):
        n = int(rng.integers(0, 300))
        intent = rng.random(300).astype(np.float32)
        intent[:5] = np.float32(1e-45)                      # subnormal: halved as NumPy does
        state = rng.integers(0, 4, 300).astype(np.int8)
        buyers = np.sort(rng.choice(300, n, replace=False)).astype(np.int64)
        plain = intent.copy()
        plain[buyers] *= 0.5
        public = _spent(buyers, intent, state)
        assert np.array_equal(intent, plain) and np.array_equal(public, buyers[state[buyers] == 0])
