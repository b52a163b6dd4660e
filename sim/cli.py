"""Command line: python -m sim {run, validate, schema, compare, sweep, report, calibrate}.

User mistakes (bad scenario, bad option) print one line to stderr and exit with
code 2, with no traceback, before anything is run or written.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .core.errors import ScenarioError, UsageError
from .core.files import write_atomic
from .core.scenario import iter_schema, load_scenario, parse_value

KEY_FIGURES = ("acquired_users", "pool_size_end", "ltv", "ltv_to_cac", "churn_rate_monthly", "retention_90d",
               "referral_share", "k_factor", "revenue", "profit", "payback_day")


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own errors: same one-line form, exit 2
        raise UsageError(f"{self.prog}: {message}")


def _overrides(pairs: list[str] | None) -> dict:
    out = {}
    for item in pairs or []:
        if "=" not in item:
            raise UsageError(f"--set {item!r}: expected dotted.key=value, e.g. messaging.per_week=3")
        k, v = item.split("=", 1)
        out[k.strip()] = parse_value(v)
    return out


def cmd_run(a) -> int:
    from .engine.runner import resolve, run
    sc = resolve(load_scenario(a.scenario, _overrides(a.set)), a.users, a.days)
    res = run(sc, seed=a.seed, progress=None if not a.quiet else False)
    from .present.labels import figure_label
    from .present.report import fmt_figure
    names = {k: figure_label(k) for k in KEY_FIGURES}
    width = max(len(n) for n in names.values())
    print(f"{sc.name}: {sc.market.users:,} users x {sc.horizon_days} days, seed {a.seed}")
    for k, name in names.items():
        print(f"  {name:<{width}}  {fmt_figure(k, res.summary[k]):>12}")
    if a.out:
        out = Path(a.out)
        write_atomic(out / "daily.csv", res.daily.to_csv(index=False))
        write_atomic(out / "summary.json", json.dumps(res.summary, indent=2, default=str))
        write_atomic(out / "scenario.yaml", sc.to_yaml())
        print(f"wrote {out}/daily.csv, summary.json, scenario.yaml")
    return 0


def cmd_validate(a) -> int:
    sc = load_scenario(a.scenario, _overrides(a.set))
    print(f"{a.scenario}: valid ({sc.name}, {sc.market.users:,} users, {sc.horizon_days} days)")
    return 0


def cmd_schema(a) -> int:
    rows = list(iter_schema())
    if a.markdown:
        print("| key | type | default | range | unit | meaning | source |\n|---|---|---|---|---|---|---|")
        for r in rows:
            print("| " + " | ".join(str(x).replace("|", "\\|") for x in r) + " |")
        return 0
    for key, typ, default, rng, unit, meaning, source in rows:
        print(f"{key}  ({typ}, default {default!r}{', ' + rng if rng else ''}{', ' + unit if unit != '-' else ''})\n"
              f"    {meaning}  [source: {source}]")
    return 0


def cmd_compare(a) -> int:
    from .lab.experiments import compare, compare_table
    scenarios = [load_scenario(p, _overrides(a.set)) for p in a.scenarios]
    cmp = compare(scenarios, seeds=a.seeds, users=a.users, days=a.days)
    print(compare_table(cmp))
    return 0


def cmd_sweep(a) -> int:
    from .lab.sweep import parse_grid, sweep
    sc = load_scenario(a.scenario, _overrides(a.set))
    grid = parse_grid(a.grid)
    table = sweep(sc, grid=grid, seeds=a.seeds, out=a.out, backend="dask" if a.dask or a.workers else "serial",
                  address=a.dask, users=a.users, days=a.days, workers=a.workers)
    print(f"{len(table)} runs in {a.out}/results.csv")
    return 0


def cmd_report(a) -> int:
    from .present.report import make_report
    paths = make_report(a.out, scenarios=a.scenarios or None, seeds=a.seeds, users=a.users, days=a.days)
    for p in paths:
        print(f"wrote {p}")
    return 0


def cmd_calibrate(a) -> int:
    from .lab.calibrate import DEFAULT_BASE, calibrate
    from .lab.orders import parse_columns
    from .present.calibration_report import write
    base = load_scenario(a.base or DEFAULT_BASE, _overrides(a.set))
    cal = calibrate(a.orders, holdout_from=a.holdout_from, base=base, seeds=a.seeds, columns=parse_columns(a.columns),
                    trials=a.trials)
    d = cal.to_dict()
    print(f"{d['customers']:,} customers, {d['trials']} trials, {d['seconds']:.0f} s")
    for k, v in d["params"].items():
        r = d["uncertainty"].get(k)
        print(f"  {k:<32} {v:>10g}" + (f"   (~95%: {r[0]:g} .. {r[1]:g})" if r else ""))
    for name in ("calibration", "holdout"):
        p = d[name]
        if p:
            print(f"  {name:<11} repeat purchases: actual {p['actual_repeat_orders']:,.0f}, lab "
                  f"{p['predicted_repeat_orders']:,.0f} ({100 * p['error']:+.1f}%), BG/NBD "
                  f"{p['bgnbd_repeat_orders']:,.0f} ({100 * p['bgnbd_error']:+.1f}%)")
    for p in write(cal, a.out):
        print(f"wrote {p}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m sim", description="Private-pool strategy lab")
    sub = p.add_subparsers(dest="cmd", required=True, parser_class=_Parser)

    def common(q, scenario=True):
        if scenario:
            q.add_argument("scenario", help="scenario YAML file")
        q.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a dotted key (repeatable)")

    r = sub.add_parser("run", help="simulate one scenario")
    common(r)
    r.add_argument("--users", type=int)
    r.add_argument("--days", type=int)
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--out", help="folder for daily.csv, summary.json, scenario.yaml")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.set_defaults(fn=cmd_run)

    v = sub.add_parser("validate", help="check a scenario file")
    common(v)
    v.set_defaults(fn=cmd_validate)

    s = sub.add_parser("schema", help="list every scenario key")
    s.add_argument("--markdown", action="store_true")
    s.set_defaults(fn=cmd_schema)

    c = sub.add_parser("compare", help="compare scenarios side by side (paired seeds)")
    c.add_argument("scenarios", nargs="+")
    common(c, scenario=False)
    c.add_argument("--seeds", type=int, default=5)
    c.add_argument("--users", type=int)
    c.add_argument("--days", type=int)
    c.set_defaults(fn=cmd_compare)

    w = sub.add_parser("sweep", help="run a grid of levers x seeds, resumable")
    common(w)
    w.add_argument("--grid", action="append", required=True, metavar="KEY=V1,V2,...")
    w.add_argument("--seeds", type=int, default=3)
    w.add_argument("--out", required=True)
    w.add_argument("--users", type=int)
    w.add_argument("--days", type=int)
    w.add_argument("--dask", metavar="ADDRESS", help="scheduler address of an existing Dask cluster")
    w.add_argument("--workers", type=int, help="start a local Dask cluster with this many workers")
    w.set_defaults(fn=cmd_sweep)

    k = sub.add_parser("calibrate", help="fit the repeat-purchase process to your order history (CSV)")
    k.add_argument("orders", help="CSV, one row per order: customer_id, date, amount [, channel, joined_pool, returned]")
    k.add_argument("--out", required=True, help="folder for scenario.yaml, fit.json, fit.html, customers.csv")
    k.add_argument("--holdout-from", metavar="YYYY-MM-DD", help="fit on orders before this date, forecast after it")
    k.add_argument("--base", help="scenario the fit starts from (default scenarios/baseline.yaml)")
    k.add_argument("--columns", metavar="NAME=HEADER,...", help="map your headers, e.g. customer_id=user,date=paid_at")
    k.add_argument("--seeds", type=int, default=4, help="seeds of the final forecast")
    k.add_argument("--trials", type=int, default=150, help="simulation trials of the fit")
    k.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a key of the base (repeatable)")
    k.set_defaults(fn=cmd_calibrate)

    rp = sub.add_parser("report", help="charts and a short report of the default strategy comparison")
    rp.add_argument("--out", default="out")
    rp.add_argument("--scenarios", nargs="*")
    rp.add_argument("--seeds", type=int, default=5)
    rp.add_argument("--users", type=int)
    rp.add_argument("--days", type=int)
    rp.set_defaults(fn=cmd_report)
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return args.fn(args)
    except (ScenarioError, UsageError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `python -m sim schema | head`
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
