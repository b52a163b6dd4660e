"""The case library (scenarios/cases, sim.lab.cases): files that say what they are, verdicts
that differ between businesses, and ablations showing each verdict is carried by the
mechanism credited with it.

Verdicts are paired over seeds 0..2 (common random numbers; womenswear 0..23), each case at its
own market size and agents; a verdict "pays" when the 90% interval of the profit difference lies
above 0, "loses" when below. Measured once one-to-one service became paid consultant hours and a
stalled purchase could also close without the brand (service.self_close): clinic service +1.10M
RMB [+0.52M, +1.67M] (3 seeds), with consultation no better than self-service (consult_close =
self_close) -44k [-144k, +56k]; womenswear service +212k [+138k, +287k] (24 seeds; a follow-up
solves 15% of would-be returns), without after-sales saves +142k [+31k, +252k], with consultation
no better than self-service -56k [-112k, -0.4k]: consultation carries the gain; the saves' part
(+71k [-60k, +201k]) is too small for 24 seeds to tell from none. Since events are announced
(issue 23) the apparel member day no longer pays (-26k [-77k, +25k]); its pull still carries what it earns.
"""
from pathlib import Path

import pytest

import sim
from sim.lab.cases import CASES, CASES_DIR, Case, lever_verdict, verdict_table
from sim.lab.experiments import paired_difference

SEEDS = 3
CASE = {c.file: c for c in CASES}


def verdict(file, overrides=None, case=None):
    return lever_verdict(case or CASE[file], seeds=SEEDS, overrides=overrides)


def own_self_close(file):
    """The case's own chance that a stalled purchase closes without the brand (its consult ablation)."""
    return sim.load_scenario(CASE[file].path).service.self_close


def test_case_files_say_what_they_are():
    files = sorted(p.name for p in CASES_DIR.glob("*.yaml"))
    assert len(files) >= 5 and sorted(CASE) == files
    for name in files:
        text = (CASES_DIR / name).read_text(encoding="utf-8")
        head = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
        assert text.startswith("# Case:"), name
        for part in ("From the seed [00", "Used here:", "Assumed:", "The question:", "Lever"):
            assert part in head, (name, part)
        sc = sim.load_scenario(CASES_DIR / name)
        assert sc.name == Path(name).stem


@pytest.fixture(scope="module")
def service_verdicts():
    clinic = verdict("hair_clinic.yaml")
    k12 = verdict("k12_exam_papers.yaml", {"service.one_to_one_hours_per_day": 8},
                  case=Case("k12_exam_papers.yaml", "service.one_to_one_hours_per_day", 0, ""))
    return clinic, k12


def test_the_same_lever_pays_in_one_business_and_loses_in_another(service_verdicts):
    """8 staff hours a day of one-to-one service: a high-ticket, low-frequency clinic gains, a
    39 RMB exam-paper business loses."""
    clinic, k12 = service_verdicts
    assert clinic["profit"][1] > 0, clinic["profit"]
    assert k12["profit"][2] < 0, k12["profit"]
    table = verdict_table([clinic, k12])
    assert list(table["pays"]) == [True, False]


def test_clinic_service_verdict_is_carried_by_consultation(service_verdicts):
    """Ablation: when a consultation closes a stalled purchase no more often than the buyer
    finding the answer alone (consult_close = self_close), most of the clinic's gain from
    service is gone (below a fifth of it)."""
    clinic, _ = service_verdicts
    no_consult = verdict("hair_clinic.yaml", {"service.consult_close": own_self_close("hair_clinic.yaml")})
    assert no_consult["profit"][0] < 0.2 * clinic["profit"][0]


def test_member_day_verdict_is_carried_by_its_pull():
    """The apparel brand's monthly member day: its purchase pull carries what it earns (the lever with its
    pull beats the lever without it: a 90% paired interval above 0). Measured at issue 23's evidence-based
    defaults (8 seeds): the pull's part +26k RMB [+23k, +30k]; the member day against none +11k [-7k,
    +29k], so whether it pays is not settled; without its pull (gifts, staff time and an announcement only)
    -15k [-31k, +0.1k]. Before the re-base (3 seeds) the day read -26k [-77k, +25k], without its pull -102k
    [-143k, -62k], which this test then asserted: with a smaller, less valuable pool the gifts and the
    annoyance cost less, and 3 seeds no longer tell that loss from none, so it is reported, not asserted."""
    case = CASE["apparel_member_day.yaml"]
    on = sim.load_scenario(case.path)
    arms = [on, on.with_overrides({"service.member_day_lift": 0.0, "name": "no_pull"})]
    cmp = sim.compare(arms, seeds=SEEDS)
    profit = {n: cmp.runs[n].per_seed["profit"] for n in cmp.names}
    pull = paired_difference(profit["no_pull"], profit[on.name])
    assert pull["lo"] > 0, pull


