"""The words of the report and the deck, in English and Simplified Chinese: how to read each chart,
the line that says what was run and the assumptions-and-sources list (each input's provenance from
the finding: a setting, a default with its source in the schema, or fitted from data). Shared by
report.py and deck.py; their key-figure table is tables.comparison_rows.

No number is typed here: every figure comes from the finding.
"""
from __future__ import annotations

import re
from datetime import date

from ..lab.findings import Finding
from .formats import lever_name, setting_words
from .labels import check_lang, scenario_label

# chart key -> {lang: (title, how to read)}
HOW_TO_READ = {
    "j_curve": {
        "en": ("Cumulative profit: the J-curve",
               "Each line is a strategy's cumulative profit (revenue minus every cost, acquisition included) from "
               "day 0, averaged over the simulated histories, with a band holding 90% of them. The line falls first "
               "(acquisition and staff are paid before repeat orders come in) and rises later. The dot marks the "
               "deepest point: the cash a boss must be ready to put in. The dashed line marks the payback day: the "
               "first day cumulative profit is back at zero after its lowest point. Both marks are the table's "
               "figures (each history's own, averaged)."),
        "zh": ("累计利润：J 曲线",
               "每条线是一个策略从第 0 天起的累计利润（收入减去包括获客在内的全部成本），取各次模拟的平均，阴影为 90% "
               "模拟所在的范围。曲线先下降（获客和人员成本先付出，复购随后才来），之后回升。圆点标出最低点：老板需要"
               "准备投入的资金。虚线标出回本日：累计利润在最低点之后重新回到零的第一天。两处标记与表格中的数字相同"
               "（先按每次模拟计算，再取平均）。"),
    },
    "comparison": {
        "en": ("Key figures side by side",
               "One panel per figure; each bar is the average over the simulated histories and the whisker its 90% "
               "interval. Overlapping whiskers can still hide a real difference, because every strategy is run on "
               "the same histories; the table gives the paired difference and its interval."),
        "zh": ("关键指标对比",
               "每个指标一个小图；柱子是各次模拟的平均，误差线是 90% 区间。误差线重叠时差异仍可能真实存在，因为各策略"
               "在相同的模拟情形下运行；表格给出配对差值及其区间。"),
    },
    "retention": {
        "en": ("Cohort retention by acquisition month",
               "Colour is the strategy, line style the month in which users were acquired. Each line is the share of "
               "a cohort still customers the given number of days after acquisition. Higher lines mean users stay "
               "longer; later cohorts stop earlier because the run ends. If later cohorts fall faster than early "
               "ones, the strategy wears out (for example coupons teaching users to wait)."),
        "zh": ("按获客月份的同期群留存",
               "颜色代表策略，线型代表获客月份。每条线是一个同期群在获客后若干天仍是客户的比例。线越高，用户留得越久；"
               "越晚的同期群因模拟结束而越早截止。如果晚期同期群比早期下降得更快，说明策略在透支（例如优惠券让用户"
               "学会等待）。"),
    },
    "flows": {
        "en": ("Where users go: public -> pool -> lost",
               "Three stacked bars per strategy, each 100% of acquired users: how they came, whether they ever joined "
               "the private pool, and where they were at the end: in the pool (active or muted), a customer on the "
               "public side, or lost - lapsed, washed back by competitors, annoyed by messages, or taken along by a "
               "departing staff member."),
        "zh": ("用户流向：公域 → 私域 → 流失",
               "每个策略三根堆叠柱，各占获客用户的 100%：从哪里来、是否加入过私域、期末在哪里：在私域（活跃或已屏蔽）、"
               "公域客户，或已流失——失去兴趣、被竞品洗走、被消息打扰，或随离职员工离开。"),
    },
    "ltv_bridge": {
        "en": ("What makes up the LTV gap",
               "A waterfall from the first strategy's LTV per customer (left) to the other's (right). Each step is one "
               "driver's share of the gap and the steps add up exactly to it: referral mix, retention (orders per "
               "user), spend per order, discounts and gifts, the one-to-one service spent on customers, and timing "
               "(later cash is worth less). Salaries and other fixed costs are not in LTV (they are in profit). Green steps raise LTV, red ones lower it."),
        "zh": ("LTV 差距的构成",
               "从第一个策略的每用户 LTV（左）到另一个策略（右）的瀑布图。每一级是一个因素对差距的贡献，各级之和正好"
               "等于差距：推荐用户占比、留存（人均订单）、客单价、折扣与赠品、一对一服务成本、时间折现。工资等固定成本不计入 "
               "LTV（计入利润）。绿色提高 LTV，红色降低 LTV。"),
    },
    "levers": {
        "en": ("Which lever makes the LTV gap",
               "Each bar is one lever's share of the LTV difference (the settings that differ, grouped by section): "
               "its Shapley value, the average of what switching that lever adds over every order of switching, on "
               "the same simulated histories; whiskers are 90% intervals. The bars add up to the total on the right; "
               "the note gives what the levers do together beyond each alone."),
        "zh": ("哪个杠杆造成了 LTV 差距",
               "每根柱是一个杠杆（按模块归组的不同设置）对 LTV 差异的贡献：在相同的模拟历史上，按所有切换"
               "顺序平均该杠杆带来的变化；误差线为 90% 区间。各柱之和等于右侧的总差异；注释给出杠杆共同作用中超出各自单独"
               "作用的部分。"),
    },
    "worlds": {
        "en": ("Does the verdict hold in other plausible worlds",
               "Left: the LTV difference in each world drawn from the plausible ranges of every assumption (Latin "
               "hypercube), the same history for both strategies; right of zero the second strategy is ahead. Right: "
               "the assumptions the difference moves with most and, where it crosses zero inside the plausible range, "
               "the value at which the verdict flips."),
        "zh": ("在其他合理假设下结论是否成立",
               "左：在每个由各假设合理范围抽取的情景中的 LTV 差异，两个策略使用相同的模拟历史；零右侧表示第二个"
               "策略领先。右：与差异关系最大的假设，以及在合理范围内差异过零时结论反转的取值。"),
    },
}

