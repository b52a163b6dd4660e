"""`make report`: a paired comparison of strategies as boss charts (English and Chinese) and a short report.

    from sim.report import make_report
    paths = make_report("out", seeds=5)              # or: python -m sim report --out out

Writes into `out`:
  j_curve_{en,zh}.png       cumulative profit with the payback day
  comparison_{en,zh}.png    key figures per strategy with 90% intervals
  retention_{en,zh}.png     cohort retention by acquisition month
  flows_{en,zh}.png         public -> pool -> lost by reason
  ltv_bridge_{en,zh}.png    the LTV gap vs the first strategy, split into drivers
                            (one per further strategy: ltv_bridge_<name>_{en,zh}.png when more than two)
  levers_{en,zh}.png        with explain=True: the profit difference split among the levers (Shapley)
  worlds_{en,zh}.png        with worlds=N: the profit difference across N plausible worlds and its hinges
  report.md, report.html    table of key figures with intervals, the charts, how to read each

Everything is checked before anything runs (scenario files, sizes, the Chinese font) and
every file is written through a temporary file and a rename once all charts are drawn,
so a bad input leaves `out` as it was. Runs are headless (Agg canvas, no display needed).
"""
from __future__ import annotations

import base64
import html
import math
from datetime import date
from pathlib import Path

from ..core.errors import UsageError
from ..core.files import write_atomic
from ..core.scenario import Scenario, load_scenario
from ..engine.runner import resolve
from . import plots

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS_DIR = ROOT / "scenarios"
OUT_DIR = ROOT / "out"
DEFAULT_SCENARIOS = ("discount_only", "differentiated_service")
REPORT_FIGURES = ("ltv", "ltv_to_cac", "churn_rate_monthly", "retention_90d", "referral_share", "payback_day",
                  "profit", "pool_size_end")
BAR_FIGURES = ("ltv", "churn_rate_monthly", "referral_share", "payback_day")

# Stand-ins built from baseline.yaml when a default scenario file is missing (same levers as the files).
FALLBACK_OVERRIDES = {
    "discount_only": {"name": "discount_only", "messaging.per_week": 4, "messaging.promo_share": 0.8,
                      "messaging.value_share": 0.15, "offers.discount_depth": 0.3, "offers.discount_every_days": 14,
                      "offers.discount_days": 3},
    "differentiated_service": {"name": "differentiated_service", "messaging.promo_share": 0.3,
                               "messaging.value_share": 0.5, "messaging.no_disturb": True,
                               "service.one_to_one_hours_per_day": 8, "service.member_day_every_days": 30,
                               "groups.size": 100, "groups.tiering": True},
}


def scenario_path(name: str) -> Path:
    """Path of a scenario shipped in scenarios/ ('baseline' or 'baseline.yaml')."""
    return SCENARIOS_DIR / (name if name.endswith((".yaml", ".yml")) else f"{name}.yaml")


def default_scenarios() -> list[Scenario]:
    """scenarios/discount_only.yaml and differentiated_service.yaml (baseline variants if a file is missing)."""
    out = []
    for name in DEFAULT_SCENARIOS:
        p = scenario_path(name)
        out.append(load_scenario(p) if p.is_file() else load_scenario(scenario_path("baseline"), FALLBACK_OVERRIDES[name]))
    return out


# ----------------------------------------------------------------- formatting

def fmt_figure(name: str, v, signed: bool = False) -> str:
    """A summary figure for a table: % for shares, RMB with thousands separators, days as whole numbers."""
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "-"
    sign = "+" if signed else ""
    if plots.fig_scale(name) == 100:
        x = 100 * v
        return (f"{x:{sign}.2f}" if abs(x) < 1 else f"{x:{sign}.1f}") + (" pp" if signed else "%")
    if name == "payback_day" or plots.FIGURES.get(name, ("",))[0] == "u.users":
        return f"{v:{sign},.0f}"
    if abs(v) >= 1000:
        return f"{v:{sign},.0f}"
    return f"{v:{sign},.2f}" if abs(v) < 10 else f"{v:{sign},.1f}"


