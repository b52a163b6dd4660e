"""Lever grids and sensitivity: the heatmap of a two-lever sweep and the tornado chart."""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..lab.figures import BEST, best_in_rows, unit_of
from ..lab.figures import best_cell as best_grid_cell
from .formats import fmt, level_text, lever_name, scale_of
from .labels import figure_label, label, lever_label
from .style import finish, new_figure, style_context

# ----------------------------------------------------------------- grids and sensitivity

def heatmap(df: pd.DataFrame, lang: str = "en", x: str = "messaging.per_week", y: str = "groups.size",
            value: str = "ltv", best: str = "max", mark_rows: bool = False) -> Figure:
    """Mean of `value` over a grid of two levers (long table: one row per cell or per cell x seed).

    The best cell (`best` = "max" or "min"; lab.figures.best_cell, as the sentences and the report
    pick it) is outlined and labelled; each cell shows its value. mark_rows=True also marks the best
    `x` in every row (e.g. the best message frequency for each group size) with a dashed outline.
    """
    if best not in BEST:
        raise ValueError("best must be 'max' or 'min'")
    piv = df.groupby([y, x])[value].mean().unstack(x).sort_index(ascending=False)
    sc = scale_of(unit_of(value))
    raw = piv.to_numpy(dtype=float)
    vals = raw * sc
    row_of, col_of = {v: i for i, v in enumerate(piv.index)}, {v: i for i, v in enumerate(piv.columns)}
    fig, axes = new_figure(lang, figsize=(11, 6.6))
    ax = axes[0, 0]
    with style_context(lang):
        im = ax.imshow(vals, cmap="viridis" if best == "max" else "viridis_r", aspect="auto")
        ax.set_xticks(range(piv.shape[1]), [level_text(x, v, lang, units=False) for v in piv.columns])
        ax.set_yticks(range(piv.shape[0]), [level_text(y, v, lang, units=False) for v in piv.index])
        ax.grid(False)
        lo, hi = np.nanmin(vals), np.nanmax(vals)
        for (r, c), v in np.ndenumerate(vals):
            if np.isfinite(v):
                norm = (v - lo) / (hi - lo if hi > lo else 1)
                dark = norm < 0.55 if best == "max" else norm > 0.45
                ax.text(c, r, fmt(raw[r, c], unit_of(value), lang, place="label"), ha="center",
                        va="center", fontsize=11, color="white" if dark else "black")
        if mark_rows:
            for yv, xv in best_in_rows(df, x, y, value, best).items():
                r, c = row_of[yv], col_of[xv]
                ax.add_patch(Rectangle((c - 0.46, r - 0.46), 0.92, 0.92, fill=False, ec="white", lw=2, ls="--"))
        cell = best_grid_cell(df, [y, x], value, best)
        if cell is not None:
            r, c = row_of[cell[0][0]], col_of[cell[0][1]]
            ax.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, ec="#D55E00", lw=3.5))
            ax.annotate(label("a.best", lang), (c, r - 0.5), xytext=(0, 2), textcoords="offset points",
                        ha="center", va="bottom", color="#D55E00", fontsize=11, fontweight="bold")
        cb = fig.colorbar(im, ax=ax, shrink=0.9)
        cb.set_label(figure_label(value, lang))
        ax.set_xlabel(lever_label(x, lang) + (f"\n{label('a.row_best', lang)}" if mark_rows else ""))
        ax.set_ylabel(lever_label(y, lang))
        ax.set_title(label("t.heatmap", lang, value=figure_label(value, lang, with_units=False),
                           x=lever_name(x, lang), y=lever_name(y, lang)))
    return finish(fig, lang)


def best_cell(df: pd.DataFrame, x: str, y: str, value: str, best: str = "max") -> dict:
    """The grid cell with the best mean `value` (lab.figures.best_cell): {x: .., y: .., value: ..}."""
    cell = best_grid_cell(df, [y, x], value, best)
    if cell is None:
        raise ValueError(f"no cell of the grid has a value of {value!r}")
    (yv, xv), v = cell
    return {y: yv, x: xv, value: v}


def tornado_chart(df: pd.DataFrame, lang: str = "en", output: str = "ltv") -> Figure:
    """Tornado chart of one-at-a-time sensitivity.

    `df` columns: lever, low_value, high_value, output_low, output_high, base (the output
    at the base setting). Bars run from the base to the output at each lever's low and
    high setting, widest range on top; `output` names the summary figure for labels.
    """
    need = {"lever", "low_value", "high_value", "output_low", "output_high", "base"}
    missing = need - set(df.columns)
    if missing:
        raise ValueError(f"tornado_chart needs columns {sorted(need)}; missing {sorted(missing)}")
    d = df.assign(_span=(df["output_high"] - df["output_low"]).abs()).sort_values("_span")
    sc = scale_of(unit_of(output))
    base_raw = float(d["base"].iloc[0])
    base = base_raw * sc
    fig, axes = new_figure(lang, figsize=(11, 1.0 + 0.75 * max(len(d), 3) + 1.5))
    ax = axes[0, 0]
    with style_context(lang):
        for i, row in enumerate(d.itertuples()):
            lo, hi = row.output_low * sc, row.output_high * sc
            same_side = (lo - base) * (hi - base) > 0
            h, off = (0.36, 0.19) if same_side else (0.6, 0.0)
            ax.barh(i + off, lo - base, left=base, color="#56B4E9", height=h, label=label("a.low", lang) if i == 0 else None)
            ax.barh(i - off, hi - base, left=base, color="#0072B2", height=h, label=label("a.high", lang) if i == 0 else None)
            ax.annotate(level_text(row.lever, row.low_value, lang, units=False), (lo, i + off), xytext=(-4 if lo < base else 4, 0),
                        textcoords="offset points", ha="right" if lo < base else "left", va="center", fontsize=11)
            ax.annotate(level_text(row.lever, row.high_value, lang, units=False), (hi, i - off), xytext=(4 if hi >= base else -4, 0),
                        textcoords="offset points", ha="left" if hi >= base else "right", va="center", fontsize=11)
        ax.axvline(base, color="#444444", lw=1.2)
        ax.set_yticks(range(len(d)), [lever_label(lv, lang) for lv in d["lever"]])
        ax.grid(axis="y", visible=False)
        ax.set_xlabel(figure_label(output, lang) + "  " + label("a.base", lang, v=fmt(base_raw, unit_of(output), lang, place="label")))
        ax.set_ylabel(label("ax.lever", lang))
        ax.set_title(label("t.tornado", lang, output=figure_label(output, lang, with_units=False)))
        ax.legend(loc="lower right")
        ax.margins(x=0.15)
    return finish(fig, lang)
