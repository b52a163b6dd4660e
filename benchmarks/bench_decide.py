"""Decision-tool benchmark (issues 13 and 29).

    .venv/bin/python benchmarks/bench_decide.py [--quick]     # prints the rows
    run(quick=False) -> list[dict]                           # used by benchmarks/run.py

Whole processes, side by side (issue 29), at the scenarios' own size (20,000 agents, 5 seeds), each as a ratio
to a single `python -m sim run` of the default comparison's strategy (differentiated_service), timed between
them on the same machine and load: `compare --explain --worlds 0` (target <= 6x), `compare --uncertain 64`
(<= 6x), `report --deck` (<= 10x) and a calibrated what-if (the CDNOW fit, or a synthetic history when the
`lifetimes` package is not installed: its status quo against a strategy that extends it, at another price,
each verdict checked in 16 worlds; no target). Each command runs ROUNDS times in turn, the single run before each; the
rows give medians, the load average before and after, and each command's wall-clock spread.

In this process, at the agent count of notebooks/08_decide.ipynb (2,000 users):
* explain: discount_only vs differentiated_service grouped by section (4 levers) x 3 seeds
* robustness: the same pair across 64 plausible worlds x 1 seed (--uncertain 64: 128 runs), in this
  process and on 2 worker processes (--workers 2; the numbers must be the same, the time includes
  starting the workers)
* optimise: 60 trials over messaging.per_week and groups.size on the baseline, 2 seeds per trial
  (TPE, median pruning), plus the check of start and best on 4 fresh seeds
Wall-clock seconds of the whole call (in this process, serially, unless the row says workers).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

USERS, DAYS = 2000, 365          # notebooks/08_decide.ipynb
A, B = ROOT / "scenarios" / "discount_only.yaml", ROOT / "scenarios" / "differentiated_service.yaml"


ROUNDS = 2                       # each whole-process command runs this many times (quick: 1)
TARGETS = {"explain": 6.0, "uncertain": 6.0, "deck": 10.0}


def _whatif_files(folder: Path) -> tuple[Path, Path]:
    """A calibrated status quo (CDNOW when the `lifetimes` package ships it, else a synthetic history) and a
    strategy that extends it (its buyers invited into a personal-WeChat pool), written into `folder`."""
    from sim.lab.orders import cdnow_path, load_cdnow
    orders = folder / "orders.csv"
    if cdnow_path() is not None:
        load_cdnow().to_csv(orders, index=False)
    else:
        from sim.lab.synthetic import synthetic_orders
        synthetic_orders({}, customers=2000, days=540, seed=1).to_csv(orders, index=False)
    fit = folder / "fit"
    subprocess.run([sys.executable, "-m", "sim", "calibrate", str(orders), "--out", str(fit)], cwd=ROOT, check=True,
                   capture_output=True)
    strategy = fit / "with_pool.yaml"
    strategy.write_text("extends: scenario.yaml\nname: calibrated_with_pool\npool:\n  accept_buyer_personal: 0.25\n"
                        "  accept_nonbuyer_personal: 0.05\n", encoding="utf-8")
    return fit / "scenario.yaml", strategy


def _wall(args: list[str]) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds of it and its worker processes) `python -m sim ARGS` takes as a whole
    process (output discarded; a failure raises). CPU time is the work, whatever else shares the machine."""
    import resource
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "sim", *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def whole_processes(quick: bool = False) -> list[dict]:
    """The decision commands as whole processes, each a ratio to a single run timed between them (module
    docstring). Quick: 2,000 agents, 2 seeds, 8 worlds, one round."""
    from sim.lab.pool import idle_cores
    size = ["--agents", "2000", "--seeds", "2"] if quick else []
    worlds = "8" if quick else "64"
    with tempfile.TemporaryDirectory(prefix="bench_decide_") as tmp:
        sq, strategy = _whatif_files(Path(tmp))
        cmds = {
            "explain": ["compare", "discount_only", "differentiated_service", "--explain", "--worlds", "0", *size],
            "uncertain": ["compare", "discount_only", "differentiated_service", "--uncertain", worlds, *size],
            "deck": ["report", "--deck", "--out", str(Path(tmp) / "report"),
                     *(["--seeds", "2", "--worlds", "4"] if quick else [])],
            "what-if": ["compare", str(sq), str(strategy), "--set", "market.price_rmb=40", *size],
        }
        unit_args = ["run", "differentiated_service", *(["--agents", "2000"] if quick else [])]
        load0, idle = os.getloadavg(), idle_cores(1.0) or float("nan")
        units, times = [], {k: [] for k in cmds}
        for _ in range(1 if quick else ROUNDS):
            for k, args in cmds.items():
                units.append(_wall(unit_args))
                times[k].append(_wall(args))
        load1 = os.getloadavg()
    unit, unit_cpu = (statistics.median(x) for x in zip(*units))
    walls = [w for w, _ in units]
    load = f"load average {load0[0]:.1f} -> {load1[0]:.1f}, {idle:.1f} idle cores before the rows"
    rows = [{"benchmark": "decision: one `sim run differentiated_service` (the unit), whole process", "value": unit,
             "unit": "s (median)", "note": f"{len(units)} runs between the others, {min(walls):.2f}-{max(walls):.2f} s; "
                                           f"CPU {unit_cpu:.2f} s; {load}"}]
    label = {"explain": "compare --explain --worlds 0", "uncertain": f"compare --uncertain {worlds}",
             "deck": "report --deck", "what-if": "calibrated what-if: compare fit/scenario.yaml with_pool.yaml --set "
                                                 "market.price_rmb=40 (16 worlds)"}
    for k, runs in times.items():
        ts = [w for w, _ in runs]
        med, cpu = statistics.median(ts), statistics.median(c for _, c in runs)
        target = TARGETS.get(k)
        rows.append({"benchmark": f"decision: {label[k]}, as a multiple of the single run", "value": med / unit,
                     "unit": "x", "target": f"<= {target:g}x" if target else "-",
                     "ok": None if target is None else bool(med / unit <= target),
                     "note": f"{med:.1f} s (median of {len(ts)}: {min(ts):.1f}-{max(ts):.1f} s); CPU {cpu:.1f} s "
                             f"({cpu / unit_cpu:.1f}x the single run's; the default workers: one per idle core); {load}"})
    return rows


