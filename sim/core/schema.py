"""The scenario schema: every section of a scenario and every key in it, with its type, unit, range,
default, one-line meaning and the source of its default (seed file, paper, or "assumption" with a
plausible range and why). `Sections` puts them together; `Scenario` (scenario.py) adds loading.
"""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from .schema_base import P, Section  # noqa: F401 (re-exported)
from .schema_entry import Entry, Stores
from .schema_sales import Calendar, Sales
from .schema_tiers import Tiers


class Segments(Section):
    deal_seeker: float = P(0.35, "share", "share of the market who mostly buy on discount", ge=0, le=1, plausible=(0.2, 0.5), why="segment studies differ by category; draws are rescaled so the three shares add up to 1")
    quality_seeker: float = P(0.35, "share", "share who buy for product and service quality", ge=0, le=1, plausible=(0.2, 0.5), why="as deal_seeker; rescaled with the other two shares")
    loyal_prone: float = P(0.30, "share", "share who form habits and stay once they trust a brand", ge=0, le=1, plausible=(0.15, 0.45), why="as deal_seeker; rescaled with the other two shares")


class Market(Section):
    users: int = P(100_000, "people", "people in the reachable market (the brand's category and price band on the three platforms); "
                   "all start on the public side", "run setting (a small brand's market: assumption, plausible 50,000-2,000,000)",
                   ge=10, le=50_000_000)
    agents: int = P(20_000, "agents", "simulated agents; each stands for users / agents people (population scale, as Covasim's "
                    "pop_scale); fewer agents give more noise, not a different answer (capped at market.users)",
                    "run setting (Kerr et al. 2021, Covasim pop_scale)", ge=10, le=5_000_000)
    segments: Segments = Field(default_factory=Segments, description="segment mix of the market")
    tier12_share: float = P(0.4, "share", "share of users in tier-1/2 cities (higher spend, lower tolerance)",
                            "seed 004 (Xiaohongshu's users are mostly tier-1/2); share is an assumption (seed 003: ~100 M tier-1 and near-tier-1 of 830 M urban people)", ge=0, le=1,
                            plausible=(0.15, 0.5), why="tier-1 and near-tier-1 residents are ~12% of urban people, ~36% with tier-2 [003]; up to a Xiaohongshu-heavy audience [004]")
    segment_contrast: float = P(1.0, "x", "how different the segments are: each profile factor f in population.py becomes f^contrast, rescaled to keep the market's share-weighted mean (price sensitivity moves about its mean); 0 = segments differ only in name", ge=0, le=3, plausible=(0.5, 1.5), why="the segment profiles are illustrative; half to one and a half their spread brackets what segment studies report")
    trait_spread: float = P(0.3, "log-sd", "spread of individual traits around their segment mean (0 = identical users; "
                            "mean-one lognormal factors, so segment means do not move)",
                            ge=0, le=1.5, plausible=(0.15, 0.6), why="log-sd 0.15-0.6 spans near-identical to very mixed customers within a segment")
    organic_discovery_per_year: float = P(0.0, "1/year", "Bass innovation rate p: chance per year a person who has never met the "
                                          "brand finds it with no ad and no customer around", "assumption (0 for a small, unknown "
                                          "brand; whole categories p ~ 0.03, Sultan, Farley & Lehmann 1990)", ge=0, le=5,
                                          plausible=(0.0, 0.03), why="from an unknown brand to a whole category's innovation rate")
    organic_per_customer_per_year: float = P(0.1, "1/year", "Bass imitation term q: people per year one customer's visibility brings "
                                             "in with no ad and no invitation; organic discovery grows with the brand's customers",
                                             "assumption (whole categories q ~ 0.38, Sultan, Farley & Lehmann 1990)", ge=0, le=10,
                                             plausible=(0.0, 0.4), why="from no visibility to a whole category's imitation rate")
    price_rmb: float = P(120.0, "RMB", "average list price of an order (before segment and individual spend factors)",
                         "assumption; Douyin tickets average ~69 RMB [003]", gt=0, le=100_000, plausible=(70.0, 250.0), why="from Douyin's ~69 RMB ticket [003] up to premium consumer goods")
    purchase_cycle_days: float = P(180.0, "days", "average days between purchases of a customer on the public side (not in the pool, "
                                   "no messages): 1 / the mean purchase rate",
                                   "assumption: about two orders a year outside the pool for a 120 RMB consumer brand; with the pool's "
                                   "+30% and its messages, pool members land at 3-6 orders a year, inside the 1-7 the field reports "
                                   "(Luckin's ~7 cups a private user in a daily category is the top) and repeat rates inside 15-45% "
                                   "(the plausibility table)", ge=1, le=3650, plausible=(90.0, 365.0),
                                   why="from a quarterly to a yearly buyer of apparel, beauty or snacks outside the pool")
    pool_buy_lift: float = P(0.3, "share", "relative rise of an active pool member's purchase rate over the same person outside the pool "
                             "(0.3 = +30%; messages, trust, member days and groups add their own on top)",
                             "Luckin's private-pool write-ups: group joiners buy ~30% more often a month (company figures, second "
                             "hand, low-medium credibility); `sim calibrate` fits it from orders with joined_pool", ge=-0.9, le=50,
                             plausible=(0.1, 0.6), why="from a pool that mostly reminds to one that clearly lifts buying (Luckin +30%)")
    lapse_per_year: float = P(0.6, "1/year", "base hazard that a customer loses interest in the category or brand (reason 'lapsed')",
                              ge=0, le=50, plausible=(0.3, 1.2), why="customers who keep the category for 10 months to 3 years on average")
    purchase_rate_spread: float | None = P(1.0, "cv", "spread of individual purchase rates: coefficient of variation of a mean-one "
                                           "gamma factor on the rate (the NBD's heterogeneity, gamma shape 1 / cv^2; empty = "
                                           "market.trait_spread)",
                                           "real order histories are far more uneven than the other traits: the customer twin fits "
                                           "1.6 on CDNOW (BG/NBD r 0.24-0.39: cv 1.6-2.0), ~0.9-1.0 on a supermarket panel; 1.0 "
                                           "(an exponential spread) between them; `sim calibrate` fits it", ge=0, le=10,
                                           plausible=(0.6, 2.0), why="from a fairly even grocery base to CDNOW's very uneven buyers")
    repeat_burst: float = P(0.0, "x", "extra purchase rate right after an order, fading with repeat_burst_days: rate x (1 + burst "
                            "e^(-days since the last order / repeat_burst_days)); negative: a lull (regular buyers)",
                            "assumption (none); fitted by `sim calibrate`: CDNOW's buyers fit +1.6 fading over 40-56 days",
                            ge=-0.95, le=20, plausible=(0.0, 1.6), why="from no after-order pull to CDNOW's fitted burst")
    repeat_burst_days: float = P(30.0, "days", "how fast the after-order burst fades (e-folding days)",
                                 "assumption; fitted by `sim calibrate` (CDNOW: 40-56 days)", ge=1, le=365,
                                 plausible=(14.0, 60.0), why="a burst of buying after a purchase fades over weeks (CDNOW fits 40-56 days)")
    order_value_spread: float | None = P(None, "log-sd", "spread of individual order values around the segment mean "
                                         "(empty = market.trait_spread)",
                                         "assumption; estimated by `sim calibrate` from an order history", ge=0, le=3,
                                         plausible=(0.2, 0.8), why="order values vary less between people than purchase rates")
    leaving_spread: float = P(0.0, "cv", "spread of individual proneness to leave (lapse and wash-back hazards): coefficient of "
                              "variation of a mean-one gamma factor (Pareto/NBD's heterogeneity; 0 = none)",
                              "assumption; fitted by `sim calibrate` from an order history", ge=0, le=10,
                              plausible=(0.0, 1.5), why="from equally loyal customers to strongly mixed proneness to leave")
    leave_after_order: float = P(0.0, "prob", "average chance a customer stops buying for good right after a repeat order "
                                 "(BG/NBD's leaving; 0 = customers leave only through the daily hazards)",
                                 "assumption (none); fitted by `sim calibrate` when leaving after a purchase forecasts better",
                                 ge=0, le=0.999, plausible=(0.0, 0.1),
                                 why="from leaving only by the daily hazards to part of BG/NBD's leaving (CDNOW fits 0.16-0.25)")
    leave_after_order_spread: float = P(0.5, "share", "how unequal that chance is between customers: 1 / (a + b + 1) of its beta "
                                        "distribution (0 = everyone alike, near 1 = each either stays or goes)",
                                        "assumption; fitted by `sim calibrate`", ge=0, le=0.999,
                                        plausible=(0.2, 0.8), why="CDNOW's fits give 0.2-0.24; other bases may be more polarised")


