"""The customer process the engine runs and calibration fits: a buy-till-you-die process.

A customer buys as a Poisson process at rate lam x g(d) and stops being a customer at some point:
- lam ~ Gamma(r, alpha) across customers (the NBD's heterogeneity; alpha in days);
- g(d) = 1 + kappa e^(-d / theta), d = days since the customer's last purchase: a burst of buying after a
  purchase when kappa > 0 (CDNOW's buyers come back soon or late), a lull when -1 < kappa < 0 (regular
  buyers rarely buy again the next day); kappa = 0: the standard models;
- leaving is either at any time, an exponential lifetime at rate mu ~ Gamma(s, beta) (Pareto/NBD,
  Schmittlein, Morrison & Colombo 1987), or right after a repeat purchase with probability
  p ~ Beta(a, b) (BG/NBD, Fader, Hardie & Lee 2005).
When fitting, a calendar trend can multiply the rate by e^(trend x c / 365) on calendar day c (0 = the last
day of the history): lam is then the rate at the level the history ends on, which a forecast goes on with.
Because lam multiplies a rate that is known given the customer's own purchase days, the gamma mixing stays
in closed form with time replaced by exposure, the sum of g x trend over the days observed (the device
Bachmann, Meierer & Naef 2021 use for time-varying covariates in latent attrition models).

Time runs in whole days: a customer's first purchase is day 0 and their history ends on day T; the burst is
summed day by day (the engine's daily step). An order history records days with a purchase (occasions);
the fitted lam is their rate, and a calibrated run gives each customer that daily chance (history.py); leaving at any time is integrated over the days after the last
purchase by Gauss-Legendre quadrature on log(1 + days) (10 nodes; the closed form's hypergeometric terms
agree to 1e-8 on CDNOW, and it cannot cancel).

  Histories          per-customer summaries and purchase gaps (sim/lab/clv/data.py builds them)
  Process            one parameter set of the family: .log_likelihood(h), .p_alive(h), .state(h)
  Process.expected_new(t), .conditional_expected(days, h)   closed forms (no burst, no trend)
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from numba import njit
from scipy import special

ANYTIME, AFTER_PURCHASE = "anytime", "after_purchase"
NODES, WEIGHTS = np.polynomial.legendre.leggauss(10)   # 1e-5 of CDNOW's log-likelihood from 32 nodes


@dataclass(frozen=True)
class Histories:
    """Per customer: x repeat purchase days, tx day of the last purchase, T the last day of the history (days
    from the first purchase; the first purchase is on calendar day -T, the history's last day being calendar
    day 0). Gaps: for each repeat purchase, its customer (`gap_who`), the day of the purchase before it
    (`gap_start`) and the days since that one (`gap_len` >= 1). Without gaps (`from_summary`) each closed
    gap is taken as long (its burst spent) and every purchase at the last one's calendar day."""
    x: np.ndarray
    tx: np.ndarray
    T: np.ndarray
    gap_who: np.ndarray
    gap_start: np.ndarray
    gap_len: np.ndarray

    @property
    def n(self) -> int:
        return len(self.x)

    @property
    def has_gaps(self) -> bool:
        return len(self.gap_who) > 0 or not np.any(self.x)

    @property
    def gap_ptr(self) -> np.ndarray:
        """Where each customer's gaps start in the gap arrays (gap_who ascending), and their end."""
        return np.searchsorted(self.gap_who, np.arange(self.n + 1)).astype(np.int64)

    @classmethod
    def from_summary(cls, x, tx, T) -> "Histories":
        x, tx, T = (np.asarray(v, dtype=float) for v in (x, tx, T))
        return cls(x, tx, T, np.zeros(0, np.int64), np.zeros(0), np.zeros(0))


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


@njit(cache=True)
def _exposure(x, tx, T, gap_who, gap_start, gap_len, kappa, theta, trend):
    """(E_x, E_T, sum over repeat purchases of log(rate multiplier on their day)) per customer."""
    n = x.shape[0]
    q = math.exp(-1.0 / theta)
    ex = np.zeros(n)
    slg = np.zeros(n)
    if gap_who.shape[0] > 0 or n == 0:
        for g in range(gap_who.shape[0]):
            i = gap_who[g]
            c0 = gap_start[g] - T[i]
            ex[i] += _segment(c0, gap_len[g], kappa, q, trend)
            slg[i] += trend / 365.0 * (c0 + gap_len[g]) + math.log1p(kappa * q ** gap_len[g])
    else:
        for i in range(n):
            ex[i] = _segment(-T[i], tx[i], 0.0, q, trend)
            if x[i] > 0:
                ex[i] += kappa * math.exp(-trend / 365.0 * T[i]) * x[i] * _geo(q, math.inf)
            slg[i] = x[i] * trend / 365.0 * (tx[i] - T[i])
    et = np.empty(n)
    for i in range(n):
        et[i] = ex[i] + _segment(tx[i] - T[i], T[i] - tx[i], kappa, q, trend)
    return ex, et, slg


