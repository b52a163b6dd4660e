"""Every visible word of charts, tables, the notebooks and the dashboard, in English and Simplified Chinese.

`LABELS` maps a key to (English, Chinese) (the notebooks' and the dashboard's words live in texts.py and
join this table); `UNIT_WORDS` names the words of each unit a finding carries
(sim.lab.figures.UNITS) and `LEVERS` gives each lever its unit and display scale. `label(key, lang)` and
friends look them up; strategies are named by their scenarios' own titles (`register_titles`, from a
finding's `titles`), a known label, or their name.
"""
from __future__ import annotations

from ..lab.figures import unit_of
from .key_labels import KEY_LABELS, MEASURE, VALUE_LABELS
from .texts import TEXTS
from .texts_business import BUSINESS_TEXTS
from .texts_tools import TOOL_TEXTS

LANGS = ("en", "zh")


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
    "u.wan_rmb": ("10K RMB", "万元"),
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
    "ax.worlds": ("Plausible worlds", "合理情景数"),
    "ax.rho": ("Rank correlation with the difference (-1 to 1)", "与差异的相关程度（-1 至 1）"),
    "ax.trial": ("Trial", "试验序号"),
    # daily columns
    "col.pool_users": ("Pool members", "私域池成员"),
    "col.customers": ("Customers (not lost)", "客户（未流失）"),
    "col.public_users": ("On the public side", "在公域"),
    "col.churned_users": ("Lost (cumulative)", "已流失（累计）"),
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
    "fig.ltv180_paid": ("180-day value of paid users", "付费用户 180 天价值"),
    "fig.ltv180_referred": ("180-day value of referred users", "推荐用户 180 天价值"),
    "fig.cac": ("Cost per paid user (CAC)", "每位付费用户的获客成本"),
    "fig.ltv_to_cac": ("LTV / CAC", "LTV 与获客成本之比"),
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
    "t.j_curve": ("Cumulative profit: the J-curve", "累计利润：J 曲线"),
    "t.compare": ("Strategies compared", "策略对比"),
    "t.compare_sub": ("average of {k} simulated histories; whiskers: 90% interval",
                      "{k} 次模拟的平均；误差线：90% 区间"),
    "t.retention": ("Cohort retention by acquisition month", "按获客月份的同期群留存"),
    "t.flow": ("User flow: public -> pool -> lost, by reason", "用户流向：公域 → 私域 → 流失（按原因）"),
    "t.bridge": ("What makes up the LTV gap", "LTV 差距的构成"),
    "t.heatmap": ("{value} by {y} and {x}", "{value}:{y} × {x}"),
    "t.tornado": ("What moves {output} most", "对{output}影响最大的因素"),
    "t.waterfall": ("What makes up the difference: {b} vs {a}", "差异由什么构成：{b}对比{a}"),
    "t.worlds": ("Across {n} plausible worlds: {a} better in {p}", "{n} 个合理情景中：{a}在 {p} 的情景中更优"),
    "t.hinges": ("What the difference hinges on", "差异取决于哪些假设"),
    "t.search": ("Strategy search: {n} trials", "策略搜索：{n} 次试验"),
    "t.search_levers": ("Objective by the two most important levers", "目标值与两个最重要的杠杆"),
    # annotations and legends
    "a.total_diff": ("total difference", "总差异"),
    "a.waterfall_note": ("Each lever's share (Shapley), mean of {k} simulations, whiskers 90%; what the levers add "
                         "together beyond each alone: {inter}",
                         "各杠杆的贡献，{k} 次模拟的平均，误差线为 90% 区间；杠杆共同作用超出各自之和的部分：{inter}"),
    "a.median": ("median", "中位数"),
    "a.flips": ("flips at", "临界值"),
    "a.feasible": ("meets the constraints", "满足约束"),
    "a.infeasible": ("breaks a constraint or stopped early", "违反约束或提前终止"),
    "a.best_so_far": ("best so far", "目前最佳"),
    "a.payback": ("payback: day {d} (month {m})", "回本：第 {d} 天（第 {m} 个月）"),
    "a.no_payback": ("no payback within {d} days", "{d} 天内未回本"),
    "a.band": ("90% of simulated histories", "90% 的模拟情形"),
    "a.month": ("month {m}", "第 {m} 月"),
    "a.dip": ("deepest: {v} (day {d})", "最低点：{v}（第 {d} 天）"),
    "a.staff_quit": ("a staff member quit; customers left with them", "员工离职，客户随之流失"),
    "a.acquired_in": ("acquired in month {m}", "第 {m} 月获客"),
    "a.best": ("best", "最佳"),
    "a.row_best": ("dashed: best in each row", "虚线框：每行最佳"),
    "a.gap": ("gap", "差距"),
    "a.base": ("base: {v}", "基准：{v}"),
    "a.seeds": ("average of {k} simulated histories", "{k} 次模拟的平均"),
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
    "e.pool_muted": ("in pool, muted", "在私域（已屏蔽）"),
    "e.public": ("customer, public side", "公域客户"),
    "e.lapsed": ("lost: lapsed", "流失：失去兴趣"),
    "e.washed_back": ("lost: washed back", "流失：被公域洗走"),
    "e.annoyed": ("lost: annoyed", "流失：被打扰"),
    "e.staff_left": ("lost: staff left", "流失：员工离职带走"),
    # LTV bridge drivers
    "d.start": ("{name}", "{name}"),
    "d.referral_mix": ("referral mix", "推荐用户占比"),
    "d.retention": ("retention (orders per user)", "留存（人均订单）"),
    "d.spend_per_order": ("spend per order", "客单价"),
    "d.discounts": ("discounts & gifts", "折扣与赠品"),
    "d.service_sessions": ("one-to-one service cost", "一对一服务成本"),
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
    "n.your_settings": ("Your settings", "当前设置"),
    # case library (sim/present/charts_cases.py)
    "t.case_verdicts": ("Which lever pays in which business", "哪个杠杆在哪个生意里赚钱"),
    "t.case_verdicts_sub": ("profit over the year with the lever minus without, 90% interval over {k} paired seeds",
                            "有该杠杆与没有该杠杆的年度利润差，{k} 次配对模拟的 90% 区间"),
    "ax.profit_effect": ("Profit effect of the lever", "杠杆带来的利润变化"),
    "l.service.member_day_every_days": ("Member day", "会员日"),
    "l.referral.unlock_invites": ("Invite-to-unlock", "邀请解锁"),
    # scenario sections (sim.explain by="section" names its levers by section)
    "l.market": ("market", "市场"), "l.acquisition": ("acquisition", "获客"), "l.pool": ("pool set-up", "私域承载"),
    "l.staff": ("staff", "人员"), "l.groups": ("groups", "社群"), "l.messaging": ("messaging", "消息触达"),
    "l.offers": ("offers", "优惠"), "l.service": ("service", "服务"), "l.trust": ("trust", "信任"),
    "l.washback": ("wash-back", "公域回流"), "l.referral": ("referral", "推荐裂变"), "l.economics": ("economics", "经济参数"),
    # assumptions that verdicts often hinge on (sim.robustness); others show their dotted key
    "l.market.price_rmb": ("Ticket price", "客单价"),
    "l.market.purchase_cycle_days": ("Purchase cycle", "购买周期"),
    "l.market.pool_buy_lift": ("Pool members' extra buying", "私域会员多买的比例"),
    "l.service.consult_close": ("Close rate after a consultation", "咨询后成交率"),
    "l.service.self_close": ("Close rate without the brand", "自助成交率"),
    "l.service.hourly_cost_rmb": ("Cost of a staff hour", "人工时成本"),
    "l.service.minutes_per_session": ("Minutes per session", "每次服务时长"),
    "l.staff.salary_rmb_per_month": ("Staff salary", "人员月薪"),
    "l.staff.turnover_monthly": ("Staff turnover", "人员月离职率"),
    "l.economics.cogs_share": ("Cost of goods share of the price", "商品成本占售价比例"),
    "l.market.segments.loyal_prone": ("Share of loyal-prone customers", "忠诚型客户占比"),
    "l.market.segments.deal_seeker": ("Share of deal seekers", "价格敏感型客户占比"),
    "l.market.segments.quality_seeker": ("Share of quality seekers", "品质型客户占比"),
    "l.offers.elasticity": ("Coupon lift of price-sensitive buyers", "优惠对价格敏感用户的拉动"),
    "l.trust.buy_lift": ("Extra buying at full trust", "充分信任时多买的比例"),
    "l.acquisition.cac": ("Cost per paid user", "获客成本"),
    # money in a sentence (formats.fmt, place "sentence")
    "w.money": ("{v} RMB", "{v}元"),
    "cal.actual": ("Actual", "实际"),
    "cal.simulated": ("Lab forecast (customer twin)", "实验室预测（客户孪生）"),
    "cal.bgnbd": ("BG/NBD model", "BG/NBD 模型"),
    "cal.pareto_nbd": ("Pareto/NBD model", "Pareto/NBD 模型"),
    "cal.t_by_frequency": ("Holdout purchases by repeat purchases before it", "按校准期复购次数分组的验证期平均复购"),
    "cal.mean_holdout": ("Mean repeat purchases in the holdout", "验证期人均复购次数"),
    "cal.calibration_repeats": ("Repeat purchases in the calibration period", "校准期复购次数"),
    "cal.holdout": ("holdout", "验证期"),
    "cal.t_weekly": ("Repeat purchases per week", "每周复购次数"),
    "cal.t_cumulative": ("Cumulative repeat purchases", "累计复购次数"),
    "cal.repeat_purchases": ("Repeat purchases", "复购次数"),
}
LABELS.update(TEXTS)        # the pages' words (notebooks, dashboard: sim/present/texts.py), in the same table
LABELS.update(TOOL_TEXTS)   # the analysts' tables the notebooks show (sim/present/texts_tools.py)
LABELS.update(BUSINESS_TEXTS)   # notebook 10 and the report's business tables (sim/present/texts_business.py)

