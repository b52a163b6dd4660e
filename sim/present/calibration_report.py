"""The calibration's charts and files, in the views CLV analysts know from lifetimes
(`plot_incremental_transactions`, `plot_cumulative_transactions`, `plot_period_transactions`):

  weekly_chart(cal)      weekly repeat purchases: actual, the lab's simulation, BG/NBD; holdout line
  cumulative_chart(cal)  the same, cumulative
  histogram_chart(cal)   customers by number of repeat purchases in the calibration period
  params_table(cal)      fitted keys, value, approximate 95% range, how each was estimated
  write(cal, out)        DIR/scenario.yaml, fit.json, fit.html, customers.csv: all or nothing
"""
from __future__ import annotations

import base64
import html
import json
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ..core.files import csv_text, publish_dir
from ..core.yamlread import comment, dump
from ..lab.calibrate import FITTED, POOL_LIFT, Calibration
from .labels import label
from .style import PALETTE, finish, new_figure, style_context, to_png_bytes

OUTPUT_FILES = ("scenario.yaml", "fit.json", "fit.html", "customers.csv")
HOW = {**{k: "simulation fit" for k in {**FITTED, **POOL_LIFT}},
       "market.order_value_spread": "from the data (variance of log order values)",
       "market.price_rmb": "from the data (mean repeat order value)",
       "economics.pool_return_rate": "from the data (share of repeat orders returned)"}


def _weekly_axes(cal: Calibration, cumulative: bool, lang: str) -> Figure:
    w = cal.weekly()
    x = pd.to_datetime(w["week_start"])
    fig, axes = new_figure(lang)
    ax = axes[0, 0]
    f = np.cumsum if cumulative else (lambda v: v)
    with style_context(lang):
        ax.plot(x, f(w["actual"].to_numpy()), color=PALETTE[7], label=label("cal.actual", lang))
        ax.plot(x, f(w["predicted"].to_numpy()), color=PALETTE[0], ls="--", label=label("cal.simulated", lang))
        ax.plot(x, f(w["bgnbd"].to_numpy()), color=PALETTE[1], ls=":", label=label("cal.bgnbd", lang))
        if cal.holdout_from is not None:
            ax.axvline(cal.holdout_from, color="grey", ls="-", lw=1.2)
            ax.annotate(label("cal.holdout", lang), (cal.holdout_from, 0.97), xycoords=("data", "axes fraction"),
                        xytext=(6, 0), textcoords="offset points", va="top", color="grey")
        ax.set_title(label("cal.t_cumulative" if cumulative else "cal.t_weekly", lang))
        ax.set_ylabel(label("cal.repeat_purchases", lang))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.0f}"))
        ax.set_ylim(bottom=0)
        ax.legend(loc="best")
    return finish(fig, lang)


def weekly_chart(cal: Calibration, lang: str = "en") -> Figure:
    """Repeat purchases week by week: actual, simulated (mean over seeds), BG/NBD, holdout line."""
    return _weekly_axes(cal, False, lang)


def cumulative_chart(cal: Calibration, lang: str = "en") -> Figure:
    """Cumulative repeat purchases: actual, simulated, BG/NBD, holdout line."""
    return _weekly_axes(cal, True, lang)


def histogram_chart(cal: Calibration, lang: str = "en") -> Figure:
    """Customers by repeat purchases in the calibration period, actual vs simulated."""
    h = cal.count_histogram()
    fig, axes = new_figure(lang)
    ax = axes[0, 0]
    x = np.arange(len(h))
    with style_context(lang):
        ax.bar(x - 0.2, h["actual"], 0.4, color=PALETTE[7], label=label("cal.actual", lang))
        ax.bar(x + 0.2, h["simulated"], 0.4, color=PALETTE[0], label=label("cal.simulated", lang))
        ax.set_xticks(x, h["repeat_purchases"])
        ax.set_title(label("cal.t_histogram", lang))
        ax.set_xlabel(label("cal.repeat_purchases", lang))
        ax.set_ylabel(label("cal.customers", lang))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.0f}"))
        ax.legend(loc="best")
    return finish(fig, lang)


def params_table(cal: Calibration) -> pd.DataFrame:
    """One row per fitted key: value, approximate 95% range, how it was estimated."""
    rows = []
    for k, v in cal.params.items():
        r = cal.uncertainty.get(k)
        rows.append({"key": k, "value": v, "range_95": "" if r is None else f"{r[0]:g} .. {r[1]:g}", "how": HOW.get(k, "")})
    return pd.DataFrame(rows)