def _interval(name, lo, hi, signed=False) -> str:
    if lo is None or hi is None or not (math.isfinite(lo) and math.isfinite(hi)):
        return ""
    return f" [{fmt_figure(name, lo, signed)}, {fmt_figure(name, hi, signed)}]"


# ----------------------------------------------------------------- the report

HOW_TO_READ = {
    "j_curve": ("Cumulative profit: the J-curve",
                "Each line is a strategy's cumulative profit (revenue minus every cost, acquisition included) "
                "from day 0, the mean over the seeds with a band from the 5th to the 95th percentile across seeds. "
                "A J-shape means the line falls first (acquisition and staff are paid before repeat orders come in) "
                "and rises later; the dashed line marks the payback day, the first day the mean curve is back at zero after its "
                "lowest point. The depth of the dip is the money a boss must be ready to put in; the payback "
                "month is how long the patience must last."),
    "comparison": ("Key figures side by side",
                   "One panel per figure; each bar is the mean over the seeds and the whisker its 90% interval. "
                   "Where whiskers of two strategies overlap the difference may still be real, because the seeds "
                   "are paired (the table gives the paired difference and its interval); where they do not "
                   "overlap, the ranking holds across seeds."),
    "retention": ("Cohort retention by acquisition month",
                  "Users are grouped by the month they were acquired; each line is the share of a cohort still "
                  "customers (not lost) the given number of days after acquisition. Lines that stay higher mean "
                  "users stay longer. Later cohorts stop earlier because the run ends. If later cohorts fall faster "
                  "than early ones, the strategy wears out (for example coupons training users to wait)."),
    "flows": ("Where users go: public -> pool -> lost",
              "Three stacked bars per strategy, each 100% of acquired users: how they came (paid ads, organic, "
              "referred/KOC), whether they ever joined the private pool, and where they were at the end: still in "
              "the pool (active or muted), a customer on the public side, or lost - lapsed, washed back by "
              "competitors in the public feed, annoyed by messages, or taken along by a departing staff member."),
    "ltv_bridge": ("What makes up the LTV gap",
                   "A waterfall from the first strategy's LTV per user (left) to the other's (right). Each step is "
                   "one driver's share of the gap, and the steps add up exactly to it: referral mix (share of "
                   "referred users), retention (orders per user), spend per order (goods margin per order, after "
                   "cost of goods and returns), discounts and gifts, service and staff cost, and timing (later "
                   "cash is worth less at the discount rate). Green steps raise LTV, red ones lower it."),
    "levers": ("Which lever makes the profit difference",
               "Each bar is one lever's share of the profit difference (the keys that differ, grouped by section), "
               "its Shapley value: the mean of what switching that lever adds over every order of switching, on "
               "the same seeds; whiskers are 90% intervals over seeds. The bars add up to the total on the right. "
               "The note gives the interaction: what the levers do together beyond each alone."),
    "worlds": ("Does the verdict hold in other plausible worlds",
               "Left: the profit difference in each of the worlds drawn from the plausible ranges of every "
               "assumption (Latin hypercube), same seeds for both strategies; right of zero the second strategy "
               "earns more. Right: the assumptions the difference moves with most (Spearman rho) and, where a line "
               "fit crosses zero inside the plausible range, the value at which the verdict flips."),
}


def _validate(scenarios, seeds, users, days) -> list[Scenario]:
    if isinstance(seeds, bool) or not isinstance(seeds, int) or seeds < 1:
        raise UsageError(f"report: seeds = {seeds!r}: need a whole number of seeds >= 1")
    if scenarios is None:
        scs = default_scenarios()
    else:
        if isinstance(scenarios, (str, Path, Scenario)):
            scenarios = [scenarios]
        scs = [s if isinstance(s, Scenario) else load_scenario(s) for s in scenarios]
        if not scs:
            raise UsageError("report: give at least one scenario")
    return [resolve(sc, users, days) for sc in scs]


