"""The case library: businesses from the seeds (scenarios/cases/*.yaml) and the question each asks.

    from sim.lab.cases import CASES, lever_verdict, verdict_table
    v = lever_verdict(CASES[0], seeds=5)     # the case's lever on vs off, paired by seed
    verdict_table([lever_verdict(c) for c in CASES])

A case's question is one lever: the case file as shipped has it on (`on`), and the
same file with only that key set to `off` is the comparison. Both run on the same seeds
(common random numbers), so the difference is the lever's; intervals are the paired
90% t-intervals of sim.lab.experiments. Nothing here says which way a verdict goes.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..core.places import SCENARIOS_DIR
from ..core.scenario import load_scenario
from .experiments import compare, interval_side

CASES_DIR = SCENARIOS_DIR / "cases"
VERDICT_FIGURES = ("profit", "ltv", "churn_rate_monthly", "payback_day")


@dataclass(frozen=True)
class Case:
    file: str          # file name under scenarios/cases/
    lever: str         # the dotted key the case's question is about
    off: object        # the lever's value without it
    question: str      # in the strategist's words

    @property
    def path(self) -> Path:
        return CASES_DIR / self.file


CASES = (
    Case("douyin_womenswear.yaml", "service.one_to_one_hours_per_day", 0,
         "Does one-to-one after-sales and styling service pay when 4 orders in 10 come back?"),
    Case("apparel_member_day.yaml", "service.member_day_every_days", 0,
         "Does a monthly member day pay?"),
    Case("hair_clinic.yaml", "service.one_to_one_hours_per_day", 0,
         "Do consultants pay for themselves in a high-ticket, low-frequency clinic?"),
    Case("k12_exam_papers.yaml", "referral.unlock_invites", 0,
         "Does 'bring 2 parents into the group' pay?"),
    Case("b2b_saas_wecom.yaml", "service.one_to_one_hours_per_day", 0,
         "Does one-to-one nurturing of B2B leads in WeCom pay?"),
    Case("beauty_offline.yaml", "stores.invite_share", 0,
         "Does backing the shop assistants' WeCom books pay within the year the boss will wait?"),
)


def lever_verdict(case: Case, seeds: int = 5, users: int | None = None, days: int | None = None,
                  overrides: dict | None = None, agents: int | None = None) -> dict:
    """Run the case with its lever on (as shipped, plus `overrides`) and off, on the same seeds
    (`users` changes the case's market size in people, `agents` only how many simulate it).
    Returns {case, lever, on, off, figure -> (diff, lo, hi) of on - off, and the on/off means}."""
    on = load_scenario(case.path, overrides or {})
    value_on = on.get(case.lever)
    off = on.with_overrides({case.lever: case.off})
    off = off.with_overrides({"name": f"{on.name} without {case.lever}"})
    cmp = compare([off, on], seeds=seeds, users=users, days=days, agents=agents)
    t = cmp.table
    name_on = cmp.names[1]
    out = {"case": on.name, "title": on.title or on.name, "title_zh": on.title_zh or on.title or on.name,
           "lever": case.lever, "on": value_on, "off": case.off, "seeds": seeds}
    for f in VERDICT_FIGURES:
        out[f] = (t.at[f, f"diff:{name_on}"], t.at[f, f"lo:{name_on}"], t.at[f, f"hi:{name_on}"])
        out[f + "_on"] = t.at[f, name_on]
        out[f + "_off"] = t.at[f, cmp.names[0]]
    return out


def verdict_table(verdicts: list[dict]) -> pd.DataFrame:
    """One row per case: the lever and its paired effects with 90% intervals; `pays` is True when the
    profit interval lies above 0, False when below, None when it spans 0."""
    rows = []
    for v in verdicts:
        row = {"case": v["case"], "lever": f"{v['lever']} = {v['on']:g} (vs {v['off']:g})"}
        for f in VERDICT_FIGURES:
            d, lo, hi = v[f]
            row[f"{f} effect"] = d
            row[f"{f} 90% interval"] = (lo, hi)
        _, lo, hi = v["profit"]
        row["pays"] = {1: True, -1: False}.get(interval_side(lo, hi))    # None: the interval spans 0
        rows.append(row)
    return pd.DataFrame(rows).set_index("case")