def scenario_yaml(cal: Calibration) -> str:
    """The fitted scenario as YAML, each fitted key marked with the file and date it was fitted from."""
    source = comment(Path(cal.source).name)          # a file name or a scenario name may hold a line break
    mark = f"  # fitted from {source} on {comment(cal.fitted_on)}"
    fitted = set(cal.params) | {"pool.initial_from"}
    sc = cal.scenario.with_overrides({"pool.initial_from": ""}).model_dump()
    sc["pool"]["initial_from"] = "customers.csv"
    lines = [f"# {comment(sc['name'])}: calibrated to {source} by `python -m sim calibrate` on {comment(cal.fitted_on)}.",
             "# Keys marked 'fitted' come from that order history (fit.json has their ranges); the rest are the base's."]
    stack: list[tuple[int, str]] = []
    for line in dump(sc).rstrip("\n").split("\n"):                 # dump: every value on its own line
        indent = len(line) - len(line.lstrip())
        stack = [s for s in stack if s[0] < indent]
        key = line.strip().split(":", 1)[0]
        dotted = ".".join([s[1] for s in stack] + [key])
        if line.rstrip().endswith(":"):
            stack.append((indent, key))
        lines.append(line + (mark if dotted in fitted else ""))
    return "\n".join(lines) + "\n"


def fit_html(cal: Calibration) -> str:
    """A one-page report: forecast errors, the three charts, the parameter table, notes."""
    e = html.escape
    d = cal.to_dict()
    imgs = "".join(f"<img alt='{e(t)}' src='data:image/png;base64,{base64.b64encode(to_png_bytes(f(cal))).decode()}'>"
                   for t, f in (("weekly", weekly_chart), ("cumulative", cumulative_chart), ("histogram", histogram_chart)))
    def period(name, p):
        if p is None:
            return ""
        return (f"<tr><td>{name}</td><td>{p['actual_repeat_orders']:,.0f}</td><td>{p['predicted_repeat_orders']:,.0f}</td>"
                f"<td>{100 * p['error']:+.1f}%</td><td>{p['bgnbd_repeat_orders']:,.0f}</td><td>{100 * p['bgnbd_error']:+.1f}%</td></tr>")
    rows = "".join(f"<tr><td>{e(r.key)}</td><td>{r.value:g}</td><td>{e(r.range_95)}</td><td>{e(r.how)}</td></tr>"
                   for r in params_table(cal).itertuples())
    notes = "".join(f"<li>{e(n)}</li>" for n in d["notes"])
    style = ("body{font-family:'Noto Sans CJK SC','Noto Sans',Arial,sans-serif;max-width:72em;margin:2em auto;padding:0 1em}"
             "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:0.3em 0.7em}"
             "img{max-width:100%;margin:1em 0}")
    hold = f", holdout from {d['holdout_from']}" if d["holdout_from"] else ""
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Calibration</title><style>{style}</style>"
            f"</head><body><h1>Calibration to {e(Path(cal.source).name)}</h1>"
            f"<p>{d['customers']:,} customers{hold}; {d['trials']} trials; forecast = mean of {d['seeds']} seeds; "
            f"fitted {d['fitted_on']} in {d['seconds']:.0f} s.</p>"
            f"<table><tr><th>period</th><th>actual repeat purchases</th><th>lab simulation</th><th>error</th>"
            f"<th>BG/NBD</th><th>error</th></tr>{period('calibration', d['calibration'])}{period('holdout', d['holdout'])}</table>"
            f"{imgs}<h2>Fitted parameters</h2><table><tr><th>key</th><th>value</th><th>~95% range</th><th>how</th></tr>"
            f"{rows}</table><ul>{notes}</ul></body></html>\n")


def write(cal: Calibration, out) -> list[Path]:
    """Write scenario.yaml, fit.json, fit.html and customers.csv into `out`, published as a whole
    (sim/core/files.py): `out` holds all four files of this fit or is left as it was."""
    files = {"scenario.yaml": scenario_yaml(cal), "fit.json": json.dumps(cal.to_dict(), indent=2),
             "fit.html": fit_html(cal), "customers.csv": csv_text(cal.customers, index=False)}
    with publish_dir(out, OUTPUT_FILES, what="--out") as tmp:
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8")
    return [Path(out) / n for n in files]
