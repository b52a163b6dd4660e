"""`make report` / `make deck`: a paired comparison of strategies as boss charts (English and Chinese), a
short report opening with the recommendation, and (with deck=True) the slide decks.

    from sim.present.report import make_report
    paths = make_report("out", seeds=5)              # or: python -m sim report --out out
    paths = make_report("out", deck=True, overrides={"market.price_rmb": 300})   # a what-if, both decks

Writes into `out` (every file carries its language):
  j_curve_{en,zh}.png       cumulative profit with the payback day
  comparison_{en,zh}.png    key figures per strategy with 90% intervals
  retention_{en,zh}.png     cohort retention by acquisition month
  flows_{en,zh}.png         public -> pool -> lost by reason
  ltv_bridge_{en,zh}.png    the LTV gap vs the first strategy, split into drivers
                            (one per further strategy: ltv_bridge_<name>_{en,zh}.png when more than two)
  worlds_{en,zh}.png        the LTV difference across plausible worlds and what it hinges on (by default:
                            16 worlds per further strategy; worlds=0 leaves the check out)
  levers_{en,zh}.png        with an explanation (sim.explain): the levers carrying the LTV gap
  report_en.md, report_en.html   English: the recommendation (what to do, what it is worth, how sure, what it
                            hinges on: sim.present.storyline), the stated conclusions (with each verdict's
                            hinge), table of key figures with intervals, the charts, how to read each
  report_zh.md, report_zh.html   the same in Chinese
  deck_zh.pptx, deck_en.pptx     with deck=True (`make deck`): the slide decks (sim.present.deck), both languages
                            unless `lang` names one
  report.json               the comparison these files show (a digest of its scenarios, seeds, worlds and the
                            engine) and the files

Everything the report states comes from one finding (sim.lab.findings.findings_of); the deck draws
the same chart figures at its own resolution. `overrides` (`report --set`) are applied to every strategy and
stated as the user's what-if (on every slide and at the top of each report). Everything is checked before
anything runs (scenario files, sizes, the Chinese font, the output folder) and the files are written into a
temporary folder that replaces `out` as a whole once all charts are drawn, so `out` holds the complete earlier
report or the complete new one; files of an earlier report of the same comparison that this one does not
write again (the other language's deck, the lever waterfall of `make report`) are kept in it. Scenario names
are escaped in the Markdown and HTML. Runs are headless (Agg canvas, no display needed).
"""
from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path

from ..core.errors import UsageError
from ..core.files import check_out_dir, publish_dir, write_atomic
from ..core.places import PROJECT_DIR as ROOT  # noqa: F401  (ROOT: tests read the checkout's files)
from ..core.places import out_dir, scenario_path  # noqa: F401  (scenario_path: notebooks import it from here)
from ..core.scenario import Scenario, load_scenario
from ..engine.runner import resolve
from ..lab.digest import digest
from ..lab.figures import unit_of
from ..lab.findings import DEFAULT_WORLDS, Finding, findings_of
from . import plots
from .conclusions import conclusions
from .formats import fmt
from .phrases import typeset
from .report_tables import business_tables
from .report_text import how_to_read, setup_line, text
from .tables import comparison_rows, summary_table  # noqa: F401  (summary_table: notebooks import it from here)

OUT_DIR = out_dir()                 # out/ of the checkout (notebooks export here), else of the current folder
DEFAULT_SCENARIOS = ("discount_only", "differentiated_service")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")     # Markdown syntax a name must not carry
REPORT_FILES = ("*.png", "report_en.md", "report_zh.md", "report_en.html", "report_zh.html", "deck_zh.pptx",
                "deck_en.pptx", "report.json",
                "report.md", "report.html", "report.pptx")    # what an earlier report may hold (last: older names)
MANIFEST = "report.json"

