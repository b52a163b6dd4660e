"""Sweep benchmark: wall-clock speed-up of a 40-run sweep on a Dask LocalCluster, 2 workers vs 1.

    .venv/bin/python benchmarks/bench_sweep.py [--quick]     # prints the rows
    run(quick=False) -> list[dict]                          # used by benchmarks/run.py

The sweep is scenarios/baseline.yaml x messaging.per_week in 10 values x 4 seeds = 40 runs of
150,000 users x 365 days (about 1.4 s per run on the development machine). Each configuration runs
`sim.lab.sweep.sweep(..., backend="dask", address=...)` into a fresh folder on a LocalCluster of W
single-threaded worker processes that was started (and warmed up: every worker has imported sim)
beforehand; the time is the whole sweep() call (connecting, submitting, collecting, writing the run
files and results.csv). Speed-up = time with 1 worker / time with 2 workers (target >= 1.7 on a
machine with >= 2 free cores); the note also gives the speed-up including the cluster start (what
`--workers W` costs end to end). The two tables are also checked to be identical.

Timings depend on what else runs on the machine: on a 2-core machine shared with other work the
second worker competes with that work, and the speed-up drops accordingly (load average is noted).
"""
from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BASELINE = ROOT / "scenarios" / "baseline.yaml"
TARGET = 1.7
GRID = {"messaging.per_week": [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 5, 6]}
SEEDS = 4


def _import_sim():
    import sim.lab.experiments  # noqa: F401 - warms a worker up (imports numpy, pandas, scipy, mesa, sim)
    return True


def _timed_sweep(workers: int, users: int, days: int, folder: Path) -> dict:
    """Start a LocalCluster of `workers` single-threaded processes, warm it up, time the sweep on it.

    Returns wall-clock seconds of the sweep() call (`sweep`), of starting the cluster (`start`),
    the table, and the mean compute seconds of one run on its worker (`per_run`).
    """
    import json
    import logging

    from distributed import Client, LocalCluster

    import sim
    from sim.lab.sweep import sweep
    sc = sim.load_scenario(BASELINE)
    t0 = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster, Client(cluster, set_as_default=False) as client:
        client.run(_import_sim)
        start = time.perf_counter() - t0
        t1 = time.perf_counter()
        table = sweep(sc, grid=GRID, seeds=SEEDS, out=folder, backend="dask", address=cluster.scheduler_address,
                      users=users, days=days, progress=False)
        wall = time.perf_counter() - t1
    recs = [json.loads(p.read_text()) for p in (folder / "runs").glob("*.json")]
    per_run = sum(r["seconds"] for r in recs) / len(recs)
    cpu = sum(r.get("cpu_seconds", math.nan) for r in recs) / len(recs)
    return {"sweep": wall, "start": start, "table": table, "per_run": per_run, "cpu": cpu}


def _per_run_note(m: dict) -> str:
    note = f"one run: {m['per_run']:.2f} s wall, {m['cpu']:.2f} s CPU on its worker"
    if m["per_run"] > 1.3 * m["cpu"]:
        note += " (wall > CPU: the worker waited for a core taken by other work)"
    return note


def run(quick: bool = False, log=print) -> list[dict]:
    import pandas as pd
    users, days = (5_000, 120) if quick else (150_000, 365)
    n_runs = len(GRID["messaging.per_week"]) * SEEDS
    load0 = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench_sweep_") as tmp:
        log(f"  sweep of {n_runs} runs ({users:,} users x {days} days) on a LocalCluster with 1 worker ...")
        one = _timed_sweep(1, users, days, Path(tmp) / "w1")
        log(f"    {one['sweep']:.1f} s; with 2 workers ...")
        two = _timed_sweep(2, users, days, Path(tmp) / "w2")
        log(f"    {two['sweep']:.1f} s")
    try:
        pd.testing.assert_frame_equal(one["table"], two["table"], check_exact=True)
        same = "tables identical"
    except AssertionError:
        same = "TABLES DIFFER"
    speed = one["sweep"] / two["sweep"]
    e2e = (one["sweep"] + one["start"]) / (two["sweep"] + two["start"])
    load1 = os.getloadavg()[0]
    note = (f"{n_runs} runs of {users:,} users x {days} d on a started, warmed-up cluster; {same}; "
            f"including cluster start ({one['start']:.1f} s / {two['start']:.1f} s) the speed-up is {e2e:.2f}x; "
            f"load average {load0:.1f} -> {load1:.1f} (other work on the machine lowers it)")
    return [
        {"benchmark": f"sweep {n_runs} runs, 1 Dask worker", "value": one["sweep"], "unit": "s", "target": "-",
         "ok": None, "note": _per_run_note(one)},
        {"benchmark": f"sweep {n_runs} runs, 2 Dask workers", "value": two["sweep"], "unit": "s", "target": "-",
         "ok": None, "note": _per_run_note(two)},
        {"benchmark": "sweep speed-up, 2 vs 1 workers", "value": speed, "unit": "x", "target": f">= {TARGET}",
         "ok": speed >= TARGET, "note": note},
    ]


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="small runs (5,000 users x 120 days), a smoke test")
    args = p.parse_args()
    for row in run(quick=args.quick):
        print(row)
