"""Resumable parameter sweeps, serial or on Dask.

    from sim.lab.sweep import parse_grid, sweep, load_sweep
    table = sweep(sc, grid={"messaging.per_week": [1, 2, 4]}, seeds=5, out="out/sweep")

Every run is keyed by a stable hash of (resolved scenario with its overrides, users,
days, seed) and written, the moment it finishes, as one JSON file DIR/runs/<key>.json
(temporary file in the same folder + os.replace, so a file is either complete or
absent). A rerun skips every run whose file exists, so an interrupted sweep resumes
with only the missing runs. DIR/sweep.json records the plan (order of runs);
DIR/results.csv is written when the sweep completes.
"""
from __future__ import annotations

import functools
import hashlib
import itertools
import json
import logging
import math
import os
import socket
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from ..core.errors import UsageError
from ..core.files import write_atomic
from ..core.scenario import Scenario, parse_value
from ..engine.runner import resolve, run
from .experiments import check_seeds

DASK_CONNECT_TIMEOUT = 5.0   # seconds to reach a Dask scheduler before giving up


def parse_grid(items: Iterable[str] | None) -> dict[str, list]:
    """["messaging.per_week=1,2,4", "pool.container=personal,wecom"] -> {key: [values]}."""
    grid: dict[str, list] = {}
    for item in items or []:
        if "=" not in item:
            raise UsageError(f"--grid {item!r}: expected dotted.key=v1,v2,..., e.g. messaging.per_week=1,2,4")
        key, vals = (p.strip() for p in item.split("=", 1))
        if not key:
            raise UsageError(f"--grid {item!r}: the key before '=' is empty")
        values = [parse_value(v.strip()) for v in vals.split(",") if v.strip() != ""]
        if not values:
            raise UsageError(f"--grid {item!r}: no values for '{key}' (expected {key}=v1,v2,...)")
        if key in grid:
            raise UsageError(f"--grid: '{key}' is given twice; list all its values in one --grid {key}=v1,v2,...")
        grid[key] = values
    return grid


def _plain(v):
    """JSON-friendly scalar (numpy scalars -> Python)."""
    if isinstance(v, np.generic):
        return v.item()
    return v


def _run_id(sc: Scenario, seed: int) -> str:
    blob = json.dumps({"scenario": sc.model_dump(mode="json"), "users": sc.market.users, "days": sc.horizon_days,
                       "seed": int(seed)}, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:24]


def run_key(scenario: Scenario | str | Path | None, overrides: dict, seed: int, users: int | None = None,
            days: int | None = None) -> str:
    """The key (file stem under runs/) of one sweep run."""
    return _run_id(resolve(scenario, users, days).with_overrides(overrides or {}), seed)


@dataclass
class _Run:
    rid: str
    params: dict
    seed: int
    sc: Scenario


def _param_sets(grid, sample) -> tuple[list[dict], str]:
    if grid is not None and sample is not None:
        raise UsageError("sweep: give either grid= (full factorial) or sample= (explicit parameter sets), not both")
    if grid is None and sample is None:
        raise UsageError("sweep: nothing to sweep; give grid={'dotted.key': [v1, v2]} or sample=[{...}, ...]")
    if grid is not None:
        if not isinstance(grid, dict):
            raise UsageError(f"sweep: grid must be a dict of dotted.key -> list of values, not {type(grid).__name__}")
        if not grid:
            raise UsageError("sweep: the grid is empty; give at least one dotted.key=v1,v2,...")
        keys, lists = [], []
        for k, vals in grid.items():
            if isinstance(vals, (str, bytes)) or not isinstance(vals, Iterable):
                vals = [vals]
            vals = [_plain(v) for v in vals]
            if not vals:
                raise UsageError(f"sweep: grid key '{k}' has no values (expected {k}=v1,v2,...)")
            keys.append(str(k))
            lists.append(vals)
        return [dict(zip(keys, combo)) for combo in itertools.product(*lists)], "grid"
    if isinstance(sample, dict) or not isinstance(sample, Iterable):
        raise UsageError("sweep: sample must be a list of dicts of overrides, e.g. [{'messaging.per_week': 3}]")
    sets = list(sample)
    if not sets:
        raise UsageError("sweep: the sample is empty; give at least one parameter set")
    for i, s in enumerate(sets):
        if not isinstance(s, dict):
            raise UsageError(f"sweep: sample[{i}] is a {type(s).__name__}, expected a dict of dotted.key -> value")
    return [{str(k): _plain(v) for k, v in s.items()} for s in sets], "sample"


def _plan(scenario, grid, sample, seeds, users, days) -> tuple[Scenario, list[_Run], list[str]]:
    """Validate everything and list the runs (deduplicated, in design order)."""
    k = check_seeds(seeds)
    sets, kind = _param_sets(grid, sample)
    base = resolve(scenario, users, days)
    runs, seen, keys = [], set(), []
    for i, params in enumerate(sets):
        for key in params:
            if key not in keys:
                keys.append(key)
        src = "grid" if kind == "grid" else f"sample[{i}]"
        sc = base.with_overrides(params, source=src) if params else base
        for s in range(k):
            rid = _run_id(sc, s)
            if rid in seen:
                continue
            seen.add(rid)
            runs.append(_Run(rid, params, s, sc))
    return base, runs, keys