# Stand-ins built from baseline.yaml when a default scenario file is missing (same levers as the files).
FALLBACK_OVERRIDES = {
    "discount_only": {"name": "discount_only", "offers.discount_depth": 0.15, "offers.discount_every_days": 14,
                      "offers.discount_days": 3, "offers.new_customer_coupon": True},
    "differentiated_service": {"name": "differentiated_service", "messaging.promo_share": 0.3,
                               "messaging.value_share": 0.5, "messaging.no_disturb": True,
                               "service.one_to_one_hours_per_day": 20, "service.member_day_every_days": 30,
                               "groups.size": 100, "groups.tiering": True, "groups.vip_size": 20},
}


def rounded(name: str, v, signed: bool = False, lang: str = "en") -> str:
    """The notebooks' name for a summary figure written coarsely enough to stay the same between runs
    (formats.fmt, place 'stable'), in `lang` (Chinese money in 万 / 亿)."""
    return fmt(v, unit_of(name), lang, "diff" if signed else "level", "stable")


def default_scenarios(overrides: dict | None = None) -> list[Scenario]:
    """scenarios/discount_only.yaml and differentiated_service.yaml (baseline variants if a file is missing),
    with `overrides` applied."""
    out = []
    for name in DEFAULT_SCENARIOS:
        p = scenario_path(name)
        out.append(load_scenario(p, overrides) if p.is_file() else
                   load_scenario(scenario_path("baseline"), {**FALLBACK_OVERRIDES[name], **(overrides or {})}))
    return out


# ----------------------------------------------------------------- the report

def validate(scenarios, seeds, users, days, overrides: dict | None = None) -> list[Scenario]:
    """The report's scenarios with `overrides` applied, resolved to the run size (default: DEFAULT_SCENARIOS),
    checked before any run."""
    from ..lab.experiments import check_seeds
    check_seeds(seeds)
    if scenarios is None:
        scs = default_scenarios(overrides)
    else:
        if isinstance(scenarios, (str, Path, Scenario)):
            scenarios = [scenarios]
        scs = [(s.with_overrides(overrides) if overrides else s) if isinstance(s, Scenario) else
               load_scenario(s, overrides) for s in scenarios]
        if not scs:
            raise UsageError("report: give at least one scenario")
    return [resolve(sc, users, days) for sc in scs]


def make_report(out, scenarios=None, seeds: int = 5, users: int | None = None, days: int | None = None,
                deck: bool = False, lang: str | None = None, explanation=None, robustness=None,
                worlds: int = DEFAULT_WORLDS, workers: int | None = None, fitted=None,
                overrides: dict | None = None) -> list[Path]:
    """Run a paired comparison and write the boss charts (en + zh PNG), report_{en,zh}.md, report_{en,zh}.html
    and, with deck=True, the slide decks deck_zh.pptx and deck_en.pptx (only `lang`'s when given) into `out`.

    scenarios  scenario files or Scenario objects (default: discount_only vs differentiated_service)
    seeds      seeds 0..seeds-1 for every scenario (common random numbers)
    users, days  run size (None keeps each scenario's own)
    explanation  a sim.explain result of the first two: the lever waterfall and the lever carrying the gap
    robustness   a sim.robustness result of the first two; otherwise `worlds` plausible worlds are run for
               each further strategy (0: none), on `workers` processes, and every verdict states its hinge
    fitted     [{key: 'fitted from ...'}, ...] per scenario, in order: keys fitted from data (assumptions list)
    overrides  {dotted key: value} set on every strategy (`report --set`): the user's what-if
    Raises ScenarioError / UsageError / plots.FontMissingError before anything is run or written.
    Returns the paths written.
    """
    langs = plots.LANGS if lang is None else (lang,)
    for lg in langs:
        plots.check_lang(lg)
    scs = validate(scenarios, seeds, users, days, overrides)
    plots.font_family("zh")                       # no Chinese font: fail now, not halfway
    from ..lab.experiments import compare
    from ..lab.sweep import engine_fingerprint

    out = check_out_dir(out, REPORT_FILES, "report: --out")
    comparison = digest({"scenarios": [sc.model_dump() for sc in scs], "seeds": seeds, "worlds": worlds,
                         "fitted": fitted, "engine": engine_fingerprint()}, 24)
    cmp = compare(scs, seeds=seeds)
    f = findings_of(cmp, explanation=explanation, robustness=robustness, worlds=worlds, workers=workers,
                    fitted=dict(zip(cmp.names, fitted or [])), what_if=overrides)
    figures = {lg: plots.report_charts(f, lg) for lg in plots.LANGS}
    charts = {f"{key}_{lg}.png": plots.to_png_bytes(fig, dpi=110) for lg in plots.LANGS
              for key, fig in figures[lg].items()}
    files = {f"report_{lg}.{ext}": (_markdown if ext == "md" else _html)(f, charts, lg)
             for lg in plots.LANGS for ext in ("md", "html")}
    if deck:
        from .deck import build_deck        # python-pptx only when a deck is asked for
        files.update({f"deck_{lg}.pptx": build_deck(f, lg, charts=figures[lg]) for lg in langs})

    files = {**charts, **files}
    kept = earlier_files(out, comparison, files)
    manifest = json.dumps({"comparison": comparison, "files": sorted([*files, *kept])}, indent=1) + "\n"
    with publish_dir(out, REPORT_FILES, "report: --out") as tmp:     # the whole report or the earlier one
        for fname, data in {**files, **kept, MANIFEST: manifest}.items():
            write_atomic(tmp / fname, data)
    return [out / fname for fname in files]