@njit(cache=True)
def _log_dead_anytime(r, alpha, s, beta, kappa, theta, trend, x, tx, T, ex, nodes, weights):
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
            e = ex[i] + _segment(tx[i] - T[i], tau - tx[i], kappa, q, trend)
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



# ----------------------------------------------------------------- the log-likelihood's gradient (fitting)
# Analytic derivatives make a fit a few dozen likelihood evaluations instead of hundreds: with respect to
# (r, alpha, s or a, beta or b) from the closed forms, and to (kappa, theta, trend) through the exposures.

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


@njit(cache=True)
def _exposure_d(i, x, tx, T, ptr, gap_start, gap_len, kappa, theta, trend, dex, det, dslg, seg):
    """Customer i's (E_x, E_T, slg) with their derivatives in dex, det, dslg (kappa, theta, trend)."""
    q = math.exp(-1.0 / theta)
    e = math.exp(trend / 365.0)
    ex = 0.0
    slg = 0.0
    for k in range(3):
        dex[k] = 0.0
        dslg[k] = 0.0
    for g in range(ptr[i], ptr[i + 1]):
        c0 = gap_start[g] - T[i]
        _segment_d(c0, gap_len[g], kappa, theta, trend, q, e, seg)
        ex += seg[0]
        for k in range(3):
            dex[k] += seg[k + 1]
        ql = q ** gap_len[g]
        m = 1.0 + kappa * ql
        slg += trend / 365.0 * (c0 + gap_len[g]) + math.log(m)
        dslg[0] += ql / m
        dslg[1] += kappa * gap_len[g] * ql / (theta * theta) / m
        dslg[2] += (c0 + gap_len[g]) / 365.0
    _segment_d(tx[i] - T[i], T[i] - tx[i], kappa, theta, trend, q, e, seg)
    et = ex + seg[0]
    for k in range(3):
        det[k] = dex[k] + seg[k + 1]
    return ex, et, slg


@njit(cache=True)
def _ll_grad(leaving_anytime, r, alpha, p3, p4, kappa, theta, trend, x, tx, T, ptr, gap_start, gap_len, nodes, weights,
             with_exposure):
    """Total log-likelihood and its gradient in (r, alpha, s|a, beta|b, kappa, theta, trend); the last three only
    `with_exposure` (otherwise the exposures are the plain days and those derivatives are left 0)."""
    n = x.shape[0]
    grad = np.zeros(7)
    dex, det, dslg, seg = np.zeros(3), np.zeros(3), np.zeros(3), np.zeros(4)
    plain = not with_exposure
    total = 0.0
    psi_r = _digamma(r)
    lr = math.lgamma(r)
    qq, ee = math.exp(-1.0 / theta), math.exp(trend / 365.0)
    log_p3, log_p4, log_w = math.log(p3), math.log(p4), np.log(weights)
    k = nodes.shape[0]
    fj = np.empty(k)
    ej = np.empty(k)
    dej = np.empty((k, 3))
    tau = np.empty(k)
    if not leaving_anytime:
        bab, psi_a, psi_b, psi_ab = _betaln(p3, p4), _digamma(p3), _digamma(p4), _digamma(p3 + p4)
    for i in range(n):
        xi = x[i]
        if plain:
            ex, et, slg = tx[i], T[i], 0.0
            for m in range(3):
                dex[m] = det[m] = dslg[m] = 0.0
        else:
            ex, et, slg = _exposure_d(i, x, tx, T, ptr, gap_start, gap_len, kappa, theta, trend, dex, det, dslg, seg)
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
        dD_exp = np.zeros(3)
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
                        dej[j, 0] = dej[j, 1] = dej[j, 2] = 0.0
                    else:
                        _segment_d(tx[i] - T[i], tau[j] - tx[i], kappa, theta, trend, qq, ee, seg)
                        ej[j] = ex + seg[0]
                        for m in range(3):
                            dej[j, m] = dex[m] + seg[m + 1]
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
                    for m in range(3):
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
            for m in range(3):
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
        for m in range(3):            # head's slg is in both pieces; the rest through each piece's exposure
            grad[4 + m] += dslg[m] + w * dA_e * det[m] + (1.0 - w) * dD_exp[m]
    return total, grad