class Channel(Section):
    share: float = P(0.0, "share", "share of the paid budget spent on this platform", "decision (example setting)", ge=0, le=1)
    cac_factor: float = P(1.0, "x", "cost per acquired user on this platform relative to acquisition.cac", gt=0, le=20, plausible=(0.7, 1.5), why="platforms' relative prices move with season and bidding; drawn per channel")
    first_order_prob: float = P(0.5, "prob", "chance that an acquired user places a first order right away", ge=0, le=1, plausible=(0.3, 0.75), why="from research-first Xiaohongshu to search-intent e-commerce; drawn per channel")
    return_rate: float = P(0.15, "prob", "share of first orders from this platform that are returned", ge=0, le=1,
                           plausible=(0.08, 0.35), why="e-commerce ~10-15% up to impulse-heavy channels; live-stream womenswear reaches 40-45% [004], above this range (a case sets it); drawn per channel")
    ticket_rmb: float = P(120.0, "RMB", "order value at which first_order_prob holds; a newcomer's first order of value v converts with "
                          "odds x (v / ticket_rmb)^-ticket_elasticity",
                          "the anchor at which first_order_prob is stated (its uncertainty is drawn through first_order_prob): "
                          "Douyin ~69 RMB [003], Xiaohongshu 150 (tier-1/2 spend, 1.25 x the lab's 120 RMB ticket [004]), "
                          "e-commerce 120 (the lab's default ticket)", gt=0, le=1e6)
    ticket_elasticity: float = P(2.0, "x", "how fast first-order conversion falls with the order value: the elasticity of its odds "
                                 "(at low conversion, of conversion itself) to the value", ge=0, le=10, plausible=(1.0, 3.5),
                                 why="published price elasticities average -2.62 (Bijmolt, van Heerde & Pieters 2005, 1,851 "
                                 "estimates) and -1.76 (Tellis 1988); drawn per channel")


def _douyin():
    # k = 2.5, calibrated: revenue per ad-bought newcomer, p(v) v, peaks where the odds are k - 1; at p(69) = 0.6
    # that puts the peak at Douyin's ~69 RMB, above which sellers say selling there does not pay [003] (a target,
    # so that peak is not evidence); 2.5 is also near the published mean price elasticity, 2.62 (Bijmolt et al. 2005)
    return Channel(share=0.5, cac_factor=1.0, first_order_prob=0.6, return_rate=0.30, ticket_rmb=69.0, ticket_elasticity=2.5)


def _xhs():
    # research first, tier-1/2 users who weigh quality over price [000, 004]: a dearer anchor, a flatter response
    return Channel(share=0.2, cac_factor=1.3, first_order_prob=0.35, return_rate=0.12, ticket_rmb=150.0, ticket_elasticity=1.5)


def _ecom():
    return Channel(share=0.3, cac_factor=0.9, first_order_prob=0.7, return_rate=0.15, ticket_rmb=120.0, ticket_elasticity=2.0)


