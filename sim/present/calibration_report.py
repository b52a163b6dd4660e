"""The calibration's charts and files, in the views CLV analysts know from lifetimes
(`plot_incremental_transactions`, `plot_cumulative_transactions`,
`plot_calibration_purchases_vs_holdout_purchases`):

  weekly_chart(cal)      weekly repeat purchases: actual, the lab's forecast, BG/NBD, Pareto/NBD; holdout line
  cumulative_chart(cal)  the same, cumulative
  frequency_chart(cal)   mean holdout purchases of customers grouped by their calibration-period repeat purchases
  params_table(cal)      fitted keys, value, approximate 95% range, how each was estimated
  candidates_table(cal)  every process variant tried: log-likelihood, parameters, which was chosen
  write(cal, out)        DIR/scenario.yaml, fit.json, fit.html, customers.csv: all or nothing
"""
from __future__ import annotations

import base64
import html
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ..core.files import csv_text, json_text, publish_dir
from ..core.yamlread import comment, dump
from ..lab.calibrate import Calibration
from ..lab.provenance import dotted_lines, fitted_text
from .labels import label
from .style import PALETTE, finish, new_figure, style_context, to_png_bytes

OUTPUT_FILES = ("scenario.yaml", "fit.json", "fit.html", "customers.csv")
LINES = (("actual", 7, "-", "cal.actual"), ("lab", 0, "--", "cal.simulated"), ("bgnbd", 1, ":", "cal.bgnbd"),
         ("pareto_nbd", 2, "-.", "cal.pareto_nbd"))


def _how(key: str, lang: str = "en") -> str:
    """How fitted key `key` was estimated, in `lang` (texts.py: cal.how_*)."""
    if key in ("market.order_value_spread", "market.price_rmb", "economics.pool_return_rate"):
        return label("cal.how_orders", lang)
    if key.startswith("pool.accept_buyer_"):
        return label("cal.how_contacts", lang)
    if key == "messaging.intent_per_open":
        return label("cal.how_campaign", lang)
    if key == "market.pool_buy_lift":
        return label("cal.how_lift", lang)
    if key == "washback.public_per_year":
        return label("cal.how_washback", lang)
    return label("cal.how_process", lang)


def pattern_name(name: str, lang: str = "en") -> str:
    """A buying pattern's name (a fitted variant's label or a process's name: 'BG/NBD + burst') in `lang`:
    the model's proper name, then what is added to it in words (texts_tools: bp.*)."""
    base, *parts = name.split(" + ")
    if lang == "en" or not parts:
        return name
    sep = "、"
    return label("bp.with", lang, base=base, parts=sep.join(label(f"bp.{p}", lang) for p in parts))


def _weekly_axes(cal: Calibration, cumulative: bool, lang: str) -> Figure:
    w = cal.weekly()
    x = pd.to_datetime(w["week_start"])
    fig, axes = new_figure(lang)
    ax = axes[0, 0]
    with style_context(lang):
        for col, colour, ls, key in LINES:
            v = w[col].to_numpy(float)
            if cumulative:
                base = np.nancumsum(np.where(w["after"], 0.0, w["actual"].fillna(0).to_numpy(float)))[~w["after"]][-1:] \
                    if col == "lab" else None
                v = np.where(np.isnan(v), np.nan, np.nancumsum(v) + (base[0] if base is not None and len(base) else 0.0))
            ax.plot(x, v, color=PALETTE[colour], ls=ls, label=label(key, lang))
        if cal.holdout_from is not None or True:
            cut = cal.end + pd.Timedelta(days=1)
            ax.axvline(cut, color="grey", ls="-", lw=1.2)
            ax.annotate(label("cal.holdout", lang), (cut, 0.97), xycoords=("data", "axes fraction"),
                        xytext=(6, 0), textcoords="offset points", va="top", color="grey")
        ax.set_title(label("cal.t_cumulative" if cumulative else "cal.t_weekly", lang))
        ax.set_ylabel(label("cal.repeat_purchases", lang))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.0f}"))
        ax.set_ylim(bottom=0)
        ax.legend(loc="best")
    return finish(fig, lang)


