"""The words of the storyline (sim.present.storyline): the deck's slides and the report's recommendation, in
English and Simplified Chinese. Templates only: every number and name is filled in from the finding and its
recommendation (sim.lab.recommend); `say(key, lang, **fields)` looks one up.

Chinese is written with full-width punctuation, money in 万 / 亿 (formats.fmt) and plain words: the few
terms that stay (LTV, 回本, 合理情景, 90% 区间, 配对比较, KOC) are explained on the glossary slide.
"""
from __future__ import annotations

from .labels import check_lang

WORDS: dict[str, tuple[str, str]] = {
    # title slide
    "question": ("{A} or {B}: which way of running the private pool pays?", "{A}还是{B}：私域怎么运营更赚钱？"),
    "setup": ("A simulated market of {users} over {days} days: each strategy run {k} times on the same customers, "
              "each verdict checked in {n} plausible worlds. Generated {today}.",
              "模拟 {users}的市场、{days} 天：每个策略在相同的客户上模拟 {k} 次，每条结论在 {n} 个合理情景中检验。"
              "生成于 {today}。"),
    "setup_unchecked": ("A simulated market of {users} over {days} days: each strategy run {k} times on the same "
                        "customers (not checked across plausible worlds). Generated {today}.",
                        "模拟 {users}的市场、{days} 天：每个策略在相同的客户上模拟 {k} 次（未做合理情景检验）。"
                        "生成于 {today}。"),
    "what_if": ("What-if (your settings): {settings}", "假设情景（你的设定）：{settings}"),
    "what_if_item": ("{name} {value} (default {default})", "{name} {value}（默认 {default}）"),
    # executive summary: the title is the answer
    "answer.adopt": ("{C} pays more: {profit} more profit over {days} days, in all {n} plausible worlds",
                     "{C}更赚钱：{days} 天多赚 {profit}，{n} 个合理情景全部如此"),
    "answer.adopt_if": ("{C} pays more only if {cond}: measure it before switching",
                        "只有{cond}时{C}才更赚钱：先测量，再决定"),
    "answer.pilot": ("Not settled: {C} is ahead under our assumptions, but only in {p} of plausible worlds; pilot first",
                     "尚无定论：{C}在本次假设下领先，但只在 {p} 的合理情景中更优，应先试点"),
    "answer.unchecked": ("{C} earns {profit} more over {days} days under these assumptions (not yet checked across "
                         "plausible worlds)", "{C}在本次假设下 {days} 天多赚 {profit}（尚未做合理情景检验）"),
    "worth": ("Per acquired customer {C} earns {ltv} RMB {more} than {O} (90% interval {ltv_lo} to {ltv_hi} RMB); "
              "over {days} days its profit is {profit} {higher} ({lo} to {hi}).",
              "每位获客用户{C}比{O}{more}赚 {ltv} 元（90% 区间 {ltv_lo} 至 {ltv_hi} 元）；{days} 天的利润{higher} "
              "{profit}（{lo} 至 {hi}）。"),
    "more": ("more", "多"), "less": ("less", "少"), "higher": ("higher", "高"), "lower": ("lower", "低"),
    "payback_pair": ("{X} pays back in month {mx}, {Y} in month {my}; the cash to put in first is {dx} and {dy}.",
                     "{X}第 {mx} 个月回本，{Y}第 {my} 个月回本；需先投入的资金分别为 {dx} 和 {dy}。"),
    # how sure: the seeds' interval and the worlds' share in one sentence
    "sure": ("The {k} simulations' 90% interval ({lo} to {hi}) only measures luck; with the assumptions varied over "
             "their plausible ranges, {C} is better in {w} of {n} worlds ({p}), so {reading}.",
             "{k} 次模拟的 90% 区间（{lo} 至 {hi}）只反映运气；让各项假设在合理范围内变化，{C}在 {n} 个情景中的 {w} 个"
             "（{p}）更优，所以{reading}。"),
    "sure_unchecked": ("The {k} simulations' 90% interval ({lo} to {hi}) only measures luck; the assumptions were not "
                       "varied (report --worlds 16 checks them).",
                       "{k} 次模拟的 90% 区间（{lo} 至 {hi}）只反映运气；各项假设未做变化检验。"),
    "reading.finding": ("both checks agree: this is a robust finding", "两种检验一致：这是一个稳健的结论"),
    "reading.conditional": ("the answer rests on {hinge}, not on luck", "结论取决于{hinge}，而不是运气"),
    "reading.open": ("a narrow interval is no certainty: the assumptions decide, and they are not settled",
                     "区间窄并不代表有把握：结论取决于假设，目前尚无定论"),
    # the recommendation slide
    "rec_title.adopt": ("Recommendation: adopt {C} (better in {p} of plausible worlds)",
                        "建议：采用{C}（在 {p} 的合理情景中更优）"),
    "rec_title.adopt_if": ("Recommendation: measure {hinge} first; switch to {C} only if it is {bound} {v}",
                           "建议：先测量{hinge}，{bound} {v} 才改用{C}"),
    "rec_title.pilot": ("Recommendation: pilot on {N} new customers before deciding ({C} better in only {p} of "
                        "plausible worlds)", "建议：先用 {N} 名新客试点再决定（{C}只在 {p} 的合理情景中更优）"),
    "rec_title.unchecked": ("Recommendation: adopt {C} after checking it across plausible worlds ({profit} more "
                            "profit here)", "建议：做完合理情景检验后再采用{C}（本次多赚 {profit}）"),
    "do": ("What to do", "怎么做"), "worth_head": ("What it is worth", "值多少"), "sure_head": ("How sure", "把握多大"),
    "hinge_head": ("What it hinges on", "取决于什么"), "cost_head": ("What the pilot costs", "试点的代价"),
    "do.adopt": ("Adopt {C}; keep an eye on {watch}.", "采用{C}；持续关注{watch}。"),
    "do.adopt_nowatch": ("Adopt {C}.", "采用{C}。"),
    "do.adopt_if": ("Measure {hinge} first ({how}). Switch to {C} only if it is {bound} {v}; otherwise keep {O}.",
                    "先测量{hinge}（{how}）。{bound} {v} 才改用{C}，否则保持{O}。"),
    "do.pilot": ("Do not commit on this evidence. Run {B} on {N} new customers beside {A} as the control group, and "
                 "measure {tests}.", "不要凭这份证据全面切换。拿 {N} 名新客试点{B}，以{A}为对照组，同时测量{tests}。"),
    "do.pilot_keep": ("Keep {A} for now. Before ruling {B} out, run it on {N} new customers beside {A} as the control "
                      "group, and measure {tests}.",
                      "暂时保持{A}。在放弃{B}之前，拿 {N} 名新客试点{B}，以{A}为对照组，同时测量{tests}。"),
    "do.unchecked": ("Adopt {C} once the verdict holds across plausible worlds: run the report with its default check.",
                     "先用默认的合理情景检验复核，结论成立后再采用{C}。"),
    "hinge.flip": ("{name}: {v_here} here; above {flip} {X} tends to be ahead, below it {Y}.",
                   "{name}：本次为 {v_here}；高于 {flip} 时{X}往往领先，低于时{Y}领先。"),
    "hinge.not_alone": (" Yet under our assumptions {L} is ahead at {v_here}: it is not the only thing that decides.",
                        "但在本次假设下，{v_here} 时仍是{L}领先：它不是唯一的决定因素。"),
    "hinge.moves": ("{name}: {v_here} here; the gap moves with it most, but no single value of it flips the verdict.",
                    "{name}：本次为 {v_here}；差距随它变化最大，但没有哪个取值能单独反转结论。"),
    "hinge.none": ("No single assumption decides it in these worlds.", "在这些情景中没有哪个假设单独决定结论。"),
    "stake": ("By these runs, {N} pilot customers on {B} bring {stake} {more} LTV than on {A} (90% interval {lo} to "
              "{hi}): the order of what the pilot risks or gains.",
              "按本次模拟，{N} 名试点客户用{B}的 LTV 合计比用{A}{more} {stake}（90% 区间 {lo} 至 {hi}）：这是试点的"
              "风险或收益的量级。"),
    "bound.above": ("at least", "不低于"), "bound.below": ("at most", "不高于"),
    # supporting findings: message titles
    "t.j_curve.pair": ("{X} pays back in month {mx}, {Y} only in month {my}", "{X}第 {mx} 个月回本，{Y}要到第 {my} 个月"),
    "t.j_curve.same": ("Both pay back in month {m}; the cash to put in first: {dx} and {dy}",
                       "两者都在第 {m} 个月回本；需先投入 {dx} 和 {dy}"),
    "t.j_curve.one": ("{X} pays back in month {mx}; {Y} does not within {days} days",
                      "{X}第 {mx} 个月回本，{Y}在 {days} 天内未回本"),
    "t.j_curve.none": ("Neither pays back within {days} days; the deepest point is {dx} and {dy}",
                       "{days} 天内两者都未回本；最低点分别为 {dx} 和 {dy}"),
    "t.j_curve.many": ("Payback: {items}", "回本时间：{items}"),
    "t.j_curve.none_all": ("No strategy pays back within {days} days", "{days} 天内没有一个策略回本"),
    "pb_item": ("{X} month {m}", "{X}第 {m} 个月"), "pb_none": ("{X} none in {days} days", "{X} {days} 天内未回本"),
    "cap.j_curve": ("Cash to put in first (the deepest point): {items}.", "需先投入的资金（最低点）：{items}。"),
    "cap.some_paid": (" {X} pays back in {p} of {k} simulations.", "{X}在 {k} 次模拟中有 {p} 次回本。"),
    "t.ltv_bridge": ("{B} earns {d} RMB {more} per customer than {A}, mostly through {driver}",
                     "{B}每位客户比{A}{more}赚 {d} 元，主要来自{driver}"),
    "cap.driver": ("{driver}: {v} RMB per customer. ", "{driver}：每位客户 {v} 元。"),
    "t.ltv_bridge_plain": ("{B} earns {d} RMB {more} per customer than {A}", "{B}每位客户比{A}{more}赚 {d} 元"),
    "t.levers": ("Most of the LTV gap comes from the {lever} settings ({v} RMB per customer)",
                 "LTV 差距主要来自{lever}这组设置（每位客户 {v} 元）"),
    "t.retention": ("Still customers after 90 days: {items}", "90 天后仍是客户的比例：{items}"),
    "within_noise": (": within the noise of these runs", "，差别在模拟波动之内"),
    "t.flows": ("Still in the pool at the end: {items} of acquired users", "期末仍在私域的用户：{items}"),
    "t.worlds": ("In {w} of {n} plausible worlds {X} has the higher LTV", "{n} 个合理情景中，{X}的 LTV 在 {w} 个更高"),
    "t.worlds_tie": ("In {n} plausible worlds each strategy has the higher LTV in half", "{n} 个合理情景中，两者的 LTV 各在一半情景中更高"),
    "item": ("{X} {v}", "{X} {v}"),
    "cap.bridge": ("Green steps raise LTV, red ones lower it; the steps add up exactly to the gap.",
                   "绿色提高 LTV，红色降低 LTV；各级之和正好等于差距。"),
    "cap.levers": ("Each bar: what switching that group of settings adds, averaged over every order of switching; "
                   "whiskers: 90% interval.", "每根柱：切换这一组设置带来的变化（按所有切换顺序平均）；误差线为 90% 区间。"),
    "cap.retention": ("Colour: strategy; line style: month of acquisition.", "颜色代表策略，线型代表获客月份。"),
    "cap.flows": ("How users came, whether they joined the pool, and where they were at the end.",
                  "用户从哪里来、是否加入私域、期末在哪里。"),
    "cap.worlds": ("Left: the LTV gap in each world. Right: the assumptions it moves with most.",
                   "左：每个情景中的 LTV 差距。右：与差距关系最大的假设。"),
    # risks and what to test first
    "t.risks.flip": ("What to test first: {name} decides it (the verdict turns at {v})",
                     "先测什么：{name}决定结论（临界值 {v}）"),
    "t.risks.moves": ("What to test first: {name} moves the gap most ({v} here)", "先测什么：{name}对差距影响最大（本次为 {v}）"),
    "t.risks.none": ("Risks: no single assumption decides it in {n} plausible worlds", "风险：{n} 个合理情景中没有单一的决定性假设"),
    "t.risks.unchecked": ("Risks: {k} simulations of one set of assumptions", "风险：只模拟了一组假设（{k} 次）"),
    "test": ("{v_here} here (plausible {low} to {high}). How to measure it: {how}. {decision}",
             "本次为 {v_here}（合理范围 {low} 至 {high}）。怎么测：{how}。{decision}"),
    "other_risks": ("Other risks", "其他风险"),
    "decision.flip": ("Above {flip} {X} tends to be ahead, below it {Y}.", "高于 {flip} 时{X}往往领先，低于时{Y}领先。"),
    "decision.moves": ("It moves the gap most, but no value of it alone flips the verdict.",
                       "它对差距影响最大，但单靠它不会反转结论。"),
    "decision.lead": ("A lead, not a clear link: it moves with the gap in these worlds, and more worlds would tell.",
                      "这只是线索，关系尚不明确：更多情景才能确认。"),
    "risk.assumed": ("Every default marked as an assumption in the appendix is a judgement, not a measurement: the "
                     "plausible-worlds check varies them all at once.",
                     "附录中标为模型假设的默认值是判断而非测量：合理情景检验会同时改变它们。"),
    "risk.payback": ("{X} pays back in only {p} of {k} simulations: its payback month is an average of those.",
                     "{X}在 {k} 次模拟中只有 {p} 次回本：回本月份是这几次的平均。"),
    # appendix
    "t.table": ("Appendix: key figures (averages and 90% intervals)", "附录一：关键指标（平均值与 90% 区间）"),
    "t.method": ("Appendix: how the numbers were made", "附录二：数字是怎么来的"),
    "t.assumptions": ("Appendix: assumptions and where they come from", "附录三：假设及其来源"),
    "t.glossary": ("Appendix: terms", "附录四：术语"),
    "method": (("Every person of a market of {users} is simulated day by day for {days} days under each strategy: "
                "paid acquisition on public platforms, joining the pool, messages, groups, discounts, one-to-one "
                "service, referral, and leaving.",
                "Each strategy is run {k} times on the same customers with the same luck, so a difference is the "
                "strategy's and not chance's; the 90% interval shows how much chance alone moves it.",
                "Each verdict is checked again in {n} plausible worlds: every assumption is drawn anew from its "
                "plausible range, and both strategies meet the same world.",
                "A verdict is a finding only when every world agrees; conditional when one assumption turns it "
                "inside its plausible range; otherwise it is open, and the deck says so."),
               ("在 {users}的市场中，按天模拟每个人在每个策略下的经历：公域投放获客、加入私域、消息、社群、折扣、一对一服务、"
                "推荐和流失。",
                "每个策略在相同的客户、相同的运气下模拟 {k} 次，因此差异来自策略而不是偶然；90% 区间表示仅凭运气会有多大波动。",
                "每条结论再在 {n} 个合理情景中检验：每个情景把所有假设在其合理范围内重新取值，两个策略面对同一个情景。",
                "只有所有情景都一致时才称为结论；某个假设在合理范围内能反转它时称为有条件的结论；其余为尚无定论，本报告会明说。")),
    "method_unchecked": ("Not checked across plausible worlds in this run.", "本次未做合理情景检验。"),
    "your": ("Your settings (a what-if)", "你的设定（假设情景）"),
    "differs": ("What the strategies change", "策略之间的差异"),
    "shared": ("What every strategy assumes", "所有策略共同的假设"),
    "more_items": ("+{n} more", "另有 {n} 项"),
    "glossary": ((("LTV", "value of an acquired customer: discounted margin over the run, after discounts and "
                   "service, before salaries"),
                  ("Payback month", "the month cumulative profit is back at zero after its lowest point"),
                  ("Cash to put in first", "the lowest point of cumulative profit: what the boss must be ready to fund"),
                  ("90% interval", "the range that holds the difference in 90% of simulated histories: luck alone"),
                  ("Paired comparison", "both strategies meet the same customers and the same luck"),
                  ("Plausible world", "one draw of every assumption from its plausible range"),
                  ("Finding / conditional / open", "holds in every world / turns on one assumption / not settled"),
                  ("Private pool", "customers the brand can reach for free: staff WeChat, WeCom, groups"),
                  ("KOC", "a customer whose word carries weight with others")),
                 (("LTV", "每位获客用户在模拟期内带来的折现毛利（扣除折扣和服务成本，未扣工资）"),
                  ("回本月份", "累计利润在最低点之后重新回到零的那个月"),
                  ("需先投入的资金", "累计利润的最低点：老板需要准备的资金"),
                  ("90% 区间", "差值在 90% 的模拟中落在这个范围内，只反映运气"),
                  ("配对比较", "两个策略面对相同的客户和相同的运气"),
                  ("合理情景", "把每个假设在其合理范围内重新取值后的一种可能"),
                  ("结论／有条件／尚无定论", "所有情景一致／取决于某一个假设／还不能下结论"),
                  ("私域", "品牌可以免费触达的客户：员工微信、企业微信、社群"),
                  ("KOC", "说话有分量、能带动别人购买的普通客户"))),
    "notes.title": ("The deck runs answer first: the recommendation, how sure it is, the findings behind it, what to "
                    "test first, then the appendix.", "本报告先给答案：建议、把握多大、支持的发现、先测什么，最后是附录。"),
    "notes.worlds": ("Verdicts, seed interval against plausible worlds:", "结论（模拟区间与合理情景对照）："),
    "notes.glossary": ("These few terms stay because the boss will meet them again; the rest of the deck uses plain "
                       "words.", "这几个术语会反复出现，所以保留；其余内容都用日常用语。"),
    "notes.figure_names": ("Every figure in this deck comes from this run of the model; none is typed in.",
                           "本报告中的每个数字都来自本次模型运行，没有手工填写的数字。"),
}


def say(key: str, lang: str, **fields) -> str:
    """The template `key` in `lang`, filled with `fields`."""
    text = WORDS[key][check_lang(lang)]
    return text.format(**fields) if fields else text


def words(key: str, lang: str):
    """A non-template entry (a tuple of sentences or of (term, meaning) pairs) in `lang`."""
    return WORDS[key][check_lang(lang)]


__all__ = ["WORDS", "say", "words"]