def run(quick: bool = False) -> list[dict]:
    rows = whole_processes(quick)
    return rows + in_process(quick)


def in_process(quick: bool = False) -> list[dict]:
    from sim.lab.explain import explain
    from sim.lab.optimise import optimise
    from sim.lab.robustness import robustness
    users = 500 if quick else USERS
    size = f"{users:,} users x {DAYS} d"
    rows = []
    t = time.perf_counter()
    ex = explain(A, B, seeds=3, by="section", users=users, days=DAYS)    # the default method: two ends
    s = time.perf_counter() - t
    rows.append({"benchmark": f"explain, 4 levers, {size}", "value": s, "unit": "s",
                 "note": f"{ex.runs} runs ({ex.method}), {s / ex.runs:.2f} s per run"})
    draws = 8 if quick else 64
    t = time.perf_counter()
    rob = robustness(A, B, draws=draws, seeds=1, users=users, days=DAYS)
    s = time.perf_counter() - t
    rows.append({"benchmark": f"compare --uncertain {draws}, {size}", "value": s, "unit": "s",
                 "note": f"{rob.runs} runs, {len(rob.assumptions)} assumptions drawn"})
    t = time.perf_counter()
    rob2 = robustness(A, B, draws=draws, seeds=1, users=users, days=DAYS, workers=2)
    s2 = time.perf_counter() - t
    same = rob2.summary.equals(rob.summary) and rob2.worlds.equals(rob.worlds)
    rows.append({"benchmark": f"compare --uncertain {draws} --workers 2, {size}", "value": s2, "unit": "s",
                 "note": f"{s / s2:.2f}x one process, worker start-up included; results "
                         f"{'identical' if same else 'DIFFERENT (a bug)'}"})
    trials = 10 if quick else 60
    t = time.perf_counter()
    opt = optimise(ROOT / "scenarios" / "baseline.yaml", {"messaging.per_week": (0, 14), "groups.size": (0, 200)},
                   objective="profit", trials=trials, seeds=2, users=users, days=DAYS)
    s = time.perf_counter() - t
    states = opt.trials["state"].value_counts().to_dict()
    rows.append({"benchmark": f"optimise, {trials} trials x 2 seeds, {size}", "value": s, "unit": "s",
                 "note": f"{states.get('COMPLETE', 0)} complete, {states.get('PRUNED', 0)} pruned; "
                         f"best profit {opt.best_value:,.0f} vs start {opt.start_value:,.0f} RMB"})
    return rows


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true")
    p.add_argument("--whole", action="store_true", help="only the whole-process rows (issue 29)")
    a = p.parse_args()
    for r in (whole_processes(a.quick) if a.whole else run(a.quick)):
        print(f"{r['benchmark']}: {r['value']:.1f} {r['unit']}  ({r['note']})")
