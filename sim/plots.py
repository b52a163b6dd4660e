"""Charts for notebooks, the dashboard and `make report`, in English or Simplified Chinese.

Every function takes `lang="en"|"zh"` and returns a `matplotlib.figure.Figure` that is
not registered with pyplot (so a notebook shows it once, when it is the cell's value,
and nothing leaks when many are made). All visible words come from `LABELS`; every
chart has a title and axis labels with units. `save(fig, out_dir, name)` exports it.

Inputs are results of the engine in any of these shapes ("runs"):
  a `Result`, a list of Results (several seeds of one scenario), an experiments `Many`,
  a dict {name: any of those}, or an experiments `Comparison`.
Several seeds of one scenario are drawn as the mean with a 5-95% band across seeds.

Chinese needs a CJK font. `cjk_font()` finds an installed one ("Noto Sans CJK SC",
"WenQuanYi Micro Hei", ...); with lang="zh" and none installed, a chart raises
`FontMissingError` saying how to install one.
"""
from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, PercentFormatter

from .errors import UsageError
from .files import atomic_path
from .result import payback_day

LANGS = ("en", "zh")

# Okabe-Ito: distinguishable for colour-blind readers and in greyscale print-outs.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
STYLE = {
    "figure.figsize": (11, 6),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "font.size": 13,
    "axes.titlesize": 16,
    "axes.titleweight": "bold",
    "axes.labelsize": 14,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 12,
    "legend.frameon": False,
    "figure.titlesize": 18,
    "figure.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "lines.linewidth": 2.4,
    "axes.prop_cycle": cycler(color=PALETTE),
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
}

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Micro Hei",
             "WenQuanYi Zen Hei", "Noto Sans CJK JP", "Noto Sans CJK TC", "Source Han Sans", "Microsoft YaHei",
             "SimHei", "PingFang SC", "Heiti SC", "Hiragino Sans GB", "Arial Unicode MS")
_CJK_FILE_HINTS = ("notosanscjk", "notosanssc", "sourcehansans", "wqy", "wenquanyi", "msyh", "simhei", "pingfang")

FONT_HELP = ("no Chinese (CJK) font found for lang='zh' charts. Install one and retry: "
             "Debian/Ubuntu `sudo apt-get install fonts-noto-cjk` (or fonts-wqy-microhei); "
             "conda `conda install -c conda-forge font-ttf-noto-cjk`; or download Noto Sans SC from "
             "https://fonts.google.com/noto/specimen/Noto+Sans+SC into ~/.fonts and delete matplotlib's "
             "font cache (~/.cache/matplotlib). English charts (lang='en') work without it.")


class FontMissingError(UsageError):
    """No CJK font is installed, so Chinese labels cannot be drawn (a UsageError, so the CLI
    prints it as one line and exits with code 2)."""


# ----------------------------------------------------------------- labels

