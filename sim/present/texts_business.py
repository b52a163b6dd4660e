"""The words of the business questions (notebook 10: sales events, steering to the mini-program store, entry points,
membership tiers; sim.lab.business) and of the report's business tables (sim/present/report_tables.py: sales
channels, entry points), in English and Simplified Chinese. They join labels.LABELS like texts.py.
"""
from __future__ import annotations

BUSINESS_TEXTS: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------- 10 business questions (sim/lab/business.py)
    "nb10.intro": (
        "# 10 · Business questions: sales events, where members buy, entry points, membership tiers\n\n"
        "**Question**: a client asks which sales events to join and how deep to cut, how hard to steer pool members "
        "to the brand's own mini-program store, which entry points into the pool to pay for, and where to set "
        "membership tier thresholds. Each question is a "
        "set of options run on the same customers and chance events, so the differences are the options'. The first "
        "option of each table is the reference (not joining, not steering, paying for none, no programme); intervals "
        "hold 90% of "
        "the likely effect.",
        "# 10 · 生意问题：大促、在哪里下单、加粉入口、会员等级\n\n"
        "**问题**：客户会问：哪些大促要参加、降价多少；私域成员要多大力度引导到品牌自己的小程序商城下单；哪些加粉入口值得花钱；"
        "会员等级门槛定多高。"
        "每个问题是几种方案，在相同的客户和偶然事件上模拟，所以差别就是方案带来的。每张表的第一行是参照"
        "（不参加、不引导、都不投入、不设会员等级）；区间覆盖 90% 的可能效果。"),
    "nb10.events": (
        "## 1. Join Double 11, and how deep?\n\n"
        "An event cuts the price on every channel, brings more shoppers from the platforms at a dearer cost each, and "
        "pushes the pool; shoppers who expect it wait in the weeks before, and those who stocked up buy less after. "
        "The options: leave Double 11 out, or join it at each price cut (618 stays as it is).",
        "## 1. 双11 要不要参加，降价多少？\n\n"
        "大促期间各渠道都降价，平台带来更多客人但每人更贵，私域也会推送；预期大促的人会在之前几周等着不买，囤了货的人之后会少买。"
        "方案：不参加双11，或按不同降价幅度参加（618 保持不变）。"),
    "nb10.steer": (
        "## 2. How hard to steer pool members to the mini-program store?\n\n"
        "On the brand's own store it keeps the platform's commission and return insurance, but some steered buyers "
        "will not leave the platform they know and the order is lost. The options: the share of the pool's readers "
        "asked to order in the mini-program.",
        "## 2. 私域成员要多大力度引导到小程序商城下单？\n\n"
        "在品牌自己的商城成交，可以省下平台佣金和运费险；但有些被引导的人不愿离开熟悉的平台，这一单就丢了。"
        "方案：私域里看消息的人中，被引导去小程序下单的比例。"),
    "nb10.entry": (
        "## 3. Which entry points into the pool to pay for?\n\n"
        "The offline beauty brand of the case library adds people through package insert cards, its live-stream "
        "room, ads and its shop assistants. Each option pays for one entry point alone, against paying for none; an "
        "entry point that changes nothing reaches nobody in this business (it sells little on Douyin and has no "
        "referral programme).",
        "## 3. 哪些加粉入口值得花钱？\n\n"
        "案例库里的线下美妆品牌通过包裹卡、直播间、加粉广告和门店导购加粉。每个方案只投入一个入口，对照都不投入；"
        "毫无变化的入口在这个生意里接触不到人（它在抖音上卖得很少，也没有老带新活动）。"),
    "nb10.tiers": (
        "## 4. Which membership tier thresholds?\n\n"
        "A membership programme gives points on every order (redeemed points are a cost), a member price to gold "
        "and platinum, and pulls pool members who are close to their next tier into buying sooner. Low thresholds "
        "hand the member price to many; high ones leave most members far from any tier. The options: no "
        "programme, or the programme (with its playbook: one message a week below silver, three and priority care for "
        "gold and platinum) with every threshold halved, as shipped, or doubled.",
        "## 4. 会员等级门槛定多高？\n\n"
        "会员体系每单都给积分（兑换的积分是成本），金卡和白金享受会员价；离下一级不远的私域成员会更早下单。"
        "门槛低，会员价给了很多人；门槛高，大多数会员离任何一级都很远。方案：不设会员等级，或者设会员等级"
        "（连同分层打法：银卡以下每周一条消息，金卡和白金每周三条并优先一对一服务），门槛减半、保持原样或翻倍。"),
    "nb10.option": ("Option", "方案"),
    "nb10.profit": ("Profit", "利润"),
    "nb10.profit_change": ("Profit change", "利润变化"),
    "nb10.orders": ("Orders", "订单数"),
    "nb10.ltv": ("LTV", "LTV"),
    "nb10.churn_change": ("Churn change", "月流失率变化"),
    "opt.event.none": ("not joining {name}", "不参加{name}"),
    "opt.event": ("{name} at {v} off", "{name}降价 {v}"),
    "opt.steer": ("steer {v} of readers", "引导 {v} 看消息的成员"), "opt.steer.none": ("not steering", "不引导"),
    "opt.entry.none": ("none of the entry points", "各入口都不投入"),
    "opt.entry.insert_card": ("package insert cards", "包裹卡"), "opt.entry.live_room": ("the live-stream room", "直播间"),
    "opt.entry.store": ("shop assistants", "门店导购"), "opt.entry.paid_ads": ("add-WeCom ads", "加粉广告"),
    "opt.entry.referral": ("members' friends", "老带新"),
    "opt.tier.none": ("no membership programme", "不设会员等级"),
    "opt.tier": ("silver {silver} / gold {gold} / platinum {platinum} RMB", "银卡 {silver} / 金卡 {gold} / 白金 {platinum} 元"),
    "opt.best": ("Most profit: {best}, {value} RMB over the year, {lead} RMB more than {runner} (90% interval "
                 "{lo} to {hi}: {settled})", "利润最高的方案：{best}，全年 {value}元，比“{runner}”多 {lead}元（90% 区间 {lo} 至 {hi}，{settled}）"),
    "opt.reference": ("reference", "参照"),
    "opt.settled": ("a clear lead", "领先明确"),
    "opt.open": ("not a clear lead", "领先并不明确"),
    "opt.against_ref": ("; against {ref}: {diff} RMB", "；相对“{ref}”：{diff}元"),
    # ------------------------------------------------------------- the report's business tables (report_tables.py)
    "rt.sales": ("Where the orders happen", "订单在哪里成交"),
    "rt.sales_read": ("Each row is a sales channel: its share of all orders, the share of its orders returned, and "
                      "the margin per order it leaves the brand (price paid minus goods, commission, payment fee, "
                      "shipping, return insurance and returns), over the simulated histories.",
                      "每行是一个销售渠道：它占全部订单的比例、退货比例，以及每单给品牌留下的毛利（实付价减去货品成本、佣金、"
                      "支付手续费、运费、运费险和退货），取各次模拟的合计。"),
    "rt.entry": ("Entry points into the pool", "加粉入口"),
    "rt.entry_read": ("Each row is an entry point: the people it reached first, the share of those asked who added "
                      "the brand, the LTV of its people, and what it cost per person who joined.",
                      "每行是一个加粉入口：它最先接触到的人数、被邀请的人中加好友的比例、这些人的 LTV，以及每加入一人的成本。"),
    "rt.row_sales_channel": ("Sales channel", "销售渠道"),
    "rt.row_entry": ("Entry point", "入口"),
    "rt.order_share": ("share of orders", "订单占比"),
    "rt.return_rate": ("returned", "退货率"),
    "rt.margin_per_order": ("margin per order (RMB)", "每单毛利（元）"),
    "rt.people": ("people", "人数"),
    "rt.add_rate": ("add rate", "加粉率"),
    "rt.ltv": ("LTV (RMB per person)", "LTV（元/人）"),
    "rt.cost_per_joined": ("cost per person joined (RMB)", "每加入一人成本（元）"),
    "sc.tmall": ("Tmall / Taobao", "天猫/淘宝"), "sc.douyin_shop": ("Douyin shop", "抖店"),
    "sc.mini_program": ("mini-program store", "小程序商城"), "sc.offline": ("offline store", "线下门店"),
}