# Every other scenario key, choice value and how a pilot measures an assumption (key_labels.py); the
# entries above win where both name a key.
for _k, _v in {**KEY_LABELS, **VALUE_LABELS, **MEASURE}.items():
    LABELS.setdefault(_k, _v)

# Unit of a number (sim.lab.figures.UNITS, carried by every finding) -> the label key of its words.
UNIT_WORDS = {"rmb": "u.rmb", "rmb_user": "u.rmb_user", "share": "u.pct", "days": "u.days", "users": "u.users",
              "ratio": "u.x", "users_per_user": "u.users_per_user", "number": "u.x"}

# Lever (dotted scenario key) -> unit label key and display scale.
LEVERS: dict[str, tuple[str, float]] = {
    "messaging.per_week": ("u.msgs_week", 1), "groups.size": ("u.members", 1),
    "offers.discount_depth": ("u.pct", 100), "offers.discount_every_days": ("u.days", 1),
    "service.one_to_one_hours_per_day": ("u.hours_day", 1), "referral.incentive_rmb": ("u.rmb", 1),
    "referral.koc_count": ("u.users", 1),
}


def check_lang(lang: str) -> int:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return LANGS.index(lang)


def label(key: str, lang: str = "en", **fmt) -> str:
    """The text for `key` in `lang`, formatted with `fmt`. Unknown keys come back as they are."""
    i = check_lang(lang)
    pair = LABELS.get(key)
    text = pair[i] if pair else key
    return text.format(**fmt) if fmt else text


