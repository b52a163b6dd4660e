"""Calibrate the lab to a brand's own order history, by simulation, and forecast a holdout period.

`calibrate(orders, holdout_from=None, base=None, seeds=4, ...) -> Calibration`

1. The orders become purchase occasions (sim/lab/orders.py). With `holdout_from`, only occasions
   before it are used, and only customers first seen before it are followed (the cohort exercise
   of Fader, Hardie & Lee 2005).
2. Directly estimated from the data (no simulation needed): the order value level
   (`market.price_rmb`, from the mean repeat order value; the fit runs at this level, since whether
   a would-be order stalls depends on its value, and it is refined after the fit), its spread across customers
   (`market.order_value_spread`, one-way analysis of variance of log order values less the spread the
   segments and city tiers already give) and, when a `returned` column exists,
   `economics.pool_return_rate`.
3. Fitted by simulation: the repeat-purchase process (`FITTED`: purchase rhythm and its spread,
   lapse and the spread of proneness to leave, and, when the data has `joined_pool`, the pool's lift
   `market.public_buy_factor`). Each trial runs the lab's own engine on the base scenario with the
   observed first purchases replayed (who arrived when, through which channel, who joined the
   pool when), on the same seeds for every trial (common random numbers), and scores the
   simulated customer base against the real one on summary statistics: the distribution of repeat
   counts, recency by repeat count, and repeat purchases in four-week blocks. The search is Optuna's
   CMA-ES sampler (Akiba et al. 2019; Hansen's CMA-ES through the `cmaes` package): the score is a
   simulation output, piecewise constant in the parameters and noisy, which rules out gradient
   methods and makes SciPy's simplex stall on plateaus; CMA-ES adapts to correlated parameters (lapse
   and the spread of proneness to leave trade off), needs no smoothness, and is seeded (the same seed
   gives the same fit). Optuna's TPE sampler was tried first: on CDNOW it reached worse scores in the
   same number of trials. The best few trials are re-run on fresh seeds before one is chosen, and the
   trial history gives an approximate range for each parameter (`uncertainty`).
4. The fitted scenario is run with `seeds` seeds on every customer through the holdout; the BG/NBD
   model fitted to the same calibration period (sim/lab/bgnbd.py) gives the standard forecast to
   set it against.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.errors import UsageError, quote
from ..core.places import SCENARIOS_DIR
from ..core.population import CHANNELS, TIER12_SPEND, segment_profiles
from ..core.scenario import Scenario, load_scenario
from ..engine.model import PoolModel
from ..mechanisms.history import Arrivals
from ..mechanisms.purchases import stall_share
from . import bgnbd
from . import orders as od
from .experiments import check_count, check_seeds
from .interrupts import optimize

DEFAULT_BASE = SCENARIOS_DIR / "baseline.yaml"
# key -> (low, high, log scale): the repeat-purchase process, fitted by simulation
FITTED = {"market.purchase_cycle_days": (3.0, 3000.0, True), "market.purchase_rate_spread": (0.0, 3.0, False),
          "market.lapse_per_year": (0.02, 20.0, True), "market.leaving_spread": (0.0, 3.0, False)}
POOL_LIFT = {"market.public_buy_factor": (0.02, 1.0, False)}
COUNT_BINS = 8          # repeat counts 0, 1, ..., 6, 7+
RECENCY_BINS = 4        # where in their observed life repeat buyers last bought (quarters) ...
FREQUENCY_GROUPS = np.array([1, 2, 4])   # ... for repeat counts 1, 2-3, 4+
FORECAST_AGENTS = 20_000  # agents of the final forecast (customers repeated if fewer)
RECHECK = 8             # best trials re-run on fresh seeds before one is chosen
BLOCK_DAYS = 28         # repeat purchases are matched in four-week blocks (weekly counts are mostly noise)
CHANNEL_CODE = {"douyin": 0, "xiaohongshu": 1, "ecommerce": 2, "other": CHANNELS.index("organic")}


@dataclass
class Cohort:
    """The customers followed: first day, channel code and pool-joining day (or None) per customer,
    in calibration-period days from `start`; `cal_days` days of calibration, `days` in all."""
    ids: np.ndarray
    first_day: np.ndarray
    channel: np.ndarray
    pool_day: np.ndarray | None
    start: pd.Timestamp
    cal_days: int
    days: int

    def subset(self, idx: np.ndarray) -> "Cohort":
        return Cohort(self.ids[idx], self.first_day[idx], self.channel[idx],
                      None if self.pool_day is None else self.pool_day[idx], self.start, self.cal_days, self.days)

    def agents(self, target: int, seed: int = 0) -> "Cohort":
        """About `target` simulated agents for these customers: a fixed random sample of a large cohort, or
        each customer repeated (a heavy-tailed customer base needs many agents for a steady estimate)."""
        n = len(self.ids)
        if n > target:
            return self.subset(np.sort(np.random.default_rng(seed).choice(n, target, replace=False)))
        return self.subset(np.tile(np.arange(n), max(1, target // n)))


@dataclass
class Observed:
    """What a customer base looks like at the end of calibration, and day by day."""
    repeats: np.ndarray            # per customer, repeat occasions in the calibration period
    last_day: np.ndarray           # per customer, day of the last occasion in the calibration period
    daily: np.ndarray              # repeat occasions per day, days 0..days-1
    value_factor: float = math.nan  # mean repeat order value / market.price_rmb (simulated only)


@dataclass
class Calibration:
    """The result of `calibrate`: fitted keys, the fitted scenario, actual vs simulated, BG/NBD."""
    params: dict
    uncertainty: dict
    scenario: Scenario
    source: str
    fitted_on: str
    cohort: Cohort
    actual: Observed
    simulated: list[Observed]
    baseline: bgnbd.BGNBD
    holdout_from: pd.Timestamp | None
    customers: pd.DataFrame
    distance: float
    trials: int
    seconds: float
    notes: list[str] = field(default_factory=list)
    holdout_range: list[float] | None = None   # holdout forecasts of the RECHECK best-fitting parameter sets

    def weekly(self) -> pd.DataFrame:
        """Week by week: actual and simulated (mean over seeds) repeat purchases, BG/NBD's forecast, and
        whether the week is in the holdout."""
        c = self.cohort
        sim = np.mean([s.daily for s in self.simulated], axis=0)
        bg = np.diff(np.concatenate([[0.0], self.baseline.cumulative(c.first_day, c.days)]))
        week = np.arange(c.days) // 7
        df = pd.DataFrame({"week": week, "actual": self.actual.daily, "predicted": sim, "bgnbd": bg,
                           "holdout": np.arange(c.days) >= c.cal_days})
        out = df.groupby("week").agg(actual=("actual", "sum"), predicted=("predicted", "sum"),
                                     bgnbd=("bgnbd", "sum"), holdout=("holdout", "min"))
        out.insert(0, "week_start", [(c.start + pd.Timedelta(days=7 * w)).date().isoformat() for w in out.index])
        return out.reset_index(drop=True)

    def period(self, holdout: bool) -> dict:
        """Repeat purchases of the cohort in the calibration or holdout period: actual, simulated, BG/NBD."""
        c = self.cohort
        sl = slice(c.cal_days, c.days) if holdout else slice(0, c.cal_days)
        sims = np.array([s.daily[sl].sum() for s in self.simulated])
        cum = self.baseline.cumulative(c.first_day, c.days)
        bg = cum[-1] - cum[c.cal_days - 1] if holdout else cum[c.cal_days - 1]
        actual = float(self.actual.daily[sl].sum())
        extra = {"predicted_range": self.holdout_range} if holdout and self.holdout_range else {}
        return {**extra, "actual_repeat_orders": actual, "predicted_repeat_orders": float(sims.mean()),
                "predicted_by_seed": [float(v) for v in sims], "bgnbd_repeat_orders": float(bg),
                "error": float(sims.mean() / actual - 1) if actual else math.nan,
                "bgnbd_error": float(bg / actual - 1) if actual else math.nan}

    def count_histogram(self) -> pd.DataFrame:
        """Customers by repeat purchases in the calibration period (0..6, 7+): actual, simulated."""
        sim = np.mean([_count_shares(s.repeats) for s in self.simulated], axis=0) * len(self.actual.repeats)
        labels = [str(k) for k in range(COUNT_BINS - 1)] + [f"{COUNT_BINS - 1}+"]
        return pd.DataFrame({"repeat_purchases": labels, "actual": _count_shares(self.actual.repeats) * len(self.actual.repeats),
                             "simulated": sim})

    def to_dict(self) -> dict:
        """The content of fit.json."""
        weekly = self.weekly()
        rows = lambda w: [{"week_start": r.week_start, "actual": float(r.actual), "predicted": float(r.predicted),  # noqa: E731
                           "bgnbd": float(r.bgnbd)} for r in w.itertuples()]
        cal = {**self.period(False), "weekly": rows(weekly[~weekly["holdout"]])}
        hold = {**self.period(True), "weekly": rows(weekly[weekly["holdout"]])} if self.holdout_from is not None else None
        b = self.baseline
        return {
            "source": self.source, "fitted_on": self.fitted_on,
            "holdout_from": None if self.holdout_from is None else self.holdout_from.date().isoformat(),
            "customers": int(len(self.cohort.ids)), "seeds": len(self.simulated), "trials": self.trials,
            "distance": self.distance, "seconds": round(self.seconds, 1),
            "params": self.params, "uncertainty": self.uncertainty,
            "calibration": cal, "holdout": hold,
            "baseline_model": {"model": "BG/NBD", "library": b.library,
                               "params": {"r": b.r, "alpha_days": b.alpha, "a": b.a, "b": b.b},
                               "log_likelihood": b.log_likelihood,
                               "calibration": {k: cal[k] for k in ("actual_repeat_orders", "bgnbd_repeat_orders")},
                               "holdout": None if hold is None else {k: hold[k] for k in ("actual_repeat_orders",
                                                                                           "bgnbd_repeat_orders")}},
            "notes": self.notes,
        }


# ----------------------------------------------------------------- statistics

def _count_shares(repeats: np.ndarray) -> np.ndarray:
    return np.bincount(np.minimum(repeats, COUNT_BINS - 1), minlength=COUNT_BINS) / max(len(repeats), 1)


def _recency_shares(obs: Observed, cohort: Cohort) -> np.ndarray:
    """Share of customers by repeat count (1, 2-3, 4+) and the quarter of their observed life in which they
    last bought: a frequent buyer who stopped long ago has probably left (the signal BTYD models read)."""
    life = np.maximum(cohort.cal_days - 1 - cohort.first_day, 1)
    frac = np.clip((obs.last_day - cohort.first_day) / life, 0, 0.999)
    q = (frac * RECENCY_BINS).astype(int)
    f = np.searchsorted(FREQUENCY_GROUPS, obs.repeats, side="right") - 1
    cell = f * RECENCY_BINS + q
    return np.bincount(cell[obs.repeats > 0], minlength=len(FREQUENCY_GROUPS) * RECENCY_BINS) / len(obs.repeats)


def _weekly_per_customer(obs: Observed, cohort: Cohort) -> np.ndarray:
    """Repeat purchases per customer in each BLOCK_DAYS-day block of the calibration period."""
    d = obs.daily[: cohort.cal_days]
    blocks = len(d) // BLOCK_DAYS
    return d[: blocks * BLOCK_DAYS].reshape(blocks, BLOCK_DAYS).sum(axis=1) / len(obs.repeats)


def statistics(obs: Observed, cohort: Cohort) -> np.ndarray:
    """The summary statistics a fit matches: repeat-count shares, recency shares, weekly repeats per customer."""
    return np.concatenate([_count_shares(obs.repeats), _recency_shares(obs, cohort), _weekly_per_customer(obs, cohort)])


def distance(sim: np.ndarray, actual: np.ndarray, n: int, n_shares: int) -> float:
    """Sum of squared standardised differences: shares against their binomial standard error, weekly
    repeats per customer against their Poisson one (n = customers in the data)."""
    var = np.empty_like(actual)
    a = actual[:n_shares]
    var[:n_shares] = a * (1 - a) / n
    var[n_shares:] = actual[n_shares:] / n
    var = np.maximum(var, 1.0 / n ** 2)
    return float(np.sum((sim - actual) ** 2 / var))


# ----------------------------------------------------------------- data -> cohort

def holdout_date(value) -> pd.Timestamp:
    """`value` (a date, or text such as 2024-07-01) as a Timestamp; UsageError naming holdout_from otherwise."""
    try:
        cut = pd.Timestamp(value)
    except (ValueError, TypeError):
        cut = pd.NaT
    if cut is pd.NaT:
        raise UsageError(f"holdout_from = {quote(value)}: not a date (YYYY-MM-DD, e.g. 2024-07-01)")
    return cut


def prepare(occ: pd.DataFrame, holdout_from=None, source: str = "<orders>"):
    """Check the split and return (cohort, actual, calibration occasions)."""
    start, last = occ["date"].min(), occ["date"].max()
    if holdout_from is not None:
        cut = holdout_date(holdout_from)
        if not (start < cut <= last):
            raise UsageError(f"{source}: --holdout-from {cut.date()} is outside the data ({start.date()} .. {last.date()}); "
                             "pick a date inside it")
        cal, hold = od.calibration_and_holdout_data(occ, cut)
        od.check_enough(cal, source, f"the calibration period before {cut.date()}")
        if len(hold) == 0:
            raise UsageError(f"{source}: no repeat purchases after --holdout-from {cut.date()}: nothing to forecast")
        cal_days, days = (cut - start).days, (last - start).days + 1
        occ = pd.concat([cal, hold], ignore_index=True)
    else:
        od.check_enough(occ, source)
        cal, cal_days = occ, (last - start).days + 1
        days = cal_days
    firsts = occ[occ["first"]].sort_values("customer_id")
    ids = firsts["customer_id"].to_numpy()
    first_day = (firsts["date"] - start).dt.days.to_numpy()
    channel = firsts["channel"].map(CHANNEL_CODE).to_numpy(np.int8)
    pool_day = None
    if "joined_pool" in firsts:
        jp = firsts["joined_pool"]
        pool_day = np.where(jp.notna(), (jp - start).dt.days.fillna(-1).to_numpy(), -1).astype(np.int64)
        pool_day = np.where(pool_day >= 0, np.maximum(pool_day, first_day), np.where(jp.notna(), first_day, -1))
    cohort = Cohort(ids, first_day, channel, pool_day, start, cal_days, days)
    pos = pd.Series(np.arange(len(ids)), index=ids)
    rep = occ[~occ["first"]]
    who = pos[rep["customer_id"]].to_numpy()
    day = (rep["date"] - start).dt.days.to_numpy()
    in_cal = day < cal_days
    repeats = np.bincount(who[in_cal], minlength=len(ids))
    last_day = first_day.copy()
    np.maximum.at(last_day, who[in_cal], day[in_cal])
    actual = Observed(repeats, last_day, np.bincount(day, minlength=days).astype(float))
    return cohort, actual, cal


def estimate_values(cal: pd.DataFrame, base: Scenario) -> tuple[dict, dict]:
    """Order value spread (one-way ANOVA of log occasion values, less the segment and city-tier spread
    the model already has), price level and return rate, estimated directly; returns (params, standard errors)."""
    y = np.log(cal.loc[cal["amount"] > 0, "amount"].to_numpy())
    cust = cal.loc[cal["amount"] > 0, "customer_id"].to_numpy()
    g = pd.DataFrame({"c": cust, "y": y}).groupby("c")["y"]
    means, counts = g.mean(), g.size()
    resid = y - means[cust].to_numpy()
    within = float(np.sum(resid ** 2) / max(len(y) - len(means), 1))
    between = float(np.var(means.to_numpy(), ddof=1) - within * np.mean(1.0 / counts.to_numpy()))
    m = base.market
    seg = np.array([m.segments.deal_seeker, m.segments.quality_seeker, m.segments.loyal_prone])
    spend = segment_profiles(m)["spend"]
    x = np.log(np.concatenate([spend, spend * TIER12_SPEND]))
    w = np.concatenate([seg * (1 - m.tier12_share), seg * m.tier12_share])
    model_var = float(np.sum(w * x ** 2) - np.sum(w * x) ** 2)
    params = {"market.order_value_spread": round(float(np.sqrt(max(between - model_var, 0.0))), 4)}
    se = {}
    rep = cal[~cal["first"]]
    params["market.price_rmb"] = price_level(float(rep["amount"].mean()), w, np.exp(x),
                                             params["market.order_value_spread"], base.service.consider_half_rmb,
                                             base.service.self_close)
    if rep["returned"].any():
        p = float(rep["returned"].mean())
        params["economics.pool_return_rate"] = round(p, 4)
        se["economics.pool_return_rate"] = round(math.sqrt(p * (1 - p) / len(rep)), 4)
    return params, se


def price_level(mean_value: float, weights: np.ndarray, spend: np.ndarray, spread: float, half: float,
                self_close: float) -> float:
    """market.price_rmb at which the mean of the orders that go ahead is the data's `mean_value`: a would-be
    order of value v stalls with chance stall_share(v) and then goes ahead with chance self_close
    (purchases.py; no consultations in a history), so the orders a history records lean to the cheaper ones. `weights` and `spend` are the segment and tier shares and spend factors; `spread`
    the individual log-sd (quantiles of a mean-one lognormal). The fit simulates at this level (stalls
    as in the data); `calibrate` then refines it with the fitted customers' repeat-weighted value factor."""
    from scipy.optimize import brentq
    from scipy.special import ndtri
    z = ndtri((np.arange(200) + 0.5) / 200)
    factor = (spend[:, None] * np.exp(spread * z - 0.5 * spread * spread)[None, :]).ravel()
    w = np.repeat(weights, len(z))

    def kept_mean(price: float) -> float:
        keep = w * (1.0 - stall_share(price * factor, half) * (1.0 - self_close))
        return float(np.sum(keep * price * factor) / np.sum(keep))

    lo, hi = mean_value / factor.max(), mean_value / factor.min()   # kept_mean(p) lies in p x [min, max] factor
    return round(float(brentq(lambda p: kept_mean(p) - mean_value, lo, hi, xtol=1e-6 * mean_value)), 2)