class Acquisition(Section):
    daily_budget: float = P(3000.0, "RMB/day", "paid acquisition spend per day on public platforms", "decision (example setting)", ge=0, le=1e8)
    cac: float = P(25.0, "RMB/user", "cost per acquired user (a lead) at low spend in an untouched market; it rises with spend and "
                   "as the market is used up (see saturation)",
                   "seeds: traffic can cost up to half a first order [000], and Douyin sellers break even at an ad ROI of "
                   "1.3-1.8 [003] (ad spend of 55-77% of the sales); 25 makes a paid first buyer cost ~0.53 of a first order "
                   "at the baseline budget (2 seeds; 15 gives 0.40, 30 gives 0.60; the plausibility table)",
                   gt=0, le=100_000, plausible=(15.0, 40.0), why="from a cheap niche audience (a first buyer at ~0.4 of a first order) to a dear category (~0.7)")
    saturation: Literal["hill", "exponential"] = P(
        "hill", "-", "response of a platform's new users to its daily spend: hill, x / (1 + x) (Hill curve, shape 1), or "
        "exponential, 1 - exp(-x); x = spend / (cost per user x daily reach x market)",
        "Jin et al. 2017 (Hill); Meta Robyn / Google Meridian / PyMC-Marketing saturation curves")
    daily_reach: float = P(0.001, "share/day", "most of the not-yet-acquired market one platform's ads can turn into leads in a day, "
                           "however high the spend (frequency caps, auction)", "assumption", gt=0, le=1,
                           plausible=(0.0002, 0.01), why="from a crowded auction to a platform eager to sell a small brand reach")
    stop_day: int = P(-1, "day", "day paid acquisition stops (-1 = never)", "decision (example setting)", ge=-1, le=100_000)
    organic_first_order_prob: float = P(0.5, "prob", "chance an organic or referred newcomer places a first order right away", ge=0, le=1,
                                        plausible=(0.3, 0.7), why="people who come on their own are at least as ready to buy as ad clickers")
    organic_return_rate: float = P(0.12, "prob", "share of organic and referred first orders that are returned", ge=0, le=1, plausible=(0.06, 0.2), why="below paid channels' returns; they chose the brand themselves")
    organic_ticket_rmb: float = P(120.0, "RMB", "order value at which organic_first_order_prob and referral.first_order_prob hold (the "
                                  "organic, referred and KOC newcomers' ticket response: odds x (v / ticket)^-elasticity)",
                                  "the anchor at which those first-order chances are stated (the lab's default ticket; their "
                                  "uncertainty is drawn through them)", gt=0, le=1e6)
    organic_ticket_elasticity: float = P(1.5, "x", "how fast an organic, referred or KOC newcomer's first-order conversion falls with "
                                         "the order value (elasticity of its odds)", ge=0, le=10, plausible=(0.8, 3.0),
                                         why="people who found the brand themselves or through a friend weigh price less than ad "
                                         "clickers; published price elasticities average -1.76 to -2.62 (Tellis 1988; Bijmolt et al. 2005)")
    douyin: Channel = Field(default_factory=_douyin, description="Douyin: impulse buying, high returns (live-stream womenswear 40-45% [004])")
    xiaohongshu: Channel = Field(default_factory=_xhs, description="Xiaohongshu: seeding, research first, fewer impulse orders [000, 004]")
    ecommerce: Channel = Field(default_factory=_ecom, description="Tmall/JD/Taobao: search intent, cheaper and higher first-order rate")


class Pool(Section):
    container: Literal["personal", "wecom"] = P("personal", "-", "where the pool lives: staff personal WeChat accounts or WeCom",
                                                "decision; DOMAIN.md s.2 [000, 001, 002, 003]")
    accept_buyer_personal: float = P(0.2, "prob", "chance a customer who has bought accepts a personal-account friend request (one "
                                     "with the first order and one in every later parcel while outside the pool)",
                                     "practitioners: a friend-request pass rate under 20% is called a problem [qiweiyun] (vendor blog, low); "
                                     "package-insert add rates are usually under 10% [ducksell] (practitioner blog, low); `sim calibrate "
                                     "--contacts` measures it", ge=0, le=1,
                                     plausible=(0.08, 0.35), why="from a parcel card most ignore to a well-run add flow")
    accept_buyer_wecom: float = P(0.15, "prob", "chance a customer who has bought accepts a WeCom friend request", ge=0, le=1, plausible=(0.06, 0.3), why="WeCom requests are accepted less often than personal ones (WeCom feels cold [002, 003])")
    accept_nonbuyer_personal: float = P(0.05, "prob", "chance a lead who has not bought accepts a personal-account friend request", ge=0, le=1, plausible=(0.02, 0.12), why="a stranger's friend request is mostly ignored; below a buyer's (a few percent for WeCom [003])")
    accept_nonbuyer_wecom: float = P(0.03, "prob", "chance a lead who has not bought accepts a WeCom friend request",
                                     "seed 003: 'only a few percent' without a prior purchase", ge=0, le=1,
                                     plausible=(0.01, 0.09), why="'a few percent' [003]")
    wecom_warmth: float = P(0.7, "x", "how warm WeCom feels relative to a personal account (scales trust gain and open rates)",
                            "assumption; WeCom feels colder [003]", ge=0, le=1, plausible=(0.5, 0.9), why="WeCom feels colder than a person [003], but still a named contact")
    initial_members: int = P(0, "people", "people already in the pool on day 0 (earlier customers with one past order; "
                             "what they cost to acquire is not in this run)", "decision (example setting)", ge=0, le=5_000_000)
    initial_trust: float = P(0.2, "trust", "trust of the day-0 members", ge=0, le=1, plausible=(0.1, 0.4), why="earlier customers with one past order: some trust, not yet loyal")
    initial_from: str = P("", "file", "customers.csv written by `sim calibrate`: day-0 customers with their own orders, spend, "
                          "recency and pool membership (replaces initial_members; path relative to the scenario file)",
                          "decision; a brand's order history")
    protection: float = P(0.35, "x", "wash-back hazard of a pool member relative to a customer left on the public side",
                          "assumption; protection from wash-back is the main reason for a pool [000]", ge=0, le=1, plausible=(0.2, 0.6), why="pool members are washed back at a fifth to over half the public rate")