# One dictionary for every visible word: key -> (English, Simplified Chinese).
LABELS: dict[str, tuple[str, str]] = {
    # units
    "u.rmb": ("RMB", "元"),
    "u.rmb_user": ("RMB per user", "元/人"),
    "u.days": ("days", "天"),
    "u.day": ("day", "天"),
    "u.pct": ("%", "%"),
    "u.pp": ("pp", "个百分点"),
    "u.users": ("users", "人"),
    "u.x": ("x", "倍"),
    "u.msgs_week": ("msgs/week", "条/周"),
    "u.members": ("members", "人"),
    "u.hours_day": ("hours/day", "小时/天"),
    "u.users_per_user": ("users per user", "人/人"),
    "u.pct_acquired": ("% of acquired users", "占获客用户 %"),
    # axes
    "ax.day": ("Time since start", "开始后时间"),
    "ax.days_since": ("Time since acquisition", "获客后时间"),
    "ax.users": ("Users", "用户数"),
    "ax.cum_profit": ("Cumulative profit", "累计利润"),
    "ax.still_customers": ("Still customers", "仍为客户"),
    "ax.share_acquired": ("Share of acquired users", "占获客用户比例"),
    "ax.ltv_change": ("Change in LTV per user", "每用户 LTV 变化"),
    "ax.ltv": ("LTV per user", "每用户 LTV"),
    "ax.stage": ("Stage", "阶段"),
    "ax.lever": ("Lever", "杠杆"),
    # daily columns
    "col.pool_users": ("Pool members", "私域池成员"),
    "col.customers": ("Customers (not lost)", "客户(未流失)"),
    "col.public_users": ("On the public side", "在公域"),
    "col.churned_users": ("Lost (cumulative)", "已流失(累计)"),
    "col.muted_users": ("Muted pool members", "已屏蔽的成员"),
    "col.revenue": ("Revenue", "收入"),
    "col.profit": ("Profit", "利润"),
    "col.cumulative_profit": ("Cumulative profit", "累计利润"),
    "col.orders": ("Orders", "订单"),
    # summary figures: (name); units in FIGURES
    "fig.ltv": ("LTV per user", "每用户 LTV"),
    "fig.ltv_paid": ("LTV of paid users", "付费获客用户 LTV"),
    "fig.ltv_organic": ("LTV of organic users", "自然流量用户 LTV"),
    "fig.ltv_referred": ("LTV of referred users", "推荐用户 LTV"),
    "fig.cac": ("Cost per paid user (CAC)", "获客成本 CAC"),
    "fig.ltv_to_cac": ("LTV / CAC", "LTV / CAC"),
    "fig.churn_rate_monthly": ("Monthly churn", "月流失率"),
    "fig.pool_churn_rate_monthly": ("Monthly pool churn", "私域池月流失率"),
    "fig.retention_90d": ("Still customers after 90 days", "90 天留存"),
    "fig.retention_90d_paid": ("90-day retention, paid users", "付费用户 90 天留存"),
    "fig.retention_90d_referred": ("90-day retention, referred users", "推荐用户 90 天留存"),
    "fig.referral_share": ("Referral share", "推荐用户占比"),
    "fig.k_factor": ("Referral k-factor", "裂变系数 k"),
    "fig.repurchase_rate": ("Repurchase rate", "复购率"),
    "fig.payback_day": ("Payback", "回本时间"),
    "fig.profit": ("Profit over the run", "期间利润"),
    "fig.revenue": ("Revenue over the run", "期间收入"),
    "fig.pool_size_end": ("Pool size at the end", "期末私域池规模"),
    "fig.acquired_users": ("Acquired users", "获客用户数"),
    "fig.referred_users": ("Referred users", "推荐用户数"),
    "fig.paid_users": ("Paid users", "付费获客用户数"),
    "fig.washed_back_share": ("Washed back to the public side", "被公域洗走"),
    # titles
    "t.daily": ("Where the users are, day by day", "用户每日分布"),
    "t.j_curve": ("Cumulative profit: the J-curve", "累计利润:J 曲线"),
    "t.compare": ("Strategies compared", "策略对比"),
    "t.compare_sub": ("mean of {k} seeds; whiskers: 90% interval of the mean",
                      "{k} 个随机种子的均值;误差线:均值的 90% 区间"),
    "t.retention": ("Cohort retention by acquisition month", "按获客月份的同期群留存"),
    "t.flow": ("User flow: public -> pool -> lost, by reason", "用户流向:公域 → 私域 → 流失(按原因)"),
    "t.bridge": ("What makes up the LTV gap", "LTV 差距的构成"),
    "t.heatmap": ("{value} by {y} and {x}", "{value}:{y} × {x}"),
    "t.tornado": ("What moves {output} most", "对{output}影响最大的因素"),
    # annotations and legends
    "a.payback": ("payback: day {d} (month {m})", "回本:第 {d} 天(第 {m} 个月)"),
    "a.no_payback": ("no payback within {d} days", "{d} 天内未回本"),
    "a.band": ("5-95% of seeds", "种子 5-95% 区间"),
    "a.month": ("month {m}", "第 {m} 月"),
    "a.best": ("best", "最佳"),
    "a.row_best": ("dashed: best in each row", "虚线框:每行最佳"),
    "a.gap": ("gap", "差距"),
    "a.base": ("base: {v}", "基准:{v}"),
    "a.seeds": ("{k} seeds", "{k} 个种子"),
    "a.low": ("low", "低"),
    "a.high": ("high", "高"),
    "a.refused": ("Setting refused by the model", "模型拒绝了该设置"),
    # flow stages and categories
    "s.acquired": ("Acquired via", "获客渠道"),
    "s.pool": ("Pool", "是否入池"),
    "s.end": ("At the end", "期末状态"),
    "g.paid": ("paid ads", "付费投放"),
    "g.organic": ("organic", "自然流量"),
    "g.referred": ("referred / KOC", "推荐/KOC"),
    "g.existing": ("in the pool before", "原有私域成员"),
    "g.joined": ("joined the pool", "加入私域"),
    "g.never": ("never joined", "未加入私域"),
    "e.pool_active": ("in pool", "在私域"),
    "e.pool_muted": ("in pool, muted", "在私域(已屏蔽)"),
    "e.public": ("customer, public side", "公域客户"),
    "e.lapsed": ("lost: lapsed", "流失:失去兴趣"),
    "e.washed_back": ("lost: washed back", "流失:被公域洗走"),
    "e.annoyed": ("lost: annoyed", "流失:被打扰"),
    "e.staff_left": ("lost: staff left", "流失:员工离职带走"),
    # LTV bridge drivers
    "d.start": ("{name}", "{name}"),
    "d.referral_mix": ("referral mix", "推荐用户占比"),
    "d.retention": ("retention (orders per user)", "留存(人均订单)"),
    "d.spend_per_order": ("spend per order", "客单价"),
    "d.discounts": ("discounts & gifts", "折扣与赠品"),
    "d.service_staff": ("service & staff cost", "服务与人员成本"),
    "d.timing": ("timing (discounting)", "时间折现"),
    # levers
    "l.messaging.per_week": ("Messages per week", "每周消息数"),
    "l.groups.size": ("Group size", "群规模"),
    "l.offers.discount_depth": ("Discount depth", "折扣力度"),
    "l.offers.discount_every_days": ("Days between discounts", "折扣间隔"),
    "l.service.one_to_one_hours_per_day": ("One-to-one service", "一对一服务"),
    "l.referral.incentive_rmb": ("Referral reward", "推荐奖励"),
    "l.pool.container": ("Container", "承载方式"),
    "l.referral.seed_koc": ("KOC seeding", "KOC 选择方式"),
    "l.referral.koc_count": ("KOCs recruited", "招募 KOC 数"),
    "v.personal": ("personal WeChat", "个人微信"),
    "v.wecom": ("WeCom", "企业微信"),
    # scenario names (unknown names are shown as they are)
    "n.baseline": ("baseline", "基线"),
    "n.discount_only": ("discount only", "只打折"),
    "n.differentiated_service": ("differentiated service", "差异化服务"),
    "n.big_groups_daily_push": ("big groups, daily push", "大群每日推送"),
    "n.small_groups_weekly": ("small groups, weekly", "小群每周触达"),
    "n.wecom_mass_messaging": ("WeCom mass messaging", "企业微信群发"),
    "n.fission_blitz": ("fission blitz", "裂变冲刺"),
    "n.organic_referral": ("organic referral", "自然口碑推荐"),
    "n.your_settings": ("your settings", "当前设置"),
    # dashboard (sim/dashboard.py)
    "ui.title": ("Strategy dashboard", "策略仪表盘"),
    "ui.help": ("Move a lever and release it: the model reruns with the same seeds as the reference strategies "
                "(common random numbers), so the change you see is the lever's effect.",
                "拖动滑块并松开:模型用与参照策略相同的随机种子重新运行(共同随机数),看到的变化就是该杠杆的效果。"),
    "ui.base": ("Start from", "起始策略"),
    "ui.figure": ("Figure", "指标"),
    "ui.change": ("change vs {name}", "相对{name}的变化"),
    "ui.ran": ("Ran {k} seed(s) of {users:,} users x {days} days in {s:.2f} s.",
               "已运行 {k} 个种子({users:,} 用户 × {days} 天),用时 {s:.2f} 秒。"),
    "ui.refused": ("Setting refused by the model", "模型拒绝了该设置"),
    "ui.kept": ("The table and charts still show the last accepted setting.", "表格和图表仍显示上一个被接受的设置。"),
    "ui.failed": ("The run failed", "运行失败"),
    "ui.running": ("Running...", "运行中..."),
    "ui.none": ("none within {d} days", "{d} 天内未回本"),
    "ui.day": ("day {d}", "第 {d} 天"),
    "ui.seeds_note": ("Means over {k} seed(s); payback: first day cumulative profit is back at >= 0.",
                      "{k} 个种子的均值;回本:累计利润回到 0 以上的第一天。"),
}

