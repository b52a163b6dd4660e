"""The words of the pages a user reads: the dashboard and every notebook's questions, explanations, hints
and stated facts, in English and Simplified Chinese. They join labels.LABELS (one table with the charts'
and the deck's words) and are looked up the same way: `label(key, lang, **values)`.

Keys: ui.*  the dashboard;  pg.*  what every notebook page says;  nbNN.*  notebook NN;  bd.*, ch.*, seg.*
the breakdown tables;  q.*  the case library's questions. Chinese is written as a Chinese reader expects it:
full-width punctuation, 万/亿 for large numbers (filled in by sim.present.page), plain words (no 智能体,
种子, Shapley, pp). Markdown: bold as **词**：(the colon outside the stars).
"""
from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------- the dashboard (sim/present/dashboard.py)
    "ui.title": ("Try your own settings", "试一试你的设置"),
    "ui.help": ("Move a lever and release it: the year is simulated again with your settings, on the same customers "
                "and the same chance events as the strategies beside it, so the change you see (last column: against "
                "the strategy you start from) is your setting's doing. A setting the model cannot use is explained in "
                "red, and the last good result stays.",
                "拖动滑块后松开，模型会按你的设置重新模拟一年；客户和偶然事件与旁边的参照策略完全相同，"
                "所以看到的变化（最后一列：相对起始策略）就是这个设置带来的。模型无法使用的设置会用红字说明，并保留上一个有效结果。"),
    "ui.base": ("Start from", "起始策略"),
    "ui.figure": ("Figure", "指标"),
    "ui.change": ("change vs {name}", "相对{name}的变化"),
    "ui.ran": ("Simulated again with your settings ({h}): a market of {users} people over {days} days, in {s:.2f} s.",
               "已按你的设置重新模拟（{h}）：{users}人的市场，{days} 天，用时 {s:.2f} 秒。"),
    "ui.history_1": ("1 simulated year", "1 次"),
    "ui.history_n": ("{k} simulated years", "{k} 次"),
    "ui.loading": ("The sliders are loading; the table and charts below are this page's starting point.",
                   "滑块正在加载，稍候即可拖动；下面的表格和图表是起始设置的结果。"),
    "ui.refused": ("The model cannot use this setting", "模型无法使用这个设置"),
    "ui.kept": ("The table and charts still show the last setting it accepted.", "表格和图表仍显示上一个可用的设置。"),
    "ui.failed": ("The simulation failed", "模拟失败"),
    "ui.seeds_note": ("{h}, the same customers in every column. Payback: the first day cumulative profit is back at "
                      "zero after its lowest point; none: not within the year.",
                      "每列模拟 {h}，客户相同。回本：累计利润从最低点回到零的第一天；未回本：一年内没有回本。"),
    "pg.no_payback": ("none", "未回本"),
    # ------------------------------------------------------------- every notebook page (sim/present/page.py)
    "pg.conclude": ("What to conclude", "结论"),
    "pg.conclude_note": ("Generated from the simulations above: every number is read from the results.",
                         "以下结论由上面的模拟自动生成，每个数字都取自模拟结果。"),
    "pg.table_note": ("Average over {k} simulated years of the same market; [90% interval]; differences compared "
                      "year by year. Bold: clearly better; green or red: a difference beyond the noise.",
                      "同一市场模拟 {k} 次的平均值；方括号内为 90% 区间；差值逐次配对比较。"
                      "粗体：明显更优；绿色或红色：超出随机波动的差异。"),
    "pg.table_note_1": ("One simulated year (no interval: run several before deciding). Bold: the better value.",
                        "仅模拟 1 次（没有区间，决策前请多模拟几次）。粗体：更优的数值。"),
    "pg.diff": ("{b} − {a}", "{b} − {a}"),
    # breakdown tables (Result.breakdown)
    "bd.channel": ("Acquired via", "获客渠道"),
    "bd.segment": ("Customer type", "客户类型"),
    "bd.users": ("Users", "用户数"),
    "bd.ltv": ("LTV per user", "每用户 LTV"),
    "bd.orders_per_user": ("Orders per user", "人均订单"),
    "bd.spend_per_user": ("Spend per user", "人均消费"),
    "bd.joined_pool": ("Joined the pool", "加入私域比例"),
    "bd.lost": ("Lost by the end", "期末流失比例"),
    "u.orders": ("orders", "单"),
    "ch.douyin": ("Douyin", "抖音"), "ch.xiaohongshu": ("Xiaohongshu", "小红书"),
    "ch.ecommerce": ("e-commerce platforms", "电商平台"), "ch.organic": ("organic", "自然流量"),
    "ch.referral": ("referred", "推荐"), "ch.koc": ("KOC", "KOC"), "ch.existing": ("in the pool before", "原有私域成员"),
    "ch.store": ("store", "门店"),
    "seg.deal_seeker": ("deal seekers", "价格敏感型"), "seg.quality_seeker": ("quality seekers", "品质型"),
    "seg.loyal_prone": ("loyal-prone", "忠诚型"),
    # ------------------------------------------------------------- 01 quickstart
    "nb01.intro": (
        "# 01 · Quickstart: what does one strategy do to a pool in a year?\n\n"
        "**Question**: if a brand runs the *baseline* strategy (paid traffic on Douyin, Xiaohongshu and e-commerce "
        "platforms; buyers added to staff's personal WeChat accounts; a couple of messages a week; no groups, "
        "discounts or one-to-one service), how do the pool, the customers and the profit develop over a year, and "
        "when does it pay back?\n\n"
        "The model simulates every person in the market once, day by day. Every number below comes from that "
        "simulation; change the scenario file and run the notebook again to see your own.",
        "# 01 · 快速上手：一种策略一年里会把私域带到哪里？\n\n"
        "**问题**：如果品牌采用**基线**策略（在抖音、小红书和电商平台投放；买家加到员工的个人微信；每周发几条消息；"
        "不建群、不打折、不做一对一服务），一年里私域、客户和利润会怎样变化，什么时候回本？\n\n"
        "模型把市场里的每个人逐日模拟一遍。下面的每个数字都来自这次模拟；修改场景文件后重新运行本笔记本，即可看到你自己的情况。"),
    "nb01.loaded": ("{name}: a market of {users} people, {days} days.", "{name}：{users}人的市场，模拟 {days} 天。"),
    "nb01.daily": (
        "## Where the users are, day by day\n\n"
        "Everyone starts on the public side (公域). Paid ads and word of mouth turn people into customers; buyers who "
        "accept a friend request join the private pool (私域). Lost users have left for good: they lost interest, "
        "were won back by competitors on the platforms, were annoyed by messages, or left with a departing staff "
        "member.",
        "## 用户每天在哪里\n\n"
        "所有人一开始都在公域。付费投放和口碑把人变成客户；接受好友申请的买家进入私域。已流失的用户不会再回来："
        "有的失去兴趣，有的被平台上的竞品拉走，有的被消息打扰，有的随离职员工而去。"),
    "nb01.figures": ("## Key figures\n\nThe figures most used to judge a pool, rounded.",
                     "## 关键指标\n\n评估私域最常用的几个指标（已取整）。"),
    "nb01.breakdown": (
        "## LTV by platform and by type of customer\n\n"
        "Acquired users split by the platform they came from and by type of customer: how many there are, their "
        "LTV, orders and spend per user, the share who joined the pool and the share lost by the end. Set each "
        "platform's LTV against what a user costs there.",
        "## 按平台和客户类型看 LTV\n\n"
        "按来源平台和客户类型拆分获客用户：人数、每用户 LTV、人均订单和消费、加入私域的比例、期末流失的比例。"
        "把各平台的 LTV 与该平台的获客成本对照着看。"),
    "nb01.jcurve": (
        "## Profit over time: the J-curve\n\n"
        "Cumulative profit falls first (ads and staff are paid before repeat orders arrive). The dot marks the "
        "deepest point, the money to put in first; the dashed line marks the payback day, when cumulative profit is "
        "back at zero.",
        "## 利润随时间变化：J 曲线\n\n"
        "累计利润先降后升（广告和人工先花钱，复购后到）。圆点标出最低点，即需要先投入的资金；虚线标出回本日，即累计利润回到零的那一天。"),
    "nb01.lever": (
        "## Changing one lever\n\n"
        "Here the same strategy sends four messages a week instead. Both versions are simulated on the same "
        "customers with the same chance events, so the difference is the lever's doing.",
        "## 只改一个杠杆\n\n"
        "这里让同一策略每周发四条消息。两个版本模拟的是同一批客户、同样的偶然事件，所以差别就来自这个杠杆。"),
    "nb01.four": ("Four messages a week", "每周四条消息"),
    "nb01.pool_end": ("Pool at the end: {pool} members out of {acquired} acquired users.",
                      "期末私域 {pool} 人，共获客 {acquired} 人。"),
    "nb01.payback": ("Payback: day {d} (month {m}).", "回本：第 {d} 天（第 {m} 个月）。"),
    "nb01.no_payback": ("Payback: not within the {days} days simulated.", "回本：模拟的 {days} 天内未回本。"),
    "nb01.more_msgs": ("Four messages a week instead of two changes LTV per user by {d} RMB in this simulated year.",
                       "每周四条消息（原为两条），在这次模拟中每用户 LTV 变化 {d} 元。"),
    # ------------------------------------------------------------- 02 strategy comparison (the dashboard page)
    "nb02.intro": (
        "# Discounts or differentiated service?\n\n"
        "**Question**: a brand can keep its pool with coupons (*discount only*: a coupon on the first order and "
        "regular discount days, messaging as in the baseline) or with *differentiated service* (tiered one-to-one "
        "service, member days, messages that do not disturb, tiered groups). Which gives more lifetime value (LTV) "
        "per customer, less churn, more referrals, and which pays back sooner?\n\n"
        "Both strategies are simulated on the same customers with the same chance events, so the difference "
        "between them is the strategy's doing, not luck.",
        "# 打折还是差异化服务？\n\n"
        "**问题**：品牌可以靠优惠维系私域（**只打折**：首单优惠券加定期折扣日，消息频率与基线相同），"
        "也可以靠**差异化服务**（分层一对一服务、会员日、不打扰的消息、分层社群）。哪种做法让每位客户的终身价值（LTV）更高、"
        "流失更少、推荐更多，哪种回本更快？\n\n"
        "两种策略模拟的是同一批客户、同样的偶然事件，所以两者的差别来自策略本身，而不是运气。"),
    "nb02.table": (
        "## Key figures\n\nThe last column is differentiated service minus discount only, compared year by year: "
        "when its interval does not include zero, the ranking holds.",
        "## 关键指标\n\n最后一列是差异化服务减去只打折，逐次配对比较：区间不含零时，排序站得住。"),
    "nb02.jcurve": (
        "## Cumulative profit over the year\n\n"
        "The band holds 90% of the simulated years; the dot marks the deepest point (the money to put in first) and "
        "the dashed line the payback day. The deeper dip needs more money up front; the curve that ends higher earns "
        "more over the year.",
        "## 全年累计利润\n\n"
        "色带覆盖 90% 的模拟结果；圆点标出最低点（需要先投入的资金），虚线标出回本日。谷底越深，前期要投的钱越多；"
        "曲线终点越高，全年赚得越多。"),
    "nb02.conclude": (
        "Each verdict below is also checked in {n} plausible worlds (other reasonable values of the model's "
        "assumptions) and names the assumption it depends on.",
        "下面每条判断还在 {n} 个合理情景（模型假设取其他合理数值）中复核过，并指出它取决于哪个假设。"),
    # ------------------------------------------------------------- 03 groups and frequency
    "nb03.intro": (
        "# 03 · Groups and message frequency\n\n"
        "**Question**: how big should WeChat groups be, and how many messages a week should members get? Small "
        "groups talk and build trust; big groups broadcast and get noisy; more messages lift purchases until "
        "annoyance makes people mute or leave. Where is the best combination for LTV, and what does it do to churn?\n\n"
        "The grid below simulates every combination of group size (0 = no groups) and messages per week on the "
        "baseline strategy, twice each, at a modest size so it finishes quickly.",
        "# 03 · 社群规模与消息频率\n\n"
        "**问题**：微信群该建多大，每周给成员发几条消息？小群有互动、能建立信任；大群只是广播，容易嘈杂；"
        "消息越多购买越多，直到打扰让人屏蔽或离开。LTV 最高的组合在哪里，它对流失有什么影响？\n\n"
        "下面的网格在基线策略上模拟群规模（0 表示不建群）与每周消息数的每种组合，每种模拟 2 次，规模适中，很快就能跑完。"),
    "nb03.runs": ("{n} simulations.", "共模拟 {n} 次。"),
    "nb03.heat_ltv": (
        "## LTV per user over the grid\n\nEach cell is the average of its simulations. The thick outline marks the "
        "best cell; dashed outlines mark the best message frequency for each group size.",
        "## 网格上的每用户 LTV\n\n每个格子是其模拟结果的平均。粗框标出最佳格子；虚线框标出每种群规模下的最佳消息频率。"),
    "nb03.heat_churn": ("## Monthly churn over the grid\n\nHere lower is better, so the outline marks the lowest churn.",
                        "## 网格上的月流失率\n\n这里越低越好，所以粗框标出流失最低的格子。"),
    "nb03.best": ("## Best message frequency for each group size", "## 每种群规模下的最佳消息频率"),
    "nb03.size": ("Group size", "群规模"),
    "nb03.best_pw": ("Best messages per week", "最佳每周消息数"),
    # ------------------------------------------------------------- 04 referral
    "nb04.intro": (
        "# 04 · Referral: organic word of mouth or a fission blitz?\n\n"
        "**Questions**: does paying for referrals (*fission blitz*: a cash reward per friend and an \"invite 3 to "
        "unlock\" campaign) bring more and better users than *organic referral* (well-served members recommending "
        "on their own)? Does it matter *which* KOCs (key opinion consumers) a brand recruits, the best-connected "
        "people or anyone? And are referred users worth more than paid ones?",
        "# 04 · 推荐：自然口碑还是裂变冲刺？\n\n"
        "**问题**：花钱买推荐（**裂变冲刺**：每拉一位好友给现金奖励，外加“邀请 3 人解锁”活动）带来的用户，"
        "是否比**自然口碑推荐**（服务好的会员自发推荐）更多、更好？品牌招募**哪些** KOC（关键意见消费者）要紧吗，"
        "是人脉最广的人，还是随便谁？推荐来的用户比付费获客的更值钱吗？"),
    "nb04.versus": ("## Organic referral or a fission blitz", "## 自然口碑推荐与裂变冲刺"),
    "nb04.referred": (
        "## Referred or paid users\n\n"
        "Within each strategy: the value of users who came through paid ads and of users who were referred (by "
        "members or KOCs), each 180 days after they were acquired (among users acquired at least 180 days before the "
        "end). Referred users arrive later than paid ones, so their value over the whole year would be cut short; "
        "comparing them at the same age is fair.",
        "## 推荐用户与付费用户\n\n"
        "在每种策略内部，比较付费投放来的用户和被推荐来的用户（由会员或 KOC 推荐）在获客后 180 天的价值"
        "（只算结束前至少 180 天获客的用户）。推荐用户比付费用户来得晚，按全年算会吃亏；按相同的“用户年龄”比较才公平。"),
    "nb04.premium": (
        "{name}: 180-day value of referred users {ref} RMB against {paid} RMB for paid ones, {p} [90%: {lo} to {hi}] "
        "over {n} simulated years; still customers after 90 days: referred {r90} against paid {p90}.",
        "{name}：推荐用户 180 天价值 {ref} 元，付费用户 {paid} 元，高出 {p}（{n} 次模拟的 90% 区间：{lo} 至 {hi}）；"
        "90 天留存：推荐用户 {r90}，付费用户 {p90}。"),
    "nb04.koc": (
        "## KOC seeding: by connections or at random?\n\n"
        "Starting from organic referral, the brand recruits 20 KOCs on the first day (each paid a one-off fee) and "
        "picks them either by their number of contacts or at random. Same customers and chance events for both.",
        "## KOC 选择：按人脉还是随机？\n\n"
        "在自然口碑推荐的基础上，品牌第一天招募 20 位 KOC（每人一次性付费），要么按联系人数量挑选，要么随机挑选。"
        "两种做法的客户和偶然事件相同。"),
    "nb04.koc_random": ("KOCs picked at random", "随机选择 KOC"),
    "nb04.koc_degree": ("KOCs with the most contacts", "按人脉选择 KOC"),
    # ------------------------------------------------------------- 05 boss briefing
    "nb05.intro": (
        "# 05 · Boss briefing: why the pool needs patience\n\n"
        "**Question for the boss**: if we build the pool with differentiated service rather than discounts, how "
        "deep is the dip before it pays back, in which month does it pay back, do customers stay longer, where do "
        "the lost ones go, and where does the extra value per customer come from?\n\n"
        "The charts are exported in English and Chinese (PNG for slides, SVG and PDF for print) into the folder "
        "out/briefing/.",
        "# 05 · 给老板的汇报：为什么私域需要耐心\n\n"
        "**给老板的问题**：如果用差异化服务而不是打折来做私域，回本前要亏多深，第几个月回本，客户会不会留得更久，"
        "流失的人去了哪里，每位客户多出来的价值从哪里来？\n\n"
        "图表会以中英文导出到 out/briefing/ 文件夹（PNG 用于幻灯片，SVG 和 PDF 用于打印）。"),
    "nb05.jcurve": ("## 1. The J-curve and the payback month", "## 1. J 曲线与回本月份"),
    "nb05.payback": (
        "{name}: pays back around day {d} (month {m}); deepest point {dip} RMB; profit over the year {p} RMB.",
        "{name}：约第 {d} 天回本（第 {m} 个月）；累计利润最低 {dip}元；全年利润 {p}元。"),
    "nb05.no_payback": ("{name}: does not pay back within the year; deepest point {dip} RMB; profit over the year {p} RMB.",
                        "{name}：一年内未回本；累计利润最低 {dip}元；全年利润 {p}元。"),
    "nb05.retention": ("## 2. Do customers stay? Retention by month of acquisition",
                       "## 2. 客户留得住吗？按获客月份的留存"),
    "nb05.flows": ("## 3. Where do users go? Public side → pool → lost, by reason",
                   "## 3. 用户去了哪里？公域 → 私域 → 流失（按原因）"),
    "nb05.bridge": (
        "## 4. Where does the extra value come from? The LTV bridge\n\n"
        "The gap in LTV per user between the two strategies, split into parts that add up exactly to it.",
        "## 4. 多出来的价值从哪里来？LTV 拆解\n\n两种策略每用户 LTV 的差距，拆成几部分，加起来正好等于总差距。"),
    "nb05.bridge_total": ("LTV per user: {a} {va} RMB → {b} {vb} RMB (gap {gap} RMB).",
                          "每用户 LTV：{a} {va} 元 → {b} {vb} 元（差距 {gap} 元）。"),
    "nb05.bridge_part": ("{name}: {v} RMB per user", "{name}：每用户 {v} 元"),
    "nb05.levers": (
        "## 4b. Which group of settings makes the profit difference?\n\n"
        "The settings that differ, grouped by area (groups, messaging, offers, service), and each group's share of "
        "the profit difference: each group is switched on in every order and its average effect taken, so the shares "
        "add up to the total.",
        "## 4b. 哪一组设置造成了利润差异？\n\n"
        "把不同的设置按领域分组（社群、消息、优惠、服务），计算每组在利润差异中所占的份额："
        "按所有可能的先后顺序逐组打开，取平均效果，所以各组份额加起来等于总差异。"),
    "nb05.export": ("## 5. Export for slides (English and Chinese)", "## 5. 导出到幻灯片（中英文）"),
    "nb05.exported": ("{n} files in out/briefing/: {names}", "已导出 {n} 个文件到 out/briefing/：{names}"),
    # ------------------------------------------------------------- 06 case library
    "nb06.intro": (
        "# 06 · Case library: the same lever in different businesses\n\n"
        "**Question**: the source articles describe real businesses: a Douyin womenswear label, an apparel brand "
        "with a member day, a hair-transplant clinic, a K12 exam-paper account, a B2B software firm nurturing leads "
        "in WeCom. Each asks one question of its pool (does one-to-one service pay here? does the member day? does "
        "\"bring 2 parents\"?). Does the answer depend on the business, and which lever pays by how much?\n\n"
        "Each case asks about one lever: the business as described, against the same business with only that lever "
        "off, on the same customers and chance events, so the difference is the lever's. Intervals hold 90% of the "
        "likely effect.",
        "# 06 · 案例库：同一个杠杆，放在不同生意里\n\n"
        "**问题**：素材文章描述了几个真实生意：抖音女装、设会员日的服装品牌、植发诊所、K12 试卷号、"
        "用企业微信培育线索的 B2B 软件公司。每个生意都对自己的私域提出一个问题（一对一服务在这里划算吗？会员日划算吗？"
        "“拉 2 位家长进群”划算吗？）。答案是否取决于生意本身，哪个杠杆能多赚多少？\n\n"
        "每个案例只问一个杠杆：按描述经营的生意，对比只关掉这个杠杆的同一生意，客户和偶然事件都相同，所以差别就是杠杆带来的。"
        "区间覆盖 90% 的可能效果。"),
    "nb06.questions": ("## Each case's question\n\nOne more comparison asks the clinic's question of the K12 business "
                       "too: 8 staff hours a day of one-to-one service.",
                       "## 每个案例的问题\n\n另外再问 K12 生意一个诊所的问题：每天 8 小时的一对一服务。"),
    "nb06.case": ("Case", "案例"),
    "nb06.question": ("Question", "问题"),
    "nb06.lever": ("Lever (with / without)", "杠杆（有 / 无）"),
    "nb06.profit": ("Profit effect", "利润变化"),
    "nb06.ltv": ("LTV effect", "LTV 变化"),
    "nb06.churn": ("Churn effect", "月流失率变化"),
    "nb06.answer": (
        "## The answer, case by case\n\n"
        "A lever *pays* when the whole 90% interval of its profit effect is above zero, *loses* when it is below, "
        "and is *not clear* when the interval spans zero.",
        "## 逐个案例的答案\n\n利润变化的整个 90% 区间都在零以上，这个杠杆就**划算**；都在零以下就是**亏钱**；区间跨过零则**说不清**。"),
    "nb06.why": (
        "## Why the same lever wins in one business and loses in another\n\n"
        "One-to-one service is paid by the hour, and what an hour is worth depends on what is at stake. In the "
        "clinic a treatment of 15,000 RMB nearly always stalls on a question; some buyers find the answer alone "
        "(reviews, the platform's pre-sale chat), and a consultant's answer lets about twice as many go ahead. At a "
        "39 RMB exam paper almost nothing stalls and returns are rare, so the hours buy only some care. Making the "
        "clinic's consultations no better than the buyer's own search, while keeping and paying the hours, shows "
        "whether the verdict is carried by consultation.",
        "## 为什么同一个杠杆在一个生意里赚钱，在另一个里亏钱\n\n"
        "一对一服务按小时付费，一小时值多少取决于成交金额有多大。在诊所，一单 15,000 元的项目几乎总会卡在某个疑问上；"
        "有的买家能自己找到答案（看评价、问平台售前客服），而顾问的解答能让大约两倍的人下单。一份 39 元的试卷几乎不会卡住，"
        "退货也少，这些工时只能换来一些关怀。让诊所的咨询效果不比买家自己查好、但照样付工时，就能看出结论是不是靠咨询撑起来的。"),
    "nb06.consult": ("Clinic, service with consultations: {v} RMB profit a year.",
                     "诊所，有顾问咨询的服务：每年利润变化 {v} 元。"),
    "nb06.no_consult": ("Clinic, consultations no better than the buyer's own search: {v} RMB profit a year.",
                        "诊所，咨询效果不比买家自己查好：每年利润变化 {v} 元。"),
    "q.douyin_womenswear": ("Does one-to-one after-sales and styling service pay when 4 orders in 10 come back?",
                            "十单退四单时，一对一售后和穿搭服务划算吗？"),
    "q.apparel_member_day": ("Does a monthly member day pay?", "每月一次会员日划算吗？"),
    "q.hair_clinic": ("Do consultants pay for themselves in a high-ticket, low-frequency clinic?",
                      "在高客单、低频次的诊所里，顾问能赚回自己的成本吗？"),
    "q.k12_exam_papers": ("Does 'bring 2 parents into the group' pay?", "“拉 2 位家长进群”划算吗？"),
    "q.b2b_saas_wecom": ("Does one-to-one nurturing of B2B leads in WeCom pay?", "在企业微信里一对一培育 B2B 线索划算吗？"),
    "q.beauty_offline": ("Does backing the shop assistants' WeCom books pay within the year the boss will wait?",
                         "在老板愿意等的一年里，支持导购用企业微信经营自己的顾客划算吗？"),
    "q.k12_service": ("Would one-to-one service pay for exam papers?", "卖试卷做一对一服务划算吗？"),
    # ------------------------------------------------------------- 07 calibrate your data
    "nb07.intro": (
        "# 07 · Calibrate the lab to your own order history\n\n"
        "**Question**: fitted to a real customer base's orders, does the lab forecast the months it did not see, and "
        "how does that compare with BG/NBD and Pareto/NBD, the standard statistical models of repeat purchases? Then: "
        "what do two strategies do for *these* customers?\n\n"
        "The worked example is **CDNOW** (Fader & Hardie): 2,357 customers who first bought CDs in the first quarter "
        "of 1997, with every order to June 1998. The standard exercise fits weeks 1-39 and forecasts repeat "
        "purchases in weeks 40-78. The lab fits how often each customer buys and how customers leave, starts every "
        "customer from what their own orders say, and simulates forward. Your own file works the same way: "
        "`python -m sim calibrate orders.csv --out DIR --holdout-from YYYY-MM-DD`.",
        "# 07 · 用你自己的订单历史校准实验室\n\n"
        "**问题**：用真实客户的订单拟合之后，实验室能否预测它没见过的月份？和复购预测的标准统计模型 BG/NBD、Pareto/NBD 相比如何？"
        "然后：两种策略对**这批**客户会有什么效果？\n\n"
        "示例数据是 **CDNOW**（Fader 与 Hardie）：1997 年第一季度首次购买 CD 的 2,357 位客户，以及他们到 1998 年 6 月的全部订单。"
        "标准做法是用第 1–39 周拟合，预测第 40–78 周的复购。实验室拟合每位客户的购买频率和流失方式，从每位客户自己的订单出发向前模拟。"
        "你自己的文件也一样：`python -m sim calibrate orders.csv --out DIR --holdout-from YYYY-MM-DD`。"),
    "nb07.loaded": ("{orders} orders of {customers} customers; buying pattern chosen: {process}.",
                    "{customers} 位客户的 {orders} 笔订单；选定的购买模式：{process}。"),
    "nb07.weekly": (
        "## Actual and forecast, week by week\n\n"
        "The grey line marks the start of the weeks the models did not see: to its left they saw the data, to its "
        "right they forecast. The lab's line is its simulation from each customer's own history.",
        "## 实际与预测，逐周对比\n\n灰线之后是模型没见过的几周：灰线左边模型看过数据，右边是预测。"
        "实验室的曲线是从每位客户自己的历史出发模拟出来的。"),
    "nb07.per_customer": (
        "## Each customer's forecast\n\nCustomers grouped by how often they bought in the weeks the models saw: their "
        "average repeat purchases in the unseen weeks, actual against each model's forecast.",
        "## 每位客户的预测\n\n按拟合期内的购买次数给客户分组：各组在预测期的平均复购次数，实际与各模型预测对照。"),
    "nb07.fit": ("## The fit and the forecast errors", "## 拟合结果与预测误差"),
    "nb07.key": ("Fitted setting", "拟合的设置"),
    "nb07.value": ("Value", "数值"),
    "nb07.range": ("About 95% range", "约 95% 范围"),
    "nb07.how": ("How it was estimated", "估计方法"),
    "nb07.process": ("Buying pattern tried", "尝试的购买模式"),
    "nb07.loglik": ("Fit (log-likelihood, higher is better)", "拟合度（对数似然，越高越好）"),
    "nb07.parameters": ("Parameters", "参数个数"),
    "nb07.chosen": ("Chosen", "选用"),
    "cal.how_orders": ("from the data (order values and returns)", "来自数据（订单金额和退货）"),
    "cal.how_contacts": ("from the contact export (buyers who became contacts)", "来自好友导出（成为好友的买家）"),
    "cal.how_campaign": ("from the campaign log (a message's lift on the control group)",
                         "来自活动记录（消息相对对照组的拉动）"),
    "cal.how_lift": ("maximum likelihood (members before and after joining)", "最大似然（成员加入前后对比）"),
    "cal.how_washback": ("the base's, kept inside the fitted leaving hazard", "沿用基线，已含在拟合的流失速度里"),
    "cal.how_process": ("maximum likelihood (the customer process)", "最大似然（客户购买过程）"),
    "nb07.holdout": (
        "Weeks 40-78: actual {actual} repeat purchases; lab {lab} ({err}, 90% interval {lo} to {hi}); BG/NBD {bg} "
        "({bg_err}); Pareto/NBD {pn} ({pn_err}).",
        "第 40–78 周：实际复购 {actual} 次；实验室预测 {lab} 次（误差 {err}，90% 区间 {lo} 至 {hi}）；"
        "BG/NBD {bg} 次（误差 {bg_err}）；Pareto/NBD {pn} 次（误差 {pn_err}）。"),
    "nb07.strategies": (
        "## Two strategies on the calibrated customers\n\n"
        "The fitted scenario is the status quo (CDNOW had no private pool). Here the fitted buying and the customers "
        "go onto the shipped *baseline* (a pool, two messages a week) and *discount only* strategies: how much the "
        "pool lifts buying is an assumption, the customers' own buying is fitted. Same customers and chance events "
        "for both.",
        "## 校准后的客户上跑两种策略\n\n"
        "拟合出的场景是现状（CDNOW 没有私域）。这里把拟合出的购买行为和客户放进自带的**基线**（有私域，每周两条消息）和**只打折**策略："
        "私域对购买的拉动是假设，客户自己的购买行为是拟合出来的。两种策略的客户和偶然事件相同。"),
    "nb07.answer_fit": (
        "Fitted on CDNOW's first 39 weeks, the lab forecasts {lab} repeat purchases in weeks 40-78 against {actual} "
        "actual ({err}), {closer} BG/NBD ({bg_err}) and Pareto/NBD ({pn_err}).",
        "用 CDNOW 前 39 周拟合后，实验室预测第 40–78 周复购 {lab} 次，实际 {actual} 次（误差 {err}），"
        "{closer}（BG/NBD 误差 {bg_err}，Pareto/NBD 误差 {pn_err}）。"),
    "nb07.closer_yes": ("closer than", "比 BG/NBD 和 Pareto/NBD 都准"),
    "nb07.closer_no": ("not as close as", "不如 BG/NBD 和 Pareto/NBD 准"),
    "nb07.answer_profit": (
        "On these customers, {a} makes {pa} RMB over the year against {pb} RMB for {b} (LTV {la} against {lb} RMB per "
        "customer).",
        "在这批客户上，{a}全年利润 {pa}元，{b} {pb}元（每位客户 LTV {la} 元对 {lb} 元）。"),
    # ------------------------------------------------------------- 08 decide
    "nb08.intro": (
        "# 08 · Decide: which lever made the difference, does it hold, and is there a better strategy?\n\n"
        "**Question**: notebook 02 compares discount only and differentiated service. *Which* of the settings that "
        "differ carries the difference, does the verdict survive other plausible assumptions about the market, and "
        "can a search find a better strategy under a churn and a staff budget?\n\n"
        "Three tools, each on the same customers and chance events in every run: splitting the difference among "
        "groups of settings, plausible worlds, and a strategy search. The shipped 100,000-person market is simulated "
        "with 4,000 stand-ins (each stands for 25 people) so the notebook runs in about a minute; the command line "
        "does the same at any size.",
        "# 08 · 决策：是哪个杠杆造成了差异，结论站得住吗，还有更好的策略吗？\n\n"
        "**问题**：笔记本 02 比较了只打折和差异化服务。不同的设置里，**哪一项**撑起了差异？换成其他合理的市场假设，结论还成立吗？"
        "在流失率和人力预算的限制下，搜索能否找到更好的策略？\n\n"
        "三个工具，每次模拟都用相同的客户和偶然事件：把差异拆分到各组设置、合理情景检验、策略搜索。"
        "自带的 10 万人市场这里用 4,000 个代表来模拟（每个代表 25 人），整本大约一分钟跑完；命令行可以按任意规模做同样的分析。"),
    "nb08.levers": (
        "## 1 · Setting by setting\n\n"
        "The settings that differ are grouped by area (groups, messaging, offers, service: 4 groups, 16 mixes). Each "
        "group's contribution is its average effect over every order of switching the groups on; the contributions "
        "add up to the total difference.",
        "## 1 · 逐组设置拆分\n\n"
        "不同的设置按领域分成 4 组（社群、消息、优惠、服务，共 16 种组合）。每组的贡献是按所有先后顺序打开各组时它的平均效果；"
        "各组贡献加起来等于总差异。"),
    "nb08.worlds": (
        "## 2 · Across plausible worlds\n\n"
        "Every assumption of the model has a plausible range. Thirty-two worlds are drawn, each a different "
        "combination of plausible values; both strategies are simulated in each world on the same customers.",
        "## 2 · 合理情景检验\n\n"
        "模型的每个假设都有一个合理范围。这里抽取 32 个情景，每个情景是一组不同的合理取值；两种策略在每个情景里用同一批客户模拟。"),
    "nb08.search": (
        "## 3 · Search under a churn and a staff budget\n\n"
        "Starting from differentiated service: messages per week, group size and one-to-one service hours, "
        "maximising profit, with monthly churn at most 14% and at most 12 paid service hours a day. Every trial uses "
        "the same customers; the best is then simulated against the start on four fresh sets of chance events.",
        "## 3 · 在流失率和人力预算内搜索\n\n"
        "从差异化服务出发，调整每周消息数、群规模和一对一服务时长，使利润最大，同时月流失率不超过 14%、每天付费服务不超过 12 小时。"
        "每次试验用同一批客户；最后把最佳方案和起点在四组新的偶然事件上再比较一次。"),
    # ------------------------------------------------------------- 09 your brand's evidence
    "nb09.intro": (
        "# 09 · Your brand's own evidence: exports as they come, and what they say about the pool\n\n"
        "**Question**: given a brand's own files (a Taobao order export in GBK, a WeCom contact export, a campaign "
        "log with a control group), what do they say about its private pool: does joining make people buy more, how "
        "many buyers become contacts and how many delete the brand, does a message pay? And then: what do two "
        "strategies do for this brand?\n\n"
        "The brand is **synthetic, made by a known process**, so that every estimate can be set against the truth: "
        "6,000 customers over a year, a pool whose only effect on buying is a +30% lift (people join through friend "
        "requests after their orders, so frequent buyers join sooner), a steady deletion rate of 2% a month, and one "
        "promotion sent to the pool on day 200 with 20% of members held out. Your own files work the same way: "
        "`python -m sim calibrate orders.csv --contacts contacts.xlsx --touches campaign.csv --out DIR`.",
        "# 09 · 品牌自己的数据：原样导出的文件，说明了私域的什么\n\n"
        "**问题**：拿到品牌自己的文件（GBK 编码的淘宝订单导出、企业微信客户导出、带对照组的活动记录），它们说明了私域的什么："
        "加入私域会让人买得更多吗？多少买家成了好友，多少人删了品牌？一条消息值不值？然后：两种策略对这个品牌有什么效果？\n\n"
        "这个品牌是**按已知过程合成的**，每个估计都能和真实值对照：6,000 位客户、一年时间，私域对购买的唯一影响是提高 30%"
        "（顾客下单后通过好友申请加入，所以常买的人加入得早），每月稳定有 2% 的好友删除品牌，第 200 天向私域发一次促销，"
        "留出 20% 的成员作对照。你自己的文件也一样：`python -m sim calibrate orders.csv --contacts contacts.xlsx "
        "--touches campaign.csv --out DIR`。"),
    "nb09.written": ("{orders} orders, {contacts} contacts and {touches} messages written to {folder}/.",
                     "已写出 {orders} 笔订单、{contacts} 位好友和 {touches} 条消息到 {folder}/。"),
    "nb09.recognised": ("## What the reader recognised in the Taobao export (nothing fitted yet)",
                        "## 读取器从淘宝导出文件中识别出的内容（尚未拟合）"),
    "nb09.fit": (
        "## The fit, with the contact export and the campaign log\n\n"
        "The customers' buying is fitted as in notebook 07. The contact export says who joined the pool when: the "
        "pool's lift is read by comparing each member with themself before joining, against customers not yet in "
        "the pool. It also gives the share of buyers who became contacts and the monthly deletion rate. The "
        "campaign log's control group gives the promotion's lift.",
        "## 结合好友导出和活动记录的拟合\n\n"
        "客户的购买行为按笔记本 07 的方法拟合。好友导出说明了谁在什么时候加入私域：私域的拉动是把每位成员和他自己加入前相比，"
        "再对照尚未加入的客户得出的。它还给出买家成为好友的比例和每月删除率。活动记录里的对照组给出促销的拉动。"),
    "nb09.effect": ("Effect", "效果"),
    "nb09.estimate": ("Estimate", "估计值"),
    "nb09.interval": ("95% interval", "95% 区间"),
    "nb09.truth": ("Truth", "真实值"),
    "nb09.pool_lift": ("Pool's lift on buying", "私域对购买的拉动"),
    "nb09.pool_lift_truth": ("{v} (plus the campaign)", "{v}（另加促销）"),
    "nb09.accept": ("Buyers who became contacts", "成为好友的买家比例"),
    "nb09.accept_truth": ("(friend requests after orders)", "（下单后发好友申请）"),
    "nb09.deleted": ("Deleted per month", "每月删除比例"),
    "nb09.promo": ("A promotion's lift over 14 days", "一次促销 14 天内的拉动"),
    "nb09.promo_truth": ("(pull per opened message {v})", "（每条已读消息的拉动 {v}）"),
    "nb09.intent": ("Pull per opened message", "每条已读消息的拉动"),
    "nb09.why": (
        "The pool's lift comes back above the +30% the pool gives by itself: the day-200 promotion went only to pool "
        "members, and what a pool's own campaigns do is part of what joining does for a customer. Members against "
        "non-members, ignoring who joins, would read it as far larger (frequent buyers join sooner); the comparison "
        "within each customer does not. The promotion's own lift has a wide interval: one campaign to about 3,000 "
        "members, 20% held out.",
        "估出的私域拉动高于私域本身带来的 +30%：第 200 天的促销只发给了私域成员，而私域自己的活动本来就是加入私域的作用之一。"
        "如果不管谁会加入、直接拿成员和非成员比，会把拉动估得大得多（常买的人加入得早）；每位客户和自己比就不会。"
        "促销本身的拉动区间很宽：只有一次活动，约 3,000 名成员，留出 20% 作对照。"),
    "nb09.strategies": (
        "## Two strategies on this brand\n\n"
        "The calibrated scenario is the brand as its files show it: its customers on the first day, the pool's "
        "measured lift, acceptance and the promotion's pull; what a strategy does in the pool is set by the "
        "strategy. The shipped *baseline* (two messages a week) and *differentiated service* strategies go on top, "
        "with the same customers and chance events for both.",
        "## 这个品牌上跑两种策略\n\n"
        "校准后的场景就是文件里呈现的品牌：第一天的客户、测出的私域拉动、加好友比例和促销拉动；策略在私域里做什么由策略决定。"
        "在此之上分别跑自带的**基线**（每周两条消息）和**差异化服务**策略，两者的客户和偶然事件相同。"),
    "nb09.answer_evidence": (
        "From its own exports, this brand's pool raises a member's buying by {lift} (95% interval {lo} to {hi}); "
        "{accept} of buyers became contacts and {deleted} of contacts delete the brand each month; a promotion changed "
        "buying by {promo} over two weeks ({plo} to {phi}).",
        "从品牌自己的导出数据看，加入私域使会员的购买提高 {lift}（95% 区间 {lo} 至 {hi}）；{accept} 的买家成为企业微信好友，"
        "每月有 {deleted} 的好友删除品牌；一次促销使两周内的购买变化 {promo}（{plo} 至 {phi}）。"),
    "nb09.answer_profit": ("On this brand, {b} makes {pb} RMB over the year against {pa} RMB for {a}.",
                           "在这个品牌上，{b}全年利润 {pb}元，{a} {pa}元。"),
}