class Staff(Section):
    accounts: int = P(4, "accounts", "staff accounts (one staff member each) that hold the pool's contacts", "decision (example setting)", ge=1, le=10_000)
    friend_cap: int = P(5000, "contacts", "contacts one personal WeChat account can hold", "seed 000 (a personal WeChat holds 5000 users; 003: WeChat's 5000 limit)", ge=1, le=100_000)
    wecom_cap: int = P(20_000, "contacts", "contacts one WeCom account can hold", ge=1, le=1_000_000, plausible=(10000, 50000), why="WeCom's contact limit depends on the plan the brand buys")
    hours_per_day: float = P(3.0, "hours/day", "hours per staff account left for groups and order support after routine work (adding friends, Moments); one-to-one service is a separate paid shift", ge=0, le=24,
                             plausible=(2.0, 5.0), why="hours left after routine adding and Moments work in an 8-hour day")
    salary_rmb_per_month: float = P(8000.0, "RMB/month", "cost of one staff account (salary and overhead)", ge=0, le=1e6,
                                    plausible=(5000.0, 12000.0), why="private-pool operator pay from lower-tier to tier-1 cities, with overhead")
    turnover_monthly: float = P(0.05, "1/month", "staff turnover rate: quits per position per month (daily hazard rate / 30.44, a month of 365.25 / 12 days)",
                                ge=0, le=1, plausible=(0.02, 0.1), why="retail and e-commerce staff stay 10 months to 4 years")
    loss_on_quit_personal: float = P(0.7, "share", "share of a departing staff member's personal-account contacts the brand loses",
                                     "seed 000/002: customers leave with the staff member; share is an assumption", ge=0, le=1,
                                     plausible=(0.4, 0.9), why="most of a departing seller's contacts follow the person, not the brand [000, 002]")
    loss_on_quit_wecom: float = P(0.05, "share", "share lost when a WeCom staff member quits (customer inheritance keeps the rest)",
                                  "seed 000/002 (inheritance); share is an assumption", ge=0, le=1,
                                  plausible=(0.0, 0.15), why="WeCom's customer inheritance keeps nearly everyone; some drop the new contact")
    trust_kept_on_handover: float = P(0.5, "share", "share of a customer's trust kept when a new staff member takes over", ge=0, le=1, plausible=(0.3, 0.7), why="a new contact inherits the history but not the relationship")


class Groups(Section):
    size: int = P(0, "members", "target members per WeChat group (0 = no groups; a group needs at least 3)", "decision; seed 003: WeChat caps a group at 500", ge=0, le=500)
    activity_per_member: float = P(0.6, "msgs/day", "messages a member of a very small group posts per day", ge=0, le=20, plausible=(0.3, 1.0), why="members of a lively small group post about once every 1-3 days")
    activity_half_size: float = P(25.0, "members", "group size at which per-member activity halves",
                                  "assumption; small groups of 10-20 talk, big groups broadcast [000]", gt=0, le=500, plausible=(15.0, 40.0), why="small groups of 10-20 talk, big ones broadcast [000]")
    trust_gain: float = P(0.004, "trust/day", "trust a member gains per day in a fully active group", ge=0, le=1, plausible=(0.002, 0.008), why="a fully active group builds a member's trust over 4-18 months")
    noise_annoyance: float = P(0.25, "annoy/day", "annoyance per day from group chatter at saturation (big noisy groups)",
                               "assumption; over-frequent selling emptied the 2018 wave of marketing groups [002]", ge=0, le=10, plausible=(0.1, 0.5), why="chatter of a big noisy group is a mild to strong daily irritation")
    social_proof: float = P(0.5, "x", "extra conversion at full attention when many purchases are shown in the group",
                            "seed 001 (testimonials and screenshots lift conversion in groups); size is an assumption", ge=0, le=5,
                            plausible=(0.2, 1.0), why="shown purchases lift a lively group's buying by a fifth to double")
    staff_hours_per_group: float = P(0.1, "hours/day", "staff time to run one group per day", ge=0, le=24, plausible=(0.05, 0.2), why="3-12 minutes a day to post, answer and moderate one group")
    staff_hours_per_member: float = P(0.0005, "hours/day", "extra staff time per member per day", ge=0, le=1, plausible=(0.0002, 0.001), why="per-member questions in groups, 1-4 hours a day per 4,000 members")
    tiering: bool = P(False, "-", "quantity -> quality -> VIP tiers with promotion and demotion", "decision; seed 000 (group ladder), 004 (VIP)")
    quality_size: int = P(100, "members", "target members per quality-tier group", "decision (example setting)", ge=3, le=500)
    vip_size: int = P(20, "members", "target members per VIP group", "decision; seed 000 gives 10-20 for led small groups; 004 gives no VIP group size (size assumed)", ge=3, le=500)
    quality_after_orders: int = P(2, "orders", "orders in the pool that promote a member to a quality group", "decision (example setting)", ge=1, le=100)
    vip_spend_rmb: float = P(3000.0, "RMB", "cumulative spend that promotes a member to a VIP group", "decision; seed 004 (3000 RMB VIP group)", ge=0, le=1e7)
    demote_after_days: int = P(90, "days", "days without an order after which a member drops one tier", "decision (example setting)", ge=1, le=3650)
    koc_share: float = P(0.0, "share", "share of groups with a lead member (KOC) who raises activity", "decision; seed 000/001 (lead sheep)", ge=0, le=1)
    koc_lift: float = P(0.5, "x", "extra activity and trust gain in a group with a KOC (its activity also fades 1 + koc_lift times slower)", ge=0, le=10, plausible=(0.25, 1.0), why="a lead member raises activity by a quarter to double (a lead member livens a group [000]; size assumed)")
    fade_half_life_days: float = P(30.0, "days", "half-life of a group's liveliness with nothing to revive it (quiet, below a quarter, after two months)", "REFERENCES.md (67 groups: most active < 2 months; low credibility); seed 002 (groups decay)", gt=0, le=3650, plausible=(20.0, 60.0), why="most groups go quiet within one to four months")
    revive_per_event: float = P(0.3, "share", "share of lost liveliness an event (a discount event's first day, a member day) restores "
                                "when it comes rarely and the members are not annoyed (x the event's wear x the members' mean mood)",
                                ge=0, le=1, plausible=(0.2, 0.8), why="an event brings a group back to life for a while")
    event_fatigue: float = P(0.3, "share", "share of a group's liveliness an event takes away when it comes before the last one's pull "
                             "has recovered: liveliness x (1 - fatigue x (1 - pull)); over-frequent promotions tire a group",
                             "seed 002 (marketing pushed all day emptied the QQ groups); size assumed", ge=0, le=1,
                             plausible=(0.1, 0.5), why="a promotion that comes too soon is noise: a tenth to half of the chatter stops")