def _check_address(address: str) -> None:
    """Fail fast (UsageError naming the address) if nothing listens there."""
    if not isinstance(address, str) or not address.strip():
        raise UsageError(f"Dask scheduler address {address!r}: expected e.g. tcp://host:8786")
    addr = address.strip()
    proto, _, rest = addr.rpartition("://")
    if proto in ("", "tcp", "tls"):
        host, _, port = rest.rpartition(":")
        host = host.strip("[]")
        if not host or not port.isdigit():
            raise UsageError(f"Dask scheduler address {address!r}: expected tcp://host:port, e.g. tcp://10.0.0.5:8786")
        try:
            with socket.create_connection((host, int(port)), timeout=DASK_CONNECT_TIMEOUT):
                pass
        except OSError as exc:
            raise UsageError(f"cannot reach a Dask scheduler at {address!r} within {DASK_CONNECT_TIMEOUT:g} s "
                             f"({exc.strerror or exc}); start one with `dask scheduler` and check host and port") from None


def _connect(address: str):
    _check_address(address)
    from distributed import Client
    try:
        return Client(address, timeout=DASK_CONNECT_TIMEOUT, set_as_default=False)
    except Exception as exc:  # noqa: BLE001 - any failure to connect is a usage problem here
        raise UsageError(f"cannot connect to a Dask scheduler at {address!r}: {exc}") from None


ENGINE_PACKAGES = ("core", "mechanisms", "engine")   # what decides a run's numbers


@functools.lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    """A short hash of the engine's source files (stored with every run to spot stale results)."""
    h = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent
    for pkg in ENGINE_PACKAGES:
        for p in sorted((root / pkg).glob("*.py")):
            h.update(f"{pkg}/{p.name}".encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:12]


def _simulate(sc: Scenario, seed: int) -> dict:
    """One sweep run (executed in-process or on a Dask worker): summary and timing only."""
    t0, c0 = time.perf_counter(), time.process_time()
    res = run(sc, seed=seed, progress=False)
    summary = {k: (None if isinstance(v, float) and not math.isfinite(v) else _plain(v))
               for k, v in res.summary.items()}
    return {"summary": summary, "seconds": round(time.perf_counter() - t0, 4),
            "cpu_seconds": round(time.process_time() - c0, 4), "engine": engine_fingerprint()}


def _read_run(path: Path) -> dict | None:
    try:
        rec = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return rec if isinstance(rec, dict) and "summary" in rec and "seed" in rec else None


def _table(records: list[dict], keys: list[str]) -> pd.DataFrame:
    rows = []
    for rec in records:
        row = {k: rec["params"].get(k) for k in keys}
        row["seed"] = rec["seed"]
        row.update({k: (math.nan if v is None else v) for k, v in rec["summary"].items()})
        row["run_id"] = rec["run_id"]
        rows.append(row)
    return pd.DataFrame(rows)