WOMENSWEAR_SEEDS = 24   # its verdict is small relative to its noise: at 6 seeds the after-sales ablation read
                        # +230k vs +193k with the lever whole, at 24 it reads about half (below)


def test_womenswear_service_pays_through_consultation_and_after_sales():
    """In the womenswear case service pays; it still pays without after-sales saves (their part, at
    save_return_share 0.15, is too small for 24 seeds to tell from none); with consultation no better
    than self-service the gain is gone. One paired comparison on the
    same seeds: service off (without service neither ablated setting acts, so one 'off' serves all three),
    service as shipped, without after-sales saves, and with consult_close = self_close; each part is the
    paired difference of the whole lever and the lever without it.
    Measured (24 seeds, 90% paired intervals, save_return_share 0.15): service +212k [+138k, +287k];
    without saves +142k [+31k, +252k] (the saves' part +71k [-60k, +201k]); without consultation's edge
    -56k [-112k, -0.4k] (its part +268k [+205k, +332k]). With saves at 0.35 (a follow-up solving every
    after-delivery return it reaches) service read +277k and the saves' part +135k [+3k, +267k]."""
    case = CASE["douyin_womenswear.yaml"]
    on = sim.load_scenario(case.path)
    arms = [on.with_overrides({case.lever: case.off, "name": "off"}), on,
            on.with_overrides({"service.save_return_share": 0.0, "name": "no_saves"}),
            on.with_overrides({"service.consult_close": on.service.self_close, "name": "no_consult"})]
    cmp = sim.compare(arms, seeds=WOMENSWEAR_SEEDS)
    profit = {n: cmp.runs[n].per_seed["profit"] for n in cmp.names}
    effect = {n: paired_difference(profit["off"], profit[n]) for n in (on.name, "no_saves", "no_consult")}
    part = {n: paired_difference(profit[n], profit[on.name]) for n in ("no_saves", "no_consult")}
    figures = {k: (round(v["diff"]), round(v["lo"]), round(v["hi"])) for k, v in {**effect, **{
        "part of saves": part["no_saves"], "part of consultation": part["no_consult"]}}.items()}
    assert effect[on.name]["lo"] > 0, figures               # service pays
    assert effect["no_saves"]["lo"] > 0, figures            # and still pays without after-sales saves
    assert effect["no_consult"]["lo"] < 0, figures          # but not without consultation's edge,
    assert part["no_consult"]["lo"] > part["no_saves"]["diff"], figures   # which carries more than the saves


def test_beauty_offline_verdict_is_computed_and_carried_by_the_assistants_adds():
    """The sixth case (seed 004): an offline-led beauty brand whose assistants add store customers to WeCom
    (stores.invite_share 1 against 0). Its verdict is computed like the others' (paired seeds, 90% interval) and
    is not asserted; it comes from the pool's mechanisms acting on the members the assistants add: with the store
    entry point's add rate at 0 (asked, nobody adds), the lever changes nothing. Measured (3 seeds): profit
    +8.73M RMB [+7.91M, +9.56M] on ~22.7M without it, LTV +102 RMB [+92, +111], monthly churn -3.3 points
    [-3.5, -3.2], payback day 0 in both (the stores' own sales keep cumulative profit above 0 from day 0, so the
    boss's patience shows in the cumulative gain: +56k [+30k, +82k] at week 6, +1.92M [+1.73M, +2.10M] at month
    6)."""
    v = verdict("beauty_offline.yaml")
    d, lo, hi = v["profit"]
    assert lo <= d <= hi and hi > lo
    row = verdict_table([v]).loc["beauty_offline"]
    assert row["pays"] in (True, False, None)
    none = verdict("beauty_offline.yaml", {"entry.store.add_rate": 0.0})
    assert none["profit"][0] == 0 and none["ltv"][0] == 0, none["profit"]