def weekly_chart(cal: Calibration, lang: str = "en") -> Figure:
    """Repeat purchases week by week: actual, the lab's forecast after the calibration period, BG/NBD and
    Pareto/NBD (their fit inside it, their conditional forecast after it), with the split marked."""
    return _weekly_axes(cal, False, lang)


def cumulative_chart(cal: Calibration, lang: str = "en") -> Figure:
    """The weekly chart, cumulative (the lab's line starts from the actual total at the split)."""
    return _weekly_axes(cal, True, lang)


def frequency_chart(cal: Calibration, lang: str = "en") -> Figure:
    """Customers grouped by repeat purchases in the calibration period (0..6, 7+): their mean repeat purchases in
    the holdout, actual against each model's forecast for the same customers (per-customer accuracy)."""
    d = cal.holdout()
    fig, axes = new_figure(lang)
    ax = axes[0, 0]
    group = np.minimum(cal.calibration_counts, 7)
    lab_x = [str(k) for k in range(7)] + ["7+"]
    series = {"actual": cal.holdout_per_customer, "lab": cal.forecast_per_customer}
    if d is not None:
        h = cal._hist()
        ahead = float(d["days"])
        for key, name in (("bgnbd", "BG/NBD"), ("pareto_nbd", "Pareto/NBD")):
            series[key] = cal.choice.baselines[name].conditional_expected(ahead, h)
    with style_context(lang):
        for col, colour, ls, key in LINES:
            v = series.get(col)
            if v is None:
                continue
            mean = pd.Series(v).groupby(group).mean().reindex(range(8))
            ax.plot(np.arange(8), mean.to_numpy(), color=PALETTE[colour], ls=ls, marker="o", label=label(key, lang))
        ax.set_xticks(np.arange(8), lab_x)
        ax.set_title(label("cal.t_by_frequency", lang))
        ax.set_xlabel(label("cal.calibration_repeats", lang))
        ax.set_ylabel(label("cal.mean_holdout", lang))
        ax.legend(loc="best")
    return finish(fig, lang)


def summary_text(cal: Calibration) -> str:
    """What `python -m sim calibrate` prints: the process, the fitted keys with their ranges, the holdout test (or
    the forecast) against BG/NBD and Pareto/NBD, and the effects measured from the brand's files."""
    d = cal.to_dict()
    lines = [f"{d['customers']:,} customers: {d['model']['process']}, fitted in {d['seconds']:.0f} s"]
    for k, v in d["params"].items():
        r = d["uncertainty"].get(k)
        lines.append(f"  {k:<32} {v:>10g}" + (f"   (~95%: {r[0]:g} .. {r[1]:g})" if r else ""))
    h = d["holdout"]
    if h:
        lo, hi = h["predicted_interval_90"]
        lines.append(f"  holdout ({h['days']} days) repeat purchases: actual {h['actual_repeat_orders']:,.0f}; lab "
                     f"{h['predicted_repeat_orders']:,.0f} ({100 * h['error']:+.1f}%, 90%: {lo:,.0f} .. {hi:,.0f}); BG/NBD "
                     f"{h['bgnbd_repeat_orders']:,.0f} ({100 * h['bgnbd_error']:+.1f}%); Pareto/NBD "
                     f"{h['pareto_nbd_repeat_orders']:,.0f} ({100 * h['pareto_nbd_error']:+.1f}%)")
    else:
        f = d["forecast"]
        lines.append(f"  next {f['days']} days: {f['predicted_repeat_orders']:,.0f} repeat purchases forecast "
                     f"(90%: {f['predicted_interval_90'][0]:,.0f} .. {f['predicted_interval_90'][1]:,.0f})")
    e = d["effects"]
    if "pool_lift" in e:
        p = e["pool_lift"]
        lines.append(f"  pool lift on buying: {100 * p['estimate']:+.0f}% (95%: {100 * p['low']:+.0f}% .. {100 * p['high']:+.0f}%)")
    if "accept_buyer" in e:
        p, q = e["accept_buyer"], e["deletion_monthly"]
        lines.append(f"  buyers who became contacts: {100 * p['estimate']:.1f}% (95%: {100 * p['low']:.1f} .. "
                     f"{100 * p['high']:.1f}%); deleted per month: {100 * q['estimate']:.2f}% (95%: {100 * q['low']:.2f} .. "
                     f"{100 * q['high']:.2f}%)")
    for kind, t in e.get("touches", {}).items():
        lines.append(f"  {kind}: " + (t["refused"] if "refused" in t else
                                      f"{t['purchases_per_touch']:+.3f} purchases per touch in {t['window_days']} days "
                                      f"({100 * t['relative']:+.0f}% on the control group; 95%: {100 * t['relative_low']:+.0f}% .. "
                                      f"{100 * t['relative_high']:+.0f}%)"))
    return "\n".join(lines)