def sweep(scenario: Scenario | str | Path | None = None, grid: dict | None = None, sample: list[dict] | None = None,
          seeds: int = 3, out: str | Path | None = None, backend: str = "serial", address: str | None = None,
          users: int | None = None, days: int | None = None, workers: int | None = None,
          progress: bool = True) -> pd.DataFrame:
    """Run every parameter set x seeds 0..seeds-1; resumable when `out` is given.

    grid    {dotted.key: [values]}: the full factorial of all keys
    sample  [{dotted.key: value, ...}, ...]: explicit parameter sets (e.g. a SALib design)
    out     folder: runs/<key>.json per run (written as it finishes), sweep.json, results.csv;
            None keeps everything in memory (nothing resumable)
    backend "serial" (in this process) or "dask" (a LocalCluster of `workers` processes, or the
            scheduler at `address`)

    Everything is validated before any run starts. Returns one row per (parameter set, seed):
    the override columns, seed, every summary figure and run_id. `table.attrs` holds
    "ran" (runs done now) and "skipped" (runs found on disk).
    """
    if backend not in ("serial", "dask"):
        raise UsageError(f"sweep: backend {backend!r}: use 'serial' or 'dask'")
    if address is not None and backend != "dask":
        raise UsageError("sweep: address= needs backend='dask'")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, (int, np.integer)) or workers < 1):
        raise UsageError(f"sweep: workers = {workers!r}: need a whole number >= 1")
    if workers is not None and address is not None:
        raise UsageError("sweep: workers= starts a local Dask cluster; it cannot be combined with a scheduler "
                         f"address ({address!r}); start workers on the cluster with `dask worker {address}`")
    base, runs, keys = _plan(scenario, grid, sample, seeds, users, days)

    out_dir = Path(out) if out is not None else None
    if out_dir is not None and out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"sweep: --out {str(out_dir)!r} exists and is not a folder")
    done: dict[str, dict] = {}
    if out_dir is not None and (out_dir / "runs").is_dir():
        for r in runs:
            rec = _read_run(out_dir / "runs" / f"{r.rid}.json")
            if rec is not None:
                done[r.rid] = rec
    todo = [r for r in runs if r.rid not in done]
    stale = sum(1 for rec in done.values() if rec.get("engine") != engine_fingerprint())
    if stale:
        warnings.warn(f"sweep: {stale} run(s) found in {out_dir}/runs were made by a different version of the "
                      f"engine code; they are reused as they are (delete {out_dir}/runs to recompute them)",
                      stacklevel=2)

    if address is not None:
        _check_address(address)           # even when nothing is left to run: a bad address is an error
    client = cluster = None
    if backend == "dask" and todo:
        if address is not None:
            client = _connect(address)
        else:
            from distributed import Client, LocalCluster
            cluster = LocalCluster(n_workers=int(workers or os.cpu_count() or 1), threads_per_worker=1,
                                   processes=True, dashboard_address=None, silence_logs=logging.ERROR)
            client = Client(cluster, set_as_default=False)

    try:
        if out_dir is not None:
            try:
                (out_dir / "runs").mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise UsageError(f"sweep: cannot create the output folder {str(out_dir)!r}: "
                                 f"{exc.strerror or exc}") from None
            plan = {"scenario": base.name, "users": base.market.users, "days": base.horizon_days,
                    "seeds": int(seeds), "keys": keys,
                    "runs": [{"run_id": r.rid, "seed": r.seed, "params": r.params} for r in runs]}
            write_atomic(out_dir / "sweep.json", json.dumps(plan, indent=1, default=str))

        def finish(r: _Run, payload: dict) -> None:
            rec = {"run_id": r.rid, "scenario": r.sc.name, "params": r.params, "seed": r.seed,
                   "users": r.sc.market.users, "days": r.sc.horizon_days, **payload}
            if out_dir is not None:
                write_atomic(out_dir / "runs" / f"{r.rid}.json", json.dumps(rec, indent=1, default=str))
            done[r.rid] = rec

        bar = tqdm(total=len(runs), initial=len(runs) - len(todo), desc=f"sweep {base.name}", unit="run",
                   disable=not progress or not todo, leave=False)
        try:
            if client is None:
                for r in todo:
                    finish(r, _simulate(r.sc, r.seed))
                    bar.update(1)
            else:
                from distributed import as_completed
                by_key = {}
                futures = []
                for r in todo:
                    fut = client.submit(_simulate, r.sc, r.seed, key=f"siyu-run-{r.rid}")
                    by_key[fut.key] = r
                    futures.append(fut)
                try:
                    for fut in as_completed(futures, loop=client.loop):
                        finish(by_key[fut.key], fut.result())
                        bar.update(1)
                except BaseException:
                    client.cancel(futures)
                    raise
        finally:
            bar.close()
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()

    records = []
    for r in runs:
        rec = dict(done[r.rid])
        rec["params"] = r.params          # as given in this sweep
        records.append(rec)
    table = _table(records, keys)
    if out_dir is not None:
        write_atomic(out_dir / "results.csv", table.to_csv(index=False))
    table.attrs["ran"] = len(todo)
    table.attrs["skipped"] = len(runs) - len(todo)
    return table


def load_sweep(out: str | Path) -> pd.DataFrame:
    """Every run under DIR/runs as a table, one row per (parameter set, seed).

    Runs of the sweep recorded in DIR/sweep.json come first, in its order; any other runs
    in the folder (e.g. from an earlier sweep into the same folder) follow, by parameters and seed.
    """
    d = Path(out)
    if not (d / "runs").is_dir():
        raise UsageError(f"load_sweep: {str(d)!r} has no runs/ folder (not a sweep output folder)")
    recs = {}
    for p in sorted((d / "runs").glob("*.json")):
        if p.name.startswith("."):
            continue
        rec = _read_run(p)
        if rec is not None:
            recs[rec.get("run_id", p.stem)] = rec
    keys, ordered = [], []
    plan_path = d / "sweep.json"
    if plan_path.is_file():
        try:
            plan = json.loads(plan_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            plan = {}
        keys = list(plan.get("keys", []))
        for item in plan.get("runs", []):
            rec = recs.pop(item["run_id"], None)
            if rec is not None:
                ordered.append(rec)
    rest = sorted(recs.values(), key=lambda r: (json.dumps(r.get("params", {}), sort_keys=True, default=str),
                                                r["seed"]))
    for rec in rest:
        rec.setdefault("run_id", "")
        for k in rec.get("params", {}):
            if k not in keys:
                keys.append(k)
    for rec in ordered + rest:
        rec.setdefault("params", {})
    return _table(ordered + rest, keys)


__all__ = ["parse_grid", "sweep", "load_sweep", "run_key", "engine_fingerprint"]
