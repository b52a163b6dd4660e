"""Referral: organic word of mouth, incentivised fission, invite-N-to-unlock, and KOC seeding.

Reads referral.* and the network (network.py). Changes users.invites, referrals,
referrer, koc, spam_received, the inviters' trust and invited members' annoyance;
admits converted contacts through the common acquisition path (acquisition.admit);
books incentives.

Each day every active pool member with trust >= trust_threshold sends on average
  invites_per_year/365 x (1 + L x/(1 + x)),   x = incentive / incentive_half, L = incentive_max_lift
invitations (rewards raise invitations with diminishing returns), each to a different
one of their contacts. A share Lx/(1+x) / (1 + Lx/(1+x)) of them are reward-driven.
An organic invitation converts a contact with chance `conversion`; who is invited
decides the referred customer's worth (homophily on the network: contacts share
traits, network.py). A reward-driven invitation converts with chance
  conversion x incentive_conversion_cut x price_sens / mean price_sens x (1 - spam_fatigue)^k
(a reward appeals to deal seekers; k = reward-driven invitations the contact already
received), costs the sender spam_trust_cost of trust and adds spam_annoyance to an
invited pool member (seed 003: fission brings low-quality users and burns the brand).
A contact converts only if not yet acquired. With an incentive every converted
invitation is rewarded. Invite-N-to-unlock: a new member takes part with chance
unlock_take_up and sends N reward-driven invitations at once, to at most all their
contacts (seed 001). KOC seeding: koc_count people chosen by seed_koc (at random, or
by their number of contacts: the follower or friend count Douyin and Xiaohongshu show)
are paid koc_fee_rmb on day 0 (koc_count / scale whole agents, rounded up or down at
random; the fee is booked for those recruited); the fee buys reach, not trust: they join the pool with the trust
they have and post to their whole network (koc_invites_per_contact per contact a year),
invitations that convert like reward-driven ones (seed 001: KOL/KOC carry spread).
"""
from __future__ import annotations

import numpy as np

from numba import njit

from ..core.population import CH_KOC, CH_REFERRAL, POOL, PUBLIC, whole_agents
from ..core.rng import pair, unit
from . import acquisition, containers
from .network import contact, contacts_of


@njit(cache=True)
def _invite(senders, target_key, convert_key, inc_share, inc_all, conversion, cut, price_sens, mean_price_sens,
            fatigue, spam_annoyance, spam_trust_cost, mixed, n, degree, indptr, indices, state, acquired,
            spam_received, annoyance, trust, invites, referrals):
    """Invitations from `senders` (grouped by sender), each to a different contact (see `Referral.send`):
    `inc_share` per entry, or empty and `inc_all` for all; `fatigue[k]` = (1 - spam_fatigue)^k for k up to
    the most spam anyone has received; `cut`, `mean_price_sens`, `spam_annoyance` are float32 (as the users'
    arrays). Changes spam_received, annoyance, the senders' trust, invites and referrals. Returns
    (converted contacts in ascending order, their inviters, the most spam anyone received now)."""
    m = senders.shape[0]
    target = np.empty(m, np.int64)
    ok = np.zeros(m, np.bool_)
    paid = np.empty(m, np.bool_)
    head_u = 0.0
    k = 0
    for j in range(m):
        s = senders[j]
        k = k + 1 if j > 0 and s == senders[j - 1] else 0      # k-th invitation of that sender today
        key = np.int64(s) * (1 << 20) + k                      # common random numbers: sender x 2^20 + k
        u_target, u_kind = pair(key, target_key)
        if k == 0:
            head_u = u_target                                  # one start per sender, then step on
        t = contact(s, head_u, k, mixed, n, degree, indptr, indices)
        target[j] = t
        paid[j] = u_kind < (inc_share[j] if inc_share.shape[0] > 0 else inc_all)
        p = conversion
        if paid[j]:
            safe = max(t, 0)
            p *= np.float64(cut * price_sens[safe] / mean_price_sens) * fatigue[spam_received[safe]]   # float32, as NumPy
        ok[j] = t >= 0 and unit(key, convert_key) < p and not acquired[t]
    sent = most = 0
    for j in range(m):                                         # spam and its costs, after all draws
        t, s = target[j], senders[j]
        if paid[j]:
            sent += 1
            if t >= 0:
                spam_received[t] += 1
                most = max(most, spam_received[t])
                if state[max(t, 0)] == POOL:
                    annoyance[t] += spam_annoyance
        if j == m - 1 or senders[j + 1] != s:                 # the sender's last entry: its trust cost
            if sent > 0:
                trust[s] = max(0.0, np.float64(trust[s]) - sent * spam_trust_cost)
            sent = 0
        invites[s] += 1
    hit = np.flatnonzero(ok)
    order = hit[np.argsort(target[hit], kind="mergesort")]    # a contact converts once, to the first inviter
    first = np.ones(order.shape[0], np.bool_)
    for a in range(1, order.shape[0]):
        first[a] = target[order[a]] != target[order[a - 1]]
    won = order[first]
    t, s = target[won], senders[won]
    for x in s:
        referrals[x] += 1
    return t, s, most


