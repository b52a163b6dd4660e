"""Calibrate the lab to a brand's own order history: the customer twin, its forecast of months it did not
see, and the scenario that starts a run from the brand's own customers.

`calibrate(orders, holdout_from=None, base=None, seeds=4, columns=None, seed=0) -> Calibration`

1. The orders become purchase occasions (sim/lab/orders.py: several orders of one customer on one day are
   one). With `holdout_from`, the fit sees only the days before it, and the customers first seen before it
   are followed after it (the cohort exercise of Fader, Hardie & Lee 2005).
2. Read straight from the data: the order value level and its spread across customers, the return rate
   (`estimate_values`).
3. The customer process (sim/core/btyd.py) is fitted by maximum likelihood and chosen (sim/lab/clv/twin.py):
   purchase rates and leaving, an after-purchase burst, and a calendar trend when a validation split inside
   the calibration period says it forecasts better. BG/NBD and Pareto/NBD, fitted on the same days, are the
   standard models set beside it.
4. Each known customer starts as their own agent, drawn from their posterior given their own history
   (whether they are still a customer, their rate, their leaving): `customers.csv`. The engine runs the
   status quo forward from the end of the calibration period: that is the lab's forecast, with an interval
   from the fit's parameter uncertainty (draws from the likelihood's curvature) and the simulation's noise.
5. The scenario that comes out is the status quo: the base scenario with the fitted keys, the brand's own
   customers on day 0 (`pool.initial_from`) and, when the data has no `joined_pool` column, nobody added to a
   pool (the data shows none); with one, the pool's lift fitted and the strategy's pool mechanisms off
   (twin.status_quo). Run as it is, it goes on as the forecast; a strategy changes levers on top.
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
from ..core.population import TIER12_SPEND, segment_profiles
from ..core.scenario import Scenario, load_scenario
from ..mechanisms.purchases import stall_share
from . import orders as od
from . import effects as fx
from .clv import fit as F
from .clv import twin
from .clv.data import histories
from .experiments import check_seeds

DEFAULT_BASE = SCENARIOS_DIR / "baseline.yaml"
HORIZON_DAYS = 365          # the forecast's length without a holdout
INTERVAL_DRAWS = 8          # parameter sets drawn for the forecast's interval
VALIDATION_SHARE = 0.4      # the validation split holds out at most this share of the calibration days
MIN_VALIDATION_DAYS = 28
LEAVING_UNSURE = 0.5        # relative standard error of the mean leaving rate above which the note says so


@dataclass
class Calibration:
    """The result of `calibrate` (module docstring); `to_dict()` is fit.json."""
    source: str
    fitted_on: str
    start: pd.Timestamp                # first day of the data
    end: pd.Timestamp                  # last day of the calibration period
    holdout_from: pd.Timestamp | None
    ids: np.ndarray                    # the customers followed (first seen by `end`), sorted
    choice: twin.Choice
    params: dict                       # the fitted scenario keys
    uncertainty: dict                  # approximate 95% range of each
    scenario: Scenario                 # the status quo with the fitted keys
    customers: pd.DataFrame            # customers.csv
    actual_daily: np.ndarray           # the followed customers' repeat purchases per day, start .. data end
    calibration_counts: np.ndarray     # per customer, repeat purchases in the calibration period
    forecast_daily: np.ndarray         # the engine's forecast per seed and day after `end`
    forecast_per_customer: np.ndarray
    interval: list                     # 90% interval of the forecast's total (parameter draws and seeds)
    holdout_per_customer: np.ndarray | None
    measured: dict = field(default_factory=dict)   # effects from a contact export and a campaign log (effects.py)
    seconds: float = 0.0
    notes: list = field(default_factory=list)

    @property
    def process(self):
        return self.choice.process

    @property
    def cal_days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def days(self) -> int:
        return len(self.actual_daily)

    def _hist(self):
        x = self.calibration_counts.astype(float)
        c = self.customers
        T = c["first_order_days_ago"].to_numpy(float)
        from ..core.btyd import Histories
        return Histories.from_summary(x, T - c["last_order_days_ago"].to_numpy(float), T)

    def baseline_daily(self, name: str) -> np.ndarray:
        """A standard model's expected repeat purchases per day of the followed customers: unconditional in the
        calibration period (from each customer's first day), conditional on each history after it."""
        m = self.choice.baselines[name]
        T = self.customers["first_order_days_ago"].to_numpy(float)
        first = self.cal_days - 1 - T                          # day index of each first purchase
        d = np.arange(self.cal_days)
        cum = np.zeros(self.cal_days)
        for f, k in zip(*np.unique(first, return_counts=True)):
            cum += k * m.expected_new(np.maximum(d - f, 0))
        inside = np.diff(np.concatenate([[0.0], cum]))
        ahead = self.days - self.cal_days if self.holdout_from is not None else HORIZON_DAYS
        h = self._hist()
        steps = np.unique(np.r_[np.arange(7, ahead, 7), ahead]).astype(float)
        after = np.array([m.conditional_expected(t, h).sum() for t in steps])
        daily_after = np.interp(np.arange(1, ahead + 1), np.r_[0, steps], np.r_[0, after])
        return np.concatenate([inside, np.diff(np.concatenate([[0.0], daily_after]))])

    def weekly(self) -> pd.DataFrame:
        """Week by week from the first day: actual (to the data's end), the lab's forecast (after the calibration
        period), BG/NBD and Pareto/NBD; whether the week is after the calibration period."""
        n = self.cal_days + self.forecast_daily.shape[1]
        actual = np.full(n, np.nan)
        actual[: self.days] = self.actual_daily
        lab = np.full(n, np.nan)
        lab[self.cal_days:] = self.forecast_daily.mean(axis=0)
        df = pd.DataFrame({"week": np.arange(n) // 7, "actual": actual, "lab": lab,
                           "bgnbd": self.baseline_daily("BG/NBD")[:n], "pareto_nbd": self.baseline_daily("Pareto/NBD")[:n],
                           "after": np.arange(n) >= self.cal_days})
        out = df.groupby("week").agg(actual=("actual", lambda v: v.sum(min_count=1)), lab=("lab", lambda v: v.sum(min_count=1)),
                                     bgnbd=("bgnbd", "sum"), pareto_nbd=("pareto_nbd", "sum"), after=("after", "max"))
        out.insert(0, "week_start", [(self.start + pd.Timedelta(days=7 * w)).date().isoformat() for w in out.index])
        return out.reset_index(drop=True)

    def holdout(self) -> dict | None:
        """The holdout test: actual and predicted repeat purchases of the followed customers after the
        calibration period, the lab (engine) with its interval, BG/NBD and Pareto/NBD, and per-customer accuracy."""
        if self.holdout_from is None:
            return None
        actual = float(self.actual_daily[self.cal_days:].sum())
        runs = self.forecast_daily.sum(axis=1)
        pred = float(runs.mean())
        h = self._hist()
        ahead = self.days - self.cal_days
        per = {"lab": self.forecast_per_customer}
        out = {"days": ahead, "actual_repeat_orders": actual, "predicted_repeat_orders": pred,
               "predicted_interval_90": [float(v) for v in self.interval], "predicted_by_seed": [float(v) for v in runs],
               "error": pred / actual - 1 if actual else math.nan}
        for key, name in (("bgnbd", "BG/NBD"), ("pareto_nbd", "Pareto/NBD")):
            e = self.choice.baselines[name].conditional_expected(float(ahead), h)
            per[key] = e
            out[f"{key}_repeat_orders"] = float(e.sum())
            out[f"{key}_error"] = float(e.sum() / actual - 1) if actual else math.nan
        y = self.holdout_per_customer
        out["per_customer"] = {k: {"correlation": float(np.corrcoef(v, y)[0, 1]) if np.std(v) > 0 and np.std(y) > 0 else math.nan,
                                   "mean_absolute_error": float(np.mean(np.abs(v - y)))} for k, v in per.items()}
        return out

    def effects(self) -> dict:
        """Effects read from the data: the pool's lift on a member's purchase rate (0.30 = +30%) with its 95%
        interval, when the orders say who joined the pool when."""
        ch = self.choice
        out = dict(self.measured)
        if ch.variant is not None and ch.variant.pool:
            lo, hi = F.pool_lift_interval(ch.process, ch.covariance, ch.variant)
            out["pool_lift"] = {"estimate": ch.process.pool_lift, "low": lo, "high": hi,
                                "how": "each member's buying before and after joining, against customers not yet in the "
                                       "pool; who joins is taken out by each customer's own rate (gamma heterogeneity)"}
        return out

    def to_dict(self) -> dict:
        """The content of fit.json."""
        w = self.weekly()
        rows = lambda part: [{"week_start": r.week_start, "actual": None if pd.isna(r.actual) else float(r.actual),  # noqa: E731
                              "lab": None if pd.isna(r.lab) else float(r.lab), "bgnbd": float(r.bgnbd),
                              "pareto_nbd": float(r.pareto_nbd)} for r in part.itertuples()]
        ch, p = self.choice, self.choice.process
        cal_actual = float(self.actual_daily[: self.cal_days].sum())
        hold = self.holdout()
        if hold is not None:
            hold["weekly"] = rows(w[w["after"]])
        ahead = self.forecast_daily.sum(axis=1)
        return {
            "source": self.source, "fitted_on": self.fitted_on,
            "holdout_from": None if self.holdout_from is None else self.holdout_from.date().isoformat(),
            "calibration_end": self.end.date().isoformat(), "customers": int(len(self.ids)),
            "seconds": round(self.seconds, 1),
            "model": {"process": p.name, "leaving": p.leaving, "params": p.params,
                      "log_likelihood": p.log_likelihood_value, "candidates": ch.candidates, "validation": ch.validation,
                      "chosen_by": "leaving: likelihood; burst: maximum likelihood (0 = none); calendar trend: "
                                   "validation split inside the calibration period"},
            "params": self.params, "uncertainty": self.uncertainty,
            "calibration": {"actual_repeat_orders": cal_actual,
                            "bgnbd_repeat_orders": float(w.loc[~w["after"], "bgnbd"].sum()),
                            "pareto_nbd_repeat_orders": float(w.loc[~w["after"], "pareto_nbd"].sum()),
                            "weekly": rows(w[~w["after"]])},
            "holdout": hold,
            "forecast": {"days": int(self.forecast_daily.shape[1]), "predicted_repeat_orders": float(ahead.mean()),
                         "predicted_interval_90": [float(v) for v in self.interval]},
            "baselines": {name: {"params": m.params, "log_likelihood": m.log_likelihood_value,
                                 "library": "SciPy maximum likelihood of the published likelihood"}
                          for name, m in ch.baselines.items()},
            "effects": self.effects(),
            "notes": self.notes,
        }


# ----------------------------------------------------------------- the data

def holdout_date(value) -> pd.Timestamp:
    """`value` (a date, or text such as 2024-07-01) as a Timestamp; UsageError naming holdout_from otherwise."""
    try:
        cut = pd.Timestamp(value)
    except (ValueError, TypeError):
        cut = pd.NaT
    if cut is pd.NaT:
        raise UsageError(f"holdout_from = {quote(value)}: not a date (YYYY-MM-DD, e.g. 2024-07-01)")
    return cut


def _split(occ: pd.DataFrame, holdout_from, source: str) -> pd.Timestamp:
    """The last day of the calibration period, after checking the split and the data's size."""
    start, last = occ["date"].min(), occ["date"].max()
    if holdout_from is None:
        od.check_enough(occ, source)
        return last
    cut = holdout_date(holdout_from)
    if not (start < cut <= last):
        raise UsageError(f"{source}: --holdout-from {cut.date()} is outside the data ({start.date()} .. {last.date()}); "
                         "pick a date inside it")
    cal, hold = od.calibration_and_holdout_data(occ, cut)
    od.check_enough(cal, source, f"the calibration period before {cut.date()}")
    if not (~hold["first"]).any() if len(hold) else True:
        raise UsageError(f"{source}: no repeat purchases after --holdout-from {cut.date()}: nothing to forecast")
    return cut - pd.Timedelta(days=1)


def customer_summary(occ: pd.DataFrame, end: pd.Timestamp, pool_known: bool) -> pd.DataFrame:
    """Per customer first seen by `end` (sorted by id): days since the first and the last purchase, purchase
    days, kept spend and pool membership at `end` (the columns of pool.initial_from's file)."""
    o = occ[occ["date"] <= end]
    g = o.groupby("customer_id", sort=True)
    kept = o["amount"].where(~o["returned"], 0.0).groupby(o["customer_id"]).sum()
    pool = (g["joined_pool"].min().notna() & (g["joined_pool"].min() <= end)).astype(int) if pool_known else 0
    out = pd.DataFrame({"first_order_days_ago": (end - g["date"].min()).dt.days,
                        "last_order_days_ago": (end - g["date"].max()).dt.days,
                        "orders": g.size(), "spend": kept.round(2), "in_pool": pool})
    return out.reset_index()


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
    mean = float(rep["amount"].mean())
    params["market.price_rmb"] = price_level(mean, w, np.exp(x), params["market.order_value_spread"],
                                             base.service.consider_half_rmb, base.service.self_close)
    se["market.price_rmb"] = round(params["market.price_rmb"] * float(rep["amount"].std(ddof=1) / np.sqrt(len(rep)) / mean), 2)
    if rep["returned"].any():
        p = float(rep["returned"].mean())
        params["economics.pool_return_rate"] = round(p, 4)
        se["economics.pool_return_rate"] = round(math.sqrt(p * (1 - p) / len(rep)), 4)
    return params, se


def price_level(mean_value: float, weights: np.ndarray, spend: np.ndarray, spread: float, half: float,
                self_close: float) -> float:
    """market.price_rmb at which the mean of the orders that go ahead is the data's `mean_value`: a would-be
    order of value v stalls with chance stall_share(v) and then goes ahead with chance self_close
    (purchases.py; no consultations in a history), so the orders a history records lean to the cheaper ones.
    `weights` and `spend` are the segment and tier shares and spend factors; `spread` the individual log-sd."""
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


def _repeats_after(occ: pd.DataFrame, ids, lo: pd.Timestamp, hi: pd.Timestamp) -> np.ndarray:
    """Per customer in `ids` (sorted), repeat purchase days in lo < day <= hi."""
    o = occ[(occ["date"] > lo) & (occ["date"] <= hi) & ~occ["first"]]
    return o.groupby("customer_id").size().reindex(ids, fill_value=0).to_numpy()


# ----------------------------------------------------------------- the fit

def calibrate(orders, holdout_from=None, base: Scenario | str | Path | None = None, seeds: int = 4,
              columns: dict | None = None, seed: int = 0, contacts=None, touches=None,
              touch_window: int = 14) -> Calibration:
    """Fit the customer twin to an order history (a CSV path or DataFrame) and forecast it; see the module
    docstring. `base` (default scenarios/baseline.yaml) gives the strategy keys. With `contacts` (a WeCom or SCRM
    contact export) and `touches` (a campaign log with a control group), what they measure goes into
    fit.json's effects and the scenario's keys (sim/lab/effects.py). Same inputs, same fit."""
    t0 = time.perf_counter()
    seeds = check_seeds(seeds)
    holdout_from = None if holdout_from is None else holdout_date(holdout_from)
    base_sc = base if isinstance(base, Scenario) else load_scenario(base or DEFAULT_BASE)
    from ..data import read_contacts, read_touches
    contact_rows = read_contacts(contacts)[0] if contacts is not None else None     # read (and refused) first
    touch_rows = read_touches(touches)[0] if touches is not None else None
    table = od.read_orders(orders, columns)
    source = table.attrs["source"]
    if contact_rows is not None and "joined_pool" not in table:   # a contact export says who joined the pool when
        added = contact_rows.groupby("customer_id")["added"].min()
        table["joined_pool"] = table["customer_id"].map(added)
    occ = od.occasions(table)
    end = _split(occ, holdout_from, source)
    start, last = occ["date"].min(), occ["date"].max()
    pool_known = "joined_pool" in occ
    cal = occ[occ["date"] <= end]
    as_is = twin.status_quo(base_sc, pool_known)
    values, se = estimate_values(cal, as_is)
    valued = as_is.with_overrides(values, source=f"{base_sc.name} (order values)")
    ids, h = histories(occ, end)
    measured, measured_keys = _measured(contact_rows, touch_rows, ids, occ, end, valued, touch_window)
    valued = valued.with_overrides(measured_keys, source=f"{base_sc.name} (measured effects)")
    summary = customer_summary(occ, end, pool_known)
    ahead = (last - end).days if holdout_from is not None else HORIZON_DAYS
    run_seeds = [seed * 1000 + k for k in range(seeds)]

    def validate(leaving: str):
        """Fit with and without a trend on the calibration period's earlier part; forecast its last part."""
        cal_days = (end - start).days + 1
        v = int(min(ahead, VALIDATION_SHARE * cal_days))
        vend = end - pd.Timedelta(days=v)
        if v < MIN_VALIDATION_DAYS or (cal[cal["date"] <= vend]["customer_id"].nunique() < od.MIN_CUSTOMERS):
            return None
        vids, vh = histories(occ, vend)
        vsum = customer_summary(occ, vend, pool_known)
        actual = float(_repeats_after(occ, vids, vend, end).sum())
        start_fit = F.fit(vh, F.Variant(leaving))
        out = {"days": v, "from": (vend + pd.Timedelta(days=1)).date().isoformat(), "actual": actual}
        for key, trend in (("no_trend", False), ("trend", True)):
            p = start_fit = F.fit(vh, F.Variant(leaving, True, trend, vh.has_pool), start_fit)
            sc = valued.with_overrides(twin.process_keys(p, valued))
            daily, _ = twin.run_forecast(sc, twin.customers_table(vsum, vh, p), v, run_seeds[:2])
            out[key] = float(daily.sum(axis=1).mean())
        return out if actual > 0 else None

    choice = twin.choose(h, validate)
    proc = choice.process
    keys = twin.process_keys(proc, valued)
    fitted = valued.with_overrides(keys, source=f"{base_sc.name} (calibrated)")
    customers = twin.customers_table(summary, h, proc)
    daily, per = twin.run_forecast(fitted, customers, ahead, run_seeds)
    # the interval: parameter sets drawn from the likelihood's curvature, one engine run each, with the seeds' spread
    rng = np.random.default_rng(seed)
    draws = F.draw_params(proc, choice.covariance, choice.variant, INTERVAL_DRAWS, rng)
    totals = [twin.run_forecast(fitted.with_overrides(twin.process_keys(p, valued)), twin.customers_table(summary, h, p),
                                ahead, [10_000 + seed * 1000 + k])[0].sum() for k, p in enumerate(draws)]
    totals = np.concatenate([totals, daily.sum(axis=1)])
    interval = [float(np.percentile(totals, 5)), float(np.percentile(totals, 95))]
    days_all = (last - start).days + 1
    rep = occ[occ["customer_id"].isin(ids) & ~occ["first"]]
    actual_daily = np.bincount((rep["date"] - start).dt.days.to_numpy(), minlength=days_all).astype(float)
    params = {**keys, **values, **measured_keys}
    unc = {**_uncertainty(draws, valued, keys, values, se), **measured_ranges(measured, measured_keys, valued, touch_window)}
    written = fitted.with_overrides({"name": f"{base_sc.name}_calibrated", "market.users": max(base_sc.market.users, len(ids))},
                                    source=f"{base_sc.name} (calibrated)")
    notes = _notes(choice, proc, len(ids), pool_known, holdout_from, end)
    return Calibration(source=source, fitted_on=pd.Timestamp.now(tz="UTC").date().isoformat(), start=start, end=end,
                       holdout_from=holdout_from, ids=ids, choice=choice, params=params, uncertainty=unc, scenario=written,
                       customers=customers, actual_daily=actual_daily, calibration_counts=h.x.astype(int),
                       forecast_daily=daily, forecast_per_customer=per, interval=interval,
                       holdout_per_customer=_repeats_after(occ, ids, end, last) if holdout_from is not None else None,
                       measured=measured, seconds=time.perf_counter() - t0, notes=notes)


def _measured(contacts, touches, ids, occ, end, sc: Scenario, window: int) -> tuple[dict, dict]:
    """Effects of a contact export and a campaign log (effects.py) and the scenario keys they set: friend
    acceptance among buyers (the base's container) and the messages' pull on intent (a promotion's lift)."""
    out, keys = {}, {}
    if contacts is not None:
        out.update(fx.contact_effects(contacts, ids, end))
        keys[f"pool.accept_buyer_{sc.pool.container}"] = round(out["accept_buyer"]["estimate"], 4)
    if touches is not None:
        out["touches"] = fx.touch_effects(touches, occ[occ["date"] <= end], window, touches.attrs.get("source", "touches"))
        msg = out["touches"].get("message", {})
        if "relative" in msg and np.isfinite(msg["relative"]):
            keys["messaging.intent_per_open"] = round(min(fx.message_intent(msg["relative"], sc, window), 10.0), 4)
    return out, keys


def _uncertainty(draws, sc: Scenario, keys: dict, values: dict, se: dict) -> dict:
    """Approximate 95% ranges: of the process keys over the parameter draws, of the values from their standard errors."""
    out = {}
    mapped = [twin.process_keys(p, sc) for p in draws]
    for k in keys:
        v = [m[k] for m in mapped if isinstance(m.get(k), (int, float))]
        if v and max(v) > min(v):
            out[k] = [round(float(np.percentile(v, 2.5)), 4), round(float(np.percentile(v, 97.5)), 4)]
    for k, s in se.items():
        out[k] = [round(values[k] - 1.96 * s, 4), round(values[k] + 1.96 * s, 4)]
    return out


def measured_ranges(measured: dict, keys: dict, sc: Scenario, window: int) -> dict:
    """The 95% ranges of the keys the contact export and campaign log set."""
    out = {}
    for k in keys:
        if k.startswith("pool.accept_buyer_"):
            a = measured["accept_buyer"]
            out[k] = [round(a["low"], 4), round(a["high"], 4)]
        elif k == "messaging.intent_per_open":
            m = measured["touches"]["message"]
            out[k] = [round(fx.message_intent(m["relative_low"], sc, window), 4),
                      round(fx.message_intent(m["relative_high"], sc, window), 4)]
    return out


def _notes(choice: twin.Choice, proc, n: int, pool_known: bool, holdout_from, end) -> list[str]:
    notes = [f"{n:,} customers, each their own agent, drawn from their posterior at {end.date()}; the forecast is the "
             f"engine's status quo (nobody added to a pool unless the data says so)"]
    cov = choice.covariance
    if cov is not None and cov.shape[0] >= 4:
        rel = math.sqrt(max(cov[2, 2] + cov[3, 3] - 2 * cov[2, 3], 0.0))    # sd of log(s / beta) or log(a / b)
        if rel > LEAVING_UNSURE:
            notes.append("the calibration period is too short to pin down how fast customers leave (the leaving "
                         f"parameters' relative standard error is about {100 * rel:.0f}%): the forecast's interval is wide")
    if not pool_known:
        notes.append("no joined_pool column: the pool's lift on buying (market.pool_buy_lift) stays an assumption")
    elif proc.pool_lift:
        notes.append(f"the pool's lift on buying, fitted from joined_pool: {100 * proc.pool_lift:+.0f}% "
                     "(market.pool_buy_lift; effects.pool_lift in fit.json has its interval)")
    if choice.validation is None:
        notes.append("the calibration period is too short for a validation split: no calendar trend was tried")
    return notes
