"""Command line: python -m sim {run, validate, schema, compare, optimise, sweep, report, calibrate, plausibility}.

Every subcommand runs inside `main`'s one error wrapper (`run_command`), so a new subcommand
inherits it: a user mistake (bad scenario, option, seed, output folder) prints one line to stderr
and exits with code 2 before anything is run or written; an environment failure (disk full,
a Dask cluster that died) prints one line saying what was kept and exits with code 1; Ctrl-C
prints one line, "interrupted; " and what was kept, and exits with code 130.
"""
from __future__ import annotations

import argparse
import math
import sys
import warnings
from pathlib import Path

from .core.errors import (
    MAX_SEED,
    EnvironmentFailure,
    ScenarioError,
    UsageError,
    check_seed,
    clip,
    interrupted,
)
from .core.files import check_out_dir, json_text, publish_dir, write_atomic
from .core.scenario import load_scenario, parse_value
from .core.yamlread import number_hint
from .lab.figures import DECISION_FIGURES, check_figures
from .lab.interrupts import interrupted_line
from .lab.pool import MAX_WORKERS, shared_pool

PRECISE_AGENTS = 1000   # acquired agents below which `run` says the per-user figures are noisy
KEY_FIGURES = ("acquired_users", "pool_size_end", "ltv", "ltv_to_cac", "churn_rate_monthly", "retention_90d",
               "referral_share", "k_factor", "revenue", "profit", "payback_day")


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own errors: same one-line form, exit 2
        raise UsageError(clip(f"{self.prog}: {message}", 300))


RUN_FILES = ("daily.csv", "summary.json", "scenario.yaml")
MAX_TRIALS = 100_000   # trials of a fit or a search
MAX_WORLDS = 100_000   # plausible worlds of --uncertain / --worlds
DECIDE_FIGURES = ",".join(DECISION_FIGURES)   # compare --explain / --uncertain by default
SWEEP_OBJECTIVES = ("ltv", "profit", "churn_rate_monthly", "payback_day")   # a sweep's best cells, each the better way
WORKERS = {"metavar": "N", "help": "the comparison, --explain and the worlds check on N worker processes, the same "
           "numbers (default: one per core idle when it starts, at most 8; 1: this process only)"}


def _seed(text: str) -> int:
    """argparse type of --seed: a whole number in 0 .. MAX_SEED."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:80]!r} is not a whole number (0 .. {MAX_SEED})") from None
    try:
        return check_seed(value)
    except UsageError:
        raise argparse.ArgumentTypeError(f"{value} is outside 0 .. {MAX_SEED}") from None


def _count(lo: int, hi: int, none: int | None = None):
    """argparse type: a whole number in lo .. hi (or `none`, the value meaning "none", if given)."""
    allowed = f"{lo} .. {hi}" if none is None else f"{none} (none), or {lo} .. {hi}"

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text[:80]!r} is not a whole number ({allowed})") from None
        if not (lo <= value <= hi or value == none):
            raise argparse.ArgumentTypeError(f"{value} is outside {lo} .. {hi}" if none is None else
                                             f"{value} is neither {none} (none) nor in {lo} .. {hi}")
        return value
    return parse


def _whole(text: str) -> int:
    """argparse type of --users / --days / --agents: a whole number read as a scenario file reads it
    (parse_value: 100000, 1e5, 100_000); the scenario's schema checks its range."""
    value = parse_value(text)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or value != int(value):
        raise argparse.ArgumentTypeError(f"{text[:80]!r} is not a whole number; "
                                         + (number_hint(text) or "e.g. 100000 or 1e5"))
    return int(value)


def _date(text: str):
    """argparse type of --holdout-from: a date such as 2024-07-01."""
    from .lab.calibrate import holdout_date
    try:
        return holdout_date(text)
    except UsageError:
        raise argparse.ArgumentTypeError(f"{text[:80]!r} is not a date (YYYY-MM-DD, e.g. 2024-07-01)") from None


def _overrides(pairs: list[str] | None) -> dict:
    out = {}
    for item in pairs or []:
        if "=" not in item:
            raise UsageError(f"--set {item!r}: expected dotted.key=value, e.g. messaging.per_week=3")
        k, v = item.split("=", 1)
        if not k.strip():
            raise UsageError(f"--set {item!r}: the key before '=' is empty, e.g. messaging.per_week=3")
        out[k.strip()] = parse_value(v)
    return out