TEXT = {
    "title": ("Private-pool strategy report", "私域策略对比报告"),
    "conclude": ("What these runs say", "结论"),
    "table_note": ("Averages over simulated histories with 90% intervals; the last column(s) are differences paired "
                   "by history (every strategy meets the same customers and the same luck). Every number comes from "
                   "this run of the model.",
                   "各次模拟的平均值及 90% 区间；最后一列（或几列）是按模拟配对的差值（各策略面对相同的客户和相同的运气）。"
                   "所有数字都来自本次模型运行。"),
    "files": ("Files", "文件"),
    "other_lang": ("中文版", "English version"),
    "assumptions": ("Assumptions and sources", "假设与来源"),
    "setup": ("{n} strategies, each run as {k} simulated histories of a market of {users:,} people ({agents:,} "
              "agents) over {days} days; generated {today}.",
              "{n} 个策略，每个模拟 {k} 次；市场 {people}，{days} 天；生成于 {today}。"),
    "differs": ("What the strategies change", "策略之间的差异"),
    "shared": ("What every strategy assumes", "所有策略共同的假设"),
    "more": ("Every parameter with its source: python -m sim schema, docs/model.md. Figures and facts from the "
             "seed articles are cited by number, e.g. [003].",
             "每个参数及其来源：python -m sim schema、docs/model.md。引用资料按编号标注，例如 [003]。"),
    "source": ("source", "来源"),
    "headline": ("The answer", "结论"),
    "key_figures": ("Key figures", "关键指标"),
}

# Shared assumptions shown on the deck's assumptions slide (value from the scenario, source from the schema):
# the market and money, then the effect sizes issue 23 re-based on evidence that every verdict rests on (how
# much more a member buys, how often a customer buys outside the pool, how many buyers accept a friend request).
ASSUMPTION_KEYS = ("market.users", "horizon_days", "acquisition.daily_budget", "acquisition.cac", "market.price_rmb",
                   "market.pool_buy_lift", "market.purchase_cycle_days", "pool.accept_buyer_personal",
                   "staff.turnover_monthly", "economics.discount_rate_annual")


def text(key: str, lang: str, **fmt) -> str:
    s = TEXT[key][check_lang(lang)]
    return s.format(**fmt) if fmt else s


def how_to_read(key: str, lang: str) -> tuple[str, str]:
    check_lang(lang)
    return HOW_TO_READ[key][lang]


def setup_line(f: Finding, lang: str) -> str:
    """What was run: strategies, histories, market size, horizon, and the day the report was made."""
    return text("setup", lang, n=len(f.names), k=len(f.seeds), users=f.users, agents=f.agents, days=f.days,
                people=setting_words("market.users", f.users, lang), today=date.today().isoformat())


WHERE = {"default": ("default; source: {source}", "默认值；依据：{source}"),
         "setting": ("set for this comparison; default {default}", "本次设定；默认 {default}"),
         "fitted": ("{source}", "由数据拟合：{source}"),
         "what_if": ("your setting; default {default}, source: {source}", "你的设定；默认 {default}，依据：{source}")}

