"""Maximum-likelihood fits of the customer process (sim/core/btyd.py) and their uncertainty.

  VARIANTS                      the candidate processes: leaving (anytime | after a purchase) x after-purchase
                                burst (no | yes) x calendar trend (no | yes)
  fit(h, variant)               -> Process at the maximum of the likelihood (SciPy L-BFGS-B on transformed
                                   parameters, started from the nested standard model's fit)
  covariance(proc, h, variant)  -> covariance of the transformed parameters (inverse numerical Hessian)
  draw_params(proc, cov, k, rng) -> k parameter sets from the asymptotic normal (parameter uncertainty)

Transformed parameters: logs of r, alpha, s, beta (or a, b) and of kappa + 0.95 (kappa > -0.95: a burst after a
purchase when positive, a lull when negative, as regular buyers have); theta (days) as a logistic
between 1 and 365 days; the trend (per year) as is, within +-3.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize

from ...core.btyd import AFTER_PURCHASE, ANYTIME, Histories, Process

THETA_LO, THETA_HI = 1.0, 90.0    # a burst lasts days to weeks; longer, it stands in for a decline with age
KAPPA_MIN, KAPPA_MAX = 0.95, 20.0   # the burst: above -0.95 (a lull keeps 5% of the rate), at most +20 (the schema's range)
TREND_STARTS = (-0.5, 0.5)   # a trend's likelihood can have a saddle at 0: it is searched from both sides
TREND_MAX = 3.0


@dataclass(frozen=True)
class Variant:
    leaving: str
    burst: bool = False
    trend: bool = False
    pool: bool = False            # the pool's lift on days in the pool (histories with joined_pool)

    @property
    def label(self) -> str:
        return ("Pareto/NBD" if self.leaving == ANYTIME else "BG/NBD") + (" + burst" if self.burst else "") + \
            (" + trend" if self.trend else "") + (" + pool lift" if self.pool else "")

    @property
    def n_params(self) -> int:
        return 4 + 2 * self.burst + self.trend + self.pool


STANDARD = (Variant(AFTER_PURCHASE), Variant(ANYTIME))
VARIANTS = tuple(Variant(lv, b, t) for lv in (AFTER_PURCHASE, ANYTIME) for b in (False, True) for t in (False, True))


def _pack(p: Process, v: Variant) -> np.ndarray:
    main = [p.r, p.alpha] + ([p.s, p.beta] if v.leaving == ANYTIME else [p.a, p.b])
    out = list(np.log(main))
    if v.burst:
        f = (p.theta - THETA_LO) / (THETA_HI - THETA_LO)
        out += [np.log(p.kappa + KAPPA_MIN), np.log(f / (1 - f))]
    if v.trend:
        out.append(p.trend)
    if v.pool:
        out.append(np.log1p(p.pool_lift))
    return np.array(out, dtype=float)


def _unpack(z: np.ndarray, v: Variant) -> Process:
    e = np.exp(np.clip(z[:4], -30, 30))
    kw = {"s": e[2], "beta": e[3]} if v.leaving == ANYTIME else {"a": e[2], "b": e[3]}
    if v.burst:
        kw["kappa"] = float(np.exp(np.clip(z[4], -30, np.log(KAPPA_MAX + KAPPA_MIN))) - KAPPA_MIN)
        kw["theta"] = float(THETA_LO + (THETA_HI - THETA_LO) / (1 + np.exp(-np.clip(z[5], -30, 30))))
    k = 4 + 2 * v.burst
    if v.trend:
        kw["trend"] = float(np.clip(z[k], -TREND_MAX, TREND_MAX))
        k += 1
    if v.pool:
        kw["pool_lift"] = float(np.expm1(np.clip(z[k], -5, 5)))
    return Process(v.leaving, float(e[0]), float(e[1]), **{k: float(x) for k, x in kw.items()})


def _nll_grad(z, h: Histories, v: Variant):
    """Negative log-likelihood and its gradient in the transformed parameters (chain rule from btyd's gradient)."""
    p = _unpack(z, v)
    ll, g = p.log_likelihood_and_gradient(h, v.burst or v.trend or v.pool)
    if not np.isfinite(ll) or not np.all(np.isfinite(g)):
        return 1e300, np.zeros(len(z))
    main = [p.r, p.alpha] + ([p.s, p.beta] if v.leaving == ANYTIME else [p.a, p.b])
    out = list(np.asarray(g[:4]) * np.asarray(main))
    if v.burst:
        f = (p.theta - THETA_LO) / (THETA_HI - THETA_LO)
        out += [g[4] * (p.kappa + KAPPA_MIN), g[5] * (THETA_HI - THETA_LO) * f * (1 - f)]
    if v.trend:
        out.append(g[6])
    if v.pool:
        out.append(g[7] * (1.0 + p.pool_lift))
    return -ll, -np.array(out)


def _nll(z, h: Histories, v: Variant) -> float:
    val = -float(np.sum(_unpack(z, v).log_likelihood(h)))
    return val if np.isfinite(val) else 1e300


def _start(h: Histories, v: Variant, base: Process | None) -> np.ndarray:
    if base is not None:
        start = base.with_(trend=0.0) if base.kappa else base.with_(kappa=0.0, theta=30.0, trend=0.0)
        return _pack(start if v.pool else start.with_(pool_lift=0.0), v)
    m = max(float(np.mean(h.T)), 1.0)
    p = (Process(ANYTIME, 0.5, m / 2, s=0.5, beta=m) if v.leaving == ANYTIME
         else Process(AFTER_PURCHASE, 0.5, m / 10, a=1.0, b=2.0))
    return _pack(p.with_(kappa=1.0 if v.burst else 0.0, pool_lift=0.3 if v.pool else 0.0), v)


def fit(h: Histories, v: Variant, base: Process | None = None) -> Process:
    """The variant's maximum-likelihood Process on histories `h`: L-BFGS-B on the analytic gradient, from `base` (a
    fitted model the variant nests: the standard one, or the one with the burst) or, without one, from two starts
    (the standard models' surface has long flat valleys); a trend is searched from both sides of 0. Histories
    without purchase gaps (a summary only) have no analytic gradient: a simplex search, then differences."""
    z0 = _start(h, v, base)
    if not h.has_gaps:        # no gaps, no analytic gradient: a simplex search first, then L-BFGS-B on differences
        z0 = optimize.minimize(_nll, z0, args=(h, v), method="Nelder-Mead",
                               options={"xatol": 1e-3, "fatol": 1e-3, "maxiter": 600, "maxfev": 600}).x
        res = optimize.minimize(_nll, z0, args=(h, v), method="L-BFGS-B")
        return _unpack(res.x, v).with_(log_likelihood_value=-float(res.fun))
    starts = [z0] if base is not None else [z0, _pack(_unpack(z0, v).with_(r=1.0, alpha=float(np.mean(h.T)) / 2), v)]
    if v.trend:
        k = 4 + 2 * v.burst
        starts = [np.r_[z[:k], t, z[k + 1:]] for z in starts for t in TREND_STARTS]
    res = min((optimize.minimize(_nll_grad, z, args=(h, v), jac=True, method="L-BFGS-B") for z in starts),
              key=lambda r: r.fun)
    return _unpack(res.x, v).with_(log_likelihood_value=-float(res.fun))


def covariance(proc: Process, h: Histories, v: Variant) -> np.ndarray:
    """Covariance of the transformed parameters: the inverse of the negative log-likelihood's Hessian at the fit
    (central differences of the analytic gradient; of the likelihood itself when the gaps are unknown); a
    pseudo-inverse where it is near singular."""
    z = _pack(proc, v)
    k = len(z)
    step = 1e-4 * np.maximum(1.0, np.abs(z))
    hess = np.empty((k, k))
    if h.has_gaps:
        for i in range(k):
            e = np.eye(k)[i] * step[i]
            hess[i] = (_nll_grad(z + e, h, v)[1] - _nll_grad(z - e, h, v)[1]) / (2 * step[i])
        hess = (hess + hess.T) / 2
    else:
        f0 = _nll(z, h, v)
        for i in range(k):
            for j in range(i, k):
                ei, ej = np.eye(k)[i] * step[i], np.eye(k)[j] * step[j]
                val = ((_nll(z + ei, h, v) - 2 * f0 + _nll(z - ei, h, v)) / step[i] ** 2 if i == j else
                       (_nll(z + ei + ej, h, v) - _nll(z + ei - ej, h, v) - _nll(z - ei + ej, h, v)
                        + _nll(z - ei - ej, h, v)) / (4 * step[i] * step[j]))
                hess[i, j] = hess[j, i] = val
    return np.linalg.pinv(hess)


MAX_VARIANCE = 0.25      # a direction the data barely pins down is drawn at most +-1 sd = x1.65 (log scale)


def draw_params(proc: Process, cov: np.ndarray, v: Variant, k: int, rng: np.random.Generator) -> list[Process]:
    """k parameter sets drawn from the fit's asymptotic normal (on the transformed parameters); directions the
    likelihood is nearly flat in (a pseudo-inverse's huge variances) are capped at MAX_VARIANCE."""
    z = _pack(proc, v)
    cov = (cov + cov.T) / 2
    w, vec = np.linalg.eigh(cov)
    root = vec * np.sqrt(np.clip(w, 0, MAX_VARIANCE))
    return [_unpack(z + root @ rng.standard_normal(len(z)), v) for _ in range(k)]


def pool_lift_interval(proc: Process, cov: np.ndarray, v: Variant, z95: float = 1.96) -> tuple[float, float]:
    """95% interval of the pool's lift from the likelihood's curvature (on log(1 + lift), the last parameter)."""
    z = _pack(proc, v)[-1]
    se = float(np.sqrt(max(cov[-1, -1], 0.0)))
    return float(np.expm1(z - z95 * se)), float(np.expm1(z + z95 * se))
