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
With the days each customer spent in the pool known (`joined_pool`), the rate on those days is
lam (1 + pool_lift): each member is compared with themself before joining, the gamma heterogeneity of lam
taking the frequent buyers' readiness to join (selection on their level) out of the lift.
Because lam multiplies a rate that is known given the customer's own purchase days, the gamma mixing stays
in closed form with time replaced by exposure, the sum of g x trend x pool over the days observed (the
device Bachmann, Meierer & Naef 2021 use for time-varying covariates in latent attrition models).

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

from dataclasses import dataclass, replace

import numpy as np
from scipy import special

from .btyd_kernels import NODES, WEIGHTS, _exposure, _ll_grad, _log_dead_anytime, _pieces_after_purchase

ANYTIME, AFTER_PURCHASE = "anytime", "after_purchase"


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
    join: np.ndarray | None = None   # day each customer joined the pool (from their first purchase), inf: never

    @property
    def joins(self) -> np.ndarray:
        return self.join if self.join is not None else np.full(self.n, np.inf)

    @property
    def has_pool(self) -> bool:
        """Whether some customers' days in the pool are known (then a fit can read the pool's lift)."""
        return self.join is not None and bool(np.isfinite(self.join).any())

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
    pool_lift: float = 0.0             # relative rise of the rate on days in the pool (Histories.join)
    log_likelihood_value: float = np.nan

    @property
    def name(self) -> str:
        parts = ["Pareto/NBD" if self.leaving == ANYTIME else "BG/NBD"]
        if self.kappa:
            parts.append("after-purchase burst" if self.kappa > 0 else "after-purchase lull")
        if self.trend:
            parts.append("calendar trend")
        if self.pool_lift:
            parts.append("pool lift")
        return " + ".join(parts)

    @property
    def params(self) -> dict:
        out = {"r": self.r, "alpha_days": self.alpha}
        out.update({"s": self.s, "beta_days": self.beta} if self.leaving == ANYTIME else {"a": self.a, "b": self.b})
        if self.kappa:
            out.update({"burst": self.kappa, "burst_days": self.theta})
        if self.trend:
            out["trend_per_year"] = self.trend
        if self.pool_lift:
            out["pool_lift"] = self.pool_lift
        return out

    def with_(self, **kw) -> "Process":
        return replace(self, **kw)

    def exposure(self, h: Histories) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(exposure to the last purchase E_x, exposure to the end E_T, sum over repeat purchases of the log of
        the rate multiplier on their day), per customer; (tx, T, 0) with no burst and no trend."""
        if not self.kappa and not self.trend and not self.pool_lift:
            return h.tx, h.T, np.zeros(h.n)
        return _exposure(h.x, h.tx, h.T, h.gap_who.astype(np.int64), h.gap_start.astype(float), h.gap_len.astype(float),
                         float(self.kappa), float(self.theta), float(self.trend), h.joins, float(self.pool_lift))

    def _parts(self, h: Histories):
        """log of the likelihood's (alive at T) and (left before T) pieces, each with the common head, and E_T."""
        ex, et, slg = self.exposure(h)
        ex, et, slg = (np.asarray(v, dtype=float) for v in (ex, et, slg))
        r, al, x = self.r, self.alpha, h.x
        if self.leaving == ANYTIME:
            head = special.gammaln(r + x) - special.gammaln(r) + r * np.log(al) + slg
            alive = head - (r + x) * np.log(al + et) + self.s * (np.log(self.beta) - np.log(self.beta + h.T))
            dead = head + _log_dead_anytime(r, al, self.s, self.beta, float(self.kappa), float(self.theta),
                                            float(self.trend), x, h.tx, h.T, ex, NODES, WEIGHTS, h.joins,
                                            float(self.pool_lift))
        else:
            alive, dead = _pieces_after_purchase(float(r), float(al), float(self.a), float(self.b), x, ex, et, slg)
        return alive, dead, et

    def log_likelihood_and_gradient(self, h: Histories, exposure: bool = True) -> tuple[float, np.ndarray]:
        """Total log-likelihood and its gradient in (r, alpha, s|a, beta|b, kappa, theta, trend, pool_lift); with
        `exposure` False the burst, trend and pool are taken as absent (faster; their derivatives are 0). The
        histories' gaps must be known (h.has_gaps)."""
        p3, p4 = (self.s, self.beta) if self.leaving == ANYTIME else (self.a, self.b)
        return _ll_grad(self.leaving == ANYTIME, float(self.r), float(self.alpha), float(p3), float(p4),
                        float(self.kappa), float(self.theta), float(self.trend), h.x, h.tx, h.T, h.gap_ptr,
                        h.gap_start.astype(float), h.gap_len.astype(float), NODES, WEIGHTS, bool(exposure), h.joins,
                        float(self.pool_lift))

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
        p_alive; given alive, lam ~ Gamma(rate_shape, rate_scale_days) (per day, on the public side, at the
        level the history ends on), and mu ~ Gamma(leave_shape, leave_scale_days) or p ~ Beta(leave_a, leave_b),
        independent."""
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
        if self.kappa or self.trend or self.pool_lift:
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
