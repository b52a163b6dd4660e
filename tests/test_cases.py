"""The case library (scenarios/cases, sim.lab.cases): files that say what they are, verdicts
that differ between businesses, and ablations showing each verdict is carried by the
mechanism credited with it.

Verdicts are paired over seeds 0..2 (common random numbers) at 10,000 people; a verdict
"pays" when the 90% interval of the profit difference lies above 0, "loses" when below.
Measured (same set-up): clinic service +1.72M RMB [1.24M, 2.20M], without consultation
+0.03M [-0.28M, +0.33M]; K12 service -154k [-157k, -152k]; apparel member day +17k
[+14k, +21k], without its pull -4.5k [-4.6k, -4.3k]; womenswear service +345k
[+315k, +375k], without after-sales saves +204k [+176k, +232k].
"""
from pathlib import Path

import pytest

import sim
from sim.lab.cases import CASES, CASES_DIR, Case, lever_verdict, verdict_table

USERS, SEEDS = 10_000, 3
CASE = {c.file: c for c in CASES}


def verdict(file, overrides=None, case=None):
    return lever_verdict(case or CASE[file], seeds=SEEDS, users=USERS, overrides=overrides)


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
    """Ablation: with consultations that never close a stalled purchase, most of the clinic's
    gain from service is gone (below a fifth of it)."""
    clinic, _ = service_verdicts
    no_consult = verdict("hair_clinic.yaml", {"service.consult_close": 0.0})
    assert no_consult["profit"][0] < 0.2 * clinic["profit"][0]


def test_member_day_verdict_is_carried_by_its_pull():
    """The apparel brand's monthly member day pays; without its purchase pull it is only gifts
    and staff time, and loses."""
    on = verdict("apparel_member_day.yaml")
    assert on["profit"][1] > 0, on["profit"]
    no_pull = verdict("apparel_member_day.yaml", {"service.member_day_lift": 0.0})
    assert no_pull["profit"][2] < 0, no_pull["profit"]


def test_womenswear_service_verdict_is_partly_after_sales():
    """In the womenswear case service pays, and after-sales follow-ups carry a good part of it:
    without them the gain falls by more than a quarter (but care and consultation remain)."""
    on = verdict("douyin_womenswear.yaml")
    assert on["profit"][1] > 0
    no_saves = verdict("douyin_womenswear.yaml", {"service.save_return_share": 0.0})
    assert no_saves["profit"][0] < 0.75 * on["profit"][0]