def _scenario(arg: str) -> str:
    """argparse type of a scenario argument: a file, or a shipped scenario's name (sim.core.places.find_scenario)."""
    from .core.places import find_scenario, shipped_names
    found = find_scenario(arg)
    if found.exists() or len(Path(arg).parts) > 1:
        return str(found)                            # a path: loading names the file if it is missing
    import difflib
    close = difflib.get_close_matches(Path(arg).stem, shipped_names(), n=1)
    raise argparse.ArgumentTypeError(f"{clip(repr(arg))} is neither a file nor a shipped scenario"
                                     + (f"; did you mean {close[0]!r}?" if close else "")
                                     + " (shipped: scenarios/*.yaml, scenarios/cases/*.yaml)")


def cmd_run(a) -> int:
    from .engine.runner import resolve, run
    sc = resolve(load_scenario(a.scenario, _overrides(a.set)), a.users, a.days, a.agents)
    if a.out:
        check_out_dir(a.out, RUN_FILES)              # before simulating: not a file, writable, ours
    res = run(sc, seed=a.seed, progress=None if not a.quiet else False)
    from .core.population import sample_size
    from .lab.figures import unit_of
    from .present.formats import fmt
    from .present.labels import figure_label
    names = {k: figure_label(k) for k in KEY_FIGURES}
    width = max(len(n) for n in names.values())
    print(f"{sc.name}: a market of {sc.market.users:,} people ({sample_size(sc.market)[0]:,} agents) x "
          f"{sc.horizon_days} days, seed {a.seed}")
    for k, name in names.items():
        print(f"  {name:<{width}}  {fmt(res.summary[k], unit_of(k)):>12}")
    if res.scale > 1 and res.summary["acquired_agents"] < PRECISE_AGENTS:
        print(f"note: per-user figures rest on {res.summary['acquired_agents']:,} acquired agents (each "
              f"{res.scale:g} people); raise --agents for more precision")
    if a.out:
        texts = (res.daily.to_csv(index=False), json_text(res.summary), sc.to_yaml())
        with publish_dir(a.out, RUN_FILES) as tmp:   # all three files or none, replacing an earlier run whole
            for name, text in zip(RUN_FILES, texts):
                write_atomic(tmp / name, text)
        print(f"wrote {Path(a.out)}/daily.csv, summary.json, scenario.yaml")
    return 0


def cmd_validate(a) -> int:
    sc = load_scenario(a.scenario, _overrides(a.set))
    print(f"{a.scenario}: valid ({sc.name}, {sc.market.users:,} users, {sc.horizon_days} days)")
    return 0


def cmd_schema(a) -> int:
    from .core.schema_info import schema_text
    from .lab.provenance import fitted_marks
    if a.scenario:
        load_scenario(a.scenario)                  # a bad file is refused here, with its line
    print(schema_text(markdown=a.markdown, fitted=fitted_marks(a.scenario) if a.scenario else None))
    return 0


def _worlds(a) -> int:
    """Plausible worlds of `compare` (--worlds, else --uncertain, else 16 with two or more scenarios), after checking
    that options are used where they apply (--by, --exact: --explain; --world-seeds, --figures: worlds or --explain)."""
    from .lab.findings import DEFAULT_WORLDS
    if a.uncertain is not None and a.worlds is not None and a.worlds != a.uncertain:
        raise UsageError(f"compare --uncertain {a.uncertain} --worlds {a.worlds}: give the number of worlds once "
                         f"(--uncertain N is --worlds N with the full table of worlds)")
    n = next(x for x in (a.worlds, a.uncertain, DEFAULT_WORLDS if len(a.scenarios) > 1 else 0) if x is not None)
    check = "a plausible-worlds check (--worlds N, N > 0)"
    for option, given, used, by in [("--by", a.by != "auto", a.explain, "--explain"),
                                    ("--exact", a.exact, a.explain, "--explain"),
                                    ("--world-seeds", a.world_seeds != 1, n > 0, check),
                                    ("--figures", a.figures != DECIDE_FIGURES, a.explain or n > 0, f"--explain or {check}")]:
        if given and not used:
            raise UsageError(f"compare {option}: applies only with {by}; add it or leave {option} out")
    return n


