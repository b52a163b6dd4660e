"""Experiments at scale: many seeds, paired comparisons, resumable parameter sweeps.

    from sim.experiments import run_many, compare, compare_table, sweep, load_sweep

    many = run_many("scenarios/baseline.yaml", seeds=10)
    many.summary            # figure -> mean, lo, hi (90% t-interval of the mean), sd, n
    many.band("pool_users") # day -> mean, lo, hi (5th / 95th percentile across seeds)

    cmp = compare([a, b], seeds=10)      # same seeds for every scenario (common random numbers)
    print(compare_table(cmp))

    table = sweep(sc, grid={"messaging.per_week": [1, 2, 4]}, seeds=5, out="out/sweep")

Statistics
  * Interval of a mean over K seeds: mean +- t(0.95, K-1) x sd / sqrt(K), a two-sided
    90% Student-t interval; seeds where a figure is None/NaN are left out of that figure.
  * Paired difference (compare): for seed s, d_s = figure(B, s) - figure(A, s); the
    interval is the t-interval of mean(d). The variance ratio vr = (var_A + var_B) / var(d)
    says how many times more seeds unpaired runs would need for the same precision.

Sweeps
  Every run is keyed by a stable hash of (resolved scenario with its overrides, users,
  days, seed) and written, the moment it finishes, as one JSON file DIR/runs/<key>.json
  (temporary file in the same folder + os.replace, so a file is either complete or
  absent). A rerun skips every run whose file exists, so an interrupted sweep resumes
  with only the missing runs. DIR/sweep.json records the plan (order of runs);
  DIR/results.csv is written when the sweep completes.
"""
from __future__ import annotations

import difflib
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd
from scipy import stats
from tqdm.auto import tqdm

from .engine import resolve, run
from .errors import UsageError
from .files import write_atomic
from .scenario import Scenario, parse_value

LEVEL = 0.90                 # two-sided level of every interval of a mean
BAND = (5.0, 95.0)           # percentiles of Many.band
DASK_CONNECT_TIMEOUT = 5.0   # seconds to reach a Dask scheduler before giving up
TABLE_FIGURES = ("acquired_users", "pool_size_end", "ltv", "ltv_to_cac", "churn_rate_monthly", "retention_90d",
                 "referral_share", "k_factor", "revenue", "profit_6w", "profit_6m", "profit", "payback_day",
                 "lost_annoyed", "washed_back_share")


# ----------------------------------------------------------------- statistics

def mean_interval(values: Iterable, level: float = LEVEL) -> dict:
    """Mean, two-sided `level` Student-t interval of the mean, sd and n of the finite values.

    None / NaN / inf are skipped. With n == 1 the interval and sd are NaN; with n == 0
    everything is NaN. With sd == 0 the interval is the mean itself.
    """
    x = _finite(values)
    n = len(x)
    if n == 0:
        return {"mean": math.nan, "lo": math.nan, "hi": math.nan, "sd": math.nan, "n": 0}
    m = float(np.mean(x))
    if n == 1:
        return {"mean": m, "lo": math.nan, "hi": math.nan, "sd": math.nan, "n": 1}
    sd = float(np.std(x, ddof=1))
    half = float(stats.t.ppf(0.5 + level / 2, n - 1)) * sd / math.sqrt(n)
    return {"mean": m, "lo": m - half, "hi": m + half, "sd": sd, "n": n}


def _finite(values) -> np.ndarray:
    x = np.array([math.nan if v is None else v for v in values], dtype=float)
    return x[np.isfinite(x)]


def _as_float(v) -> float:
    return math.nan if v is None else float(v)


def _check_seeds(seeds) -> int:
    if isinstance(seeds, bool) or not isinstance(seeds, (int, np.integer)) or seeds < 1:
        raise UsageError(f"seeds = {seeds!r}: need a whole number of seeds >= 1")
    return int(seeds)


