"""`make report`: a paired comparison of strategies as boss charts (English and Chinese) and a short report.

    from sim.present.report import make_report
    paths = make_report("out", seeds=5)              # or: python -m sim report --out out

Writes into `out`:
  j_curve_{en,zh}.png       cumulative profit with the payback day
  comparison_{en,zh}.png    key figures per strategy with 90% intervals
  retention_{en,zh}.png     cohort retention by acquisition month
  flows_{en,zh}.png         public -> pool -> lost by reason
  ltv_bridge_{en,zh}.png    the LTV gap vs the first strategy, split into drivers
                            (one per further strategy: ltv_bridge_<name>_{en,zh}.png when more than two)
  report.md, report.html    English: the stated conclusions, table of key figures with intervals,
                            the charts, how to read each
  report_zh.html            the same in Chinese
  report.pptx               with deck=True (`make deck`): the slide deck (sim.present.deck), Chinese by default

Everything is checked before anything runs (scenario files, sizes, the Chinese font, the
output folder) and the files are written into a temporary folder that replaces `out` as a
whole once all charts are drawn, so `out` holds the complete earlier report or the complete
new one. Scenario names are escaped in report.md and report.html. Runs are headless (Agg canvas, no display needed).
"""
from __future__ import annotations

import base64
import html
import math
import re
from pathlib import Path

from ..core.errors import UsageError
from ..core.files import check_out_dir, publish_dir, write_atomic
from ..core.places import PROJECT_DIR as ROOT  # noqa: F401  (ROOT: tests read the checkout's files)
from ..core.places import out_dir, scenario_path  # noqa: F401  (scenario_path: notebooks import it from here)
from ..core.population import sample_size
from ..core.scenario import Scenario, load_scenario
from ..engine.runner import resolve
from ..lab.experiments import _grid, differs_lines
from . import plots
from .conclusions import conclusions
from .formats import fmt_figure, rounded  # noqa: F401  (rounded: notebooks import it from here)
from .readings import best_cell, best_ways
from .report_text import how_to_read, setup_line, table_rows, text  # noqa: F401  (table_rows: tests read it here)

OUT_DIR = out_dir()                 # out/ of the checkout (notebooks export here), else of the current folder
DEFAULT_SCENARIOS = ("discount_only", "differentiated_service")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")     # Markdown syntax a name must not carry
REPORT_FILES = ("*.png", "report.md", "report.html", "report_zh.html", "report.pptx")  # what an earlier report may hold
BAR_FIGURES = ("ltv", "churn_rate_monthly", "referral_share", "payback_day")

# Stand-ins built from baseline.yaml when a default scenario file is missing (same levers as the files).
FALLBACK_OVERRIDES = {
    "discount_only": {"name": "discount_only", "offers.discount_depth": 0.15, "offers.discount_every_days": 14,
                      "offers.discount_days": 3, "offers.new_customer_coupon": True},
    "differentiated_service": {"name": "differentiated_service", "messaging.promo_share": 0.3,
                               "messaging.value_share": 0.5, "messaging.no_disturb": True,
                               "service.one_to_one_hours_per_day": 20, "service.member_day_every_days": 30,
                               "groups.size": 100, "groups.tiering": True, "groups.vip_size": 20},
}


def default_scenarios() -> list[Scenario]:
    """scenarios/discount_only.yaml and differentiated_service.yaml (baseline variants if a file is missing)."""
    out = []
    for name in DEFAULT_SCENARIOS:
        p = scenario_path(name)
        out.append(load_scenario(p) if p.is_file() else load_scenario(scenario_path("baseline"), FALLBACK_OVERRIDES[name]))
    return out


# ----------------------------------------------------------------- the report

def _validate(scenarios, seeds, users, days) -> list[Scenario]:
    from ..lab.experiments import check_seeds
    check_seeds(seeds)
    if scenarios is None:
        scs = default_scenarios()
    else:
        if isinstance(scenarios, (str, Path, Scenario)):
            scenarios = [scenarios]
        scs = [s if isinstance(s, Scenario) else load_scenario(s) for s in scenarios]
        if not scs:
            raise UsageError("report: give at least one scenario")
    return [resolve(sc, users, days) for sc in scs]


def chart_figures(cmp, lang: str) -> dict:
    """The report's charts for one language: {key: Figure} (one LTV bridge per further strategy)."""
    names = cmp.names
    figs = {"j_curve": plots.j_curve(cmp, lang),
            "comparison": plots.comparison_bars(cmp, lang, figures=BAR_FIGURES),
            "retention": plots.retention_curves(cmp, lang),
            "flows": plots.user_flow(cmp, lang)}
    for other in names[1:]:
        figs[_bridge_key(names, other)] = plots.ltv_bridge(cmp.runs[names[0]], cmp.runs[other], lang,
                                                           names=(names[0], other))
    return figs