class Messaging(Section):
    per_week: float = P(2.0, "msgs/week", "brand messages each pool member receives per week", "decision (example setting)", ge=0, le=70)
    promo_share: float = P(0.5, "share", "share of messages that are promotions", "decision (example setting)", ge=0, le=1)
    value_share: float = P(0.4, "share", "share of messages that are useful content (the rest are service notes)", "decision (example setting)", ge=0, le=1)
    channel: Literal["direct", "service_account", "subscription_account"] = P(
        "direct", "-", "where brand messages outside groups go: direct (Moments posts, one-to-one chats and mass messages "
        "from the staff accounts, in the mix below), a service account, or a subscription account", "decision; seed 001")
    moments_share: float = P(0.5, "share", "share of direct messages posted as Moments (朋友圈) posts: seen in the feed, no "
                             "notification", "decision (example setting)", ge=0, le=1)
    mass_share: float = P(0.3, "share", "share of direct messages sent as mass messages (WeCom 群发, a personal account's "
                          "mass-send); the rest (1 - moments_share - mass_share) are one-to-one chats", "decision (example setting)", ge=0, le=1)
    group_share: float = P(0.5, "share", "share of a group member's brand messages the brand posts in their group (read at the "
                           "group's attention); members not in a group get all of theirs directly", "decision (example setting)", ge=0, le=1)
    open_service_account: float = P(0.10, "prob", "chance a service-account message is opened", "seed 001 (~10%)", ge=0, le=1)
    open_subscription_account: float = P(0.01, "prob", "chance a subscription-account message is opened", "seed 001 (~1%)", ge=0, le=1)
    open_moments: float = P(0.85, "prob", "chance a member sees a Moments post of a personal account (reached in the feed and "
                            "looked at; WeCom: x pool.wecom_warmth)", "seed 001 (personal accounts' Moments opened by >85%, a "
                            "vendor's figure)", ge=0, le=1, plausible=(0.5, 0.9),
                            why="[001]'s >85% is a vendor's; ~780 M of WeChat's ~1.4 B users open Moments on a given day "
                            "(Tencent, 2025, via the press) and a post among many friends' is missed by some")
    open_chat: float = P(0.8, "prob", "chance a one-to-one chat message from a personal account is opened (WeCom: x pool.wecom_warmth)",
                         ge=0, le=1, plausible=(0.6, 0.95), why="a chat from a named contact shows a badge and is mostly opened; "
                         "one from a seller less often than a friend's")
    open_mass: float = P(0.45, "prob", "chance a mass message is opened (WeCom: x pool.wecom_warmth)", ge=0, le=1, plausible=(0.2, 0.6),
                         why="a mass message reads as a broadcast and is often left unread (the lab's earlier WeCom rate, 0.45)")
    open_group: float = P(0.8, "prob", "chance a member of a very small group reads the brand's post in it (x the group's attention "
                          "(1 + size / activity_half_size)^-1/2; WeCom: x pool.wecom_warmth)", ge=0, le=1, plausible=(0.5, 0.95),
                          why="in a group of a few members nearly every post is read; bigger groups fold it among the chatter [000]")
    intent_per_open: float = P(0.35, "intent", "purchase intent added by an opened promotion (useful content and service notes: content_intent, service_intent of it)", ge=0, le=10, plausible=(0.2, 0.5), why="an opened promotion adds a few days of extra buying")
    intent_half_life_days: float = P(4.0, "days", "half-life of message-driven purchase intent", gt=0, le=365, plausible=(2.0, 7.0), why="a promotion is forgotten within days to a week")
    intent_max: float = P(1.5, "x", "largest extra purchase rate intent can give (saturation)", ge=0, le=20, plausible=(1.0, 2.5), why="messages can at most double or triple a member's buying rate")
    annoy_per_open: float = P(1.0, "annoy", "annoyance from an opened promotion (useful content and service notes: content_annoy, service_annoy of it)", ge=0, le=20, plausible=(0.6, 1.5), why="how much one opened promotion annoys, relative to the tolerance")
    content_intent: float = P(0.5, "x", "purchase intent of an opened useful-content message relative to a promotion", ge=0, le=5, plausible=(0.2, 0.8), why="content sells indirectly: less than a promotion, more than nothing")
    content_annoy: float = P(0.4, "x", "annoyance of an opened useful-content message relative to a promotion", ge=0, le=5, plausible=(0.2, 0.8), why="useful messages irritate less than selling ones, but still take attention")
    service_intent: float = P(0.25, "x", "purchase intent of an opened service note (delivery, reminders) relative to a promotion", ge=0, le=5, plausible=(0.1, 0.4), why="a service note reminds of the brand without selling")
    service_annoy: float = P(0.1, "x", "annoyance of an opened service note relative to a promotion", ge=0, le=5, plausible=(0.0, 0.3), why="expected, useful notes barely irritate")
    annoy_half_life_days: float = P(10.0, "days", "half-life of annoyance", gt=0, le=365, plausible=(5.0, 20.0), why="annoyance fades more slowly than intent: one to three weeks")
    tolerance: float = P(6.0, "annoy", "average annoyance a user tolerates before muting or leaving", ge=0.1, le=1000, plausible=(4.0, 9.0), why="about 4-9 unanswered promotions in a fortnight before people act")
    leave_rate_over_tolerance: float = P(0.08, "1/day", "daily chance to act (mute or delete) per unit of annoyance above tolerance", ge=0, le=1,
                                         plausible=(0.04, 0.15), why="people over their tolerance act within one to four weeks")
    mute_share: float = P(0.5, "share", "share of annoyed users who mute instead of deleting", ge=0, le=1, plausible=(0.3, 0.7), why="muting is easier than deleting; many do one, many the other")
    muted_open_factor: float = P(0.1, "x", "chance a member who muted the chat sees a brand message, post, coupon or care message, relative to one who did not "
                                 "(the brand is not told who muted)", "assumption; WeChat's mute hides the notification and badge, the chat stays in the list",
                                 ge=0, le=1, plausible=(0.0, 0.3), why="without a notification a member opens the chat now and then, at most about a third as often")
    no_disturb: bool = P(False, "-", "plan contact per user from what staff can see: rest a member who has left no_disturb_unanswered messages unanswered", "decision; seed 002 (no-disturb principle)")
    no_disturb_unanswered: int = P(3, "msgs", "unanswered messages (no reply, order or conversation since) after which no-disturb rests a member", "decision (example setting)", ge=1, le=100)
    no_disturb_rest_days: int = P(14, "days", "days no-disturb waits after the last message before trying a resting member again", "decision (example setting)", ge=1, le=365)
    reply_prob: float = P(0.3, "prob", "chance a member who is not annoyed replies on a day they open a message (falls to 0 as annoyance reaches tolerance)", ge=0, le=1, plausible=(0.1, 0.5), why="members answer a brand's chat now and then; annoyed ones stop")


