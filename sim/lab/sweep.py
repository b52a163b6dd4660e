"""Resumable parameter sweeps, serial or on Dask.

    from sim.lab.sweep import parse_grid, sweep, load_sweep
    table = sweep(sc, grid={"messaging.per_week": [1, 2, 4]}, seeds=5, out="out/sweep")

Every run is keyed by a stable hash of (resolved scenario with its overrides, users,
days, seed) and written, the moment it finishes, as one JSON file DIR/runs/<key>.json
(temporary file in the same folder + os.replace, so a file is either complete or
absent) that carries its key and a checksum. A rerun uses every run file that verifies,
so an interrupted sweep resumes with only the missing runs; the folder's layout, its
plan, lock and verification are in `sim.lab.sweep_store`.
"""
from __future__ import annotations

import contextlib
import functools
import itertools
import logging
import math
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from ..core.errors import EnvironmentFailure, ScenarioError, UsageError, clip
from ..core.extras import require
from ..core.files import write_atomic
from ..core.scenario import Scenario, parse_value
from ..engine.runner import ProgressBar, resolve, run
from .dask_address import DASK_CONNECT_TIMEOUT, check_address
from .digest import digest, jsonable, sha256_hex
from .experiments import check_count, check_seeds
from .sweep_store import (
    FORMAT,
    RESULTS,
    SweepStore,
    load_verified,
    scenario_hash,
)
from .sweep_store import run_key as store_run_key

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
    """The id (24 hex) of one run: resolved scenario, users, days and seed."""
    return digest({"scenario": sc.model_dump(mode="json"), "users": sc.market.users, "days": sc.horizon_days,
                   "seed": int(seed)}, 24)


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
    key: dict           # what its run file must carry (sweep_store.run_key)


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


def _plan(scenario, grid, sample, seeds, users, days) -> tuple[Scenario, list[_Run], list[str], list[dict], str]:
    """Validate everything and list the runs (deduplicated, in design order): (base scenario, runs,
    parameter keys, parameter sets, "grid" or "sample")."""
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
            runs.append(_Run(rid, params, s, sc, store_run_key(sc, params, s)))
    return base, runs, keys, sets, kind


def _connect(address: str):
    """A Client of the scheduler at `address` (checked by `sweep` with check_address first)."""
    from distributed import Client
    try:
        return Client(address, timeout=DASK_CONNECT_TIMEOUT, set_as_default=False)
    except Exception as exc:  # noqa: BLE001 - any failure to connect is a usage problem here
        raise UsageError(f"cannot connect to a Dask scheduler at {address!r}: {exc}") from None


ENGINE_PACKAGES = ("core", "mechanisms", "engine")   # what decides a run's numbers


@functools.lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    """A short hash of the engine's source files (stored with every run to spot stale results)."""
    return source_fingerprint(Path(__file__).resolve().parent.parent)


def source_fingerprint(root: Path) -> str:
    """SHA-256 (12 hex) of each ENGINE_PACKAGES/*.py under `root`, its name then its bytes, in order."""
    return sha256_hex((part for pkg in ENGINE_PACKAGES for p in sorted((root / pkg).glob("*.py"))
                       for part in (f"{pkg}/{p.name}", p.read_bytes())), 12)


def _simulate(sc: Scenario, seed: int) -> dict:
    """One sweep run (executed in-process or on a Dask worker): summary and timing only."""
    t0, c0 = time.perf_counter(), time.process_time()
    res = run(sc, seed=seed, progress=False)
    summary = {k: (None if isinstance(v, float) and not math.isfinite(v) else _plain(v))
               for k, v in res.summary.items()}
    return {"summary": summary, "seconds": round(time.perf_counter() - t0, 4),
            "cpu_seconds": round(time.process_time() - c0, 4)}


def _table(records: list[dict], keys: list[str]) -> pd.DataFrame:
    """One row per run record: parameters, seed, users, agents, days, every summary figure, run_id."""
    rows = []
    for rec in records:
        key = rec["key"]
        row = {k: key["params"].get(k) for k in keys}
        agents = key.get("agents")                        # the scenario's market.agents; a smaller market simulates all
        row.update({"seed": key["seed"], "users": key["users"],
                    "agents": agents if agents is None else min(agents, key["users"]), "days": key["days"]})
        row.update({k: (math.nan if v is None else v) for k, v in rec["summary"].items()})
        row["run_id"] = rec["run_id"]
        rows.append(row)
    return pd.DataFrame(rows)


