"""What the field reports: the published or reported ranges the lab's headline outputs are checked against.

One row per figure of `sim.lab.plausibility` (same `key`): the range (low .. high, None when the field
has no figure for it), its unit, where it comes from, how far to trust it, and what to keep in mind.
Ranges are generous on purpose: they say where a defensible model should land, not a point to fit.
Sources are tagged [tag] and listed in SOURCES (the seed articles [000]..[004] and the practitioner
figures of REFERENCES.md are kept with the project's research notes, not in this repository, as
docs/model.md says). Facts and figures only: no sentence of a source is copied.

Credibility, from most to least: "paper" (peer-reviewed, with data), "company figures" (a firm's own
numbers, reported second hand), "seed article" (a practitioner's talk or column, 2019-2022), "survey"
(a newspaper's poll), "vendor / practitioner blog" (a SaaS vendor's or consultant's rule of thumb,
often unsourced: low).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Evidence:
    """A published or reported range for one figure (low and high None: no published figure). `calibrates`: the
    scenario keys whose default was chosen so that this figure lands in the range; the row is then a target
    those defaults were set to reach, not an independent check (the plausibility table says so)."""
    key: str
    figure: str
    low: float | None
    high: float | None
    unit: str
    source: str
    credibility: str
    note: str
    calibrates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    tag: str
    title: str
    where: str
    credibility: str


EVIDENCE: tuple[Evidence, ...] = (
    Evidence(
        "join_share", "acquired people who join the pool", 0.05, 0.30, "share",
        "package-insert add rates usually under 10% of buyers [ducksell; references]; Luckin: ~1.8 M private "
        "users against ~13 M average monthly transacting customers in 2021, ~14% [luckin]",
        "vendor / practitioner blog, low; Luckin: company figures, medium",
        "30% allows an active friend request on arrival on top of inserts; a brand reaching only buyers "
        "through inserts sits near 5-10%."),
    Evidence(
        "accept_rate", "friend-request acceptance", 0.05, 0.70, "share",
        "package-insert cards are added by usually under 10% of the buyers who get one [ducksell]; a staff "
        "friend request's pass rate under 20% signals a problem with the hook or the channel [qiweiyun]; 70% "
        "called the watershed for WeCom add success (引流成功率) [suorun]; WeCom requests without a purchase "
        "pass at a few percent [003]",
        "vendor / practitioner blog, low; seed article",
        "The lab counts both kinds (a request on arrival and a card in every parcel to a customer outside the "
        "pool), so its rate belongs between the cards' 5-10% and active requests' 20-70%, the nearer the "
        "cards the more parcels it sends; cold WeCom requests to non-buyers belong below it [003]."),
    Evidence(
        "orders_per_member_year", "orders per pool member-year", 1.0, 7.0, "orders / member-year",
        "Luckin: ~35 k direct cups a day from ~1.8 M private users, ~7 a user-year (coffee, a daily habit; up "
        "to ~27 counting the ~100 k cups a day the groups prompt through the app) [luckin]; a new CDNOW customer makes "
        "1.2 repeat purchases in 39 weeks [fhl2005]",
        "company figures, medium; paper",
        "The upper end is a ~15 RMB daily-habit category; a 100-300 RMB category (apparel, beauty) belongs "
        "well below it.",
        calibrates=("market.purchase_cycle_days",)),
    Evidence(
        "pool_public_ratio", "pool / public purchase rate", 1.1, 2.0, "x",
        "Luckin: group joiners' monthly purchase frequency +30%, weekly repeat buyers +28% [luckin]",
        "company figures reported in practitioner write-ups, low-medium",
        "One measured lift (x1.3); 2.0 is a generous ceiling, not a published figure. Any observed ratio "
        "mixes the pool's effect with who joins: the lab's compares members with everyone outside, and as "
        "frequent buyers get more parcel cards, who joins alone multiplies it by about 1 + cv^2 (cv: "
        "market.purchase_rate_spread), ~2 at the default."),
    Evidence(
        "repeat_rate", "repeat rate of first-time buyers", 0.15, 0.45, "share",
        "e-commerce repeat customer rate 15-30%, average 28.2% [opensend]; private-domain repurchase 18-38% "
        "(Perfect Diary ~38%) [references]; 946 of 2,357 CDNOW first buyers (40%) bought again within 27-39 "
        "weeks [fhl2005]",
        "vendor benchmark, low; practitioner, low; paper (one US retailer, 1997)",
        "Calendar-window rates (buyers in a period who bought at least twice in it), as the lab's.",
        calibrates=("market.purchase_cycle_days",)),
    Evidence(
        "cac_over_first_order", "cost per first buyer / order value", 0.15, 0.60, "x",
        "acquisition takes up to 50% of a first order for some brands, too much to recover [000]; Douyin ads "
        "need an ROI of 1:1.3 to 1:1.8 to break even, i.e. ad spend of 56-77% of the sales they bring [003]; "
        "US e-commerce: CAC ~$49 against an average order of ~$107, ~46% [seowithdavid]",
        "seed articles (practitioner); vendor blog, low",
        "[000] names 50% as the painful extreme; 0.6 allows the break-even end of [003]. The low end is an "
        "allowance: no published floor.",
        calibrates=("acquisition.cac",)),
    Evidence(
        "deletion_monthly", "pool members deleting a month", 0.005, 0.05, "per month",
        "customers deleting the brand's account: 1-3% a month, commonly quoted [references]",
        "practitioner, low",
        "Widened to 0.5-5%. WeCom's data API and SCRM tools report these deletions per staff member "
        "[references], so a brand can measure its own."),
    Evidence(
        "mute_monthly", "pool members muting a month", None, None, "per month",
        "no published figure; a 2020 survey of 2,002 WeChat users found 74.6% mute some groups [cyd2020]",
        "survey, medium, but not comparable",
        "The survey is a share of people for groups in general, not a monthly rate for a brand's chat; WeChat "
        "does not tell a brand who muted it, so no brand can report one."),
    Evidence(
        "group_posts_per_100", "member posts per 100 in groups a day", 3.0, 20.0, "posts / 100 members / day",
        "a 500-person group with ~100 messages a day called normal, 50-300 a day healthy [nctoro]; in 67 "
        "marketing groups 70% of 510,000 messages were the company's [references]",
        "vendor / practitioner blog, low",
        "Members' ~30% of 10-60 messages per 100 members a day. Small groups of 10-20 talk far more per member "
        "[000]; most groups go quiet within two months [references]; WeChat groups split sharply into short- "
        "and long-lived ones [qiu2016]."),
    Evidence(
        "payback_month", "payback month", 3.0, 9.0, "months",
        "clear results after 3-5 months; one apparel brand (Handu) needed at least 5 months of trust-building "
        "[001]; bosses who want fast numbers cut the budget and the pool stalls [004]",
        "seed articles (practitioner), low-medium",
        "Payback (cumulative profit back at zero) follows the first visible results: 9 is an allowance of "
        "about twice [001]'s 5 months, not a published figure. The defaults were once chosen to reproduce "
        "[001]; since they were re-based on their own sources none aims at this row, so it is a test again."),
    Evidence(
        "referral_share", "referral share of acquired people", None, None, "share",
        "no published figure for a private pool; vendors report referral programmes bringing up to ~7% of one "
        "brand's online revenue [friendbuy] and 36% of enrolled advocates referring in a year [amplifinity]",
        "vendor blogs, low, not comparable",
        "Neither is a share of acquired users; the organic referral premium (Schmitt, Skiera & Van den Bulte "
        "2011) concerns referred customers' value, not their number."),
)

SOURCES: tuple[Source, ...] = (
    Source("000", "Char, 'B2B私域运营' (Tob营销学堂, via 鸟哥笔记)", "seed 000, the project's research notes", "seed article"),
    Source("001", "见实私域流量大会 talks (有赞, 兔展, nEqual, 零一裂变)", "seed 001, the project's research notes",
           "seed article"),
    Source("003", "'11000字长文详解「大私域流量」', 2020", "seed 003, the project's research notes", "seed article"),
    Source("004", "见实, interviews with a beauty-brand operator and a Douyin womenswear founder",
           "seed 004, the project's research notes", "seed article"),
    Source("references", "REFERENCES.md, 'Practitioners' figures for a private pool' (articles not traced further)",
           "the project's research notes", "practitioner, low"),
    Source("fhl2005", "Fader, Hardie & Lee 2005, 'Counting your customers the easy way: an alternative to the "
           "Pareto/NBD model', Marketing Science 24(2) (CDNOW cohort)", "doi:10.1287/mksc.1040.0098", "paper"),
    Source("qiu2016", "Qiu et al. 2016, 'The Lifecycle and Cascade of WeChat Social Messaging Groups', WWW 2016",
           "https://arxiv.org/abs/1512.07831", "paper"),
    Source("luckin", "Luckin Coffee private-domain write-ups (2021-22): 1.8 M private users, 9,000+ store groups, "
           "35 k direct cups a day, +30% monthly frequency after joining; 13 M average monthly transacting "
           "customers in 2021 (company results)",
           "https://suo.run/details/1851.html; http://ducksell.com/p/315.html; http://ducksell.com/p/14.html",
           "company figures, second hand"),
    Source("ducksell", "'How to design a package card with a high add rate' (industry add rate under 10%)",
           "http://ducksell.com/p/240.html", "practitioner blog, low"),
    Source("qiweiyun", "企微云, '私域健康度诊断模型' (friend-request pass rate under 20%: a problem)",
           "https://www.shiguangjixie.com/siyuzhishiku/siyuyunying/7536.html", "vendor blog, low"),
    Source("suorun", "'私域流量白皮书·第四期' digest (WeCom 引流成功率: 70% the watershed)",
           "https://suo.run/details/19034.html", "vendor blog, low"),
    Source("nctoro", "'微信群怎么看活跃度' (500-person group, ~100 messages a day normal; 50-300 healthy)",
           "https://www.nctoro.com/a167946", "SEO article, low"),
    Source("opensend", "Opensend, 'Repeat purchase rate statistics for eCommerce stores' (15-30%, average 28.2%)",
           "https://opensend.com/post/repeat-purchase-rate-ecommerce", "vendor benchmark, low"),
    Source("seowithdavid", "'Average customer acquisition cost for ecommerce' (CAC $49.06, AOV $106.89 after "
           "Oberlo)", "https://seowithdavid.com/average-customer-acquisition-cost-for-ecommerce/",
           "vendor blog, low"),
    Source("cyd2020", "中国青年报社会调查中心 with 问卷网, survey of 2,002 people on WeChat groups (Sept. 2020)",
           "http://www.3kkp.com/info/15768.html (reprint)", "survey"),
    Source("friendbuy", "Friendbuy, 'Referral marketing benchmarks' (2018)",
           "https://www.friendbuy.com/blog/referral-marketing-benchmarks-revealed", "vendor blog, low"),
    Source("amplifinity", "Amplifinity, 'The State of Business Customer Referral Programs'",
           "https://amplifinity.com/tag/referral-software/page/3", "vendor blog, low"),
)


def evidence_for(key: str) -> Evidence:
    """The evidence row of figure `key` (KeyError if there is none)."""
    for e in EVIDENCE:
        if e.key == key:
            return e
    raise KeyError(key)
