"""Fingerprints of results, to show that a speed change leaves every number identical.

    .venv/bin/python benchmarks/fingerprint.py save before.pkl           # on the old code
    .venv/bin/python benchmarks/fingerprint.py save after.pkl            # on the new code
    .venv/bin/python benchmarks/fingerprint.py compare before.pkl after.pkl

`save` runs the shipped strategy scenarios and the all-mechanisms benchmark scenario at 20,000
users (seeds 0 and 1) and keeps, per run, a SHA-256 of `Result.daily` (every value, bit for bit)
and of `summary` (floats in hex), with the raw numbers. `compare` says, per run, identical or the
largest relative difference in the daily table and the summary (for a change that may only
reorder a floating-point sum: it should then be ~1e-12). Run it with PYTHONPATH set to the tree
whose code is measured.
"""
from __future__ import annotations

import hashlib
import json
import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
CASES = ("baseline", "organic_referral", "fission_blitz", "differentiated_service", "big_groups_daily_push",
         "discount_only")


def fingerprint(res) -> str:
    h = hashlib.sha256()
    h.update(",".join(res.daily.columns).encode())
    h.update(np.ascontiguousarray(res.daily.to_numpy(np.float64)).tobytes())
    h.update(json.dumps({k: float(v).hex() if isinstance(v, float) else v for k, v in res.summary.items()},
                        sort_keys=True, default=str).encode())
    return h.hexdigest()[:16]


def save(path: str) -> None:
    import sim
    from bench_engine import full_scenario
    out = {}
    for seed in (0, 1):
        for case in CASES + ("all_mechanisms_20k",):
            sc = full_scenario(20_000) if case == "all_mechanisms_20k" else sim.load_scenario(ROOT / "scenarios" / f"{case}.yaml")
            res = sim.run(sc, seed=seed, progress=False)
            out[f"{case}/{seed}"] = (fingerprint(res), res.daily.to_numpy(np.float64), dict(res.summary))
            print(case, seed, out[f"{case}/{seed}"][0], flush=True)
    Path(path).write_bytes(pickle.dumps(out))


def _max_rel(a, b) -> float:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        return float("inf")
    both = ~(np.isnan(a) & np.isnan(b))
    return float(np.max(np.abs(a - b)[both] / np.maximum(np.abs(a[both]), 1e-300), initial=0.0))


def compare(path_a: str, path_b: str) -> bool:
    a, b = pickle.loads(Path(path_a).read_bytes()), pickle.loads(Path(path_b).read_bytes())
    same = True
    for key, (fa, da, sa) in a.items():
        fb, db, sb = b[key]
        if fa == fb:
            print(f"{key:32s} identical")
            continue
        same = False
        nums = [k for k in sa if isinstance(sa[k], (int, float)) and isinstance(sb.get(k), (int, float))]
        print(f"{key:32s} DIFFERENT: daily max relative difference {_max_rel(da, db):.3g}, summary "
              f"{_max_rel([sa[k] for k in nums], [sb[k] for k in nums]):.3g}")
    print("all identical" if same else "differences")
    return same


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "save":
        save(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        sys.exit(0 if compare(sys.argv[2], sys.argv[3]) else 1)
    else:
        sys.exit(__doc__)