def params_table(cal: Calibration, lang: str = "en") -> pd.DataFrame:
    """One row per fitted key: value, approximate 95% range, how it was estimated (in `lang`)."""
    rows = []
    for k, v in cal.params.items():
        r = cal.uncertainty.get(k)
        rows.append({"key": k, "value": v, "range_95": "" if r is None else f"{r[0]:g} .. {r[1]:g}", "how": _how(k, lang)})
    return pd.DataFrame(rows)


def candidates_table(cal: Calibration, lang: str = "en") -> pd.DataFrame:
    """Every process variant fitted on the calibration period (named in `lang`): log-likelihood, parameters,
    chosen."""
    return pd.DataFrame([{"process": pattern_name(c["label"], lang), "log_likelihood": c["log_likelihood"],
                          "parameters": c["parameters"], "chosen": c["chosen"]} for c in cal.choice.candidates])


def scenario_yaml(cal: Calibration) -> str:
    """The fitted scenario as YAML, each fitted key marked with the file and date it was fitted from."""
    source = comment(Path(cal.source).name)          # a file name or a scenario name may hold a line break
    on = comment(cal.fitted_on)
    fitted = set(cal.params) | {"pool.initial_from"}
    sc = cal.scenario.with_overrides({"pool.initial_from": ""}).model_dump()
    sc["pool"]["initial_from"] = "customers.csv"
    lines = [f"# {comment(sc['name'])}: the status quo of the customers in {source} at {cal.end.date()} "
             f"(calibrated by `python -m sim calibrate` on {comment(cal.fitted_on)}).",
             "# Keys marked 'fitted' come from that order history (fit.json has their ranges); the rest are the base's.",
             "# Day 0 is the day after the history; run it as it is to see the forecast, change levers to try a strategy."]
    for dotted, line in dotted_lines(dump(sc).rstrip("\n")):       # dump: every value on its own line
        lines.append(line + (f"  # {fitted_text(source, on, cal.uncertainty.get(dotted))}" if dotted in fitted else ""))
    return "\n".join(lines) + "\n"