def make_report(out, scenarios=None, seeds: int = 5, users: int | None = None, days: int | None = None,
                explain: bool = False, worlds: int = 0) -> list[Path]:
    """Run a paired comparison and write the boss charts (en + zh PNG), report.md and report.html into `out`.

    scenarios  scenario files or Scenario objects (default: discount_only vs differentiated_service)
    seeds      seeds 0..seeds-1 for every scenario (common random numbers)
    users, days  run size (None keeps each scenario's own)
    explain    (two strategies) add the lever waterfall of the profit difference (levers by section)
    worlds     (two strategies) add how the verdict holds across this many plausible worlds (0 = skip)
    Raises ScenarioError / UsageError / plots.FontMissingError before anything is run or written.
    Returns the paths written.
    """
    scs = _validate(scenarios, seeds, users, days)
    if (explain or worlds) and len(scs) != 2:
        raise UsageError(f"report: --explain / --worlds need exactly two strategies, not {len(scs)}")
    plots.font_family("zh")                       # no Chinese font: fail now, not halfway
    from ..lab.experiments import compare

    out = Path(out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"report: --out {str(out)!r} exists and is not a folder")
    cmp = compare(scs, seeds=seeds)
    names = cmp.names
    first = names[0]

    charts: dict[str, bytes] = {}
    for lang in plots.LANGS:
        figs = {"j_curve": plots.j_curve(cmp, lang),
                "comparison": plots.comparison_bars(cmp, lang, figures=BAR_FIGURES),
                "retention": plots.retention_curves(cmp, lang),
                "flows": plots.user_flow(cmp, lang)}
        for other in names[1:]:
            key = "ltv_bridge" if len(names) == 2 else f"ltv_bridge_{_slug(other)}"
            figs[key] = plots.ltv_bridge(cmp.runs[first], cmp.runs[other], lang, names=(first, other))
        for key, fig in figs.items():
            charts[f"{key}_{lang}.png"] = plots.to_png_bytes(fig, dpi=110)

    bridges = {other: plots.ltv_bridge_parts(cmp.runs[first], cmp.runs[other]) for other in names[1:]}
    extra = _decision_parts(scs, seeds, explain, worlds, charts)
    md = _markdown(cmp, charts, bridges, extra)
    page = _html(cmp, charts, bridges, extra)

    written = []
    for fname, data in charts.items():
        write_atomic(out / fname, data)
        written.append(out / fname)
    for fname, text in (("report.md", md), ("report.html", page)):
        write_atomic(out / fname, text)
        written.append(out / fname)
    return written


def _decision_parts(scs, seeds, explain: bool, worlds: int, charts: dict) -> list[str]:
    """Run the lever attribution and/or the plausible-worlds test; add their charts; return their sentences."""
    facts = []
    if explain:
        from ..lab.explain import explain as run_explain
        ex = run_explain(scs[0], scs[1], seeds=seeds, figures=("profit",), by="section")
        for lang in plots.LANGS:
            charts[f"levers_{lang}.png"] = plots.to_png_bytes(plots.waterfall(ex, "profit", lang), dpi=110)
        c = ex.contributions.sort_values("contribution", key=abs, ascending=False).iloc[0]
        t = ex.totals.loc["profit"]
        facts.append(f"Of the profit difference ({fmt_figure('profit', t['total'], True)} RMB), the lever "
                     f"'{c['lever']}' carries the most ({fmt_figure('profit', c['contribution'], True)}"
                     f"{_interval('profit', c['lo'], c['hi'], True)} RMB); the levers' effects alone add up to "
                     f"{fmt_figure('profit', t['total'] - t['interaction'], True)} RMB ({ex.method}, {ex.runs} runs).")
    if worlds:
        from ..lab.robustness import robustness, verdict
        rob = robustness(scs[0], scs[1], draws=worlds, seeds=1, figures=("profit", "ltv"))
        for lang in plots.LANGS:
            charts[f"worlds_{lang}.png"] = plots.to_png_bytes(plots.worlds_chart(rob, "profit", lang), dpi=110)
        facts += [f"Across plausible worlds: {verdict(rob, f)}" for f in ("profit", "ltv")]
    return facts


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)