def _plan_record(base: Scenario, runs: list[_Run], keys: list[str], seeds: int, sets: list[dict], kind: str) -> dict:
    """sweep.json: what fixes the plan (identity) and every run's key."""
    identity = {"format": FORMAT, "users": base.market.users, "agents": base.market.agents, "days": base.horizon_days,
                "seeds": int(seeds), kind: jsonable(sets), "scenario_hash": scenario_hash(base)}
    return {"format": FORMAT, "identity": identity, "scenario": base.name, "keys": keys,
            "runs": [{"run_id": r.rid, "seed": r.seed, "params": r.params, "key": r.key} for r in runs]}


def _cluster_failure(out_dir: Path | None, saved: int, total: int, exc: BaseException) -> EnvironmentFailure:
    where = (f"{saved} of {total} runs are saved in {out_dir}/runs; rerun the same command to do the other "
             f"{total - saved}") if out_dir is not None else f"{saved} of {total} runs had finished (nothing saved: no out=)"
    return EnvironmentFailure(f"the Dask cluster stopped during the sweep ({type(exc).__name__}: "
                              f"{clip(str(exc) or 'no detail', 80)}); {where}")


def sweep(scenario: Scenario | str | Path | None = None, grid: dict | None = None, sample: list[dict] | None = None,
          seeds: int = 3, out: str | Path | None = None, backend: str = "serial", address: str | None = None,
          users: int | None = None, days: int | None = None, workers: int | None = None,
          progress: bool = True, new: bool = False) -> pd.DataFrame:
    """Run every parameter set x seeds 0..seeds-1; resumable when `out` is given.

    grid    {dotted.key: [values]}: the full factorial of all keys
    sample  [{dotted.key: value, ...}, ...]: explicit parameter sets (e.g. a SALib design)
    out     folder (see sim.lab.sweep_store): sweep.json (the plan, fixed at the first start),
            runs/<key>.json per run (written as it finishes, verified when resumed), results.csv;
            None keeps everything in memory (nothing resumable)
    backend "serial" (in this process) or "dask" (a LocalCluster of `workers` processes, or the
            scheduler at `address`)
    new     archive an earlier, different sweep in `out` instead of refusing it

    Everything is validated before any run starts. Returns one row per (parameter set, seed):
    the override columns, seed, users, agents, days, every summary figure and run_id.
    `table.attrs` holds "ran" (runs done now) and "skipped" (verified runs found on disk).
    Raises EnvironmentFailure (saying what was saved) if a Dask cluster dies mid-sweep.
    """
    if backend not in ("serial", "dask"):
        raise UsageError(f"sweep: backend {backend!r}: use 'serial' or 'dask'")
    if address is not None and backend != "dask":
        raise UsageError("sweep: address= needs backend='dask'")
    if backend == "dask":
        require("distributed", "dist", "a sweep on Dask (--dask, --workers)")
    if workers is not None:
        workers = check_count(workers, "sweep: workers", 1)
    if workers is not None and address is not None:
        raise UsageError("sweep: workers= starts a local Dask cluster; it cannot be combined with a scheduler "
                         f"address ({address!r}); start workers on the cluster with `dask worker {address}`")
    base, runs, keys, sets, kind = _plan(scenario, grid, sample, seeds, users, days)
    if address is not None:
        check_address(address)            # before anything is created, even when nothing is left to run

    out_dir = Path(out) if out is not None else None
    with SweepStore(out_dir) if out_dir is not None else contextlib.nullcontext() as store:
        done: dict[str, dict] = {}
        if store is not None:
            store.fix_plan(_plan_record(base, runs, keys, check_seeds(seeds), sets, kind), new=new)
            found = store.verified({r.rid: r.key for r in runs}, engine_fingerprint())
            done = {r.rid: found[r.rid] for r in runs if r.rid in found}
        todo = [r for r in runs if r.rid not in done]
        skipped = len(runs) - len(todo)
        _execute(todo, runs, done, store, base.name, backend, address, workers, progress)
        if store is not None:                  # results.csv from the verified files on disk
            found = store.verified({r.rid: r.key for r in runs}, engine_fingerprint())
            missing = [r.rid for r in runs if r.rid not in found]
            if missing:
                raise EnvironmentFailure(f"sweep: {len(missing)} run file(s) in {out_dir}/runs changed or vanished "
                                         "while the sweep ran; rerun the same command to redo them")
            done = found
    table = _table([done[r.rid] for r in runs], keys)
    if out_dir is not None:
        write_atomic(out_dir / RESULTS, table.to_csv(index=False))
    table.attrs["ran"] = len(todo)
    table.attrs["skipped"] = skipped
    return table