class Offers(Section):
    discount_depth: float = P(0.0, "share", "price cut of a discount event (0..1)", "decision (example setting)", ge=0, le=0.9)
    discount_every_days: int = P(0, "days", "days between discount events (0 = no discounts)", "decision (example setting)", ge=0, le=3650)
    discount_days: int = P(3, "days", "length of each discount event", "decision (example setting)", ge=1, le=365)
    elasticity: float = P(8.0, "x", "purchase-rate lift per unit of discount for a fully price-sensitive user", ge=0, le=50,
                          plausible=(4.0, 12.0), why="a 10% coupon lifts a price-sensitive buyer's rate by 40-120% during the event")
    habit_gain: float = P(0.06, "habit", "how much each discounted order teaches a user to wait for the next coupon", ge=0, le=1, plausible=(0.03, 0.12), why="8-30 discounted orders train a buyer to wait for coupons (not in the seeds, which only warn against keeping customers with discounts alone [001, 003])")
    habit_wait: float = P(0.6, "x", "cut in full-price buying of a user fully trained to wait", "seeds 001/003 warn against keeping customers with discounts alone; that coupons teach waiting, and how much, is an assumption", ge=0, le=1,
                          plausible=(0.3, 0.8), why="a trained coupon-waiter buys a third to four fifths less at full price")
    deal_seeker_pull: float = P(4.0, "x", "how much frequent discounts tilt paid acquisition toward deal seekers", ge=0, le=20, plausible=(2.0, 6.0), why="a discount-led brand's ads draw clearly more deal seekers (not quantified in the seeds)")
    recovery_days: float = P(14.0, "days", "how fast a discount event's pull recovers (its lift on buyers and its revival of groups "
                             "x (1 - e^(-discount_every_days / recovery_days)), as service.member_day_recovery_days)",
                             "assumption; frequent and deep promotions lower the price buyers expect (Kalwani & Yim 1992)",
                             gt=0, le=3650, plausible=(7.0, 30.0), why="a promotion's pull recovers over one to four weeks; frequent ones wear off")
    wait_recapture: float = P(0.5, "share", "share of the full-price buying a coupon-waiter puts off (habit_wait x habit) that they "
                              "make during the next discount event; the rest is lost", ge=0, le=1, plausible=(0.25, 0.75),
                              why="some deferred purchases are made at the next event, others go to competitors or are forgotten")
    new_customer_coupon: bool = P(False, "-", "newcomers get the discount on their first order (raises first-order take-up)",
                                  "decision; seeds 001/003 (coupon-led conversion)")
    old_customers_only: bool = P(False, "-", "discount events only for customers with an earlier order", "decision; seed 001 (AMII old-customer events)")