def _table_rows(cmp) -> tuple[list[str], list[list[str]]]:
    names = cmp.names
    first = names[0]
    head = ["figure"] + [f"{n} (mean [90% interval])" for n in names] + [f"{n} - {first} (paired)" for n in names[1:]]
    rows = []
    for f in REPORT_FIGURES:
        if f not in cmp.table.index:
            continue
        row = [plots.figure_label(f, "en")]
        for n in names:
            s = cmp.runs[n].summary
            m, lo, hi = (s.at[f, c] if f in s.index else math.nan for c in ("mean", "lo", "hi"))
            row.append(fmt_figure(f, m) + _interval(f, lo, hi))
        for n in names[1:]:
            d, lo, hi = (cmp.table.at[f, f"{c}:{n}"] for c in ("diff", "lo", "hi"))
            row.append(fmt_figure(f, d, signed=True) + _interval(f, lo, hi, signed=True))
        rows.append(row)
    return head, rows


def _facts(cmp, bridges) -> list[str]:
    """Sentences read off this run's numbers (no fixed claims)."""
    names, t = cmp.names, cmp.table
    first = names[0]
    out = []
    for n in names[1:]:
        d, lo, hi = t.at["ltv", f"diff:{n}"], t.at["ltv", f"lo:{n}"], t.at["ltv", f"hi:{n}"]
        where = "higher" if d > 0 else "lower"
        sure = ("the 90% interval of the paired difference excludes zero" if math.isfinite(lo) and (lo > 0 or hi < 0)
                else "the 90% interval of the paired difference includes zero, so more seeds are needed to rank them")
        out.append(f"In these runs, LTV per user under {n} is {fmt_figure('ltv', abs(d))} RMB {where} than under "
                   f"{first} ({fmt_figure('ltv', d, True)}{_interval('ltv', lo, hi, True)}); {sure}.")
        b = bridges[n]
        drivers = b[list(plots.BRIDGE_DRIVERS)]
        big = drivers.abs().idxmax()
        out.append(f"The largest single driver of that gap is {plots.label('d.' + big, 'en')} "
                   f"({fmt_figure('ltv', drivers[big], True)} RMB per user).")
        pa, pb = cmp.runs[first].summary.at["payback_day", "mean"], cmp.runs[n].summary.at["payback_day", "mean"]
        if math.isfinite(pa) and math.isfinite(pb):
            out.append(f"Mean payback day: {first} {pa:.0f} (month {plots.payback_month(pa)}), "
                       f"{n} {pb:.0f} (month {plots.payback_month(pb)}).")
    return out


def _setup_line(cmp) -> str:
    sc = cmp.runs[cmp.names[0]].scenario
    return (f"{len(cmp.names)} strategies, {len(cmp.seeds)} paired seeds each ({cmp.seeds[0]}-{cmp.seeds[-1]}), "
            f"{sc.market.users:,} users x {sc.horizon_days} days per run; generated {date.today().isoformat()}.")


def _chart_sections(charts: dict, names: list[str]) -> list[tuple[str, str, str, str]]:
    """(title, how to read, en file, zh file) per chart."""
    out = []
    for key in ("j_curve", "comparison", "retention", "flows"):
        title, text = HOW_TO_READ[key]
        out.append((title, text, f"{key}_en.png", f"{key}_zh.png"))
    for other in names[1:]:
        key = "ltv_bridge" if len(names) == 2 else f"ltv_bridge_{_slug(other)}"
        title, text = HOW_TO_READ["ltv_bridge"]
        out.append((f"{title}: {names[0]} -> {other}", text, f"{key}_en.png", f"{key}_zh.png"))
    for key in ("levers", "worlds"):
        if f"{key}_en.png" in charts:
            out.append((*HOW_TO_READ[key], f"{key}_en.png", f"{key}_zh.png"))
    return out