# Summary figure -> (unit label key, scale for display). Percent figures are shown x100.
FIGURES: dict[str, tuple[str, float]] = {
    "ltv": ("u.rmb_user", 1), "ltv_paid": ("u.rmb_user", 1), "ltv_organic": ("u.rmb_user", 1),
    "ltv_referred": ("u.rmb_user", 1), "cac": ("u.rmb_user", 1), "ltv_to_cac": ("u.x", 1),
    "churn_rate_monthly": ("u.pct", 100), "pool_churn_rate_monthly": ("u.pct", 100),
    "retention_90d": ("u.pct", 100), "retention_90d_paid": ("u.pct", 100), "retention_90d_referred": ("u.pct", 100),
    "referral_share": ("u.pct", 100), "k_factor": ("u.users_per_user", 1), "repurchase_rate": ("u.pct", 100),
    "payback_day": ("u.days", 1), "profit": ("u.rmb", 1), "revenue": ("u.rmb", 1),
    "pool_size_end": ("u.users", 1), "acquired_users": ("u.users", 1),
    "referred_users": ("u.users", 1), "paid_users": ("u.users", 1), "washed_back_share": ("u.pct", 100),
}

# Lever (dotted scenario key) -> unit label key and display scale.
LEVERS: dict[str, tuple[str, float]] = {
    "messaging.per_week": ("u.msgs_week", 1), "groups.size": ("u.members", 1),
    "offers.discount_depth": ("u.pct", 100), "offers.discount_every_days": ("u.days", 1),
    "service.one_to_one_hours_per_day": ("u.hours_day", 1), "referral.incentive_rmb": ("u.rmb", 1),
    "referral.koc_count": ("u.users", 1),
}


def _check_lang(lang: str) -> int:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return LANGS.index(lang)


def label(key: str, lang: str = "en", **fmt) -> str:
    """The text for `key` in `lang`, formatted with `fmt`. Unknown keys come back as they are."""
    i = _check_lang(lang)
    pair = LABELS.get(key)
    text = pair[i] if pair else key
    return text.format(**fmt) if fmt else text


def unit(key: str, lang: str = "en") -> str:
    return label(key, lang)


def with_unit(text: str, unit_text: str) -> str:
    return f"{text} ({unit_text})"


def figure_label(fig_name: str, lang: str = "en", with_units: bool = True) -> str:
    """Name of a summary figure with its unit, e.g. 'Monthly churn (%)'."""
    name = label(f"fig.{fig_name}", lang) if f"fig.{fig_name}" in LABELS else fig_name
    if not with_units:
        return name
    u = FIGURES.get(fig_name, ("u.x", 1))[0]
    return with_unit(name, unit(u, lang))


def lever_label(key: str, lang: str = "en") -> str:
    name = label(f"l.{key}", lang) if f"l.{key}" in LABELS else key
    u = LEVERS.get(key)
    return with_unit(name, unit(u[0], lang)) if u else name


def scenario_label(name: str, lang: str = "en") -> str:
    return label(f"n.{name}", lang) if f"n.{name}" in LABELS else str(name)


def fig_scale(fig_name: str) -> float:
    return FIGURES.get(fig_name, ("u.x", 1))[1]


# ----------------------------------------------------------------- fonts and style

_font_cache: dict[str, str | None] = {}


def cjk_font() -> str | None:
    """Family name of an installed CJK font matplotlib can use, or None.

    Looks through matplotlib's font list first; if nothing is there (its cache may
    predate the font's installation), scans the system font folders and registers
    any CJK font files found.
    """
    if "name" in _font_cache:
        return _font_cache["name"]
    installed = {f.name for f in font_manager.fontManager.ttflist}
    found = next((n for n in CJK_FONTS if n in installed), None)
    if found is None:
        for path in font_manager.findSystemFonts():
            if any(h in os.path.basename(path).lower().replace("-", "").replace("_", "") for h in _CJK_FILE_HINTS):
                try:
                    font_manager.fontManager.addfont(path)
                except Exception:  # noqa: BLE001 - an unreadable font file is simply skipped
                    continue
        installed = {f.name for f in font_manager.fontManager.ttflist}
        found = next((n for n in CJK_FONTS if n in installed), None)
    _font_cache["name"] = found
    return found


def font_family(lang: str) -> list[str]:
    """Font family list for `lang`: for zh a CJK font first (raises FontMissingError if none)."""
    _check_lang(lang)
    cjk = cjk_font()
    if lang == "zh":
        if cjk is None:
            raise FontMissingError(FONT_HELP)
        return [cjk, "DejaVu Sans"]
    return ["DejaVu Sans"] + ([cjk] if cjk else [])   # CJK fallback for Chinese scenario names


def rc(lang: str) -> dict:
    """The rcParams of the house style for `lang`."""
    return {**STYLE, "font.family": font_family(lang), "axes.unicode_minus": lang != "zh"}


def _new_figure(lang: str, nrows=1, ncols=1, figsize=None, **kw):
    """A Figure (not registered with pyplot) with axes, drawn in the house style."""
    with matplotlib.rc_context(rc(lang)):
        fig = Figure(figsize=figsize or STYLE["figure.figsize"], layout="constrained")
        FigureCanvasAgg(fig)
        axes = fig.subplots(nrows, ncols, squeeze=False, **kw)
    fig._siyu_lang = lang
    return fig, axes


def _finish(fig: Figure, lang: str) -> Figure:
    """Fix the font of tick labels made later (at draw time) to this chart's language."""
    fam = font_family(lang)
    for ax in fig.axes:
        ax.tick_params(labelfontfamily=fam, labelsize=STYLE["xtick.labelsize"], grid_alpha=STYLE["grid.alpha"])
    return fig


def _ctx(lang: str):
    return matplotlib.rc_context(rc(lang))


def _rmb_formatter(lang: str):
    def f(v, _pos):
        if lang == "zh" and abs(v) >= 10_000:
            return f"{v / 10_000:,.0f}万" if abs(v) >= 100_000 else f"{v / 10_000:,.1f}万"
        if abs(v) >= 1_000_000:
            return f"{v / 1_000_000:,.1f}M"
        return f"{v:,.0f}"
    return FuncFormatter(f)


# ----------------------------------------------------------------- inputs

def runs_of(obj, name: str | None = None) -> dict[str, list]:
    """Normalise results into {scenario name: [Result, ...]} (see module docstring)."""
    if obj is None:
        raise ValueError("no results given")
    if hasattr(obj, "runs") and hasattr(obj, "names"):          # experiments.Comparison
        return {n: list(obj.runs[n].results) for n in obj.names}
    if isinstance(obj, Mapping):
        out = {}
        for k, v in obj.items():
            out[str(k)] = _results_list(v)
        return out
    lst = _results_list(obj)
    return {name or _name(lst[0]): lst}