# ----------------------------------------------------------------- simulation

def sim_scenario(base: Scenario, cohort: Cohort, params: dict, days: int) -> Scenario:
    """The base scenario as a replay of the history: no acquisition or referral arrivals of its own
    (the data's first purchases are replayed), with `params` applied."""
    n = max(len(cohort.ids), 10)      # one agent per customer of the history (population scale 1)
    over = {"market.users": n, "market.agents": n, "horizon_days": days, "acquisition.daily_budget": 0.0,
            "market.organic_discovery_per_year": 0.0, "market.organic_per_customer_per_year": 0.0,
            "referral.invites_per_year": 0.0, "referral.unlock_invites": 0,
            "referral.koc_count": 0, "pool.initial_members": 0, "pool.initial_from": ""}
    if cohort.pool_day is not None:  # the data says who joined the pool when; friend requests add no one
        over.update({f"pool.accept_{w}_{c}": 0.0 for w in ("buyer", "nonbuyer") for c in ("personal", "wecom")})
    over.update(params)
    return base.with_overrides(over, source=f"{base.name} (calibration replay)")


def simulate(sc: Scenario, cohort: Cohort, seed: int, days: int) -> Observed:
    """Run the engine with the cohort's first purchases replayed; observe it like the data."""
    model = PoolModel(sc, seed=seed, arrivals=Arrivals(cohort.first_day, cohort.channel, cohort.pool_day))
    users = model.users
    daily = np.zeros(days)
    snap = None
    for d in range(days):
        model.step()
        daily[d] = model.today["orders"] - model.today["new_customers"]
        if d == cohort.cal_days - 1:
            snap = (users.orders[: len(cohort.ids)] - 1, users.last_order_day[: len(cohort.ids)].copy())
    repeats, last = snap if snap is not None else (users.orders - 1, users.last_order_day.copy())
    n = len(cohort.ids)
    rep = np.maximum(repeats, 0)
    factor = float(np.sum(users.order_value[:n] * rep) / max(rep.sum(), 1) / sc.market.price_rmb)
    return Observed(rep, np.maximum(last, cohort.first_day), daily, factor)