def unit(key: str, lang: str = "en") -> str:
    return label(key, lang)


def with_unit(text: str, unit_text: str) -> str:
    """A name with its unit in brackets: 'Monthly churn (%)'; Chinese in full-width brackets: '月流失率（%）'."""
    return f"{text}（{unit_text}）" if has_cjk(text + unit_text) else f"{text} ({unit_text})"


def has_cjk(text: str) -> bool:
    """True when `text` holds a Chinese character."""
    return any("\u3400" <= c <= "\u9fff" for c in text)


def unit_words(unit_kind: str, lang: str = "en") -> str:
    """A unit in words, e.g. 'RMB per user' / '元/人', '%'."""
    return unit(UNIT_WORDS.get(unit_kind, "u.x"), lang)


def figure_label(fig_name: str, lang: str = "en", with_units: bool = True, unit_text: str | None = None) -> str:
    """Name of a summary figure with its unit (or `unit_text`), e.g. 'Monthly churn (%)'."""
    name = label(f"fig.{fig_name}", lang) if f"fig.{fig_name}" in LABELS else fig_name
    return with_unit(name, unit_text or unit_words(unit_of(fig_name), lang)) if with_units else name


def lever_label(key: str, lang: str = "en") -> str:
    name = label(f"l.{key}", lang) if f"l.{key}" in LABELS else key
    u = LEVERS.get(key)
    return with_unit(name, unit(u[0], lang)) if u else name


# Display names from the scenarios' own `title` / `title_zh` keys, recorded from a finding's `titles`
# whenever it reaches the presentation layer (inputs.shown). name -> (English, Chinese).
TITLES: dict[str, tuple[str, str]] = {}


def register_titles(titles) -> None:
    """Remember display titles {name: (English, Chinese)} (a finding's `titles`); None for a name forgets
    its titles, so the name itself is shown."""
    for name, pair in titles.items():
        if pair:
            TITLES[str(name)] = tuple(pair)
        else:
            TITLES.pop(str(name), None)


def scenario_label(name: str, lang: str = "en") -> str:
    """Display name of a scenario: its title (registered), a known label, or the name with spaces for '_'.

    A name made unique by a suffix (e.g. 'baseline (2)') keeps the suffix after the display name.
    """
    i = check_lang(lang)
    name = str(name)
    base, suffix = name, ""
    if name.endswith(")") and " (" in name and name not in TITLES and f"n.{name}" not in LABELS:
        base, suffix = name.rsplit(" (", 1)
        suffix = " (" + suffix
    if base in TITLES:
        return TITLES[base][i] + suffix
    if f"n.{base}" in LABELS:
        return label(f"n.{base}", lang) + suffix
    return base.replace("_", " ") + suffix
