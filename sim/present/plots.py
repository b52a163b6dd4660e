"""Every chart and chart helper under one name: `from sim.present import plots`.

Every function takes `lang="en"|"zh"` and returns a `matplotlib.figure.Figure` that is
not registered with pyplot (so a notebook shows it once, when it is the cell's value,
and nothing leaks when many are made). All visible words come from `labels.LABELS`; every
chart has a title and axis labels with units. `save(fig, out_dir, name)` exports it.

Every chart renders a finding (sim.lab.findings, sim.lab.verdicts) and nothing else; a Comparison or
results in another shape are made into one by the lab at the door (inputs.shown). Where things live:
`labels` (words, en/zh), `formats` (the one number formatter), `style` (palette, fonts, money axes,
export), `charts_time` (daily series, J-curve), `charts_compare` (bars, LTV bridge), `charts_flows`
(cohort retention, user flows), `charts_grid` (lever heatmap, tornado), `charts_decide` (contribution
waterfall, difference across plausible worlds and its hinges, strategy search), `charts_cases` (the case
library's verdicts). Several seeds of one scenario are drawn as the mean with a 5-95% band across seeds.
`report_charts(finding, lang)` draws the report's charts once; the report and the deck both use them.
"""
from ..lab.anatomy import payback_month  # noqa: F401  (notebooks: the month a payback day falls in)
from .charts_cases import case_verdicts  # noqa: F401
from .charts_compare import comparison_bars, ltv_bridge  # noqa: F401
from .charts_decide import search_chart, waterfall, worlds_chart  # noqa: F401
from .charts_flows import FLOW_COLORS, retention_curves, user_flow  # noqa: F401
from .charts_grid import best_cell, heatmap, tornado_chart  # noqa: F401
from .charts_time import daily_series, j_curve  # noqa: F401
from .inputs import shown
from .labels import (  # noqa: F401
    LABELS,
    LANGS,
    LEVERS,
    check_lang,
    figure_label,
    label,
    lever_label,
    register_titles,
    scenario_label,
    unit,
    with_unit,
)
from .style import (  # noqa: F401
    CJK_FONTS,
    FONT_HELP,
    PALETTE,
    STYLE,
    FontMissingError,
    cjk_font,
    font_family,
    money_axis,
    rc,
    save,
    to_png_bytes,
)

BAR_FIGURES = ("ltv", "churn_rate_monthly", "referral_share", "payback_day")   # the report's bar chart


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)


def _per_strategy(f, kind: str, names) -> dict[str, str]:
    """{chart key: further strategy} of a chart drawn once per further strategy: 'kind' alone with two
    strategies, 'kind_<name>' with more."""
    return {kind if len(f.names) == 2 else f"{kind}_{_slug(n)}": n for n in names}


def report_chart_keys(f) -> list[str]:
    """The report's charts of a finding, in order: J-curve, bars, retention, flows, an LTV bridge per further
    strategy, the lever waterfall (when explained) and the worlds chart per further strategy (when checked)."""
    keys = ["j_curve", "comparison", "retention", "flows"] + list(_per_strategy(f, "ltv_bridge", f.others))
    keys += ["levers"] if "ltv" in f.levers else []
    return keys + list(_per_strategy(f, "worlds", [b for b in f.others if "ltv" in f.worlds.get(b, {})]))


def chart_kind(key: str) -> str:
    """The kind of a report chart ('ltv_bridge', 'worlds', or the key itself)."""
    return next((k for k in ("ltv_bridge", "worlds") if key.startswith(k)), key)


def chart_strategy(f, key: str) -> str | None:
    """The further strategy a per-strategy chart (LTV bridge, worlds) is about, else None."""
    kind = chart_kind(key)
    return _per_strategy(f, kind, f.others).get(key) if kind in ("ltv_bridge", "worlds") else None


def report_charts(obj, lang: str) -> dict:
    """The report's charts for one language: {key: Figure} (report_chart_keys)."""
    f = shown(obj)
    draw = {"j_curve": lambda: j_curve(f, lang), "comparison": lambda: comparison_bars(f, lang, figures=BAR_FIGURES),
            "retention": lambda: retention_curves(f, lang), "flows": lambda: user_flow(f, lang),
            "levers": lambda: waterfall(f.levers["ltv"], "ltv", lang)}
    out = {}
    for key in report_chart_keys(f):
        kind, b = chart_kind(key), chart_strategy(f, key)
        out[key] = (ltv_bridge(f, lang, b) if kind == "ltv_bridge" else
                    worlds_chart(f.worlds[b]["ltv"], "ltv", lang) if kind == "worlds" else draw[key]())
    return out