def _numeric(v) -> bool:
    return v is None or (isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool))


# ----------------------------------------------------------------- many seeds

@dataclass
class Many:
    """One scenario run with seeds seed0 .. seed0+K-1.

    results   list of Result, one per seed (in seed order)
    summary   DataFrame indexed by figure: mean, lo, hi (90% t-interval of the mean), sd, n
    per_seed  DataFrame indexed by seed, one column per summary figure
    """
    scenario: Scenario
    seeds: list[int]
    results: list
    summary: pd.DataFrame
    per_seed: pd.DataFrame = field(repr=False)

    def band(self, column: str) -> pd.DataFrame:
        """Per-day mean and 5th / 95th percentile across seeds of a daily column (index: day)."""
        cols = list(self.results[0].daily.columns)
        if column not in cols:
            close = difflib.get_close_matches(column, cols, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; daily columns: {', '.join(cols)}"
            raise UsageError(f"band('{column}'): no such daily column{hint}")
        m = np.column_stack([r.daily[column].to_numpy(dtype=float) for r in self.results])
        day = self.results[0].daily["day"].to_numpy()
        with warnings.catch_warnings():   # all-NaN days give NaN quietly
            warnings.simplefilter("ignore", RuntimeWarning)
            return pd.DataFrame({"mean": np.nanmean(m, axis=1),
                                 "lo": np.nanpercentile(m, BAND[0], axis=1),
                                 "hi": np.nanpercentile(m, BAND[1], axis=1)},
                                index=pd.Index(day, name="day"))


def _summary_frame(per_seed: pd.DataFrame) -> pd.DataFrame:
    rows = {fig: mean_interval(per_seed[fig]) for fig in per_seed.columns}
    out = pd.DataFrame.from_dict(rows, orient="index")[["mean", "lo", "hi", "sd", "n"]]
    out.index.name = "figure"
    return out


def run_many(scenario: Scenario | str | Path | None = None, seeds: int = 5, users: int | None = None,
             days: int | None = None, seed0: int = 0) -> Many:
    """Run one scenario with seeds seed0 .. seed0+seeds-1 and summarise every numeric figure."""
    k = _check_seeds(seeds)
    sc = resolve(scenario, users, days)
    seed_list = [int(seed0) + i for i in range(k)]
    results = [run(sc, seed=s, progress=False) for s in seed_list]
    figs = [f for f, v in results[0].summary.items() if _numeric(v)]
    per_seed = pd.DataFrame({f: [_as_float(r.summary.get(f)) for r in results] for f in figs},
                            index=pd.Index(seed_list, name="seed"))
    return Many(scenario=sc, seeds=seed_list, results=results, summary=_summary_frame(per_seed), per_seed=per_seed)


# ----------------------------------------------------------------- paired comparison

@dataclass
class Comparison:
    """Scenarios run on the same seeds.

    names  scenario names (made unique)
    runs   name -> Many
    table  DataFrame indexed by figure: <name> (mean) for every scenario; for each scenario
           after the first diff:<name>, lo:<name>, hi:<name> (paired mean difference vs the
           first and its 90% interval) and vr:<name> (variance ratio, independent / paired)
    """
    names: list[str]
    runs: dict
    table: pd.DataFrame
    seeds: list[int] = field(default_factory=list)


def _unique_names(names: list[str]) -> list[str]:
    out, seen = [], {}
    for n in names:
        base = n
        if n in seen:
            i = seen[n] + 1
            while f"{base} ({i})" in seen or f"{base} ({i})" in names:
                i += 1
            seen[base] = i
            n = f"{base} ({i})"
        seen.setdefault(n, 1)
        out.append(n)
    return out


def paired_difference(a: Iterable, b: Iterable, level: float = LEVEL) -> dict:
    """Paired difference b - a over seeds where both are finite: mean, lo, hi, vr, n.

    vr = (var(a) + var(b)) / var(b - a): the variance of the difference if the seeds had
    been independent, over the variance actually seen with common random numbers
    (inf when the paired differences are all equal but a and b vary, NaN when nothing varies).
    """
    a = np.array([_as_float(v) for v in a])
    b = np.array([_as_float(v) for v in b])
    ok = np.isfinite(a) & np.isfinite(b)
    a, b = a[ok], b[ok]
    d = b - a
    ci = mean_interval(d, level)
    vr = math.nan
    if len(d) >= 2:
        num = float(np.var(a, ddof=1) + np.var(b, ddof=1))
        den = float(np.var(d, ddof=1))
        vr = num / den if den > 0 else (math.inf if num > 0 else math.nan)
    return {"diff": ci["mean"], "lo": ci["lo"], "hi": ci["hi"], "vr": vr, "n": len(d)}


def compare(scenarios, seeds: int = 5, users: int | None = None, days: int | None = None) -> Comparison:
    """Run every scenario with the same seeds 0..seeds-1 and compare each with the first, paired by seed."""
    if isinstance(scenarios, (Scenario, str, Path)):
        scenarios = [scenarios]
    scenarios = list(scenarios or [])
    if not scenarios:
        raise UsageError("compare: give at least one scenario")
    k = _check_seeds(seeds)
    resolved = [resolve(s, users, days) for s in scenarios]   # every file checked before any run
    names = _unique_names([sc.name for sc in resolved])
    runs = {n: run_many(sc, seeds=k) for n, sc in zip(names, resolved)}
    first = runs[names[0]]
    figs = list(first.per_seed.columns)
    table = pd.DataFrame(index=pd.Index(figs, name="figure"))
    for n in names:
        table[n] = runs[n].summary["mean"].reindex(figs)
    for n in names[1:]:
        pd_rows = {f: paired_difference(first.per_seed[f], runs[n].per_seed[f]) if f in runs[n].per_seed else
                   {"diff": math.nan, "lo": math.nan, "hi": math.nan, "vr": math.nan} for f in figs}
        for col in ("diff", "lo", "hi", "vr"):
            table[f"{col}:{n}"] = [pd_rows[f][col] for f in figs]
    return Comparison(names=names, runs=runs, table=table, seeds=list(first.seeds))


def _num(v, signed: bool = False, scale: float | None = None) -> str:
    """A figure for a text table; `scale` (e.g. the largest number of an interval) picks the format."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    if isinstance(v, float) and math.isinf(v):
        return "inf"
    sign = "+" if signed else ""
    a = abs(scale if scale is not None and math.isfinite(scale) else v)
    if a < 0.1:
        return f"{v:{sign}.4f}"
    if a < 10:
        return f"{v:{sign},.3f}"
    if a < 1000:
        return f"{v:{sign},.1f}"
    return f"{v:{sign},.0f}"


def _ratio(v) -> str:
    if v is None or math.isnan(v):
        return "-"
    if math.isinf(v):
        return "inf"
    return f"{v:,.1f}x" if v < 100 else f"{v:,.0f}x"


def _grid(cols: list[tuple[str, list[str]]]) -> list[str]:
    """Text table: first column left-aligned, the others right-aligned."""
    widths = [max([len(h)] + [len(c) for c in cells]) for h, cells in cols]
    just = [str.ljust] + [str.rjust] * (len(cols) - 1)
    out = ["  ".join(j(h, w) for j, (h, _), w in zip(just, cols, widths)).rstrip(),
           "  ".join("-" * w for w in widths)]
    for r in range(len(cols[0][1])):
        out.append("  ".join(j(cells[r], w) for j, (_, cells), w in zip(just, cols, widths)).rstrip())
    return out


def _diff_cells(t: pd.DataFrame, n: str, figs: list[str]) -> tuple[list[str], list[str]]:
    diffs = []
    for f in figs:
        d, lo, hi = t.at[f, f"diff:{n}"], t.at[f, f"lo:{n}"], t.at[f, f"hi:{n}"]
        scale = float(np.nanmax(np.abs([d, lo, hi]))) if not (math.isnan(d) and math.isnan(lo)) else None
        ci = f" [{_num(lo, True, scale)}, {_num(hi, True, scale)}]" if not math.isnan(lo) else ""
        diffs.append(_num(d, True, scale) + ci)
    return diffs, [_ratio(t.at[f, f"vr:{n}"]) for f in figs]


def _pairing_line(t: pd.DataFrame, n: str, first: str, figs: list[str]) -> str:
    vr = t[f"vr:{n}"].reindex(figs).astype(float)
    fin = vr[np.isfinite(vr)]
    ltv = float(t.at["ltv", f"vr:{n}"]) if "ltv" in t.index else math.nan
    med = f"; median over the figures above {_ratio(float(fin.median()))}" if len(fin) else ""
    who = f"'{n}' vs '{first}'"
    if math.isinf(ltv):
        return f"Variance reduction from pairing ({who}): the ltv difference is the same in every seed{med}."
    if math.isnan(ltv):
        return f"Variance reduction from pairing ({who}): not measurable for ltv{med}."
    return (f"Variance reduction from pairing ({who}): the ltv difference varies {_ratio(ltv)} less than with "
            f"independent seeds (as many times more seeds would be needed without pairing){med}.")


def compare_table(cmp: Comparison, figures: Iterable[str] = TABLE_FIGURES) -> str:
    """A readable text table: figures as rows, each scenario's mean over seeds, the paired
    differences vs the first scenario with their 90% intervals and variance ratios, and a line
    per scenario stating the variance reduction from pairing.

    Two scenarios give one side-by-side table; more give a table of means and then one block
    of differences per scenario (so the text stays narrow).
    """
    t = cmp.table
    figs = [f for f in figures if f in t.index]
    first, others = cmp.names[0], cmp.names[1:]
    sc = cmp.runs[first].scenario
    s = cmp.seeds
    lines = [f"{len(cmp.names)} scenario(s), {len(s)} seed(s) ({s[0]}-{s[-1]}), {sc.market.users:,} users x "
             f"{sc.horizon_days} days; scenario columns are means over seeds"]
    if others:
        lines.append(f"differences vs '{first}' are paired by seed (common random numbers), with 90% t-intervals; "
                     f"vr = variance ratio, independent / paired")
    lines.append("")
    means = [("figure", figs)] + [(n, [_num(t.at[f, n]) for f in figs]) for n in cmp.names]
    if len(others) <= 1:
        cols = list(means)
        for n in others:
            diffs, vrs = _diff_cells(t, n, figs)
            cols += [(f"{n} - {first}", diffs), ("vr", vrs)]
        lines += _grid(cols)
    else:
        lines += _grid(means)
        for n in others:
            diffs, vrs = _diff_cells(t, n, figs)
            lines += ["", f"{n} - {first}:"] + ["  " + x for x in _grid([("figure", figs), ("difference [90%]", diffs),
                                                                          ("vr", vrs)])]
    if others:
        lines.append("")
        lines += [_pairing_line(t, n, first, figs) for n in others]
    return "\n".join(lines)


# ----------------------------------------------------------------- sweeps

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
    k = _check_seeds(seeds)
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


_NOT_ENGINE = {"experiments.py", "sensitivity.py", "cli.py", "__main__.py", "plots.py", "report.py", "errors.py"}


@functools.lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    """A short hash of the engine's source files (stored with every run to spot stale results)."""
    h = hashlib.sha256()
    for p in sorted(Path(__file__).parent.glob("*.py")):
        if p.name not in _NOT_ENGINE:
            h.update(p.name.encode())
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


__all__ = ["run_many", "Many", "compare", "Comparison", "compare_table", "parse_grid", "sweep", "load_sweep",
           "mean_interval", "paired_difference", "run_key"]