def cmd_compare(a) -> int:
    """The comparison table; each further strategy checked against the first in plausible worlds, its verdicts
    on LTV and profit in words; --explain: the levers carrying each difference; --uncertain N: every world."""
    from .lab.experiments import compare
    from .lab.explain import explain
    from .lab.findings import findings_of
    from .lab.provenance import fitted_marks
    from .present.conclusions import VERDICT_FIGURES, verdicts_text
    from .present.tables import comparison_text, levers_text, worlds_text
    worlds = _worlds(a)
    scenarios = [load_scenario(p, _overrides(a.set)) for p in a.scenarios]
    if (a.explain or a.uncertain is not None) and len(scenarios) != 2:
        raise UsageError(f"compare --explain / --uncertain: give exactly two scenarios (A B), not {len(scenarios)}")
    figures = check_figures([f.strip() for f in a.figures.split(",") if f.strip()])
    with shared_pool(a.workers):               # one pool for the explanation's and the worlds' runs
        cmp = compare(scenarios, seeds=a.seeds, users=a.users, days=a.days, agents=a.agents)
        ex = explain(*scenarios, seeds=a.seeds, figures=figures, by=a.by, users=a.users, days=a.days, agents=a.agents,
                     method="exact" if a.exact else "auto", runs=cmp) if a.explain else None
        f = findings_of(cmp, explanation=ex, worlds=worlds, world_seeds=a.world_seeds,
                        figures=list(dict.fromkeys([*figures, *VERDICT_FIGURES])),
                        fitted={n: fitted_marks(p) for n, p in zip(cmp.names, a.scenarios)}, what_if=_overrides(a.set))
    print(comparison_text(f, KEY_FIGURES) + ("\n\n" + verdicts_text(f) if len(f.names) > 1 else ""))
    if ex is not None:
        print("\n" + levers_text(f.levers))
    if a.uncertain is not None:
        print("\n" + worlds_text(f.worlds[f.names[1]]))
    return 0


def cmd_optimise(a) -> int:
    from .lab.optimise import NoFeasibleTrial, optimise, parse_constraint, parse_lever
    from .present.tables import no_feasible_text, search_text
    sc = load_scenario(a.scenario, _overrides(a.set))
    levers = dict(parse_lever(x) for x in a.lever)
    if len(levers) != len(a.lever):
        raise UsageError("--lever: a key is given twice")
    constraints = dict(parse_constraint(x) for x in a.constraint or [])
    direction = "maximize" if a.maximize else "minimize" if a.minimize else None
    try:
        opt = optimise(sc, levers, objective=a.objective, direction=direction, constraints=constraints,
                       trials=a.trials, seeds=a.seeds, users=a.users, days=a.days, out=a.out, storage=a.storage,
                       study_name=a.study, sampler=a.sampler)
    except NoFeasibleTrial as exc:                   # said plainly, with how close the search came
        raise UsageError(no_feasible_text(exc)) from None
    print(search_text(opt))
    print(f"wrote {a.out}/best.yaml, trials.csv, check.csv, summary.json")
    return 0


def _add_decide_options(c, o, size, seeds_type) -> None:
    """Options of compare --explain / --uncertain (c) and of the optimise command (o)."""
    c.add_argument("--explain", action="store_true", help="split B - A among the levers that differ (Shapley values)")
    c.add_argument("--by", choices=("auto", "key", "section"), default="auto",
                   help="--explain: one lever per key, per section, or auto (sections with 3+ differing keys; default)")
    c.add_argument("--exact", action="store_true", help="--explain: run every mix of the levers (2^n), not each lever "
                   "switched first and last (2 + 2n mixes, exact for pairwise interactions; the default from 4 levers)")
    c.add_argument("--worlds", type=_count(2, MAX_WORLDS, none=0), metavar="N",
                   help=f"check each verdict across N plausible worlds of the assumptions and say what it hinges "
                        f"on (default 16 with two or more scenarios; 0: no check; 2 .. {MAX_WORLDS:,})")
    c.add_argument("--uncertain", type=_count(2, MAX_WORLDS), metavar="N",
                   help=f"--worlds N, and print the full table of worlds and hinges (two scenarios; 2 .. {MAX_WORLDS:,})")
    c.add_argument("--world-seeds", type=seeds_type, default=1, help="simulated histories per plausible world (default 1)")
    c.add_argument("--figures", default=DECIDE_FIGURES,
                   help=f"--explain and the worlds check: summary figures, comma-separated (default {DECIDE_FIGURES})")
    c.add_argument("--workers", type=_count(1, MAX_WORKERS), **WORKERS)
    o.add_argument("--lever", action="append", required=True, metavar="KEY=LO:HI",
                   help="a lever to search: dotted.key=low:high, or dotted.key=a,b,c for options (repeatable)")
    o.add_argument("--objective", default="profit", metavar="FIGURE", help="summary figure to optimise (default profit)")
    g = o.add_mutually_exclusive_group()
    g.add_argument("--maximize", action="store_true", help="maximise the objective (default for most figures)")
    g.add_argument("--minimize", action="store_true", help="minimise it (default for churn, payback, costs)")
    o.add_argument("--constraint", action="append", metavar="FIGURE<=V",
                   help="a condition on a summary figure (mean over seeds) or a scenario key, e.g. "
                        "churn_rate_monthly<=0.1 (repeatable)")
    o.add_argument("--trials", type=_count(1, MAX_TRIALS), default=40,
                   help="trials the study should have in all (default 40)")
    o.add_argument("--seeds", type=seeds_type, default=2, help="simulated histories per trial, the same in every trial (default 2)")
    size(o)
    o.add_argument("--out", required=True,
                   help="folder: study.journal (resumable), best.yaml, trials.csv, check.csv, summary.json")
    o.add_argument("--storage", help="Optuna storage URL shared by several machines (default: DIR/study.journal)")
    o.add_argument("--study", help="study name (default: derived from the settings)")
    o.add_argument("--sampler", choices=("tpe", "random"), default="tpe", help="Optuna sampler (default tpe)")
    o.set_defaults(fn=cmd_optimise)