_NO_SHARE = np.zeros(0)
_NO_DEGREE = np.zeros(0, np.int32)


@njit(cache=True)
def _senders(pool, muted, trust, koc, threshold, rate, koc_rate, inc_share, invite_key, mixed, mean_degree, degree):
    """Today's invitations of pool members who have not muted the chat and trust the brand enough
    (`threshold`, float32 as trust) or are KOCs: floor(rate + u) each (a KOC's rate is koc_rate x its
    contacts), one entry per invitation, grouped by sender. Returns (senders, chance each is
    reward-driven: 1 for a KOC's post, else inc_share)."""
    m = pool.shape[0]
    count = np.zeros(m, np.int64)
    for j in range(m):
        i = pool[j]
        if muted[i] or not (trust[i] >= threshold or koc[i]):
            continue
        r = rate
        if koc[i]:
            r = koc_rate * contacts_of(i, mixed, mean_degree, degree)
        count[j] = np.int64(np.floor(r + unit(i, invite_key)))
    senders = np.repeat(pool, count)
    inc = np.empty(senders.shape[0])
    for j in range(senders.shape[0]):
        inc[j] = 1.0 if koc[senders[j]] else inc_share
    return senders, inc


@njit(cache=True)
def _unlock_senders(idx, key, take_up, invites, mixed, mean_degree, degree):
    """Referral.unlock's invitations: those of `idx` who take the campaign up (a uniform of the stream's `key` below
    `take_up`), each `invites` times but no more than their contacts (the mean degree on the mixed network), one
    entry per invitation, grouped by sender."""
    takers = np.empty(idx.shape[0], np.int64)
    count = np.empty(idx.shape[0], np.int64)
    m = 0
    for j in range(idx.shape[0]):
        i = idx[j]
        if unit(i, key) < take_up:
            takers[m] = i
            count[m] = np.int64(min(invites, contacts_of(i, mixed, mean_degree, degree)))
            m += 1
    return np.repeat(takers[:m], count[:m])


