"""The words of the analysts' tables a notebook shows: the decide tools' tables (notebook 08: `compare
--explain`, `--uncertain`, `optimise`), the import report of an orders export (notebook 09) and the buying
patterns a calibration tries (notebook 07), in English and Simplified Chinese. They join labels.LABELS like
texts.py. The English heads are the CLI's own (sim.present.tables); the Chinese ones are written for a reader,
with full-width punctuation and no jargon.
"""
from __future__ import annotations

TOOL_TEXTS: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------- the decide tools (sim/present/tables.py)
    "dt.lever": ("lever", "杠杆"),
    "dt.contribution": ("contribution [90%]", "贡献 [90% 区间]"),
    "dt.alone": ("alone [90%]", "单独改变时 [90% 区间]"),
    "dt.interaction": ("interaction (beyond each lever alone)", "杠杆之间的相互作用"),
    "dt.total": ("total (B - A)", "合计（B 减 A）"),
    "dt.shared": ("(shared above)", "（已分摊到上面各行）"),
    "dt.figure": ("figure", "指标"),
    "dt.a_better": ("P({a} beats {b}) [90%]", "{a} 更好的可能性 [90% 区间]"),
    "dt.median": ("median {b} - {a}", "{b} 减 {a}（中位数）"),
    "dt.spread": ("5% .. 95% of worlds", "九成情景落在"),
    "dt.assumption": ("assumption", "假设"),
    "dt.here": ("here", "本情景取值"),
    "dt.rho": ("rho", "相关程度（-1 至 1）"),
    "dt.flips": ("flips", "结论反转于"),
    "dt.flip_below": ("below {v}", "低于 {v}"),
    "dt.flip_above": ("above {v}", "高于 {v}"),
    "dt.start": ("start", "起始设置"),
    "dt.best": ("best", "找到的最佳设置"),
    "dt.best_start": ("best - start [90%]", "最佳减起始 [90% 区间]"),
    "dt.levers_note": ("{b} - {a}, split among {n} levers: each lever's contribution (its average effect over every "
                       "mix of the other levers) and its effect alone; {k} simulated histories, 90% intervals.",
                       "{b}与{a}的差异按杠杆拆开：每个杠杆的贡献（在其他杠杆各种组合下的平均作用）和单独改变它的效果；"
                       "模拟 {k} 次，方括号内为 90% 区间。"),
    "dt.levers_none": ("{figure}: no history where every mix has a value (e.g. a mix that never pays back).",
                       "{figure}：没有一次模拟在所有组合下都有数值（例如某个组合始终没有回本）。"),
    "dt.worlds_note": ("A = {a}, B = {b}, across {n} plausible worlds (every uncertain assumption drawn within its "
                       "plausible range), {k} simulated history(ies) in each.",
                       "A = {a}，B = {b}；在 {n} 个合理情景中比较（每个不确定的假设都在合理范围内取值），每个情景模拟 {k} 次。"),
    "dt.hinges_note": ("{figure}: what B - A hinges on most (rank correlation across the worlds: near 1 or -1, the "
                       "assumption moves the difference; where it flips, the difference changes sign).",
                       "{figure}：B 减 A 最取决于哪些假设（相关程度越接近 1 或 -1，这个假设对差异的影响越大；"
                       "越过“结论反转于”的取值，差异会变号）。"),
    "dt.search_note": ("Searched {levers} for the best {figure}: {n} trials; start vs best checked on {k} fresh "
                       "simulated histories (paired, 90% intervals).",
                       "在{levers}上寻找{figure}最好的设置，共试了 {n} 组；起始设置与找到的最佳设置在另外 {k} 次新的模拟中"
                       "逐次对比（方括号内为 90% 区间）。"),
    "dt.best_setting": ("Best setting found: {setting}.", "找到的最佳设置：{setting}。"),
    "dt.setting": ("{lever} = {value}", "{lever} {value}"),
    "dt.constraints": ("Constraints (mean over histories): {c}.", "约束条件（多次模拟的平均）：{c}。"),
    # ------------------------------------------------------------- the import report (notebook 09)
    "ir.item": ("item", "项目"),
    "ir.value": ("recognised", "识别结果"),
    "ir.file": ("file", "文件"),
    "ir.platform": ("platform", "来源平台"),
    "ir.read_as": ("read as", "读取方式"),
    "ir.header": ("header on line {n}", "第 {n} 行是表头"),
    "ir.column": ("{col}", "{col}列"),
    "ir.from": ("<- '{header}'", "取自“{header}”"),
    "ir.rows": ("rows", "行数"),
    "ir.rows_v": ("{rows} read; {dropped} dropped; {kept} kept", "读取 {rows} 行，舍弃 {dropped} 行，保留 {kept} 行"),
    "ir.orders": ("orders", "订单"),
    "ir.orders_v": ("{n}; {returned} returned (refunded in full)", "{n} 笔，其中全额退款 {returned} 笔"),
    "ir.customers": ("customers", "客户"),
    "ir.dates": ("dates", "日期范围"),
    "ir.dates_v": ("{first} .. {last} ({days} days)", "{first} 至 {last}（共 {days} 天）"),
    "ir.fit": ("fit", "能否拟合"),
    "ir.fit_ok": ("enough data (at least {c} customers, {r} repeat purchases, {d} days)",
                  "数据足够（至少 {c} 位客户、{r} 次复购、{d} 天）"),
    "ir.fit_no": ("would be refused: {why}", "数据不够，无法拟合：{why}"),
    "ir.note": ("note", "提示"),
    "ir.nothing": ("Nothing written, nothing fitted yet.", "这一步只检查文件：没有写出任何文件，也还没有拟合。"),
    "ir.col.order_id": ("order id", "订单编号"),
    "ir.col.customer_id": ("customer id", "客户"),
    "ir.col.date": ("date", "下单时间"),
    "ir.col.amount": ("amount", "金额"),
    "ir.col.status": ("status", "订单状态"),
    "ir.col.channel": ("channel", "渠道"),
    "ir.col.refund": ("refund", "退款"),
    "ir.plat.taobao": ("Taobao/Tmall order report", "淘宝/天猫订单报表"),
    "ir.plat.douyin": ("Douyin shop order export", "抖店订单导出"),
    "ir.plat.youzan": ("Youzan order export", "有赞订单导出"),
    "ir.plat.wecom": ("WeCom customer contacts", "企业微信客户联系人"),
    "ir.plat.generic": ("generic order table", "通用订单表"),
    "ir.plat.generic_contacts": ("generic contact table", "通用联系人表"),
    "ir.plat.generic_touches": ("campaign log (touches)", "营销触达记录"),
    "ir.col.paid_at": ("paid at", "付款时间"),
    "ir.col.sub_order_id": ("sub-order id", "子订单编号"),
    "ir.col.phone": ("phone", "手机号"),
    "ir.col.refund_amount": ("refund amount", "退款金额"),
    "ir.col.refund_status": ("refund status", "退款状态"),
    # ------------------------------------------------------------- buying patterns (notebook 07)
    "bp.with": ("{base} + {parts}", "{base}，另加{parts}"),
    "bp.burst": ("burst", "购后短期集中购买"),
    "bp.after-purchase burst": ("after-purchase burst", "购后短期集中购买"),
    "bp.after-purchase lull": ("after-purchase lull", "购后短期少买"),
    "bp.trend": ("trend", "日历趋势"),
    "bp.calendar trend": ("calendar trend", "日历趋势"),
    "bp.pool lift": ("pool lift", "私域对购买的拉动"),
}