def cmd_sweep(a) -> int:
    from .lab.sweep import parse_grid, sweep
    sc = load_scenario(a.scenario, _overrides(a.set))
    grid = parse_grid(a.grid)
    table = sweep(sc, grid=grid, seeds=a.seeds, out=a.out, backend="dask" if a.dask or a.workers else "serial",
                  address=a.dask, users=a.users, days=a.days, workers=a.workers, new=a.new)
    print(f"{len(table)} runs in {a.out}/results.csv")
    from .lab.figures import best_ways
    from .present.tables import best_cells_text
    summary = best_cells_text(table, list(grid), best_ways(SWEEP_OBJECTIVES))
    if summary:
        print(summary)
    return 0


def _report_explain(a) -> dict:
    """report --explain: the lever attribution of the two strategies (checked before any simulation)."""
    if not a.explain:
        return {}
    from .present.report import REPORT_FILES, validate
    scs = validate(a.scenarios or None, a.seeds, a.users, a.days, _overrides(a.set))
    check_out_dir(a.out, REPORT_FILES, "report: --out")               # before any simulation
    if len(scs) != 2:
        raise UsageError(f"report --explain: give exactly two strategies, not {len(scs)}")
    from .lab.explain import explain
    return {"explanation": explain(*scs, seeds=a.seeds, figures=("ltv", "profit"), by="section")}


def cmd_report(a) -> int:
    from .lab.provenance import fitted_marks
    from .present.report import make_report
    if a.lang and not a.deck:
        raise UsageError(f"report --lang {a.lang}: applies only with --deck (the reports are written in both languages)")
    fitted = [fitted_marks(p) for p in a.scenarios or ()]
    with shared_pool(a.workers):               # one pool for every run of the report
        paths = make_report(a.out, scenarios=a.scenarios or None, seeds=a.seeds, users=a.users, days=a.days,
                            deck=a.deck, lang=a.lang, worlds=a.worlds, fitted=fitted, overrides=_overrides(a.set),
                            **_report_explain(a))
    for p in paths:
        print(f"wrote {p}")
    return 0


def cmd_calibrate(a) -> int:
    from .lab.calibrate import DEFAULT_BASE, calibrate
    from .lab.orders import parse_columns
    from .present.calibration_report import OUTPUT_FILES, summary_text, write
    if a.dry_run:                                     # what was recognised; nothing written or fitted
        from .lab.orders import dry_run
        print(dry_run(a.orders, parse_columns(a.columns)))
        return 0
    if not a.out:
        raise UsageError("calibrate: --out is required (a folder for the fit), or give --dry-run to see how the file reads")
    check_out_dir(a.out, OUTPUT_FILES)                # before minutes of fitting
    base = load_scenario(a.base or DEFAULT_BASE, _overrides(a.set))
    cal = calibrate(a.orders, holdout_from=a.holdout_from, base=base, seeds=a.seeds, columns=parse_columns(a.columns),
                    contacts=a.contacts, touches=a.touches)
    print(summary_text(cal))
    for p in write(cal, a.out):
        print(f"wrote {p}")
    return 0