class Referral:
    def __init__(self, model, build_network):
        self.model = model
        self._build_network = build_network
        self._net = None
        self.has_koc = False
        r = model.sc.referral
        x = r.incentive_rmb / r.incentive_half_rmb
        lift = r.incentive_max_lift * x / (1 + x)             # diminishing returns to the reward
        self.inc_share = lift / (1 + lift)
        self.rate = r.invites_per_year / 365.0 * (1 + lift)
        self.mean_price_sens = max(float(model.users.price_sens.mean()), 1e-9)
        self._fatigue = np.zeros(0)      # (1 - spam_fatigue)^k for k up to _spam_max (see send)
        self._spam_max = 0               # the most reward-driven invitations anyone received (only send adds them)
        # float32 as the users' arrays (_senders, _invite), read once per run
        self._threshold, self._cut, self._spam_annoyance, self._mean_price_sens32 = (
            np.float32(r.trust_threshold), np.float32(r.incentive_conversion_cut), np.float32(r.spam_annoyance),
            np.float32(self.mean_price_sens))
        self._koc_rate = r.koc_invites_per_contact / 365.0

    @property
    def net(self):
        """The social network, built on first use (from its own random stream, so building it
        late, or not at all when nobody can invite, changes no result)."""
        if self._net is None:
            self._net = self._build_network()
        return self._net

    def seed_koc(self, day: int) -> None:
        """Recruit referral.koc_count KOCs on day 0 (whole agents, random rounding), chosen at random or by
        contacts; they join the pool (the fee buys reach, not trust)."""
        r, model = self.model.sc.referral, self.model
        if r.seed_koc == "none" or r.koc_count <= 0:
            return
        n = model.users.n
        k = min(whole_agents(r.koc_count, model.scale, model.streams, "koc_count"), n)   # each stands for scale people
        if k <= 0:
            return
        noise = model.streams.uniform("koc", -1, np.arange(n))
        score = noise if r.seed_koc == "random" else self.net.scores("degree") + noise  # noise breaks ties
        chosen = np.argpartition(-score, k - 1)[:k]
        users = model.users
        new = chosen[~users.acquired[chosen]]             # day-0 pool members may be recruited too
        acquisition.admit(model, new, day, np.full(len(new), CH_KOC, dtype=np.int8), join_pool=False)
        containers.join(model, chosen[users.state[chosen] == PUBLIC], day)
        users.koc[chosen] = True
        self.has_koc = True
        model.ledger.add("incentives", k * r.koc_fee_rmb)        # agent units: k x scale KOCs paid in the market

    def daily(self, day: int, pool: np.ndarray) -> None:
        """Today's invitations of pool members `pool` who trust the brand enough, and of KOCs (`_senders`, `send`)."""
        if len(pool) == 0 or (self.rate <= 0 and not self.has_koc):
            return
        users = self.model.users
        net = self.net if self.has_koc else None            # KOCs post to their contacts: the network
        senders, inc = _senders(pool, users.muted, users.trust, users.koc, self._threshold, self.rate,
                                self._koc_rate, self.inc_share, self.model.streams.key("invite", day),
                                net is not None and net.mixed, 0.0 if net is None else float(net.mean_degree),
                                _NO_DEGREE if net is None else net.rows[0])
        self.send(senders, day, inc, ("invite_target", "invite_convert"))

    def unlock(self, idx: np.ndarray, day: int) -> None:
        """Invite-N-to-unlock campaign for members who joined today."""
        r = self.model.sc.referral
        if r.unlock_invites <= 0 or len(idx) == 0:
            return
        net = self.net
        senders = _unlock_senders(idx, self.model.streams.key("unlock", day), float(r.unlock_take_up),
                                  float(r.unlock_invites), net.mixed, float(net.mean_degree), net.rows[0])
        self.send(senders, day, 1.0, ("unlock_target", "unlock_convert"))

    def send(self, senders: np.ndarray, day: int, inc_share, streams: tuple[str, str]) -> None:
        """Invitations from `senders` (one per entry, grouped by sender) to a different contact each;
        admit those who convert. `inc_share`: chance (scalar or per entry) an invitation is
        reward-driven. `streams` name the (target, conversion) random streams of this kind of
        invitation, so daily and unlock invitations on the same day draw independently."""
        if len(senders) == 0:
            return
        model, users, r = self.model, self.model.users, self.model.sc.referral
        net = self.net
        inc = np.asarray(inc_share, dtype=np.float64)
        if len(self._fatigue) <= self._spam_max:          # (1 - spam_fatigue)^k, as NumPy's power gives it
            self._fatigue = (1.0 - r.spam_fatigue) ** np.arange(2 * self._spam_max + 64, dtype=np.int32)
        t, s, most = _invite(senders, model.streams.key(streams[0], day), model.streams.key(streams[1], day),
                       inc if inc.ndim else _NO_SHARE, float(inc) if not inc.ndim else 0.0, r.conversion,
                       self._cut, users.price_sens, self._mean_price_sens32, self._fatigue,
                       self._spam_annoyance, r.spam_trust_cost, net.mixed, net.n, *net.rows, users.state,
                       users.acquired, users.spam_received, users.annoyance, users.trust, users.invites,
                       users.referrals)
        self._spam_max = max(self._spam_max, most)
        model.today["invitations"] += len(senders)
        if len(t) == 0:
            return
        model.ledger.add("incentives", len(t) * r.incentive_rmb)
        model.today["referred_users"] += len(t)
        acquisition.admit(model, t, day, np.full(len(t), CH_REFERRAL, dtype=np.int8), referrer=s)