# How a reader used a column and how it read the file (sim/data: exports.py, tables.py), phrase by phrase, in
# Chinese; the import report writes a column's use in Chinese only when every phrase of it is known here.
HOW_ZH: dict[str, str] = {
    "the customer key (no buyer id in this export)": "用作客户标识（这份导出没有买家 ID）",
    "a sub-order seen twice is dropped": "重复出现的子订单只算一次",
    "order time (the day is the payment's, ": "下单时间（按付款日计，取自 ",
    "the order's day; empty = not paid (dropped)": "订单日期；为空表示未付款（舍弃）",
    "unpaid dropped; ": "未付款的舍弃；",
    "closed after payment -> refunded in full": "付款后关闭的算作全额退款",
    "refunded in full -> returned; in part -> the amount net of it": "全额退款算作退货；部分退款则扣除退款金额",
    " -> refunded": " 算作已退款",
    "ignored: ids rounded by a spreadsheet; each row is one order": "已忽略：编号被表格软件四舍五入，每行算一笔订单",
    "rows with one id are one order (amounts summed)": "编号相同的行算一笔订单（金额相加）",
    "ecommerce for every order (the platform's)": "每笔订单都记为电商渠道（平台自身）",
    "for every order (no channel column)": "每笔订单相同（文件没有渠道列）",
    " (from --columns)": "（按 --columns 指定）",
    "GB18030 (GBK) text": "GB18030（GBK）编码文本",
    "UTF-8 with BOM text": "UTF-8（带 BOM）编码文本",
    "UTF-8 text": "UTF-8 编码文本",
    "comma-separated": "逗号分隔",
    "tab-separated": "制表符分隔",
    "semicolon-separated": "分号分隔",
    "CRLF lines": "CRLF 换行",
    "LF lines": "LF 换行",
    ".xlsx workbook, sheet ": "Excel 工作簿，工作表 ",
    ", ": "，",
    ")": "）",
}