def _suggest(trial, space: dict) -> dict:
    return {k: trial.suggest_float(k, lo, hi, log=log) for k, (lo, hi, log) in space.items()}


def fit(base: Scenario, cohort: Cohort, actual: Observed, fixed: dict, trials: int, fit_seeds: int,
        max_agents: int, seed: int = 0) -> dict:
    """Optuna CMA-ES search of the repeat-purchase process, then the RECHECK best trials re-run on fresh
    seeds through the whole data period (the best of many noisy trials is partly luck: it is chosen on
    the mean of both runs). Returns the chosen params, its distance, the study, the value factor, the
    number of statistics, and the re-run candidates with their holdout forecasts."""
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    n = len(cohort.ids)
    sample = cohort.agents(max_agents, seed)
    target = statistics(actual, cohort)
    n_shares = COUNT_BINS + RECENCY_BINS * len(FREQUENCY_GROUPS)
    space = {**FITTED, **(POOL_LIFT if cohort.pool_day is not None else {})}
    factors = {}

    def score(params, seeds, days):
        runs = [simulate(sim_scenario(base, sample, {**fixed, **params}, days), sample, s, days) for s in seeds]
        stats = np.mean([statistics(r, sample) for r in runs], axis=0)
        return distance(stats, target, n, n_shares), runs

    def objective(trial):
        d, runs = score(_suggest(trial, space), range(fit_seeds), cohort.cal_days)
        factors[trial.number] = float(np.mean([r.value_factor for r in runs]))
        return d

    x0 = {k: _start(base, k, lo, hi) for k, (lo, hi, _) in space.items()}
    sampler = optuna.samplers.CmaEsSampler(seed=seed, warn_independent_sampling=False)
    study = optuna.create_study(direction="minimize", sampler=sampler)
    study.enqueue_trial(x0)                       # the base scenario's own values are tried first
    optimize(study, objective, n_trials=trials)     # Ctrl-C: one KeyboardInterrupt (sim.lab.interrupts)
    checks = []
    for t in sorted((t for t in study.trials if t.value is not None), key=lambda t: t.value)[:RECHECK]:
        d, runs = score(t.params, range(1000, 1000 + fit_seeds), cohort.days)
        ahead = float(np.mean([r.daily[cohort.cal_days:].sum() for r in runs]) * n / len(sample.ids))
        checks.append({"params": t.params, "distance": (t.value + d) / 2, "holdout": ahead, "factor": factors[t.number]})
    best = min(checks, key=lambda c: c["distance"])
    return {"params": best["params"], "distance": best["distance"], "study": study, "factor": best["factor"],
            "n_stats": len(target), "rechecked": checks}