def _results_list(v) -> list:
    if hasattr(v, "results"):                                 # experiments.Many
        return list(v.results)
    if hasattr(v, "daily") and hasattr(v, "summary"):          # Result
        return [v]
    if isinstance(v, Sequence) and v and all(hasattr(r, "daily") for r in v):
        return list(v)
    raise TypeError(f"expected a Result, a list of Results, a Many or a Comparison, not {type(v).__name__}")


def _name(res) -> str:
    return getattr(res.scenario, "name", "scenario")


def _band(results: list, column: str) -> pd.DataFrame:
    """Mean and 5-95% band across seeds of a daily column (indexed by day)."""
    arr = np.vstack([r.daily[column].to_numpy(dtype=float) for r in results])
    return pd.DataFrame({"mean": arr.mean(axis=0), "lo": np.percentile(arr, 5, axis=0),
                         "hi": np.percentile(arr, 95, axis=0)})


def figure_stats(results: list, fig_name: str) -> tuple[float, float, float, int]:
    """Mean, 90% interval of the mean (t-based) and count of non-missing values of a summary figure."""
    vals = np.array([np.nan if r.summary.get(fig_name) is None else float(r.summary[fig_name]) for r in results])
    vals = vals[~np.isnan(vals)]
    k = len(vals)
    if k == 0:
        return float("nan"), float("nan"), float("nan"), 0
    m = float(vals.mean())
    if k == 1:
        return m, m, m, 1
    from scipy import stats
    h = float(stats.t.ppf(0.95, k - 1) * vals.std(ddof=1) / math.sqrt(k))
    return m, m - h, m + h, k


# ----------------------------------------------------------------- charts

def daily_series(runs, lang: str = "en", columns=("pool_users", "customers", "public_users", "churned_users")) -> Figure:
    """Daily levels (pool size, customers, public side, churned) over the run; bands across seeds."""
    data = runs_of(runs)
    fig, axes = _new_figure(lang)
    ax = axes[0, 0]
    styles = ("-", "--", ":", "-.")
    with _ctx(lang):
        for si, (name, results) in enumerate(data.items()):
            for ci, col in enumerate(columns):
                b = _band(results, col)
                color = PALETTE[(ci if len(data) == 1 else si) % len(PALETTE)]
                ls = "-" if len(data) == 1 else styles[ci % len(styles)]
                lab = label(f"col.{col}", lang)
                if len(data) > 1:
                    lab = scenario_label(name, lang) if len(columns) == 1 else f"{scenario_label(name, lang)}: {lab}"
                    ls = "-" if len(columns) == 1 else ls
                ax.plot(b.index, b["mean"], color=color, ls=ls, label=lab)
                if len(results) > 1:
                    ax.fill_between(b.index, b["lo"], b["hi"], color=color, alpha=0.15, lw=0)
        ax.set_title(label(f"col.{columns[0]}", lang) if len(columns) == 1 else label("t.daily", lang))
        ax.set_xlabel(with_unit(label("ax.day", lang), unit("u.days", lang)))
        ax.set_ylabel(with_unit(label("ax.users", lang), unit("u.users", lang)))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.0f}"))
        ax.set_xlim(left=0)
        ax.set_ylim(bottom=0)
        ax.legend(loc="best")
    return _finish(fig, lang)


def j_curve(runs, lang: str = "en", column: str = "cumulative_profit") -> Figure:
    """Cumulative profit over the run (the J-curve) with the payback day marked.

    The payback day is read from the mean curve across seeds (first day it is back at
    >= 0 after its lowest point, as in Result.summary); with several seeds a 5-95% band
    is shaded.
    """
    data = runs_of(runs)
    fig, axes = _new_figure(lang)
    ax = axes[0, 0]
    with _ctx(lang):
        ax.axhline(0, color="#444444", lw=1)
        for i, (name, results) in enumerate(data.items()):
            color = PALETTE[i % len(PALETTE)]
            b = _band(results, column)
            ax.plot(b.index, b["mean"], color=color, label=scenario_label(name, lang) +
                    (f" ({label('a.seeds', lang, k=len(results))})" if len(results) > 1 else ""))
            if len(results) > 1:
                ax.fill_between(b.index, b["lo"], b["hi"], color=color, alpha=0.15, lw=0)
            pb = payback_day(b["mean"].to_numpy())
            low = int(np.argmin(b["mean"].to_numpy()))
            if pb is not None and pb > 0:
                ax.axvline(pb, color=color, ls="--", lw=1.4)
                ax.annotate(label("a.payback", lang, d=pb, m=payback_month(pb)), xy=(pb, 0), xytext=(8, 12 + 26 * i),
                            textcoords="offset points", color=color, fontsize=12, fontweight="bold",
                            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85})
            elif pb is None:
                ax.annotate(label("a.no_payback", lang, d=len(b)), xy=(low, b["mean"].iloc[low]), xytext=(6, -18 - 18 * i),
                            textcoords="offset points", color=color, fontsize=12)
        ax.set_title(label("t.j_curve", lang))
        ax.set_xlabel(with_unit(label("ax.day", lang), unit("u.days", lang)))
        ax.set_ylabel(with_unit(label("ax.cum_profit", lang), unit("u.rmb", lang)))
        ax.yaxis.set_major_formatter(_rmb_formatter(lang))
        ax.set_xlim(left=0)
        if len(data) > 1 or any(len(r) > 1 for r in data.values()):
            ax.legend(loc="upper left")
    return _finish(fig, lang)


