"""The case library's chart: each case's lever and the profit it adds or costs, with its interval."""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..lab.cases import verdict_table
from .formats import fmt, level_text
from .labels import label, lever_label, unit, with_unit
from .style import PALETTE, finish, money_axis, new_figure, style_context

PAYS, LOSES, UNCLEAR = PALETTE[2], PALETTE[1], "#9e9e9e"


def case_verdicts(verdicts: list[dict], lang: str = "en") -> Figure:
    """One bar per verdict (sim.lab.cases.lever_verdict): the paired profit difference with the lever
    minus without, with its 90% interval; green when the interval is above 0, red below, grey across
    (verdict_table's `pays`, as the case sentences read it)."""
    n = len(verdicts)
    fig, axes = new_figure(lang, figsize=(11, 1.1 * n + 2.2))
    ax = axes[0, 0]
    with style_context(lang):
        d = np.array([v["profit"][0] for v in verdicts], dtype=float)
        lo = np.array([v["profit"][1] for v in verdicts], dtype=float)
        hi = np.array([v["profit"][2] for v in verdicts], dtype=float)
        pays = verdict_table(verdicts)["pays"].tolist() if verdicts else []
        colors = [{True: PAYS, False: LOSES}.get(p, UNCLEAR) for p in pays]
        y = np.arange(n)[::-1]
        ax.barh(y, d, xerr=[d - lo, hi - d], color=colors, height=0.6, capsize=6, error_kw={"lw": 1.6})
        for yi, di, hi_i, lo_i in zip(y, d, hi, lo):
            x = hi_i if di >= 0 else lo_i
            ax.annotate(fmt(di, "rmb", lang, place="label"), xy=(x, yi), xytext=(6 if di >= 0 else -6, 0),
                        textcoords="offset points", ha="left" if di >= 0 else "right", va="center",
                        fontsize=11, fontweight="bold")
        ax.axvline(0, color="#424242", lw=1.2)
        title = "title_zh" if lang == "zh" else "title"
        names = [f"{v[title]}\n{lever_label(v['lever'], lang)}: "
                 f"{level_text(v['lever'], v['on'], lang, units=False)} / {level_text(v['lever'], v['off'], lang, units=False)}"
                 for v in verdicts]
        ax.set_yticks(y, names)
        ax.margins(x=0.18)
        money_axis(ax.xaxis, lang)
        ax.set_xlabel(with_unit(label("ax.profit_effect", lang), unit("u.rmb", lang)))
        ax.grid(axis="y", visible=False)
        k = verdicts[0]["seeds"] if verdicts else 0
        ax.set_title(label("t.case_verdicts", lang) + "\n" + label("t.case_verdicts_sub", lang, k=k), fontsize=14)
    return finish(fig, lang)