def make_report(out, scenarios=None, seeds: int = 5, users: int | None = None, days: int | None = None,
                deck: bool = False, lang: str = "zh", explanation=None, robustness=None) -> list[Path]:
    """Run a paired comparison and write the boss charts (en + zh PNG), report.md, report.html (English),
    report_zh.html (Chinese) and, with deck=True, the slide deck report.pptx in `lang` into `out`.

    scenarios  scenario files or Scenario objects (default: discount_only vs differentiated_service)
    seeds      seeds 0..seeds-1 for every scenario (common random numbers)
    users, days  run size (None keeps each scenario's own)
    explanation, robustness  optional lever attribution / robustness results (see sim.present.conclusions);
               results of sim.explain / sim.robustness also add their charts (levers_*, worlds_*)
    Raises ScenarioError / UsageError / plots.FontMissingError before anything is run or written.
    Returns the paths written.
    """
    plots.check_lang(lang)
    scs = _validate(scenarios, seeds, users, days)
    plots.font_family("zh")                       # no Chinese font: fail now, not halfway
    from ..lab.experiments import compare

    out = check_out_dir(out, REPORT_FILES, "report: --out")
    cmp = compare(scs, seeds=seeds)
    charts: dict[str, bytes] = {}
    for lg in plots.LANGS:
        for key, fig in chart_figures(cmp, lg).items():
            charts[f"{key}_{lg}.png"] = plots.to_png_bytes(fig, dpi=110)
    for lg in plots.LANGS:
        charts.update(_decision_charts(explanation, robustness, lg))
    if hasattr(robustness, "headline"):                 # a sim.lab.robustness result: its LTV verdict
        robustness_obj, robustness = robustness, robustness.headline("ltv")
    else:
        robustness_obj = None
    extra = {"explanation": explanation, "robustness": robustness}
    files = {"report.md": _markdown(cmp, charts, "en", **extra),
             "report.html": _html(cmp, charts, "en", **extra),
             "report_zh.html": _html(cmp, charts, "zh", **extra)}
    if deck:
        from .deck import build_deck        # python-pptx only when a deck is asked for
        extra_charts = [(*how_to_read(key, lang)[:1], fig, how_to_read(key, lang)[1]) for key, fig in
                        _decision_figures(explanation, robustness_obj, lang).items()]
        files["report.pptx"] = build_deck(cmp, lang, extra_charts=extra_charts, **extra)

    files = {**charts, **files}
    with publish_dir(out, REPORT_FILES, "report: --out") as tmp:     # the whole report or the earlier one
        for fname, data in files.items():
            write_atomic(tmp / fname, data)
    return [out / fname for fname in files]


def _decision_figures(explanation, robustness, lang: str) -> dict:
    """Waterfall of a sim.lab.explain result and worlds chart of a sim.lab.robustness result (LTV), when given."""
    figs = {}
    if hasattr(explanation, "totals") and "ltv" in explanation.totals.index:
        figs["levers"] = plots.waterfall(explanation, "ltv", lang)
    if hasattr(robustness, "hinges") and "ltv" in robustness.summary.index:
        figs["worlds"] = plots.worlds_chart(robustness, "ltv", lang)
    return figs


def _decision_charts(explanation, robustness, lang: str) -> dict[str, bytes]:
    return {f"{key}_{lang}.png": plots.to_png_bytes(fig, dpi=110)
            for key, fig in _decision_figures(explanation, robustness, lang).items()}


def _bridge_key(names: list[str], other: str) -> str:
    return "ltv_bridge" if len(names) == 2 else f"ltv_bridge_{_slug(other)}"


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)


