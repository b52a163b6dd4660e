"""The newcomer path's compiled passes give what the NumPy steps they replaced gave (2026-12-07): each is run
against that plain version, written out here, on random inputs that reach its edge cases (full books, repeated
people (noted once each), a mixed network, fractions carried, nobody accepting)."""
from __future__ import annotations

import numpy as np
import pytest

from sim.core.rng import Streams
from sim.mechanisms.acquisition import _whole
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