# The kind of a schema source (its first words) in Chinese; the citations after it are kept as written.
SOURCE_KINDS = (("assumption", "模型假设"), ("decision", "示例决策"), ("run setting", "运行设置"),
                ("seed", "案例资料"), ("a brand", "品牌自己的数据"), ("label", "显示名称"))
_CITATION = re.compile(r"\[\d{3}(?:, ?\d{3})*\]|[A-Z][A-Za-z'-]+(?: et al\.|(?:, [A-Z][A-Za-z'-]+)* & [A-Z][A-Za-z'-]+)? "
                       r"(?:19|20)\d\d")
_SEEDS = re.compile(r"seeds? (\d{3}(?: ?/ ?\d{3})*)")
_FITTED = re.compile(r"fitted from (.+) on (\S+)")


def source_words(source: str, lang: str) -> str:
    """Where a default or a fitted value comes from, in short: its first words (in Chinese its kind: 模型假设,
    案例资料, ...) and the citations it gives ([003], Gupta & Lehmann 2003); `sources` gives them in full."""
    m = _FITTED.match(source)
    if check_lang(lang) == 0:
        head = re.split(r"[;:(]| \[", source, maxsplit=1)[0].strip().rstrip(",")
        cites = [c for c in _CITATION.findall(source) if c not in head]
        return source if m else head + ("; " + ", ".join(dict.fromkeys(cites)) if cites else "")
    if m:
        return f"{m.group(1)}（{m.group(2)}）"
    head = source.strip().lower()
    kind = next((zh for en, zh in SOURCE_KINDS if head.startswith(en)), "文献")
    cites = [f"[{s.replace(' ', '')}]" for s in _SEEDS.findall(source)] + _CITATION.findall(source)
    return kind + ("：" + "，".join(dict.fromkeys(cites)) if cites else "")


def sources(f: Finding, lang: str) -> list[str]:
    """Every input the assumptions list shows with its source in full, as the schema states it (the deck's
    speaker notes): 'name: source'."""
    first = f.inputs[f.first]
    keys = [k for k, p in first.items() if p.kind != "default" or k in ASSUMPTION_KEYS]
    sep = ": " if lang == "en" else "："
    return [lever_name(k, lang) + sep + first[k].source for k in keys]


def assumptions(f: Finding, lang: str, limit: int = 8) -> tuple[list[str], list[str], list[str]]:
    """(your settings, what the strategies change, what they all assume): one line each, every key named in
    words and every value written as a setting is (formats.setting_words), from the finding's inputs.

    A what-if (a key the user set for this run) reads 'name = value (your setting; default and its source)';
    a changed key 'name: A's value / B's value'; a shared one (ASSUMPTION_KEYS, then every key fitted from
    data) 'name = value (where it came from)': the default and its source in the schema, a setting of this
    comparison, or the data and date it was fitted from.
    """
    i = check_lang(lang)
    first = f.inputs[f.first]

    def name(key):
        return lever_name(key, lang)

    def value(key, v):
        return setting_words(key, v, lang, first[key].unit)

    def where(p):
        return WHERE[p.kind][i].format(source=source_words(p.source, lang), default=value(p.key, p.default))
    line = "{name} = {value} ({where})" if lang == "en" else "{name}：{value}（{where}）"
    yours = [line.format(name=name(k), value=value(k, p.value), where=where(p)) for k, p in first.items()
             if p.kind == "what_if"]
    changed = []
    for key, p in first.items():
        vals = [f.inputs[n][key].value for n in f.names]
        if any(v != vals[0] for v in vals[1:]):
            changed.append(name(key) + (": " if lang == "en" else "：") + (" / " if lang == "en" else "／").join(
                f"{scenario_label(n, lang)}{' ' if lang == 'en' else '为 '}{value(key, f.inputs[n][key].value)}"
                for n in f.names))
    if len(changed) > limit:
        more = len(changed) - limit
        changed = changed[:limit] + [f"+{more} more" if lang == "en" else f"另有 {more} 项"]
    keys = [k for k in ASSUMPTION_KEYS if k in first and first[k].kind != "what_if"] + \
        [k for k, p in first.items() if p.kind == "fitted" and k not in ASSUMPTION_KEYS]
    shared = [line.format(name=name(k), value=value(k, first[k].value), where=where(first[k])) for k in keys]
    return yours, changed, shared