def earlier_files(out: Path, key: str, files) -> dict[str, bytes]:
    """{name: bytes} of the files an earlier report in `out` holds for the same comparison (`key`, its
    report.json) that this one does not write again; none for another comparison or an older report."""
    try:
        earlier = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(earlier, dict) or earlier.get("comparison") != key:
        return {}
    names = [n for n in earlier.get("files", []) if isinstance(n, str) and n not in files and n != MANIFEST
             and Path(n).name == n and (out / n).is_file()]
    return {n: (out / n).read_bytes() for n in names}


def _md(value) -> str:
    """A name or sentence as Markdown text: HTML special characters as entities, Markdown syntax escaped."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(str(value), quote=False))


def _chart_sections(f: Finding, lang: str, charts=()) -> list[tuple[str, str, str]]:
    """(title, how to read, chart key) per chart that `charts` holds, in the report's order."""
    out = []
    for key in plots.report_chart_keys(f):
        if f"{key}_{lang}.png" not in charts:
            continue
        kind, other = plots.chart_kind(key), plots.chart_strategy(f, key)
        title, body = how_to_read(kind, lang)
        if other is not None:
            title = (f"{title}: {plots.scenario_label(f.first, lang)} -> {plots.scenario_label(other, lang)}"
                     if lang == "en" else f"{title}：{plots.scenario_label(f.first, lang)} → {plots.scenario_label(other, lang)}")
        out.append((title, body, key))
    return out


def _opening(f: Finding, lang: str) -> tuple[list[str], str | None, list[tuple[str, str]]]:
    """What the report opens with: what was run (and the user's what-if), and with two strategies or more the
    recommendation slide's title and its sections (sim.present.storyline), typeset for `lang`."""
    from .storyline import recommendation_lines, storyline, what_if_line
    head = [setup_line(f, lang)] + ([what_if_line(f, lang)] if f.what_if else [])
    if len(f.names) < 2:
        return [typeset(x, lang) for x in head], None, []
    title = next(s.title for s in storyline(f, lang) if s.kind == "recommendation")
    return ([typeset(x, lang) for x in head], typeset(title, lang),
            [(h, typeset(t, lang)) for h, t in recommendation_lines(f, lang)])