def _start(base: Scenario, key: str, lo: float, hi: float) -> float:
    v = base.get(key)
    v = base.market.trait_spread if v is None else v
    return float(min(max(v, lo), hi))


def uncertainty(study, best: float, n_stats: int) -> dict:
    """Approximate 95% range of each fitted key: the trials whose distance is within 4 x max(1, best/stats)
    of the best (a profile of the search, scaled for over-dispersion like a chi-square per degree of freedom)."""
    ok = [t for t in study.trials if t.value is not None and t.value <= best + 4.0 * max(1.0, best / n_stats)]
    return {k: [round(min(t.params[k] for t in ok), 4), round(max(t.params[k] for t in ok), 4)] for k in ok[0].params}


def customers_table(occ: pd.DataFrame, pool_known: bool) -> pd.DataFrame:
    """The history's customers at its last day, for pool.initial_from (sim/mechanisms/history.py)."""
    end = occ["date"].max()
    g = occ.groupby("customer_id", sort=True)
    kept = occ["amount"].where(~occ["returned"], 0.0).groupby(occ["customer_id"]).sum()
    out = pd.DataFrame({"first_order_days_ago": (end - g["date"].min()).dt.days,
                        "last_order_days_ago": (end - g["date"].max()).dt.days,
                        "orders": g.size(), "spend": kept.round(2),
                        "in_pool": (g["joined_pool"].min().notna() & (g["joined_pool"].min() <= end)).astype(int)
                        if pool_known else 0})
    return out.reset_index()