def cmd_plausibility(a) -> int:
    from .lab.plausibility import plausibility, plausibility_markdown, plausibility_table
    from .lab.provenance import fitted_marks
    p = plausibility(load_scenario(a.scenario, _overrides(a.set)), seeds=a.seeds, agents=a.agents, days=a.days,
                     fitted=fitted_marks(a.scenario))
    print((plausibility_markdown if a.markdown else plausibility_table)(p).rstrip("\n"))
    return 0


def build_parser() -> argparse.ArgumentParser:
    from .lab.experiments import MAX_SEEDS
    seeds_type = _count(1, MAX_SEEDS)
    p = _Parser(prog="python -m sim", description="Private-pool strategy lab")
    sub = p.add_subparsers(dest="cmd", required=True, parser_class=_Parser)

    def common(q, scenario=True):
        if scenario:
            q.add_argument("scenario", type=_scenario,
                           help="scenario YAML file, or the name of a shipped one (baseline = scenarios/baseline.yaml)")
        q.add_argument("--set", action="append", metavar="KEY=VALUE",
                       help="override a dotted key, e.g. messaging.per_week=3 (repeatable)")

    def size(q):
        q.add_argument("--users", type=_whole, help="people in the market, e.g. 100000 or 1e5 (default: the scenario's "
                                                    "market.users)")
        q.add_argument("--days", type=_whole, help="days to simulate (default: the scenario's horizon_days)")

    def agents(q):
        q.add_argument("--agents", type=_whole, help="simulated agents (default: the scenario's market.agents); "
                                                  "each stands for users / agents people")

    r = sub.add_parser("run", help="simulate one scenario")
    common(r)
    size(r)
    agents(r)
    r.add_argument("--seed", type=_seed, default=0,
                   help=f"random seed, 0 .. {MAX_SEED}; the same seed gives the same numbers (default 0)")
    r.add_argument("--out", help="folder for daily.csv, summary.json, scenario.yaml (default: print the figures, "
                                  "write nothing)")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.set_defaults(fn=cmd_run)

    v = sub.add_parser("validate", help="check a scenario file")
    common(v)
    v.set_defaults(fn=cmd_validate)

    s = sub.add_parser("schema", help="list every scenario key")
    s.add_argument("--markdown", action="store_true", help="print a Markdown table (as in docs/model.md)")
    s.add_argument("--scenario", metavar="FILE", default=None, type=_scenario,
                   help="mark the keys this scenario file says were fitted from data (a `sim calibrate` output)")
    s.set_defaults(fn=cmd_schema)

    seeds = "simulated histories per scenario (seeds 0..N-1, the same for every scenario)"
    c = sub.add_parser("compare", help="compare scenarios side by side (paired seeds)")
    c.add_argument("scenarios", nargs="+", type=_scenario, help="scenario files or shipped names; each is compared with the first (one alone: its figures with intervals)")
    common(c, scenario=False)
    c.add_argument("--seeds", type=seeds_type, default=5, help=seeds + " (default 5)")
    size(c)
    agents(c)
    c.set_defaults(fn=cmd_compare)
    _add_decide_options(c, sub.add_parser("optimise", help="search levers for the best strategy (Optuna)"), size,
                        seeds_type)
    common(sub.choices["optimise"])

    w = sub.add_parser("sweep", help="run a grid of levers x seeds, resumable")
    common(w)
    w.add_argument("--grid", action="append", required=True, metavar="KEY=V1,V2,...",
                   help="a lever and the values to try, e.g. groups.size=0,20,200 (repeatable: the grid is every combination)")
    w.add_argument("--seeds", type=seeds_type, default=3, help=seeds + " (default 3)")
    w.add_argument("--out", required=True, help="folder for one file per finished run and results.csv (resumes there)")
    size(w)
    w.add_argument("--dask", metavar="ADDRESS", help="scheduler address of an existing Dask cluster, tcp://host:port (default: no cluster)")
    w.add_argument("--workers", type=_count(1, MAX_WORKERS), help="start a local Dask cluster with this many workers (default: none, "
                                                                     "runs one after another in this process)")
    w.add_argument("--new", action="store_true", help="archive an earlier, different sweep in --out and start afresh")
    w.set_defaults(fn=cmd_sweep)

    k = sub.add_parser("calibrate", help="fit the customer twin to your order history (CSV, .xlsx, an export) and forecast it")
    k.add_argument("orders", help="orders: CSV/TSV (UTF-8, GBK or UTF-16) or .xlsx with customer_id, date, amount "
                                  "[, channel, joined_pool, returned], or a Taobao/Tmall, 抖店 or 有赞 export (docs/data.md)")
    k.add_argument("--out", help="folder for scenario.yaml, fit.json, fit.html, customers.csv (required unless --dry-run)")
    k.add_argument("--dry-run", action="store_true",
                   help="print what was recognised in the file (platform, encoding, columns, rows dropped and why, "
                        "orders, customers, dates); write and fit nothing")
    k.add_argument("--holdout-from", metavar="YYYY-MM-DD", type=_date, help="fit on orders before this date, forecast after it")
    k.add_argument("--base", type=_scenario, help="strategy keys of the calibrated scenario (default scenarios/baseline.yaml)")
    k.add_argument("--columns", metavar="NAME=HEADER,...", help="map your headers, e.g. customer_id=user,date=paid_at")
    k.add_argument("--seeds", type=seeds_type, default=4, help="seeds of the final forecast (default 4)")
    k.add_argument("--contacts", metavar="FILE", help="a WeCom / SCRM contact export (customer, staff, added, lost): "
                                                     "who joined the pool when, acceptance among buyers, deletions")
    k.add_argument("--touches", metavar="FILE", help="a campaign log with a control group (customer, date, kind, "
                                                    "holdout): the lift of a message or a coupon")
    k.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a key of the base (repeatable)")
    k.set_defaults(fn=cmd_calibrate)

    q = sub.add_parser("plausibility", help="the headline outputs beside published ranges (in range or not)")
    q.add_argument("scenario", nargs="?", default="baseline", type=_scenario, help="file or shipped name (default baseline)")
    common(q, scenario=False)
    q.add_argument("--seeds", type=seeds_type, default=2, help=seeds + " (default 2)")
    q.add_argument("--days", type=_whole, default=365, help="days to simulate (default 365: the figures are yearly)")
    agents(q)
    q.add_argument("--markdown", action="store_true", help="print the docs/model.md section instead")
    q.set_defaults(fn=cmd_plausibility)

    rp = sub.add_parser("report", help="charts, report and (with --deck) slides of a strategy comparison")
    rp.add_argument("--out", default="out/report", help="folder for the report (replaced as a whole; default out/report)")
    rp.add_argument("--scenarios", nargs="*", type=_scenario,
                    help="scenario files or shipped names (default: discount_only differentiated_service)")
    rp.add_argument("--seeds", type=seeds_type, default=5, help=seeds + " (default 5)")
    size(rp)
    rp.add_argument("--deck", action="store_true", help="also write the slide decks deck_zh.pptx and deck_en.pptx")
    rp.add_argument("--lang", choices=("zh", "en"), help="--deck: only this language's deck (default: both)")
    rp.add_argument("--set", action="append", metavar="KEY=VALUE",
                    help="a what-if: override a dotted key in every strategy, e.g. market.price_rmb=300 (repeatable); "
                         "stated as your setting on every slide and in the report")
    rp.add_argument("--explain", action="store_true", help="add the lever waterfall of the LTV difference")
    rp.add_argument("--worlds", type=_count(2, MAX_WORLDS, none=0), default=16, metavar="N",
                    help=f"check each verdict across N plausible worlds and say what it hinges on (2 .. "
                         f"{MAX_WORLDS:,}; default 16; 0: no check)")
    rp.add_argument("--workers", type=_count(1, MAX_WORKERS), **WORKERS)
    rp.set_defaults(fn=cmd_report)
    return p


def run_command(fn, args) -> int:
    """Run one subcommand; map every user mistake to one line and exit code 2, every environment
    failure (disk full, permissions, a dead cluster) to one line and exit code 1. Warnings print as
    one line each ("warning: ..."); Ctrl-C to one line saying what was kept and exit code 130."""
    try:
        with warnings.catch_warnings():
            warnings.showwarning = lambda message, *_a, **_k: print(f"warning: {message}", file=sys.stderr)
            return fn(args)
    except (ScenarioError, UsageError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except EnvironmentFailure as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except MemoryError:
        print("error: out of memory; try fewer --users, --days or --seeds", file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. `python -m sim schema | head`
        sys.stderr.close()
        return 0
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"error: {exc.strerror or exc}{where}; outputs are whole or absent: nothing half-written was left",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(interrupted_line(args), file=sys.stderr)
        return 130
    except Exception as exc:
        if not interrupted(exc):          # e.g. the SystemError of a Ctrl-C inside Numba-compiled code
            raise
        print(interrupted_line(args), file=sys.stderr)
        return 130


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return run_command(args.fn, args)