def _md(text) -> str:
    """A name or sentence as Markdown text: HTML special characters as entities, Markdown syntax escaped."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))


def _chart_sections(names: list[str], lang: str, charts=()) -> list[tuple[str, str, str]]:
    """(title, how to read, chart key) per chart (lever and worlds charts when `charts` has them)."""
    out = [how_to_read(key, lang) + (key,) for key in ("j_curve", "comparison", "retention", "flows")]
    for other in names[1:]:
        title, body = how_to_read("ltv_bridge", lang)
        out.append((f"{title}: {plots.scenario_label(names[0], lang)} -> {plots.scenario_label(other, lang)}", body,
                    _bridge_key(names, other)))
    out += [how_to_read(key, lang) + (key,) for key in ("levers", "worlds") if f"{key}_{lang}.png" in charts]
    return out


def _markdown(cmp, charts, lang, explanation=None, robustness=None) -> str:
    """The report as Markdown; every name and generated sentence passes through `_md` (no raw HTML or syntax)."""
    head, rows = table_rows(cmp, lang)
    lines = [f"# {text('title', lang)}", "", _md(setup_line(cmp, lang)), "", text("table_note", lang), "",
             "| " + " | ".join(_md(h) for h in head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_md(c) for c in r) + " |" for r in rows]
    lines += ["", f"## {text('conclude', lang)}", ""]
    lines += [f"- {_md(s)}" for s in conclusions(cmp, lang, explanation=explanation, robustness=robustness)]
    other = "zh" if lang == "en" else "en"
    for title, body, key in _chart_sections(cmp.names, lang, charts):
        lines += ["", f"## {_md(title)}", "", f"![{_md(title)}]({key}_{lang}.png)", "", body, "",
                  f"{text('other_lang', lang)}: [{key}_{other}.png]({key}_{other}.png)"]
    return "\n".join(lines) + "\n"


def _html(cmp, charts, lang, explanation=None, robustness=None) -> str:
    head, rows = table_rows(cmp, lang)
    e = html.escape
    th = "".join(f"<th>{e(h)}</th>" for h in head)
    trs = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in rows)
    facts = "".join(f"<li>{e(s)}</li>" for s in conclusions(cmp, lang, explanation=explanation,
                                                            robustness=robustness))
    other = "zh" if lang == "en" else "en"
    secs = ""
    for title, body, key in _chart_sections(cmp.names, lang, charts):
        data = base64.b64encode(charts[f"{key}_{lang}.png"]).decode("ascii")
        secs += (f"<section><h2>{e(title)}</h2><img alt='{e(title)}' src='data:image/png;base64,{data}'>"
                 f"<p>{e(body)}</p><p>{e(text('files', lang))}: <a href='{key}_{lang}.png'>{key}_{lang}.png</a> · "
                 f"<a href='{key}_{other}.png'>{key}_{other}.png</a> ({e(text('other_lang', lang))})</p></section>")
    style = ("body{font-family:'Noto Sans CJK SC','Noto Sans',Arial,sans-serif;max-width:72em;margin:2em auto;"
             "padding:0 1em;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;"
             "padding:0.3em 0.7em;text-align:right}td:first-child,th:first-child{text-align:left}"
             "img{max-width:100%;border:1px solid #eee}section{margin-top:2.5em}")
    title = e(text("title", lang))
    return (f"<!DOCTYPE html><html lang='{'zh-CN' if lang == 'zh' else 'en'}'><head><meta charset='utf-8'>"
            f"<title>{title}</title><style>{style}</style></head><body><h1>{title}</h1>"
            f"<p>{e(setup_line(cmp, lang))}</p><h2>{e(text('conclude', lang))}</h2><ul>{facts}</ul>"
            f"<p>{e(text('table_note', lang))}</p>"
            f"<table><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table>{secs}</body></html>\n")


# ----------------------------------------------------------------- stable text tables for notebooks

def summary_table(runs, figures=("ltv", "churn_rate_monthly", "referral_share", "payback_day"), lang: str = "en") -> str:
    """Text table of summary figures: one column per strategy (mean over seeds), and for every strategy
    after the first its difference from the first, paired by seed, with the 90% interval.

    `runs` as in sim.present.plots (Result, list of Results, Many, dict, Comparison). Rounded by `rounded`.
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
    lines = text_grid(head, rows)
    k = max(len(v) for v in data.values())
    note = ("one simulated history" if k == 1 else f"averages of {k} simulated histories") + \
        ("; differences paired by history [90% interval]" if len(names) > 1 else "")
    return "\n".join(lines + [note])


def text_grid(head: list[str], rows: list[list[str]]) -> list[str]:
    """Lines of a plain-text table from a header and rows (lab.experiments' table: first column
    left-aligned, the others right-aligned, a rule under the header)."""
    return _grid([(h, [str(r[i]) for r in rows]) for i, h in enumerate(head)])


def compare_text(cmp, figures) -> str:
    """`python -m sim compare`: the key figures with units, averages [90% interval] and paired differences."""
    head, rows = table_rows(cmp, "en", figures)
    s = cmp.seeds
    sc = cmp.runs[cmp.names[0]].scenario
    note = (f"{len(cmp.names)} strategies x {len(s)} simulated histories (seeds {s[0]}-{s[-1]}), a market of "
            f"{sc.market.users:,} people ({sample_size(sc.market)[0]:,} agents) x {sc.horizon_days} days; "
            f"90% intervals; differences paired by seed")
    return "\n".join([note] + differs_lines(cmp) + [""] + text_grid(head, rows))



SWEEP_OBJECTIVES = best_ways(("ltv", "profit", "churn_rate_monthly", "payback_day"))   # each the better way


def best_cells_text(table, keys: list[str], objectives=SWEEP_OBJECTIVES) -> str:
    """The best grid cell of a sweep for each objective (readings.best_cell, mean over seeds): figure,
    best value, where."""
    rows = []
    for fig, how in objectives:
        cell = best_cell(table, keys, fig, how) if fig in table else None
        if cell is None:
            continue
        idx, v = cell
        where = ", ".join(f"{k}={x:g}" if isinstance(x, float) else f"{k}={x}" for k, x in zip(keys, idx))
        rows.append([plots.figure_label(fig), "highest" if how == "max" else "lowest", fmt_figure(fig, v), where])
    if not rows:
        return ""
    return "\n".join(["best cells (mean over seeds):"] + text_grid(["figure", "", "value", "at"], rows))
