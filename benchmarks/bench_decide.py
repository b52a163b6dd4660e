"""Decision-tool benchmark (issue 13), at the agent count of notebooks/08_decide.ipynb.

    .venv/bin/python benchmarks/bench_decide.py [--quick]     # prints the rows
    run(quick=False) -> list[dict]                           # used by benchmarks/run.py

* explain: discount_only vs differentiated_service grouped by section (4 levers -> 16 mixes) x 3 seeds
* robustness: the same pair across 64 plausible worlds x 1 seed (--uncertain 64: 128 runs), in this
  process and on 2 worker processes (--workers 2; the numbers must be the same, the time includes
  starting the workers)
* optimise: 60 trials over messaging.per_week and groups.size on the baseline, 2 seeds per trial
  (TPE, median pruning), plus the check of start and best on 4 fresh seeds
Wall-clock seconds of the whole call (in this process, serially, unless the row says workers).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

USERS, DAYS = 2000, 365          # notebooks/08_decide.ipynb
A, B = ROOT / "scenarios" / "discount_only.yaml", ROOT / "scenarios" / "differentiated_service.yaml"


def run(quick: bool = False) -> list[dict]:
    from sim.lab.explain import explain
    from sim.lab.optimise import optimise
    from sim.lab.robustness import robustness
    users = 500 if quick else USERS
    size = f"{users:,} users x {DAYS} d"
    rows = []
    t = time.perf_counter()
    ex = explain(A, B, seeds=3, by="section", users=users, days=DAYS)
    s = time.perf_counter() - t
    rows.append({"benchmark": f"compare --explain, 4 levers, {size}", "value": s, "unit": "s",
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
    for r in run(p.parse_args().quick):
        print(f"{r['benchmark']}: {r['value']:.1f} {r['unit']}  ({r['note']})")
