"""Is a speed change bit-identical? Dump every shipped scenario's results with one checkout, compare with another.

    .venv/bin/python benchmarks/identity.py dump OUT.pkl [--root DIR]   # run with DIR's sim (default: this one)
    .venv/bin/python benchmarks/identity.py compare A.pkl B.pkl         # exit 1 and a line per part that differs

A dump runs every scenario of scenarios/ and scenarios/cases/, the every-mechanism benchmark scenario (5,000 users,
and 20,000 users x 120 days) and six variants of it that take paths no shipped scenario takes (per-tier coupons,
no member prices, tiers off, stores without sales or entry points, a full staff capacity), each with seeds 0 and 7
(54 runs, ~15 s). It keeps each run's summary, daily frame, users table and sales / entry / tiers tables; compare
checks them byte for byte (floats by their bits, NaN equal to NaN). Dump the checkout before the change (a git
worktree of it: `git worktree add --detach /tmp/base COMMIT`, then `--root /tmp/base`) and after, and compare.
NumPy's exp, log and power depend on the processor's vector instructions (docs/model.md, Randomness): compare
dumps made on the same machine.
"""
from __future__ import annotations

import argparse
import os
import pickle
import sys
from pathlib import Path

SEEDS = (0, 7)
HERE = Path(__file__).resolve().parent

# full_scenario(5000) variants for paths no shipped scenario takes
VARIANTS = {
    "full+playbook": {"tiers.playbook.gold.offers.discount_depth": 0.3, "tiers.playbook.silver.offers.discount_depth": 0.0,
                      "offers.old_customers_only": True},
    "full+playbook-no-member-price": {"tiers.playbook.gold.offers.discount_depth": 0.3, "tiers.gold.member_price": 0.0,
                                      "tiers.platinum.member_price": 0.0, "offers.discount_every_days": 7},
    "full-no-member-price": {"tiers.gold.member_price": 0.0, "tiers.platinum.member_price": 0.0},
    "full-tiers-off": {"tiers.enabled": False, "offers.discount_depth": 0.3},
    "full-sales-off-stores-only": {"sales.enabled": False, "entry.enabled": False, "calendar.events": [],
                                   "stores.invite_share": 0.5, "pool.container": "wecom"},
    "full-small-capacity": {"staff.accounts": 1, "staff.friend_cap": 300, "stores.container": "personal"},
    "full-mixed-network": {"referral.network": "mixed"},
}
SIZES = {"full(5000)": (5000, 365), "full(20000, 120 days)": (20000, 120)}


def _scenarios(root: Path) -> list[str]:
    files = sorted((root / "scenarios").glob("*.yaml")) + sorted((root / "scenarios" / "cases").glob("*.yaml"))
    return [str(p.relative_to(root)) for p in files] + list(SIZES) + list(VARIANTS)


def dump(out: str, root: Path) -> None:
    """Run every scenario x SEEDS with `root`'s sim and pickle their tables to `out`."""
    sys.path[:0] = [str(root), str(root / "benchmarks")]
    os.chdir(root)
    import sim
    from bench_engine import full_scenario
    if not Path(sim.__file__).resolve().is_relative_to(root.resolve()):
        sys.exit(f"identity: imported sim from {sim.__file__}, not from {root}")
    res = {}
    for name in _scenarios(root):
        if name in VARIANTS:
            sc = full_scenario(5000).with_overrides(VARIANTS[name])
        elif name in SIZES:
            sc = full_scenario(*SIZES[name])
        else:
            sc = sim.load_scenario(name)
        for seed in SEEDS:
            r = sim.run(sc, seed=seed, progress=False)
            res[(name, seed)] = dict(summary=r.summary, daily=r.daily, users=r.users, sales=r.sales, entry=r.entry,
                                     tiers=r.tiers)
    with open(out, "wb") as fh:
        pickle.dump(res, fh)
    print(f"{len(res)} runs written to {out}")


def same(a, b) -> bool:
    """Byte-for-byte equality of two tables (floats by their bits) or two summaries (NaN equal to NaN)."""
    import numpy as np
    import pandas as pd
    if a is None or b is None:
        return a is b
    if isinstance(a, pd.DataFrame):
        if list(a.columns) != list(b.columns) or not a.index.equals(b.index):
            return False
        for c in a.columns:
            x, y = a[c].to_numpy(), b[c].to_numpy()
            if x.dtype != y.dtype:
                return False
            if x.dtype.kind == "f":
                if not np.array_equal(np.ascontiguousarray(x).view(np.uint8), np.ascontiguousarray(y).view(np.uint8)):
                    return False
            elif not np.array_equal(x, y):
                return False
        return True
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(
            (isinstance(a[k], float) and isinstance(b[k], float) and a[k] != a[k] and b[k] != b[k]) or a[k] == b[k]
            for k in a)
    return a == b


def compare(first: str, second: str) -> int:
    """Print each (scenario, seed, part) that differs between two dumps; 1 if any does, else 0."""
    with open(first, "rb") as fa, open(second, "rb") as fb:
        a, b = pickle.load(fa), pickle.load(fb)
    if a.keys() != b.keys():
        print(f"the dumps ran different scenarios: {sorted(set(a) ^ set(b))}")
        return 1
    bad = [(key, part) for key in a for part in a[key] if not same(a[key][part], b[key][part])]
    for key, part in bad:
        print("differs:", *key, part)
    print(f"{len(a)} runs x {len(next(iter(a.values())))} parts compared; {len(bad)} differ")
    return 1 if bad else 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out")
    d.add_argument("--root", type=Path, default=HERE.parent)
    c = sub.add_parser("compare")
    c.add_argument("first")
    c.add_argument("second")
    a = p.parse_args(argv)
    if a.cmd == "dump":
        dump(a.out, a.root.resolve())
        return 0
    return compare(a.first, a.second)


if __name__ == "__main__":
    sys.exit(main())