def calibrate(orders, holdout_from=None, base: Scenario | str | Path | None = None, seeds: int = 4,
              columns: dict | None = None, trials: int = 150, fit_seeds: int = 2, max_agents: int = 5000,
              seed: int = 0) -> Calibration:
    """Fit the repeat-purchase process of `base` (default scenarios/baseline.yaml) to an order history
    (a CSV path or DataFrame) and forecast it; see the module docstring. Same inputs, same fit."""
    t0 = time.perf_counter()
    seeds, fit_seeds = check_seeds(seeds), check_seeds(fit_seeds, "fit_seeds")
    trials, max_agents = check_count(trials, "trials", 1, unit="trials"), check_count(max_agents, "max_agents", 10)
    holdout_from = None if holdout_from is None else holdout_date(holdout_from)
    base_sc = base if isinstance(base, Scenario) else load_scenario(base or DEFAULT_BASE)
    table = od.read_orders(orders, columns)
    source = table.attrs["source"]
    occ = od.occasions(table)
    cohort, actual, cal = prepare(occ, holdout_from, source)
    fixed, se = estimate_values(cal, base_sc)
    found = fit(base_sc, cohort, actual, fixed, trials, fit_seeds, max_agents, seed)
    best, dist, factor = found["params"], found["distance"], found["factor"]
    rep = cal[~cal["first"]]
    price = float(rep["amount"].mean()) / factor
    params = {**{k: round(float(v), 4) for k, v in best.items()}, **fixed, "market.price_rmb": round(price, 2)}
    rel = float(rep["amount"].std(ddof=1) / np.sqrt(len(rep)) / rep["amount"].mean())  # relative SE of the mean
    unc = {**uncertainty(found["study"], dist, found["n_stats"]),
           **{k: [round(params[k] - 1.96 * s, 4), round(params[k] + 1.96 * s, 4)] for k, s in se.items()},
           "market.price_rmb": [round(price * (1 - 1.96 * rel), 2), round(price * (1 + 1.96 * rel), 2)]}
    agents = cohort.agents(max(FORECAST_AGENTS, len(cohort.ids)))
    final = sim_scenario(base_sc, agents, params, cohort.days)
    sims = [simulate(final, agents, s, cohort.days) for s in range(seeds)]
    for o in sims:                                   # per the cohort's customers (agents may repeat them)
        o.daily *= len(cohort.ids) / len(agents.ids)
    summ = od.summary_data_from_transaction_data(cal, cohort.start + pd.Timedelta(days=cohort.cal_days - 1))
    summ = summ.loc[cohort.ids]
    baseline = bgnbd.fit(summ["frequency"], summ["recency"], summ["T"])
    customers = customers_table(occ, cohort.pool_day is not None)
    fitted_sc = base_sc.with_overrides({**params, "pool.initial_from": "", "name": f"{base_sc.name}_calibrated",
                                        "market.users": max(base_sc.market.users, len(customers))},
                                       source=f"{base_sc.name} (calibrated)")
    notes = [f"{len(cohort.ids):,} customers; fit on {min(len(cohort.ids), max_agents):,} of them as "
             f"{len(cohort.agents(max_agents, seed).ids):,} agents x {fit_seeds} seeds per trial; forecast on all as "
             f"{len(agents.ids):,} agents x {seeds} seeds"]
    if cohort.pool_day is not None:
        notes.append("market.public_buy_factor is identified only by customers whose joining the pool does not follow "
                     "their buying; if most repeat buyers join, it trades off against the purchase-rate spread: check its range")
    if cohort.pool_day is None:
        notes.append("no joined_pool column: market.public_buy_factor stays an assumption; the base scenario's friend "
                     "requests decide who joins the pool")
    return Calibration(params=params, uncertainty=unc, scenario=fitted_sc, source=source,
                       fitted_on=pd.Timestamp.now(tz="UTC").date().isoformat(), cohort=cohort, actual=actual,
                       simulated=sims, baseline=baseline,
                       holdout_from=None if holdout_from is None else pd.Timestamp(holdout_from),
                       customers=customers, distance=dist, trials=trials, seconds=time.perf_counter() - t0, notes=notes,
                       holdout_range=[min(c["holdout"] for c in found["rechecked"]), max(c["holdout"] for c in found["rechecked"])]
                       if holdout_from is not None else None)