def _markdown(cmp, charts, bridges, extra=()) -> str:
    head, rows = _table_rows(cmp)
    lines = ["# Private-pool strategy report", "", _setup_line(cmp), "",
             "Numbers are means over seeds with 90% intervals of the mean; the last column(s) are differences paired "
             "by seed (common random numbers). Every number below comes from this run of the model.", "",
             "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    lines += ["", "## What these runs say", ""] + [f"- {s}" for s in _facts(cmp, bridges) + list(extra)]
    for title, text, en, zh in _chart_sections(charts, cmp.names):
        lines += ["", f"## {title}", "", f"![{title}]({en})", "", text, "", f"Chinese version: [{zh}]({zh})"]
    return "\n".join(lines) + "\n"


def _html(cmp, charts, bridges, extra=()) -> str:
    head, rows = _table_rows(cmp)
    e = html.escape
    th = "".join(f"<th>{e(h)}</th>" for h in head)
    trs = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in rows)
    facts = "".join(f"<li>{e(s)}</li>" for s in _facts(cmp, bridges) + list(extra))
    secs = ""
    for title, text, en, zh in _chart_sections(charts, cmp.names):
        data = base64.b64encode(charts[en]).decode("ascii")
        secs += (f"<section><h2>{e(title)}</h2><img alt='{e(title)}' src='data:image/png;base64,{data}'>"
                 f"<p>{e(text)}</p><p>Files: <a href='{e(en)}'>{e(en)}</a> · <a href='{e(zh)}'>{e(zh)}</a> (中文)</p>"
                 f"</section>")
    style = ("body{font-family:'Noto Sans CJK SC','Noto Sans',Arial,sans-serif;max-width:72em;margin:2em auto;"
             "padding:0 1em;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;"
             "padding:0.3em 0.7em;text-align:right}td:first-child,th:first-child{text-align:left}"
             "img{max-width:100%;border:1px solid #eee}section{margin-top:2.5em}")
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Private-pool strategy report</title>"
            f"<style>{style}</style></head><body><h1>Private-pool strategy report</h1><p>{e(_setup_line(cmp))}</p>"
            f"<p>Numbers are means over seeds with 90% intervals of the mean; the last column(s) are differences "
            f"paired by seed (common random numbers). Every number comes from this run of the model.</p>"
            f"<table><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table><h2>What these runs say</h2><ul>{facts}</ul>"
            f"{secs}</body></html>\n")


# ----------------------------------------------------------------- stable text tables for notebooks

def rounded(name: str, v, signed: bool = False) -> str:
    """A figure rounded coarsely enough to be stable between runs of the same code (notebook checks):
    RMB per user to 1 RMB, money totals to 1,000 RMB, shares to 0.1 percentage point, days and users
    to whole numbers, ratios to 0.01."""
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "-"
    sign = "+" if signed else ""
    unit = plots.FIGURES.get(name, ("u.x", 1))[0]

    def r(x, nd):                       # round, and never show a negative zero
        return round(x, nd) + 0.0
    if plots.fig_scale(name) == 100:
        return f"{r(100 * v, 1):{sign}.1f}" + (" pp" if signed else "%")
    if unit == "u.rmb":
        return f"{r(v, -3):{sign},.0f}"
    if unit in ("u.rmb_user", "u.days", "u.users"):
        return f"{r(v, 0):{sign},.0f}"
    return f"{r(v, 2):{sign},.2f}"


def summary_table(runs, figures=("ltv", "churn_rate_monthly", "referral_share", "payback_day"), lang: str = "en") -> str:
    """Text table of summary figures: one column per strategy (mean over seeds), and for every strategy
    after the first its difference from the first, paired by seed, with the 90% interval.

    `runs` as in sim.plots (Result, list of Results, Many, dict, Comparison). Rounded by `rounded`.
    """
    from ..lab.experiments import paired_difference
    data = plots.runs_of(runs)
    names = list(data)
    first = names[0]
    head = [""] + [plots.scenario_label(n, lang) for n in names] + \
           [f"{plots.scenario_label(n, lang)} - {plots.scenario_label(first, lang)}" for n in names[1:]]
    rows = []
    for f in figures:
        row = [plots.figure_label(f, lang)]
        for n in names:
            row.append(rounded(f, plots.figure_stats(data[n], f)[0]))
        for n in names[1:]:
            k = min(len(data[first]), len(data[n]))
            d = paired_difference([r.summary.get(f) for r in data[first][:k]], [r.summary.get(f) for r in data[n][:k]])
            cell = rounded(f, d["diff"], signed=True)
            if d["n"] >= 2 and math.isfinite(d["lo"]):
                cell += f" [{rounded(f, d['lo'], True)}, {rounded(f, d['hi'], True)}]"
            row.append(cell)
        rows.append(row)
    widths = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
             for r in [head] + rows]
    k = max(len(v) for v in data.values())
    note = f"means over {k} seed(s)" + ("; differences paired by seed [90% interval]" if len(names) > 1 else "")
    return "\n".join(lines + [note])