def fit_html(cal: Calibration) -> str:
    """A one-page report: the holdout test against BG/NBD and Pareto/NBD, the charts, the process chosen and
    the candidates, the parameter table, notes."""
    e = html.escape
    d = cal.to_dict()
    charts = [("weekly", weekly_chart), ("cumulative", cumulative_chart)] + \
        ([("by frequency", frequency_chart)] if d["holdout"] else [])
    imgs = "".join(f"<img alt='{e(t)}' src='data:image/png;base64,{base64.b64encode(to_png_bytes(f(cal))).decode()}'>"
                   for t, f in charts)
    h = d["holdout"]
    if h:
        pc = h["per_customer"]
        test = ("<table><tr><th>holdout</th><th>repeat purchases</th><th>error</th><th>per-customer correlation</th>"
                "<th>per-customer MAE</th></tr>"
                f"<tr><td>actual</td><td>{h['actual_repeat_orders']:,.0f}</td><td></td><td></td><td></td></tr>"
                + "".join(f"<tr><td>{e(name)}</td><td>{h[k + '_repeat_orders' if k != 'lab' else 'predicted_repeat_orders']:,.0f}"
                          f"</td><td>{100 * h[k + '_error' if k != 'lab' else 'error']:+.1f}%</td>"
                          f"<td>{pc[k]['correlation']:.3f}</td><td>{pc[k]['mean_absolute_error']:.3f}</td></tr>"
                          for k, name in (("lab", "lab (customer twin)"), ("bgnbd", "BG/NBD"), ("pareto_nbd", "Pareto/NBD")))
                + "</table>"
                f"<p>Lab forecast, 90% interval (parameter uncertainty and simulation noise): "
                f"{h['predicted_interval_90'][0]:,.0f} .. {h['predicted_interval_90'][1]:,.0f}.</p>")
    else:
        f = d["forecast"]
        test = (f"<p>Forecast for the next {f['days']} days: {f['predicted_repeat_orders']:,.0f} repeat purchases "
                f"(90%: {f['predicted_interval_90'][0]:,.0f} .. {f['predicted_interval_90'][1]:,.0f}).</p>")
    rows = "".join(f"<tr><td>{e(r.key)}</td><td>{r.value:g}</td><td>{e(r.range_95)}</td><td>{e(r.how)}</td></tr>"
                   for r in params_table(cal).itertuples())
    cands = "".join(f"<tr><td>{e(r.process)}</td><td>{r.log_likelihood:,.1f}</td><td>{r.parameters}</td>"
                    f"<td>{'chosen' if r.chosen else ''}</td></tr>" for r in candidates_table(cal).itertuples())
    val = d["model"]["validation"]
    vtext = "" if not val else (f"<p>Validation split (the last {val['days']} days of the calibration period, fitted on the "
                                f"days before): actual {val['actual']:,.0f}; without a calendar trend {val['no_trend']:,.0f}, "
                                f"with one {val['trend']:,.0f}.</p>")
    notes = "".join(f"<li>{e(n)}</li>" for n in d["notes"])
    style = ("body{font-family:'Noto Sans CJK SC','Noto Sans',Arial,sans-serif;max-width:72em;margin:2em auto;padding:0 1em}"
             "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:0.3em 0.7em}"
             "img{max-width:100%;margin:1em 0}")
    hold = f", holdout from {d['holdout_from']}" if d["holdout_from"] else ""
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Calibration</title><style>{style}</style>"
            f"</head><body><h1>Calibration to {e(Path(cal.source).name)}</h1>"
            f"<p>{d['customers']:,} customers{hold}; fitted {d['fitted_on']} in {d['seconds']:.0f} s. "
            f"Process: {e(d['model']['process'])}.</p>{test}{imgs}"
            f"<h2>Process variants fitted</h2><table><tr><th>process</th><th>log-likelihood</th><th>parameters</th>"
            f"<th></th></tr>{cands}</table>{vtext}"
            f"<h2>Fitted keys</h2><table><tr><th>key</th><th>value</th><th>~95% range</th><th>how</th></tr>"
            f"{rows}</table><ul>{notes}</ul></body></html>\n")


def write(cal: Calibration, out) -> list[Path]:
    """Write scenario.yaml, fit.json, fit.html and customers.csv into `out`, published as a whole
    (sim/core/files.py): `out` holds all four files of this fit or is left as it was."""
    files = {"scenario.yaml": scenario_yaml(cal), "fit.json": json_text(cal.to_dict()),
             "fit.html": fit_html(cal), "customers.csv": csv_text(cal.customers, index=False, float_format="%.10g")}
    with publish_dir(out, OUTPUT_FILES, what="--out") as tmp:
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8")
    return [Path(out) / n for n in files]