def _markdown(f: Finding, charts, lang) -> str:
    """The report as Markdown; every name and generated sentence passes through `_md` (no raw HTML or syntax)."""
    head, rows = comparison_rows(f, lang)
    setup, rec_title, rec = _opening(f, lang)
    sep = ": " if lang == "en" else "："
    lines = [f"# {text('title', lang)}", ""] + [x for line in setup for x in (_md(line), "")]
    if rec_title:
        lines += [f"## {_md(rec_title)}", ""] + [f"- **{_md(h)}**{sep}{_md(t)}" for h, t in rec] + [""]
    lines += [text("table_note", lang), "",
              "| " + " | ".join(_md(h) for h in head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_md(c) for c in r) + " |" for r in rows]
    lines += ["", f"## {text('conclude', lang)}", ""]
    lines += [f"- {_md(typeset(s, lang))}" for s in conclusions(f, lang)]
    for title, body, thead, trows in business_tables(f, lang):
        lines += ["", f"## {_md(title)}", "", body, "", "| " + " | ".join(_md(h) for h in thead) + " |",
                  "|" + "---|" * len(thead)] + ["| " + " | ".join(_md(c) for c in r) + " |" for r in trows]
    other = "zh" if lang == "en" else "en"
    for title, body, key in _chart_sections(f, lang, charts):
        lines += ["", f"## {_md(title)}", "", f"![{_md(title)}]({key}_{lang}.png)", "", body, "",
                  f"{text('other_lang', lang)}: [{key}_{other}.png]({key}_{other}.png)"]
    return "\n".join(lines) + "\n"


def _html(f: Finding, charts, lang) -> str:
    head, rows = comparison_rows(f, lang)
    e = html.escape
    th = "".join(f"<th>{e(h)}</th>" for h in head)
    trs = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in rows)
    facts = "".join(f"<li>{e(typeset(s, lang))}</li>" for s in conclusions(f, lang))
    setup, rec_title, rec = _opening(f, lang)
    sep = ": " if lang == "en" else "："
    opening = "".join(f"<p>{e(x)}</p>" for x in setup)
    if rec_title:
        opening += (f"<h2>{e(rec_title)}</h2><ul class='rec'>"
                    + "".join(f"<li><b>{e(h)}</b>{sep}{e(t)}</li>" for h, t in rec) + "</ul>")
    other = "zh" if lang == "en" else "en"
    secs = ""
    for title, body, thead, trows in business_tables(f, lang):
        secs += (f"<section><h2>{e(title)}</h2><p>{e(body)}</p><table><thead><tr>"
                 + "".join(f"<th>{e(h)}</th>" for h in thead) + "</tr></thead><tbody>"
                 + "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in trows)
                 + "</tbody></table></section>")
    for title, body, key in _chart_sections(f, lang, charts):
        data = base64.b64encode(charts[f"{key}_{lang}.png"]).decode("ascii")
        secs += (f"<section><h2>{e(title)}</h2><img alt='{e(title)}' src='data:image/png;base64,{data}'>"
                 f"<p>{e(body)}</p><p>{e(text('files', lang))}: <a href='{key}_{lang}.png'>{key}_{lang}.png</a> · "
                 f"<a href='{key}_{other}.png'>{key}_{other}.png</a> ({e(text('other_lang', lang))})</p></section>")
    style = ("body{font-family:'Microsoft YaHei','PingFang SC','Noto Sans CJK SC','Noto Sans',Arial,sans-serif;max-width:72em;margin:2em auto;"
             "padding:0 1em;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;"
             "padding:0.3em 0.7em;text-align:right}td:first-child,th:first-child{text-align:left}"
             "img{max-width:100%;border:1px solid #eee}section{margin-top:2.5em}ul.rec li{margin:0.4em 0}")
    title = e(text("title", lang))
    return (f"<!DOCTYPE html><html lang='{'zh-CN' if lang == 'zh' else 'en'}'><head><meta charset='utf-8'>"
            f"<title>{title}</title><style>{style}</style></head><body><h1>{title}</h1>"
            f"{opening}<h2>{e(text('conclude', lang))}</h2><ul>{facts}</ul>"
            f"<p>{e(text('table_note', lang))}</p>"
            f"<table><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table>{secs}</body></html>\n")
