"""Where a simulated day's time goes: wall-clock µs per day of each phase of `PoolModel.step`.

    .venv/bin/python benchmarks/profile_day.py full 20000 --runs 5      # every mechanism on
    .venv/bin/python benchmarks/profile_day.py baseline 1000000 --runs 3

Each phase (a mechanism's daily method, or an engine pass) is timed by wrapping it for the run;
nested calls count in their caller (acquisition.settle is the day's newcomer path: first
order, friend request, joining, invite-to-unlock and the referrals that follow). "other" is the
day's remainder: the engine's own lines and Mesa's step. The social network is built
before day 0 and timed apart ("network build", once per run, shown per day; the engine builds it
on first use, from its own random stream, so when it is built changes no result). Figures are medians over runs (seeds
0, 1, ...) after one small warm-up run; the wrappers add about 0.3 µs per call.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_engine import SCENARIOS  # noqa: E402

# (owner, attribute, label): owner is "model", an attribute of the model, or a module of sim.mechanisms
PHASES = (
    ("model.ledger", "new_day", "ledger.new_day"),
    ("staff", "turnover", "staff.turnover"),
    ("model.tiers", "daily", "tiers.daily"),
    ("model.acquisition", "replay", "acquisition.replay"),
    ("model.acquisition", "organic", "acquisition.organic"),
    ("model.acquisition", "paid", "acquisition.paid"),
    ("model.stores", "daily", "stores.daily"),
    ("model.acquisition", "settle", "acquisition.settle (newcomer path)"),
    ("model.users", "customers_and_pool", "users.customers_and_pool"),
    ("model.groups", "daily", "groups.daily"),
    ("messaging", "send", "messaging.send"),
    ("model.service", "daily", "service.daily"),
    ("purchases", "daily", "purchases.daily (+ reinvites)"),
    ("model.leaving", "daily", "leaving.daily"),
    ("model.users", "pool", "users.pool"),
    ("model.groups", "retier", "groups.retier"),
    ("model.referral", "daily", "referral.daily (+ referred newcomers)"),
    ("model.ledger", "close_day", "ledger.close_day"),
    ("model", "_close", "engine close: decay, value at age, counts, record"),
    ("model", "_snapshot_value", "engine value at age"),
    ("model", "_record", "engine record"),
    ("model.datacollector", "collect", "datacollector.collect"),
)


def _owner(model, path: str):
    if path == "model":
        return model
    if path.startswith("model."):
        return getattr(model, path.split(".", 1)[1])
    from sim.engine import model as engine
    return getattr(engine, path)            # the mechanism module as the engine imported it


def profile_run(sc, seed: int) -> dict[str, float]:
    """Seconds per phase of one run (see module docstring)."""
    from sim.engine import model as engine
    spent: dict[str, float] = {}
    undo = []

    def timed(fn, label):
        def wrapper(*a, **k):
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - t
        return wrapper

    m = engine.PoolModel(sc, seed=seed)
    for path, attr, label in PHASES:
        owner = _owner(m, path)
        if owner is not None and hasattr(owner, attr):
            fn = getattr(owner, attr)
            setattr(owner, attr, timed(fn, label))
            if not path.startswith("model"):
                undo.append((owner, attr, fn))
    t = time.perf_counter()
    m.referral.net                                    # built here, not on first use (changes no result)
    net = time.perf_counter() - t
    try:
        t = time.perf_counter()
        for _ in range(sc.horizon_days):
            m.step()
        total = time.perf_counter() - t
    finally:
        for owner, attr, fn in undo:
            setattr(owner, attr, fn)
    out = {"day total": total, "network build (once per run)": net, **spent}
    out["other (engine lines, Mesa's step)"] = total - sum(spent.values())
    return out


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("kind", choices=sorted(SCENARIOS))
    p.add_argument("users", type=int)
    p.add_argument("--days", type=int, default=365)
    p.add_argument("--runs", type=int, default=5)
    a = p.parse_args(argv)
    sc = SCENARIOS[a.kind](a.users, a.days)
    profile_run(SCENARIOS["full"](2000, 30), 99)       # warm-up (compile cache)
    runs = [profile_run(sc, seed) for seed in range(a.runs)]
    labels = sorted({k for r in runs for k in r}, key=lambda k: -statistics.median(r.get(k, 0.0) for r in runs))
    print(f"{a.kind}, {a.users:,} users x {a.days} days, median of {a.runs} runs (µs per day)")
    for k in labels:
        print(f"  {k:52s} {statistics.median(r.get(k, 0.0) for r in runs) / a.days * 1e6:10.1f}")


if __name__ == "__main__":
    main()