class Service(Section):
    one_to_one_hours_per_day: float = P(0.0, "hours/day", "staff hours of one-to-one service per day", "decision (example setting)", ge=0, le=100_000)
    minutes_per_session: float = P(20.0, "minutes", "staff time of one one-to-one conversation", gt=0, le=600, plausible=(10.0, 30.0), why="a one-to-one conversation of 10-30 minutes")
    hourly_cost_rmb: float = P(60.0, "RMB/hour", "cost of a paid staff hour: one-to-one service shifts (consultants' own time) and account work beyond the accounts' own hours", ge=0, le=10_000,
                               plausible=(40.0, 90.0), why="part-time or overtime hour in lower-tier to tier-1 cities")
    support_minutes_per_order: float = P(4.0, "minutes", "staff time answering a pool member about one order", ge=0, le=600, plausible=(2.0, 8.0), why="questions about delivery, size and returns per order")
    targeting: Literal["tiered", "random"] = P("tiered", "-", "tiered: care for valuable and at-risk members first (from tier, spend, days silent); random: whoever asks", "decision; seed 001/002 (tag and tier users)")
    trust_per_session: float = P(0.06, "trust", "trust gained from one care or win-back conversation (times container warmth)", ge=0, le=1, plausible=(0.03, 0.1), why="one good conversation is worth a few kept orders of trust")
    relief_per_session: float = P(1.0, "annoy", "annoyance removed by one care or win-back conversation", ge=0, le=100, plausible=(0.5, 2.0), why="a conversation removes the annoyance of one or two promotions")
    consider_half_rmb: float = P(1500.0, "RMB", "order value at which half of would-be purchases stall on an unanswered question (stall share v^2 / (v^2 + half^2))", "assumption; Douyin sells badly above ~69 RMB [003], high-ticket clinics sell by consultation [002]", gt=0, le=1e7, plausible=(500.0, 5000.0), why="impulse tickets rarely need an answer, considered ones mostly do")
    self_close: float = P(0.3, "prob", "chance a stalled purchase goes ahead without the brand's answer (reviews, product page, the platform's pre-sale chat)", ge=0, le=1, plausible=(0.1, 0.5), why="some hesitant buyers find the answer alone; fewer than when staff answer (consult_close)")
    consult_close: float = P(0.6, "prob", "chance a stalled purchase goes ahead once staff answer the question (never below self_close)", ge=0, le=1, plausible=(0.3, 0.8), why="an answered question closes most but not all hesitant buyers")
    save_return_share: float = P(0.15, "share", "share of would-be returns a follow-up after the order prevents (size, fit and use problems solved)",
                                 "assumption; a follow-up can reach the returns that come after delivery (~15 of 40-45 points in womenswear [004], about 36%) and solves part of them",
                                 ge=0, le=1, plausible=(0.05, 0.3), why="a follow-up solves a sixth to most of the after-delivery returns it reaches (~36% of all [004])")
    at_risk_days: float = P(60.0, "days", "days without a reply, order or conversation after which a member counts as at risk (win-back)", "decision (example setting)", gt=0, le=3650)
    member_day_every_days: int = P(0, "days", "days between member days (0 = none; AMII holds one on the 13th)", "decision; seed 001", ge=0, le=365)
    member_day_lift: float = P(2.0, "x", "extra purchase rate on a member day for a pool member with full trust", ge=0, le=20, plausible=(1.0, 3.0), why="member days double to quadruple a trusting member's buying that day (AMII's member day [001]; size assumed)")
    member_day_gift_rmb: float = P(5.0, "RMB/order", "gift cost per member-day order", "decision (example setting)", ge=0, le=10_000)
    member_day_recovery_days: float = P(14.0, "days", "how fast a member day's pull recovers: lift x (1 - e^(-days between / recovery))", gt=0, le=3650, plausible=(7.0, 30.0), why="frequent events wear off")


class Trust(Section):
    half_life_days: float = P(180.0, "days", "half-life of trust without contact", gt=0, le=10_000, plausible=(90.0, 365.0), why="trust without contact fades over a quarter to a year")
    per_order: float = P(0.03, "trust", "trust gained from a kept (not returned) order", ge=0, le=1, plausible=(0.015, 0.05), why="20-65 good orders to full trust from orders alone")
    per_content: float = P(0.01, "trust", "trust gained from an opened useful-content message", ge=0, le=1, plausible=(0.005, 0.02), why="useful content builds trust more slowly than orders")
    buy_lift: float = P(1.5, "x", "extra purchase rate at full trust (grows with trust squared)", ge=0, le=20, plausible=(0.8, 2.5), why="a fully trusting member buys 1.8-3.5 times as often")
    leave_cut: float = P(2.0, "log", "how strongly trust lowers leaving and wash-back (hazard x exp(-cut*trust))", ge=0, le=20, plausible=(1.0, 3.0), why="full trust cuts leaving to a third to a twentieth")


class WashBack(Section):
    public_per_year: float = P(1.2, "1/year", "hazard that a competitor in the feed takes a customer left on the public side",
                               "assumption; wash-back by competitors' content [000]", ge=0, le=100, plausible=(0.6, 2.0), why="competitors' content takes a public-side customer within 6-20 months (wash-back [000]; timing assumed)")
    muted_factor: float = P(2.0, "x", "wash-back of a muted pool member relative to an active one (weakly attached)", ge=0, le=100, plausible=(1.3, 3.0), why="a muted member is weakly attached: 1.3-3 times the wash-back")


