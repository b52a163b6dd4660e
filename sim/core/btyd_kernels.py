"""The customer process's compiled kernels (sim/core/btyd.py has the model and what it means): exposures, the
likelihood's pieces, and the log-likelihood with its gradient for fitting.

Analytic derivatives make a maximum-likelihood fit a few dozen evaluations instead of hundreds: with respect to
(r, alpha, s or a, beta or b) from the closed forms, and to (kappa, theta, trend) through the exposures
(tests/test_calibrate.py checks them against finite differences). Leaving at any time is integrated by
Gauss-Legendre quadrature on log(1 + days): 10 nodes are within 1e-5 of CDNOW's log-likelihood from 32.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

NODES, WEIGHTS = np.polynomial.legendre.leggauss(10)


@njit(cache=True, inline="always")
def _geo(z, d):
    """sum_{k=1}^{d} z^k for z > 0 and d >= 0 (d may be fractional: the same closed form); inf at d = inf, z < 1."""
    if abs(z - 1.0) < 1e-6:                     # near 1 the closed form cancels: its series in (z - 1)
        return d + (z - 1.0) * d * (d + 1.0) / 2.0
    if math.isinf(d):
        return z / (1.0 - z)
    return z * (1.0 - z ** d) / (1.0 - z)


@njit(cache=True, inline="always")
def _segment(c0, d, kappa, q, trend):
    """Exposure of the d days after calendar day c0 (a purchase day): sum over k = 1..d of
    e^(trend (c0 + k) / 365) (1 + kappa q^k)."""
    e = math.exp(trend / 365.0)
    w = math.exp(trend / 365.0 * c0)
    return w * (_geo(e, d) + kappa * _geo(q * e, d))


@njit(cache=True, inline="always")
def _before(join, start, d):
    """Of the d days after customer day `start`, how many come before the pool-joining day `join` (a member from
    that day on; inf = never)."""
    return min(max(join - 1.0 - start, 0.0), d)


@njit(cache=True)
def _exposure(x, tx, T, gap_who, gap_start, gap_len, kappa, theta, trend, join, lift):
    """(E_x, E_T, sum over repeat purchases of log(rate multiplier on their day)) per customer; days in the pool
    (from `join`, per customer) count 1 + lift times."""
    n = x.shape[0]
    q = math.exp(-1.0 / theta)
    ex = np.zeros(n)
    slg = np.zeros(n)
    if gap_who.shape[0] > 0 or n == 0:
        for g in range(gap_who.shape[0]):
            i = gap_who[g]
            c0 = gap_start[g] - T[i]
            full = _segment(c0, gap_len[g], kappa, q, trend)
            ex[i] += full
            if lift != 0.0:
                ex[i] += lift * (full - _segment(c0, _before(join[i], gap_start[g], gap_len[g]), kappa, q, trend))
                if gap_start[g] + gap_len[g] >= join[i]:
                    slg[i] += math.log1p(lift)
            slg[i] += trend / 365.0 * (c0 + gap_len[g]) + math.log1p(kappa * q ** gap_len[g])
    else:
        for i in range(n):
            ex[i] = _segment(-T[i], tx[i], 0.0, q, trend)
            if x[i] > 0:
                ex[i] += kappa * math.exp(-trend / 365.0 * T[i]) * x[i] * _geo(q, math.inf)
            slg[i] = x[i] * trend / 365.0 * (tx[i] - T[i])
    et = np.empty(n)
    for i in range(n):
        full = _segment(tx[i] - T[i], T[i] - tx[i], kappa, q, trend)
        et[i] = ex[i] + full
        if lift != 0.0:
            et[i] += lift * (full - _segment(tx[i] - T[i], _before(join[i], tx[i], T[i] - tx[i]), kappa, q, trend))
    return ex, et, slg


@njit(cache=True)
def _log_dead_anytime(r, alpha, s, beta, kappa, theta, trend, x, tx, T, ex, nodes, weights, join, lift):
    """Per customer, log of the integral over the leaving time tau in (tx, T) of
    (alpha + E(tau))^-(r+x) s beta^s (beta + tau)^-(s+1) (the alpha^r and gamma terms are outside); -inf if tx = T."""
    n = x.shape[0]
    out = np.empty(n)
    q = math.exp(-1.0 / theta)
    k = nodes.shape[0]
    for i in range(n):
        if T[i] <= tx[i]:
            out[i] = -np.inf
            continue
        lo, hi = math.log1p(tx[i]), math.log1p(T[i])
        half = 0.5 * (hi - lo)
        mid = 0.5 * (lo + hi)
        f = np.empty(k)
        top = -np.inf
        for j in range(k):
            u = mid + half * nodes[j]
            tau = math.expm1(u)
            full = _segment(tx[i] - T[i], tau - tx[i], kappa, q, trend)
            e = ex[i] + full
            if lift != 0.0:
                e += lift * (full - _segment(tx[i] - T[i], _before(join[i], tx[i], tau - tx[i]), kappa, q, trend))
            f[j] = (-(r + x[i]) * math.log(alpha + e) + math.log(s) + s * math.log(beta)
                    - (s + 1.0) * math.log(beta + tau) + u)
            top = max(top, f[j])
        acc = 0.0
        for j in range(k):
            acc += weights[j] * math.exp(f[j] - top)
        out[i] = top + math.log(acc * half)
    return out


@njit(cache=True, inline="always")
def _betaln(a, b):
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


@njit(cache=True)
def _pieces_after_purchase(r, alpha, a, b, x, ex, et, slg):
    """Per customer, log of the likelihood's (alive at T) and (left after the last purchase) pieces, each with
    the common factor Gamma(r + x) alpha^r / Gamma(r) x the rate multipliers (BG/NBD)."""
    n = x.shape[0]
    alive = np.empty(n)
    dead = np.empty(n)
    lr, bab = math.lgamma(r), _betaln(a, b)
    for i in range(n):
        head = math.lgamma(r + x[i]) - lr + r * math.log(alpha) + slg[i]
        alive[i] = head + _betaln(a, b + x[i]) - bab - (r + x[i]) * math.log(alpha + et[i])
        if x[i] > 0:
            dead[i] = head + _betaln(a + 1.0, b + x[i] - 1.0) - bab - (r + x[i]) * math.log(alpha + ex[i])
        else:
            dead[i] = -np.inf
    return alive, dead



@njit(cache=True, inline="always")
def _digamma(x):
    """psi(x) for x > 0: the recurrence up to 6, then the asymptotic series (error < 1e-12)."""
    acc = 0.0
    while x < 6.0:
        acc -= 1.0 / x
        x += 1.0
    f = 1.0 / (x * x)
    return acc + math.log(x) - 0.5 / x - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))))


@njit(cache=True, inline="always")
def _dgeo(z, d):
    """d/dz of sum_{k=1}^{d} z^k."""
    if abs(z - 1.0) < 1e-9:
        return d * (d + 1.0) / 2.0
    zd = z ** d
    return (1.0 - (d + 1.0) * zd + d * zd * z) / ((1.0 - z) * (1.0 - z))


@njit(cache=True, inline="always")
def _segment_d(c0, d, kappa, theta, trend, q, e, out):
    """_segment and its derivatives in out[0..3] = (value, d/dkappa, d/dtheta, d/dtrend); q = e^(-1/theta) and
    e = e^(trend/365) passed in (they do not change within a fit's evaluation)."""
    w = math.exp(trend / 365.0 * c0) if trend != 0.0 else 1.0
    qe = q * e
    g2 = _geo(qe, d)
    dg2 = _dgeo(qe, d) if kappa != 0.0 or trend != 0.0 else 0.0
    if trend != 0.0:
        g1 = _geo(e, d)
        out[3] = c0 / 365.0 * w * (g1 + kappa * g2) + w * (_dgeo(e, d) * e / 365.0 + kappa * dg2 * qe / 365.0)
    else:
        g1 = d
        out[3] = c0 / 365.0 * (d + kappa * g2) + (d * (d + 1.0) / 2.0 / 365.0 + kappa * dg2 * qe / 365.0)
    out[0] = w * (g1 + kappa * g2)
    out[1] = w * g2
    out[2] = w * kappa * dg2 * qe / (theta * theta)


@njit(cache=True, inline="always")
def _pooled(c0, start, d, join, kappa, theta, trend, lift, q, e, seg, pre, out):
    """Exposure of the d days after customer day `start` (calendar c0) with the days in the pool at 1 + lift, and its
    derivatives: out[0] value, out[1..3] d/d(kappa, theta, trend), out[4] d/dlift."""
    _segment_d(c0, d, kappa, theta, trend, q, e, seg)
    for k in range(4):
        out[k] = seg[k]
    out[4] = 0.0
    if join < math.inf:
        _segment_d(c0, _before(join, start, d), kappa, theta, trend, q, e, pre)
        for k in range(4):
            out[k] += lift * (seg[k] - pre[k])
        out[4] = seg[0] - pre[0]


@njit(cache=True)
def _exposure_d(i, x, tx, T, ptr, gap_start, gap_len, kappa, theta, trend, join, lift, dex, det, dslg, seg, pre, out):
    """Customer i's (E_x, E_T, slg) with their derivatives in dex, det, dslg (kappa, theta, trend, lift)."""
    q = math.exp(-1.0 / theta)
    e = math.exp(trend / 365.0)
    ex = 0.0
    slg = 0.0
    for k in range(4):
        dex[k] = 0.0
        dslg[k] = 0.0
    for g in range(ptr[i], ptr[i + 1]):
        c0 = gap_start[g] - T[i]
        _pooled(c0, gap_start[g], gap_len[g], join[i], kappa, theta, trend, lift, q, e, seg, pre, out)
        ex += out[0]
        for k in range(4):
            dex[k] += out[k + 1]
        ql = q ** gap_len[g]
        m = 1.0 + kappa * ql
        slg += trend / 365.0 * (c0 + gap_len[g]) + math.log(m)
        dslg[0] += ql / m
        dslg[1] += kappa * gap_len[g] * ql / (theta * theta) / m
        dslg[2] += (c0 + gap_len[g]) / 365.0
        if gap_start[g] + gap_len[g] >= join[i]:           # bought while in the pool
            slg += math.log1p(lift)
            dslg[3] += 1.0 / (1.0 + lift)
    _pooled(tx[i] - T[i], tx[i], T[i] - tx[i], join[i], kappa, theta, trend, lift, q, e, seg, pre, out)
    et = ex + out[0]
    for k in range(4):
        det[k] = dex[k] + out[k + 1]
    return ex, et, slg


@njit(cache=True)
def _ll_grad(leaving_anytime, r, alpha, p3, p4, kappa, theta, trend, x, tx, T, ptr, gap_start, gap_len, nodes, weights,
             with_exposure, join, lift):
    """Total log-likelihood and its gradient in (r, alpha, s|a, beta|b, kappa, theta, trend, lift); the last four
    only `with_exposure` (otherwise the exposures are the plain days and those derivatives are left 0)."""
    n = x.shape[0]
    grad = np.zeros(8)
    dex, det, dslg, seg = np.zeros(4), np.zeros(4), np.zeros(4), np.zeros(4)
    pre, out = np.zeros(4), np.zeros(5)
    plain = not with_exposure
    total = 0.0
    psi_r = _digamma(r)
    lr = math.lgamma(r)
    qq, ee = math.exp(-1.0 / theta), math.exp(trend / 365.0)
    log_p3, log_p4, log_w = math.log(p3), math.log(p4), np.log(weights)
    k = nodes.shape[0]
    fj = np.empty(k)
    ej = np.empty(k)
    dej = np.empty((k, 4))
    tau = np.empty(k)
    if not leaving_anytime:
        bab, psi_a, psi_b, psi_ab = _betaln(p3, p4), _digamma(p3), _digamma(p4), _digamma(p3 + p4)
    for i in range(n):
        xi = x[i]
        if plain:
            ex, et, slg = tx[i], T[i], 0.0
            for m in range(4):
                dex[m] = det[m] = dslg[m] = 0.0
        else:
            ex, et, slg = _exposure_d(i, x, tx, T, ptr, gap_start, gap_len, kappa, theta, trend, join, lift,
                                      dex, det, dslg, seg, pre, out)
        head = math.lgamma(r + xi) - lr + r * math.log(alpha) + slg
        dh_r = _digamma(r + xi) - psi_r + math.log(alpha)
        dh_al = r / alpha
        la_e = math.log(alpha + et)
        # the alive piece
        if leaving_anytime:
            s, be = p3, p4
            A = head - (r + xi) * la_e + s * (math.log(be) - math.log(be + T[i]))
            dA3 = math.log(be) - math.log(be + T[i])
            dA4 = s / be - s / (be + T[i])
        else:
            a, b = p3, p4
            psi_abx = _digamma(a + b + xi)
            A = head + _betaln(a, b + xi) - bab - (r + xi) * la_e
            dA3 = psi_ab - psi_abx
            dA4 = _digamma(b + xi) - psi_abx - psi_b + psi_ab
        dA_r = dh_r - la_e
        dA_al = dh_al - (r + xi) / (alpha + et)
        dA_e = -(r + xi) / (alpha + et)                          # per unit of E_T
        # the left-before-T piece
        D = -np.inf
        dD_r = dD_al = dD3 = dD4 = 0.0
        dD_exp = np.zeros(4)
        if leaving_anytime:
            if T[i] > tx[i]:
                lo, hi = math.log1p(tx[i]), math.log1p(T[i])
                half = 0.5 * (hi - lo)
                mid = 0.5 * (lo + hi)
                top = -np.inf
                for j in range(k):
                    u = mid + half * nodes[j]
                    tau[j] = math.expm1(u)
                    if plain:
                        ej[j] = tau[j]
                        dej[j, 0] = dej[j, 1] = dej[j, 2] = dej[j, 3] = 0.0
                    else:
                        _pooled(tx[i] - T[i], tx[i], tau[j] - tx[i], join[i], kappa, theta, trend, lift, qq, ee,
                                seg, pre, out)
                        ej[j] = ex + out[0]
                        for m in range(4):
                            dej[j, m] = dex[m] + out[m + 1]
                    fj[j] = (log_w[j] - (r + xi) * math.log(alpha + ej[j]) + log_p3 + p3 * log_p4
                             - (p3 + 1.0) * math.log(p4 + tau[j]) + u)
                    top = max(top, fj[j])
                acc = 0.0
                for j in range(k):
                    fj[j] = math.exp(fj[j] - top)
                    acc += fj[j]
                D = head + top + math.log(acc * half)
                dD_r = dh_r
                dD_al = dh_al
                for j in range(k):
                    wj = fj[j] / acc
                    dD_r -= wj * math.log(alpha + ej[j])
                    dD_al -= wj * (r + xi) / (alpha + ej[j])
                    dD3 += wj * (1.0 / p3 + math.log(p4) - math.log(p4 + tau[j]))
                    dD4 += wj * (p3 / p4 - (p3 + 1.0) / (p4 + tau[j]))
                    for m in range(4):
                        dD_exp[m] += wj * (-(r + xi) / (alpha + ej[j])) * dej[j, m]
        elif xi > 0:
            a, b = p3, p4
            psi_abx = _digamma(a + b + xi)
            la_x = math.log(alpha + ex)
            D = head + _betaln(a + 1.0, b + xi - 1.0) - bab - (r + xi) * la_x
            dD_r = dh_r - la_x
            dD_al = dh_al - (r + xi) / (alpha + ex)
            dD3 = _digamma(a + 1.0) - psi_abx - psi_a + psi_ab
            dD4 = _digamma(b + xi - 1.0) - psi_abx - psi_b + psi_ab
            for m in range(4):
                dD_exp[m] = -(r + xi) / (alpha + ex) * dex[m]
        if D == -np.inf:
            ll, w = A, 1.0
        else:
            top = max(A, D)
            ll = top + math.log(math.exp(A - top) + math.exp(D - top))
            w = math.exp(A - ll)
        total += ll
        grad[0] += w * dA_r + (1.0 - w) * dD_r
        grad[1] += w * dA_al + (1.0 - w) * dD_al
        grad[2] += w * dA3 + (1.0 - w) * dD3
        grad[3] += w * dA4 + (1.0 - w) * dD4
        for m in range(4):            # head's slg is in both pieces; the rest through each piece's exposure
            grad[4 + m] += dslg[m] + w * dA_e * det[m] + (1.0 - w) * dD_exp[m]
    return total, grad