def payback_month(day: int | None) -> int | None:
    """Month (1-based, 30.4-day months) in which a payback day falls."""
    return None if day is None else int(day // 30.4) + 1


def comparison_bars(runs, lang: str = "en",
                    figures=("ltv", "churn_rate_monthly", "referral_share", "payback_day")) -> Figure:
    """One panel per summary figure, one bar per strategy: mean across seeds with 90% interval whiskers."""
    data = runs_of(runs)
    n = len(figures)
    ncols = min(n, 4)
    nrows = math.ceil(n / ncols)
    fig, axes = _new_figure(lang, nrows, ncols, figsize=(3.6 * ncols + 1, 4.6 * nrows + 0.6))
    names = list(data)
    k = max(len(v) for v in data.values())
    with _ctx(lang):
        for j, f in enumerate(figures):
            ax = axes[j // ncols, j % ncols]
            sc = fig_scale(f)
            stats = [figure_stats(data[nm], f) for nm in names]
            means = np.array([s[0] for s in stats]) * sc
            err = np.array([[max(s[0] - s[1], 0) * sc for s in stats], [max(s[2] - s[0], 0) * sc for s in stats]])
            x = np.arange(len(names))
            ax.bar(x, np.nan_to_num(means), color=[PALETTE[i % len(PALETTE)] for i in x], width=0.65,
                   yerr=np.nan_to_num(err), capsize=6, error_kw={"lw": 1.6})
            for xi, m, e in zip(x, means, err[1]):
                top = 0 if np.isnan(m) else max(m + e, m, 0)
                ax.annotate("-" if np.isnan(m) else _short(m, f), xy=(xi, top),
                            xytext=(0, 4), textcoords="offset points", ha="center", va="bottom", fontsize=11,
                            fontweight="bold")
            ax.margins(y=0.12)
            ax.set_xticks(x, [_wrap(scenario_label(nm, lang), lang) for nm in names],
                          rotation=20 if len(names) > 2 else 0, ha="right" if len(names) > 2 else "center")
            ax.set_title(figure_label(f, lang, with_units=False), fontsize=14)
            ax.set_ylabel(with_unit(figure_label(f, lang, with_units=False), unit(FIGURES.get(f, ("u.x", 1))[0], lang)),
                          fontsize=12)
            ax.grid(axis="x", visible=False)
        for j in range(n, nrows * ncols):
            axes[j // ncols, j % ncols].set_visible(False)
        fig.suptitle(label("t.compare", lang) + " - " + label("t.compare_sub", lang, k=k) if lang == "en"
                     else label("t.compare", lang) + "(" + label("t.compare_sub", lang, k=k) + ")", fontsize=15)
    return _finish(fig, lang)


def _wrap(text: str, lang: str, width: int = 14) -> str:
    import textwrap
    return "\n".join(textwrap.wrap(text, width if lang == "en" else 7)) or text


def _short(v: float, fig_name: str) -> str:
    if fig_scale(fig_name) == 100:
        return f"{v:.2f}%" if abs(v) < 1 else f"{v:.1f}%"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.2f}" if abs(v) < 10 else f"{v:.0f}"


def cohort_retention(results: list, month_days: int = 30) -> pd.DataFrame:
    """Share of each acquisition-month cohort still customers t days after acquisition.

    Built from Result.users (acquired_day, left_day), pooled over seeds. Rows: days since
    acquisition; columns: cohort month (1-based). A cohort's curve stops where its
    latest member's observation window ends (no censored tails).
    """
    horizon = len(results[0].daily)
    acq, left = [], []
    for r in results:
        u = r.users
        m = u["acquired_day"].to_numpy() >= 0
        acq.append(u["acquired_day"].to_numpy()[m])
        left.append(u["left_day"].to_numpy()[m])
    acq, left = np.concatenate(acq), np.concatenate(left)
    life = np.where(left >= 0, left - acq, np.iinfo(np.int32).max)
    cols = {}
    for mth in range(horizon // month_days + 1):
        sel = (acq // month_days) == mth
        if sel.sum() < 20:
            continue
        span = horizon - 1 - int(acq[sel].max())
        if span < 7:
            continue
        t = np.arange(span + 1)
        lf = np.sort(life[sel])
        alive = 1.0 - np.searchsorted(lf, t, side="right") / len(lf)
        cols[mth + 1] = pd.Series(alive, index=t)
    return pd.DataFrame(cols).rename_axis("days_since_acquisition")


def retention_curves(runs, lang: str = "en", max_cohorts: int = 6) -> Figure:
    """Cohort retention (share still customers vs days since acquisition), one line per acquisition month."""
    data = runs_of(runs)
    n = len(data)
    fig, axes = _new_figure(lang, 1, n, figsize=(6.2 * n + 1, 5.8), sharey=True)
    from matplotlib import colormaps
    cmap = colormaps["viridis"]
    with _ctx(lang):
        for i, (name, results) in enumerate(data.items()):
            ax = axes[0, i]
            tab = cohort_retention(results)
            months = list(tab.columns)
            if len(months) > max_cohorts:
                pick = np.unique(np.linspace(0, len(months) - 1, max_cohorts).round().astype(int))
                months = [months[p] for p in pick]
            for j, mth in enumerate(months):
                s = tab[mth].dropna() * 100
                ax.plot(s.index, s.values, color=cmap(j / max(len(months) - 1, 1) * 0.9),
                        label=label("a.month", lang, m=mth), lw=2)
            ax.set_title(scenario_label(name, lang) if n > 1 else label("t.retention", lang))
            ax.set_xlabel(with_unit(label("ax.days_since", lang), unit("u.days", lang)))
            ax.set_ylim(0, 102)
            ax.set_xlim(left=0)
            ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
            if i == 0:
                ax.set_ylabel(with_unit(label("ax.still_customers", lang), unit("u.pct", lang)))
            ax.legend(loc="lower left", fontsize=10, ncols=2)
        if n > 1:
            fig.suptitle(label("t.retention", lang))
    return _finish(fig, lang)


FLOW_GROUPS = ("paid", "organic", "referred", "existing")


def user_groups(channel) -> np.ndarray:
    """Group index (into FLOW_GROUPS) of each user's channel: paid platforms, organic,
    referred (referral + KOC), existing (in the pool before the run)."""
    ch = pd.Series(channel).astype(str)
    return np.select([ch.isin(["referral", "koc"]), ch == "organic", ch == "existing"], [2, 1, 3], 0)
FLOW_END = ("pool_active", "pool_muted", "public", "lapsed", "washed_back", "annoyed", "staff_left")
_END_COLORS = ("#009E73", "#8FD3B6", "#56B4E9", "#999999", "#D55E00", "#CC79A7", "#E69F00")


def flow_table(results: list) -> pd.DataFrame:
    """Acquired users by stage (how they came, whether they joined the pool, where they ended), % of acquired.

    Mean over seeds. Columns: stage ('acquired', 'pool', 'end'), category, share (%) and users.
    """
    rows = []
    for r in results:
        u = r.users
        a = u[u["acquired_day"] >= 0]
        n = max(len(a), 1)
        ch = a["channel"].astype(str)
        grp = np.array(FLOW_GROUPS)[user_groups(ch)]
        state = a["state"].astype(str).to_numpy()
        reason = a["reason"].astype(str).to_numpy()
        end = np.where(state == "pool", np.where(a["muted"].to_numpy(), "pool_muted", "pool_active"),
                       np.where(state == "public", "public", reason))
        for g in FLOW_GROUPS:
            c = int(np.count_nonzero(grp == g))
            rows.append((r.seed, "acquired", g, 100 * c / n, c))
        joined = int(a["in_pool_ever"].sum())
        rows.append((r.seed, "pool", "joined", 100 * joined / n, joined))
        rows.append((r.seed, "pool", "never", 100 * (len(a) - joined) / n, len(a) - joined))
        for e in FLOW_END:
            c = int(np.count_nonzero(end == e))
            rows.append((r.seed, "end", e, 100 * c / n, c))
    df = pd.DataFrame(rows, columns=["seed", "stage", "category", "share", "users"])
    return df.groupby(["stage", "category"], sort=False)[["share", "users"]].mean().reset_index()


def user_flow(runs, lang: str = "en") -> Figure:
    """Sankey-like stacked bars: how acquired users came, whether they joined the pool, where they ended (% of acquired)."""
    data = runs_of(runs)
    n = len(data)
    fig, axes = _new_figure(lang, 1, n, figsize=(6.4 * n + 2.6, 6.4), sharey=True)
    stages = (("acquired", FLOW_GROUPS, ("#0072B2", "#56B4E9", "#009E73", "#F0E442"), "g"),
              ("pool", ("joined", "never"), ("#009E73", "#BBBBBB"), "g"),
              ("end", FLOW_END, _END_COLORS, "e"))
    with _ctx(lang):
        handles = {}
        for i, (name, results) in enumerate(data.items()):
            ax = axes[0, i]
            tab = flow_table(results).set_index(["stage", "category"])["share"]
            for x, (stage, cats, colors, prefix) in enumerate(stages):
                bottom = 0.0
                for cat, col in zip(cats, colors):
                    v = float(tab.get((stage, cat), 0.0))
                    h = ax.bar(x, v, bottom=bottom, color=col, width=0.62, edgecolor="white", lw=0.8)
                    if v > 0 or stage == "pool":          # no legend entry for a category nobody is in
                        handles.setdefault(f"{prefix}.{cat}", h)
                    if v >= 4:
                        ax.text(x, bottom + v / 2, f"{v:.0f}%", ha="center", va="center", fontsize=10,
                                color="black" if col in ("#BBBBBB", "#8FD3B6", "#56B4E9", "#E69F00", "#999999") else "white")
                    bottom += v
                if x < len(stages) - 1:
                    ax.annotate("", xy=(x + 0.62, 50), xytext=(x + 0.38, 50),
                                arrowprops={"arrowstyle": "->", "color": "#555555", "lw": 1.5})
            ax.set_xticks(range(len(stages)), [label(f"s.{s[0]}", lang) for s in stages])
            ax.set_xlabel(label("ax.stage", lang))
            ax.set_ylim(0, 100)
            ax.grid(axis="x", visible=False)
            ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
            ax.set_title(scenario_label(name, lang) if n > 1 else label("t.flow", lang))
            if i == 0:
                ax.set_ylabel(with_unit(label("ax.share_acquired", lang), unit("u.pct", lang)))
        keys = [k for k in handles]
        fig.legend([handles[k] for k in keys], [label(k, lang) for k in keys], loc="outside right center", fontsize=11)
        if n > 1:
            fig.suptitle(label("t.flow", lang))
    return _finish(fig, lang)


# ----------------------------------------------------------------- LTV bridge

NG = len(FLOW_GROUPS)
BRIDGE_DRIVERS = ("referral_mix", "retention", "spend_per_order", "discounts", "service_staff", "timing")


def _bridge_inputs(res) -> dict:
    """Per-acquired-user ledger lines and per-group order data of one run (see ltv_bridge_parts)."""
    u = res.users
    a = u[u["acquired_day"] >= 0]
    n = len(a)
    d = res.daily
    if n == 0:
        return {"n": 0, "ltv": 0.0, "G": 0.0, "D": 0.0, "C": 0.0, "T": 0.0,
                "w": np.zeros(NG), "O": np.zeros(NG), "A": np.zeros(NG), "has_orders": np.zeros(NG, bool),
                "has_users": np.zeros(NG, bool)}
    ltv = float(a["value"].sum()) / n
    G = float(d["revenue"].sum() - d["cogs"].sum() - d["returns"].sum()) / n
    D = float(d["discounts"].sum() + d["gifts"].sum()) / n
    pool_days = d["pool_users"].to_numpy() > 0
    C = float((d["staff"].to_numpy() + d["service"].to_numpy())[pool_days].sum()) / n
    T = ltv - (G - D - C)
    ch = a["channel"].astype(str)
    grp = user_groups(ch)
    orders = a["orders"].to_numpy(dtype=float)
    spend = a["spend"].to_numpy(dtype=float)
    n_g = np.array([np.count_nonzero(grp == g) for g in range(NG)], dtype=float)
    o_g = np.array([orders[grp == g].sum() for g in range(NG)])
    s_g = np.array([spend[grp == g].sum() for g in range(NG)])
    # goods margin G (per acquired user) shared out to groups by kept spend (else by orders)
    if s_g.sum() > 0:
        g_g = G * n * s_g / s_g.sum()
    elif o_g.sum() > 0:
        g_g = G * n * o_g / o_g.sum()
    else:
        g_g = np.zeros(NG)
    w = n_g / n
    O = np.divide(o_g, n_g, out=np.zeros(NG), where=n_g > 0)
    A = np.divide(g_g, o_g, out=np.zeros(NG), where=o_g > 0)
    return {"n": n, "ltv": ltv, "G": G, "D": D, "C": C, "T": T, "w": w, "O": O, "A": A,
            "has_orders": o_g > 0, "has_users": n_g > 0}


def _shapley3(x1, y1, z1, x2, y2, z2):
    """Exact Shapley split of x2*y2*z2 - x1*y1*z1 among the three factors."""
    def part(dx, a1, b1, a2, b2):
        return dx * ((a1 * b1 + a2 * b2) / 3 + (a1 * b2 + a2 * b1) / 6)
    return (part(x2 - x1, y1, z1, y2, z2), part(y2 - y1, x1, z1, x2, z2), part(z2 - z1, x1, y1, x2, y2))


def _bridge_pair(ra, rb) -> dict:
    a, b = _bridge_inputs(ra), _bridge_inputs(rb)
    parts = dict.fromkeys(BRIDGE_DRIVERS, 0.0)
    for g in range(NG):
        Oa, Ob, Aa, Ab = a["O"][g], b["O"][g], a["A"][g], b["A"][g]
        # a group with no users (or no orders) on one side takes the other side's values,
        # so that only the mix term moves (its weight is zero there anyway)
        if not a["has_users"][g]:
            Oa = Ob
        if not b["has_users"][g]:
            Ob = Oa
        if not a["has_orders"][g]:
            Aa = Ab
        if not b["has_orders"][g]:
            Ab = Aa
        sw, so, sa = _shapley3(a["w"][g], Oa, Aa, b["w"][g], Ob, Ab)
        parts["referral_mix"] += sw
        parts["retention"] += so
        parts["spend_per_order"] += sa
    parts["discounts"] = -(b["D"] - a["D"])
    parts["service_staff"] = -(b["C"] - a["C"])
    parts["timing"] = b["T"] - a["T"]
    # the goods-margin split is exact up to rounding; book the last cent in spend per order
    parts["spend_per_order"] += (b["G"] - a["G"]) - (parts["referral_mix"] + parts["retention"] + parts["spend_per_order"])
    return parts | {"gap": b["ltv"] - a["ltv"], "ltv_a": a["ltv"], "ltv_b": b["ltv"]}


def ltv_bridge_parts(a, b) -> pd.Series:
    """Split the LTV gap LTV(b) - LTV(a) into drivers that add up exactly to it.

    `a`, `b`: a Result, a list of Results or a Many; with several seeds, seed i of a is
    paired with seed i of b (common random numbers) and the parts are averaged, so the
    gap is mean(LTV b) - mean(LTV a).

    Decomposition of one run's LTV (mean discounted value per acquired user, N users),
    from the ledger lines of Result.daily and the per-user table Result.users:

        LTV = G - D - C + T
        G  goods margin per user   = (revenue - cogs - returns) / N
        D  discounts and gifts     = (discounts + gifts) / N
        C  service and staff cost  = (staff + service on days the pool had members) / N
             (that is the cost the ledger charges to pool members' value)
        T  timing                  = LTV - (G - D - C): the effect of discounting later
             cash at economics.discount_rate_annual (plus any rounding)

    G is split over the groups of users g = paid, organic, referred (referral + KOC),
    existing (in the pool before the run; see user_groups):
        G = sum_g  w_g * O_g * A_g
        w_g  share of acquired users in group g            (the referral mix)
        O_g  orders per user of group g (all orders)      (retention)
        A_g  goods margin per order of group g: G shared to groups by their kept
             list-price spend, divided by their orders      (spend per order; includes
             returns and the cogs share)
    and each group's change w*O*A from a to b is split among w, O and A by the exact
    three-factor Shapley formula, e.g. part of w = dw * [(O1A1 + O2A2)/3 + (O1A2 + O2A1)/6].
    A group empty on one side takes the other side's O and A, so only its weight moves.

    Drivers (index): referral_mix = sum of w parts; retention = sum of O parts;
    spend_per_order = sum of A parts; discounts = -(D_b - D_a); service_staff =
    -(C_b - C_a); timing = T_b - T_a. They sum to `gap` (also returned, with ltv_a, ltv_b).
    """
    la, lb = _results_list(a), _results_list(b)
    if len(la) != len(lb):
        raise ValueError(f"pair runs seed by seed: {len(la)} runs of a but {len(lb)} of b")
    pairs = [_bridge_pair(x, y) for x, y in zip(la, lb)]
    return pd.DataFrame(pairs).mean().reindex(list(BRIDGE_DRIVERS) + ["gap", "ltv_a", "ltv_b"])


def ltv_bridge(a, b, lang: str = "en", names: tuple[str, str] | None = None) -> Figure:
    """Waterfall from LTV of strategy `a` to LTV of strategy `b` through the drivers of ltv_bridge_parts."""
    p = ltv_bridge_parts(a, b)
    na = names[0] if names else _name(_results_list(a)[0])
    nb = names[1] if names else _name(_results_list(b)[0])
    fig, axes = _new_figure(lang, figsize=(12, 6.4))
    ax = axes[0, 0]
    labels_ = [scenario_label(na, lang)] + [label(f"d.{d}", lang) for d in BRIDGE_DRIVERS] + [scenario_label(nb, lang)]
    with _ctx(lang):
        x = 0
        ax.bar(x, p["ltv_a"], color="#555555", width=0.6)
        ax.annotate(f"{p['ltv_a']:,.1f}", (x, p["ltv_a"]), xytext=(0, 3), textcoords="offset points", ha="center",
                    va="bottom" if p["ltv_a"] >= 0 else "top", fontsize=11)
        level = p["ltv_a"]
        for d in BRIDGE_DRIVERS:
            x += 1
            v = p[d]
            color = "#009E73" if v >= 0 else "#D55E00"
            ax.bar(x, v, bottom=level, color=color, width=0.6)
            ax.plot([x - 1 + 0.3, x - 0.3], [level, level], color="#777777", lw=1)
            top = level + v
            ax.annotate(f"{v:+,.1f}", (x, max(level, top)), xytext=(0, 3), textcoords="offset points",
                        ha="center", va="bottom", fontsize=11)
            level = top
        x += 1
        ax.plot([x - 1 + 0.3, x - 0.3], [level, level], color="#777777", lw=1)
        ax.bar(x, p["ltv_b"], color="#0072B2", width=0.6)
        ax.annotate(f"{p['ltv_b']:,.1f}", (x, p["ltv_b"]), xytext=(0, 3), textcoords="offset points", ha="center",
                    va="bottom" if p["ltv_b"] >= 0 else "top", fontsize=11)
        ax.axhline(0, color="#444444", lw=1)
        levels = np.cumsum([p["ltv_a"]] + [p[d] for d in BRIDGE_DRIVERS])
        lo, hi = min(0.0, levels.min(), p["ltv_b"]), max(0.0, levels.max(), p["ltv_b"])
        pad = 0.12 * (hi - lo if hi > lo else 1.0)
        ax.set_ylim(lo - (pad if lo < 0 else 0), hi + pad)
        ax.set_xticks(range(len(labels_)), labels_, rotation=25, ha="right")
        ax.grid(axis="x", visible=False)
        ax.set_ylabel(with_unit(label("ax.ltv", lang), unit("u.rmb_user", lang)))
        ax.set_xlabel(label("ax.ltv_change", lang) + f" ({label('a.gap', lang)} {p['gap']:+,.1f} {unit('u.rmb', lang)})")
        ax.set_title(label("t.bridge", lang))
    return _finish(fig, lang)


# ----------------------------------------------------------------- grids and sensitivity

def heatmap(df: pd.DataFrame, lang: str = "en", x: str = "messaging.per_week", y: str = "groups.size",
            value: str = "ltv", best: str = "max", mark_rows: bool = False) -> Figure:
    """Mean of `value` over a grid of two levers (long table: one row per cell or per cell x seed).

    The best cell (`best` = "max" or "min") is outlined and labelled; each cell shows its value.
    mark_rows=True also marks the best `x` in every row (e.g. the best message frequency for
    each group size) with a dashed outline.
    """
    if best not in ("max", "min"):
        raise ValueError("best must be 'max' or 'min'")
    piv = df.groupby([y, x])[value].mean().unstack(x).sort_index(ascending=False)
    sc = fig_scale(value)
    vals = piv.to_numpy(dtype=float) * sc
    fig, axes = _new_figure(lang, figsize=(11, 6.6))
    ax = axes[0, 0]
    with _ctx(lang):
        im = ax.imshow(vals, cmap="viridis" if best == "max" else "viridis_r", aspect="auto")
        ax.set_xticks(range(piv.shape[1]), [_fmt_level(v, x) for v in piv.columns])
        ax.set_yticks(range(piv.shape[0]), [_fmt_level(v, y) for v in piv.index])
        ax.grid(False)
        finite = np.where(np.isfinite(vals), vals, -np.inf if best == "max" else np.inf)
        bi = np.unravel_index(np.argmax(finite) if best == "max" else np.argmin(finite), vals.shape)
        lo, hi = np.nanmin(vals), np.nanmax(vals)
        for (r, c), v in np.ndenumerate(vals):
            if np.isfinite(v):
                norm = (v - lo) / (hi - lo if hi > lo else 1)
                dark = norm < 0.55 if best == "max" else norm > 0.45
                ax.text(c, r, _short(v, value), ha="center",
                        va="center", fontsize=11, color="white" if dark else "black")
        if mark_rows:
            for r in range(vals.shape[0]):
                row = finite[r]
                if np.all(~np.isfinite(vals[r])):
                    continue
                c = int(np.argmax(row) if best == "max" else np.argmin(row))
                ax.add_patch(Rectangle((c - 0.46, r - 0.46), 0.92, 0.92, fill=False, ec="white", lw=2, ls="--"))
        ax.add_patch(Rectangle((bi[1] - 0.5, bi[0] - 0.5), 1, 1, fill=False, ec="#D55E00", lw=3.5))
        ax.annotate(label("a.best", lang), (bi[1], bi[0] - 0.5), xytext=(0, 2), textcoords="offset points",
                    ha="center", va="bottom", color="#D55E00", fontsize=11, fontweight="bold")
        cb = fig.colorbar(im, ax=ax, shrink=0.9)
        cb.set_label(figure_label(value, lang))
        ax.set_xlabel(lever_label(x, lang) + (f"\n{label('a.row_best', lang)}" if mark_rows else ""))
        ax.set_ylabel(lever_label(y, lang))
        ax.set_title(label("t.heatmap", lang, value=figure_label(value, lang, with_units=False),
                           x=_lever_name(x, lang), y=_lever_name(y, lang)))
    return _finish(fig, lang)


def _lever_name(key, lang):
    return label(f"l.{key}", lang) if f"l.{key}" in LABELS else key


def _fmt_level(v, key):
    sc = LEVERS.get(key, ("", 1))[1]
    if isinstance(v, (int, float, np.number)) and not isinstance(v, bool):
        v = float(v) * sc
        return f"{v:g}"
    return str(v)


def best_cell(df: pd.DataFrame, x: str, y: str, value: str, best: str = "max") -> dict:
    """The grid cell with the best mean `value`: {x: .., y: .., value: ..}."""
    m = df.groupby([y, x])[value].mean()
    idx = m.idxmax() if best == "max" else m.idxmin()
    return {y: idx[0], x: idx[1], value: float(m[idx])}


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
    sc = fig_scale(output)
    base = float(d["base"].iloc[0]) * sc
    fig, axes = _new_figure(lang, figsize=(11, 1.0 + 0.75 * max(len(d), 3) + 1.5))
    ax = axes[0, 0]
    with _ctx(lang):
        for i, row in enumerate(d.itertuples()):
            lo, hi = row.output_low * sc, row.output_high * sc
            same_side = (lo - base) * (hi - base) > 0
            h, off = (0.36, 0.19) if same_side else (0.6, 0.0)
            ax.barh(i + off, lo - base, left=base, color="#56B4E9", height=h, label=label("a.low", lang) if i == 0 else None)
            ax.barh(i - off, hi - base, left=base, color="#0072B2", height=h, label=label("a.high", lang) if i == 0 else None)
            ax.annotate(_fmt_level(row.low_value, row.lever), (lo, i + off), xytext=(-4 if lo < base else 4, 0),
                        textcoords="offset points", ha="right" if lo < base else "left", va="center", fontsize=11)
            ax.annotate(_fmt_level(row.high_value, row.lever), (hi, i - off), xytext=(4 if hi >= base else -4, 0),
                        textcoords="offset points", ha="left" if hi >= base else "right", va="center", fontsize=11)
        ax.axvline(base, color="#444444", lw=1.2)
        ax.set_yticks(range(len(d)), [lever_label(lv, lang) for lv in d["lever"]])
        ax.grid(axis="y", visible=False)
        ax.set_xlabel(figure_label(output, lang) + "  " + label("a.base", lang, v=_short(base, output)))
        ax.set_ylabel(label("ax.lever", lang))
        ax.set_title(label("t.tornado", lang, output=figure_label(output, lang, with_units=False)))
        ax.legend(loc="lower right")
        ax.margins(x=0.15)
    return _finish(fig, lang)


# ----------------------------------------------------------------- export

def save(fig: Figure, out_dir, name: str, formats=("png", "svg", "pdf")) -> list[Path]:
    """Write `fig` as out_dir/name.<fmt> for each format, each through a temp file and a rename."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    lang = getattr(fig, "_siyu_lang", "en")
    paths = []
    for fmt in formats:
        path = out / f"{name}.{fmt}"
        with atomic_path(path, suffix=f".{fmt}") as tmp, matplotlib.rc_context(rc(lang)):
            fig.savefig(tmp, format=fmt)
        paths.append(path)
    return paths


def to_png_bytes(fig: Figure, dpi: int = 100, fixed_layout: bool = False) -> bytes:
    """The chart as PNG bytes (for widgets and embedding).

    fixed_layout=True swaps the constrained layout for fixed margins: about twice as
    fast to draw, for one-panel charts that are redrawn often (the dashboard).
    """
    import io
    if fixed_layout and len(fig.axes) == 1:
        fig.set_layout_engine("none")
        fig.axes[0].set_position([0.11, 0.12, 0.86, 0.79])
    buf = io.BytesIO()
    with matplotlib.rc_context(rc(getattr(fig, "_siyu_lang", "en"))):
        fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