class Referral(Section):
    incentive_rmb: float = P(0.0, "RMB", "reward paid to a referrer per friend who joins", "decision (example setting: no reward; the bank in Schmitt et al. 2011 paid EUR 25)", ge=0, le=100_000)
    invites_per_year: float = P(3.0, "invites/year", "invitations a satisfied pool member sends per year with no incentive", ge=0, le=1000, plausible=(1.0, 6.0), why="a satisfied member recommends the brand a few times a year")
    trust_threshold: float = P(0.2, "trust", "trust a member needs before recommending the brand", ge=0, le=1, plausible=(0.1, 0.35), why="people recommend once they trust the brand somewhat")
    first_order_prob: float = P(0.6, "prob", "chance a referred newcomer places a first order right away", ge=0, le=1, plausible=(0.4, 0.75), why="a friend's recommendation makes the first order likely")
    conversion: float = P(0.15, "prob", "chance an organic invitation turns a contact into a customer", ge=0, le=1, plausible=(0.08, 0.25), why="share of recommendations that win a customer")
    incentive_half_rmb: float = P(20.0, "RMB", "reward that brings half the largest extra invitations", gt=0, le=100_000, plausible=(10.0, 40.0), why="a reward of 10-40 RMB brings half of what rewards can")
    incentive_max_lift: float = P(2.0, "x", "largest extra invitations a reward can bring (x organic; diminishing returns)", ge=0, le=100, plausible=(1.0, 5.0), why="rewards at most double to sextuple invitations")
    spam_trust_cost: float = P(0.02, "trust", "trust a member loses per reward-driven invitation they send (pushing friends costs goodwill)", "seed 003 (fission burns the brand); size is an assumption", ge=0, le=1, plausible=(0.005, 0.05), why="pushing a friend costs a little goodwill each time")
    spam_fatigue: float = P(0.3, "share", "cut in conversion per reward-driven invitation a person has already received", ge=0, le=1, plausible=(0.1, 0.5), why="the second and third pushy invitation convert less")
    spam_annoyance: float = P(0.5, "annoy", "annoyance a reward-driven invitation adds to an invited pool member", ge=0, le=20, plausible=(0.2, 1.0), why="a pushy invitation annoys like half a promotion")
    incentive_conversion_cut: float = P(0.5, "x", "conversion of an incentivised invitation relative to an organic one", ge=0, le=1, plausible=(0.3, 0.7), why="incentivised invitations convert worse (fission brings low-quality users [003]; the cut is assumed)")
    unlock_invites: int = P(0, "invites", "invite-N-to-unlock rule: new members send N invitations at once (0 = off)", "decision; seed 001 ('invite 3 friends')", ge=0, le=50)
    unlock_take_up: float = P(0.3, "prob", "share of new pool members who take part in an unlock campaign", ge=0, le=1, plausible=(0.15, 0.45), why="share of newcomers who join an invite-to-unlock campaign")
    network: Literal["clustered", "mixed"] = P("clustered", "-", "who can invite whom: clustered communities or fully mixed", plausible=("clustered", "mixed"), why="both network shapes are plausible: drawn as clustered or mixed")
    community_size: int = P(50, "people", "average community size of the clustered network", ge=2, le=100_000, plausible=(20, 150), why="from close friend circles to Dunbar-sized communities")
    mean_degree: float = P(12.0, "contacts", "average contacts per person", gt=0, le=1000, plausible=(6.0, 25.0), why="contacts one talks to about purchases")
    bridge_share: float = P(0.05, "share", "share of contacts outside one's community", ge=0, le=1, plausible=(0.02, 0.15), why="share of contacts outside one's own community")
    homophily: float = P(0.8, "corr", "how strongly people share communities with people of similar value traits (0 = at random)", "McPherson, Smith-Lovin & Cook 2001; fitted: the value at which the organic-referral premium (180-day value over paid users acquired in the same weeks, channel inputs equal, 40 seeds) lands in the published 16-25% (Schmitt et al. 2011; Van den Bulte et al. 2018)", ge=0, le=1, plausible=(0.6, 0.95), why="measured premiums (40 seeds, issue 23's defaults): +1% at 0, +8% at 0.6, +18% at 0.8: from none to inside the published 16-25%")
    degree_tail: float = P(2.5, "exponent", "power-law exponent of the contact-count tail (smaller = more hubs)", gt=2, le=10, plausible=(2.2, 3.5), why="social networks' contact tails: exponent 2-3.5")
    seed_koc: Literal["none", "random", "degree"] = P("none", "-", "pick KOC referrers: none, at random, or by contacts (follower or friend count, "
                                                      "which Douyin and Xiaohongshu show)", "decision; seed 001 (KOL/KOC carry spread)")
    koc_count: int = P(0, "people", "KOC users the brand recruits on day 0 (whole agents: koc_count / scale rounded up or down at random, "
                       "exact on average)", "decision (example setting)", ge=0, le=100_000)
    koc_fee_rmb: float = P(300.0, "RMB", "one-time fee (samples, gifts) to recruit one KOC: buys reach (paid posts), not trust", ge=0, le=1e6, plausible=(100.0, 800.0), why="samples and gifts for a small creator")
    koc_invites_per_contact: float = P(0.5, "invites/contact/year", "invitations a recruited KOC sends per contact per year (paid posts reach their whole network; they convert like reward-driven invitations)",
                                       "seed 001 (structural-hole KOL/KOC reach further than others); the rate is an assumption", ge=0, le=100,
                                       plausible=(0.2, 1.5), why="a paid post a year reaches a fifth to all of a small creator's contacts, some more than once")


class Economics(Section):
    cogs_share: float = P(0.45, "share", "cost of goods as a share of list price", ge=0, le=1, plausible=(0.3, 0.6), why="cost of goods 30-60% of list price across consumer categories")
    return_handling_rmb: float = P(12.0, "RMB/order", "shipping and handling lost on a returned order", ge=0, le=10_000, plausible=(6.0, 20.0), why="two-way shipping and handling of one return")
    pool_return_rate: float = P(0.08, "prob", "share of repeat orders returned", ge=0, le=1, plausible=(0.04, 0.15), why="repeat buyers return less than first-time buyers")
    discount_rate_annual: float = P(0.10, "1/year", "discount rate for LTV", "Gupta & Lehmann 2003 example (i = 0.1)", ge=0, le=5)


class Sections(Section):
    """Every section and top-level key of a scenario: the whole schema, read by schema_info. `Scenario`
    (scenario.py) extends it with loading and overrides."""
    name: str = P("scenario", "-", "short identifier (file names, code); charts and tables show `title`", "label")
    title: str = P("", "-", "display name in English for charts, tables, reports and decks (empty: the name, "
                   "with spaces for underscores)", "label")
    title_zh: str = P("", "-", "display name in Simplified Chinese (empty: the English title)", "label")
    horizon_days: int = P(365, "days", "days to simulate", "run setting", ge=1, le=3650)
    market: Market = Field(default_factory=Market)
    acquisition: Acquisition = Field(default_factory=Acquisition)
    pool: Pool = Field(default_factory=Pool)
    staff: Staff = Field(default_factory=Staff)
    groups: Groups = Field(default_factory=Groups)
    messaging: Messaging = Field(default_factory=Messaging)
    offers: Offers = Field(default_factory=Offers)
    service: Service = Field(default_factory=Service)
    trust: Trust = Field(default_factory=Trust)
    washback: WashBack = Field(default_factory=WashBack)
    referral: Referral = Field(default_factory=Referral)
    economics: Economics = Field(default_factory=Economics)
    calendar: Calendar = Field(default_factory=Calendar, description="the sales calendar: dated events (none by default)")
    sales: Sales = Field(default_factory=Sales, description="sales channels orders land on, with their fees (off by default)")
    entry: Entry = Field(default_factory=Entry, description="entry points: how newcomers are added to the pool, each "
                         "with its add rate, cost and starting trust (off by default)")
    stores: Stores = Field(default_factory=Stores, description="offline stores whose shop assistants add store "
                           "customers and keep their own book (off by default)")
    tiers: Tiers = Field(default_factory=Tiers, description="membership tiers and points, with a playbook per tier "
                         "(off by default)")