def _execute(todo, runs, done, store, name, backend, address, workers, progress) -> None:
    """Run `todo` (serially or on Dask), sealing each record into `store` as it finishes."""
    engine = engine_fingerprint()

    def finish(r: _Run, payload: dict) -> None:
        rec = {"run_id": r.rid, "scenario": r.sc.name, "key": {**r.key, "engine": engine}, **payload}
        if store is not None:
            store.write(r.rid, rec)
        done[r.rid] = rec

    quiet = _QuietDask() if backend == "dask" and todo else contextlib.nullcontext()
    with quiet:
        _execute_on(todo, runs, finish, store, name, backend, address, workers, progress)


class _QuietDask(contextlib.AbstractContextManager):
    """Dask's own loggers off while a sweep uses a cluster: a dying cluster is reported in one line
    (EnvironmentFailure), not as the reconnect tracebacks `distributed` logs."""

    def __enter__(self):
        import distributed  # noqa: F401 - creates its loggers, so they can be switched off here
        names = ["distributed"] + [n for n in logging.root.manager.loggerDict if n.startswith("distributed.")]
        self._loggers = [(lg, lg.disabled) for lg in map(logging.getLogger, names)]
        for lg, _ in self._loggers:
            lg.disabled = True
        return self

    def __exit__(self, *exc):
        for lg, was in self._loggers:
            lg.disabled = was
        return False


def _execute_on(todo, runs, finish, store, name, backend, address, workers, progress) -> None:
    client = cluster = None
    if backend == "dask" and todo:
        if address is not None:
            client = _connect(address)
        else:
            from distributed import Client, LocalCluster
            cluster = LocalCluster(n_workers=int(workers or os.cpu_count() or 1), threads_per_worker=1,
                                   processes=True, dashboard_address=None, silence_logs=logging.CRITICAL)
            client = Client(cluster, set_as_default=False)
    bar = ProgressBar(total=len(runs), initial=len(runs) - len(todo), desc=f"sweep {name}", unit="run",
               disable=not progress or not todo, leave=False)
    try:
        if client is None:
            for r in todo:
                finish(r, _simulate(r.sc, r.seed))
                bar.update(1)
        else:
            _on_dask(client, todo, finish, bar, store, len(runs) - len(todo), len(runs))
    finally:
        bar.close()
        with contextlib.suppress(Exception):
            if client is not None:
                client.close()
            if cluster is not None:
                cluster.close()


def _on_dask(client, todo, finish, bar, store, saved, total) -> None:
    """Submit `todo` to `client` and finish each run as it completes. A task that raised re-raises its
    own error (a bug); a cluster that dies (cancelled or lost futures, closed connections) becomes one
    EnvironmentFailure saying how many runs were saved."""
    from distributed import as_completed
    by_key, futures = {}, []
    try:
        for r in todo:
            fut = client.submit(_simulate, r.sc, r.seed, key=f"siyu-run-{r.rid}")
            by_key[fut.key] = r
            futures.append(fut)
        for fut in as_completed(futures, loop=client.loop):
            if fut.status == "error":
                fut.result()                    # the run itself failed: its own traceback
            finish(by_key[fut.key], fut.result())
            saved += 1
            bar.update(1)
    except (KeyboardInterrupt, UsageError, ScenarioError):
        with contextlib.suppress(Exception):
            client.cancel(futures)
        raise
    except Exception as exc:  # noqa: BLE001 - anything else from the cluster's side: it failed
        if any(f.status == "error" for f in futures if f.done()) and not _cluster_error(exc):
            raise
        with contextlib.suppress(Exception):
            client.cancel(futures)
        raise _cluster_failure(store.dir if store is not None else None, saved, total, exc) from None


def _cluster_error(exc: BaseException) -> bool:
    """True for the errors a dying scheduler, worker or connection raises."""
    import asyncio
    names = {"CancelledError", "FutureCancelledError", "CommClosedError", "KilledWorker", "TimeoutError",
             "StreamClosedError"}
    return isinstance(exc, (asyncio.CancelledError, OSError, TimeoutError)) or type(exc).__name__ in names


def load_sweep(out: str | Path) -> pd.DataFrame:
    """The verified runs of the sweep in DIR (its sweep.json order) as a table, one row per
    (parameter set, seed), with users, agents and days columns. Run files that do not verify are
    left out with a warning; a folder that mixes runs of different plans is refused."""
    plan, records = load_verified(out)
    return _table(records, list(plan.get("keys", [])))


__all__ = ["parse_grid", "sweep", "load_sweep", "run_key", "engine_fingerprint"]