@dataclass(frozen=True)
class Process:
    """One member of the family (see the module docstring); rates per day."""
    leaving: str
    r: float
    alpha: float
    s: float = np.nan
    beta: float = np.nan
    a: float = np.nan
    b: float = np.nan
    kappa: float = 0.0
    theta: float = 30.0
    trend: float = 0.0
    log_likelihood_value: float = np.nan

    @property
    def name(self) -> str:
        parts = ["Pareto/NBD" if self.leaving == ANYTIME else "BG/NBD"]
        if self.kappa:
            parts.append("after-purchase burst" if self.kappa > 0 else "after-purchase lull")
        if self.trend:
            parts.append("calendar trend")
        return " + ".join(parts)

    @property
    def params(self) -> dict:
        out = {"r": self.r, "alpha_days": self.alpha}
        out.update({"s": self.s, "beta_days": self.beta} if self.leaving == ANYTIME else {"a": self.a, "b": self.b})
        if self.kappa:
            out.update({"burst": self.kappa, "burst_days": self.theta})
        if self.trend:
            out["trend_per_year"] = self.trend
        return out

    def with_(self, **kw) -> "Process":
        return replace(self, **kw)

    def exposure(self, h: Histories) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(exposure to the last purchase E_x, exposure to the end E_T, sum over repeat purchases of the log of
        the rate multiplier on their day), per customer; (tx, T, 0) with no burst and no trend."""
        if not self.kappa and not self.trend:
            return h.tx, h.T, np.zeros(h.n)
        return _exposure(h.x, h.tx, h.T, h.gap_who.astype(np.int64), h.gap_start.astype(float), h.gap_len.astype(float),
                         float(self.kappa), float(self.theta), float(self.trend))

    def _parts(self, h: Histories):
        """log of the likelihood's (alive at T) and (left before T) pieces, each with the common head, and E_T."""
        ex, et, slg = self.exposure(h)
        ex, et, slg = (np.asarray(v, dtype=float) for v in (ex, et, slg))
        r, al, x = self.r, self.alpha, h.x
        if self.leaving == ANYTIME:
            head = special.gammaln(r + x) - special.gammaln(r) + r * np.log(al) + slg
            alive = head - (r + x) * np.log(al + et) + self.s * (np.log(self.beta) - np.log(self.beta + h.T))
            dead = head + _log_dead_anytime(r, al, self.s, self.beta, float(self.kappa), float(self.theta),
                                            float(self.trend), x, h.tx, h.T, ex, NODES, WEIGHTS)
        else:
            alive, dead = _pieces_after_purchase(float(r), float(al), float(self.a), float(self.b), x, ex, et, slg)
        return alive, dead, et

    def log_likelihood_and_gradient(self, h: Histories, exposure: bool = True) -> tuple[float, np.ndarray]:
        """Total log-likelihood and its gradient in (r, alpha, s|a, beta|b, kappa, theta, trend); with `exposure`
        False the burst and trend are taken as absent (faster; their derivatives are 0). The histories' gaps
        must be known (h.has_gaps)."""
        p3, p4 = (self.s, self.beta) if self.leaving == ANYTIME else (self.a, self.b)
        return _ll_grad(self.leaving == ANYTIME, float(self.r), float(self.alpha), float(p3), float(p4),
                        float(self.kappa), float(self.theta), float(self.trend), h.x, h.tx, h.T, h.gap_ptr,
                        h.gap_start.astype(float), h.gap_len.astype(float), NODES, WEIGHTS, bool(exposure))

    def log_likelihood(self, h: Histories) -> np.ndarray:
        """Per-customer log-likelihood."""
        alive, dead, _ = self._parts(h)
        return np.logaddexp(alive, dead)

    def p_alive(self, h: Histories) -> np.ndarray:
        """Chance each customer is still a customer at the end of their history."""
        alive, dead, _ = self._parts(h)
        return np.exp(alive - np.logaddexp(alive, dead))

    def state(self, h: Histories) -> dict:
        """Each customer's posterior at the end of their history, as the engine draws from it (history.py):
        p_alive; given alive, lam ~ Gamma(rate_shape, rate_scale_days) (per day, at the level the history ends
        on), and mu ~ Gamma(leave_shape, leave_scale_days) or p ~ Beta(leave_a, leave_b), independent."""
        alive, dead, et = self._parts(h)
        out = {"p_alive": np.exp(alive - np.logaddexp(alive, dead)), "rate_shape": self.r + h.x,
               "rate_scale_days": self.alpha + et}
        if self.leaving == ANYTIME:
            out.update(leave_shape=np.full(h.n, self.s), leave_scale_days=self.beta + h.T)
        else:
            out.update(leave_a=np.full(h.n, self.a), leave_b=self.b + h.x)
        return out

    # ------------------------------------------------------------ closed forms (no burst, no trend)
    def _closed_form_only(self):
        if self.kappa or self.trend:
            raise ValueError(f"{self.name}: no closed form with a burst or a trend (the engine simulates it)")

    def expected_new(self, t) -> np.ndarray:
        """E[X(t)], repeat purchases of a new customer in the first t days."""
        self._closed_form_only()
        t = np.maximum(np.asarray(t, dtype=float), 0.0)
        if self.leaving == ANYTIME:
            r, al, s, b = self.r, self.alpha, self.s, self.beta
            if abs(s - 1) < 1e-6:
                return r * b / al * np.log1p(t / b)
            return r * b / (al * (s - 1)) * (1 - (b / (b + t)) ** (s - 1))
        r, al, a, b = self.r, self.alpha, self.a, self.b
        with np.errstate(divide="ignore", invalid="ignore"):
            out = (a + b - 1) / (a - 1) * (1 - (al / (al + t)) ** r * special.hyp2f1(r, b, a + b - 1, t / (al + t)))
        if abs(a - 1) < 1e-3 or not np.all(np.isfinite(out)):
            h = Histories.from_summary(np.zeros(np.size(t)), np.zeros(np.size(t)), np.zeros(np.size(t)))
            out = self._after_purchase_by_quadrature(np.ravel(t)[:, None], h.x, h.T).reshape(np.shape(t))
        return out

    def conditional_expected(self, days, h: Histories) -> np.ndarray:
        """Expected purchases of each customer in the `days` days after the end of their history."""
        self._closed_form_only()
        x, T = h.x, h.T
        pa = self.p_alive(h)
        if self.leaving == ANYTIME:
            s, b = self.s, self.beta
            rate = (self.r + x) / (self.alpha + T)
            ahead = ((b + T) * np.log1p(days / (b + T)) if abs(s - 1) < 1e-6
                     else (b + T) / (s - 1) * (1 - ((b + T) / (b + T + days)) ** (s - 1)))
            return pa * rate * ahead
        r, al, a, b = self.r, self.alpha, self.a, self.b
        z = days / (al + T + days)
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
            part = (a + b + x - 1) / (a - 1) * (1 - ((al + T) / (al + T + days)) ** (r + x)
                                                 * special.hyp2f1(r + x, b + x, a + b + x - 1, z))
        cap = (r + x) / (al + T) * days                     # no leaving at all: the most it can be
        bad = ~np.isfinite(part) | (part < 0) | (part > cap * (1 + 1e-6)) | (abs(a - 1) < 1e-3)
        if bad.any():   # the series fails near a = 1 and for some extreme inputs: integrate over p instead
            part[bad] = self._after_purchase_by_quadrature(days, x[bad], T[bad])
        return pa * part

    def _after_purchase_by_quadrature(self, days, x, T) -> np.ndarray:
        """E over p ~ Beta(a, b + x) of (1 - ((alpha + T) / (alpha + T + p days))^(r + x)) / p: midpoints in
        u = p^a (which takes the p^(a-1) factor), weights (1 - p)^(b + x - 1)."""
        u = (np.arange(4000) + 0.5) / 4000
        p = u ** (1.0 / self.a)
        xb, tb = x[:, None], T[:, None]
        logw = (self.b + xb - 1) * np.log1p(-p)[None, :]
        w = np.exp(logw - logw.max(axis=1, keepdims=True))
        f = -np.expm1((self.r + xb) * (np.log(self.alpha + tb) - np.log(self.alpha + tb + p[None, :] * days))) / p[None, :]
        return np.sum(w * f, axis=1) / np.sum(w, axis=1)
