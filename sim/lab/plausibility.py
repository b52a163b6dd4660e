"""Plausibility: the headline outputs a consultant checks first, beside what the field reports.

    from sim.lab.plausibility import plausibility, plausibility_table
    p = plausibility("baseline", seeds=2)          # runs seeds 0 .. 1
    print(plausibility_table(p))                   # one row per figure; p.summary_line()

Each figure is computed from one run's `Result` (res.daily, res.users, res.summary; every count for the
whole market, so ratios need no scaling), then averaged over seeds with a 90% Student-t interval of the
mean (sim.lab.experiments.mean_interval). The ranges and their sources are in sim.lab.evidence. Verdict:
"in range" when the mean over seeds lies inside the published range (ends included), "out of range"
otherwise, "no published figure" when the field has none, "not in this run" when the run has nothing to
measure (e.g. no groups).

Definitions (people "acquired in the run": acquired on some day of the run through any channel but
'existing', i.e. not day-0 pool members or a calibrated brand's own customers):
  join_share              people acquired in the run who were ever in the pool by its end / people
                          acquired in the run (users: in_pool_ever).
  accept_rate             friend requests accepted / sent (daily friend_accepts / friend_requests): one
                          request on arrival to every newcomer of the common path, buyer or not, and one with
                          every order a public-side customer places (a package insert); accepted counts those
                          who said yes, whether or not the accounts still had room.
  orders_per_member_year  orders placed by pool members (pool_orders; a muted member still counts: the brand
                          cannot tell) / pool member-years (sum of the end-of-day pool_users / 365).
  pool_public_ratio       orders_per_member_year / orders per public-side customer-year: (orders -
                          pool_orders - first_orders) / (sum of customers - pool_users, / 365). First orders
                          placed on arrival are acquisition, not the buying rate, and are left out; both sides
                          include people who have not bought yet.
  repeat_rate             people acquired in the run with at least one order by its end: the share with two
                          or more. Horizon: the run's window (365 days by default), as the calendar-year
                          repurchase rates practitioners quote; someone who first bought in month 11 has one
                          month to buy again, in the lab as in those figures, so for a growing brand it is
                          below a true "within 12 months of the first order" rate.
  cac_over_first_order    (paid acquisition spend / paid first buyers) / their mean order value at list price;
                          paid first buyers = people acquired through Douyin, Xiaohongshu or e-commerce with at
                          least one order by the end of the run (a lead who buys later counts: the spend
                          bought them too). A new-customer coupon lowers the price paid, not this value.
  deletion_monthly        pool members who deleted the brand (lost for the reason 'annoyed', the lab's only
                          deletion) per pool member-month: sum(lost_annoyed) / (sum(pool_users) / DAYS_PER_MONTH).
                          Lapsing and wash-back take members out of the pool too (summary
                          pool_churn_rate_monthly); they are not deletions.
  mute_monthly            mutes (daily `muted`) per pool member-month, as deletion_monthly.
  group_posts_per_100     members' posts in groups per 100 group members a day: 100 x sum(group_posts) /
                          sum(group_members) (member-days in active groups). The brand's own posts in a group
                          (messaging.group_share of its messages) are not counted here: members' chatter only.
  payback_month           summary payback_day / DAYS_PER_MONTH (sim.core.units) (the first day cumulative profit is back at >= 0 after
                          its lowest point); infinite when that is not within the run.
  referral_share          summary referral_share: referred users / acquired users (day-0 members included in
                          the denominator, as everywhere the lab reports it).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core.files import write_atomic
from ..core.population import PAID_CHANNELS, sample_size
from ..core.units import DAYS_PER_MONTH
from ..engine.runner import resolve, run
from .evidence import EVIDENCE, SOURCES
from .provenance import evidence_counts
from .experiments import check_seeds, mean_interval

IN, OUT, NONE, UNMEASURED = "in range", "out of range", "no published figure", "not in this run"


def _ratio(num: float, den: float) -> float:
    return float(num) / float(den) if den > 0 else math.nan


def _acquired_here(res):
    """The users table's rows of people acquired in the run (not day-0 members, channel 'existing')."""
    u = res.users
    return u[(u["acquired_day"] >= 0) & (u["channel"] != "existing")]


def _join_share(res) -> float:
    a = _acquired_here(res)
    return float(a["in_pool_ever"].mean()) if len(a) else math.nan


def _orders_per_member_year(res) -> float:
    d = res.daily
    return _ratio(d["pool_orders"].sum(), d["pool_users"].sum() / 365.0)


def _public_rate(res) -> float:
    """Orders per public-side customer-year, first orders on arrival left out."""
    d = res.daily
    public_orders = d["orders"].sum() - d["pool_orders"].sum() - d["first_orders"].sum()
    return _ratio(public_orders, (d["customers"] - d["pool_users"]).sum() / 365.0)


def _repeat_rate(res) -> float:
    buyers = _acquired_here(res)
    buyers = buyers[buyers["orders"] >= 1]
    return float((buyers["orders"] >= 2).mean()) if len(buyers) else math.nan


def _cac_over_first_order(res) -> float:
    a = _acquired_here(res)
    paid = a[a["channel"].isin(PAID_CHANNELS) & (a["orders"] >= 1)]
    if not len(paid):
        return math.nan
    per_buyer = res.daily["acquisition"].sum() / (len(paid) * res.scale)
    return per_buyer / float(paid["order_value"].mean())


def _per_member_month(res, column: str) -> float:
    d = res.daily
    return _ratio(d[column].sum(), d["pool_users"].sum() / DAYS_PER_MONTH)


def _payback_month(res) -> float:
    day = res.summary["payback_day"]
    return math.inf if day is None else day / DAYS_PER_MONTH


# key -> how the figure is read from one Result (definitions: the module docstring)
FIGURES = {
    "join_share": _join_share,
    "accept_rate": lambda r: _ratio(r.daily["friend_accepts"].sum(), r.daily["friend_requests"].sum()),
    "orders_per_member_year": _orders_per_member_year,
    "pool_public_ratio": lambda r: _ratio(_orders_per_member_year(r), _public_rate(r)),
    "repeat_rate": _repeat_rate,
    "cac_over_first_order": _cac_over_first_order,
    "deletion_monthly": lambda r: _per_member_month(r, "lost_annoyed"),
    "mute_monthly": lambda r: _per_member_month(r, "muted"),
    "group_posts_per_100": lambda r: 100 * _ratio(r.daily["group_posts"].sum(), r.daily["group_members"].sum()),
    "payback_month": _payback_month,
    "referral_share": lambda r: float(r.summary["referral_share"]),
}


def figures_of(res) -> dict[str, float]:
    """Every figure of one run (NaN: nothing to measure; inf: payback not within the run)."""
    return {k: float(f(res)) for k, f in FIGURES.items()}


@dataclass(frozen=True)
class Row:
    """One figure: the lab's mean over seeds and 90% interval (lo, hi), the published range (low, high;
    None when there is none), its source and credibility, and the verdict."""
    key: str
    label: str
    value: float
    lo: float
    hi: float
    unit: str
    low: float | None
    high: float | None
    source: str
    credibility: str
    verdict: str
    note: str
    calibrated: tuple[str, ...] = ()    # keys whose default was set so this figure lands in range (a target)


@dataclass(frozen=True)
class Plausibility:
    """The table for one scenario: its rows (in sim.lab.evidence's order) and how it was run."""
    scenario: str
    seeds: int
    agents: int
    days: int
    rows: tuple[Row, ...]
    inputs: dict = field(default_factory=dict)   # {evidence kind: [keys]}: what the scenario's inputs rest on

    def inputs_line(self) -> str:
        """'inputs: 0 fitted from data, 41 cited, 109 assumed, 26 settings; fitted: a, b' (empty without inputs)."""
        if not self.inputs:
            return ""
        n = {k: len(v) for k, v in self.inputs.items()}
        line = (f"inputs: {n.get('fitted', 0)} fitted from data, {n.get('cited', 0)} cited, {n.get('assumed', 0)} "
                f"assumed, {n.get('setting', 0)} settings (`python -m sim schema` says which)")
        return line + (f"; fitted: {', '.join(self.inputs['fitted'])}" if self.inputs.get("fitted") else "")

    def row(self, key: str) -> Row:
        return next(r for r in self.rows if r.key == key)

    def summary_line(self) -> str:
        """'3 of 11 in range; out: a, b; no published figure: c; not in this run: d' (figures by label)."""
        def names(verdict):
            return ", ".join(r.label for r in self.rows if r.verdict == verdict)
        n_in = sum(r.verdict == IN for r in self.rows)
        targets = [r.label for r in self.rows if r.calibrated]
        parts = [f"{n_in} of {len(self.rows)} in range" + (
            f" ({len(targets)} of the rows are targets a default was set to reach, not checks: {', '.join(targets)})"
            if targets else "")]
        parts += [f"{head}: {names(v)}" for v, head in ((OUT, "out"), (NONE, NONE), (UNMEASURED, UNMEASURED))
                  if names(v)]
        return "; ".join(parts)


def verdict(value: float, low: float | None, high: float | None) -> str:
    """IN / OUT / NONE (no published figure) / UNMEASURED (NaN) for a mean over seeds."""
    if low is None or high is None:
        return NONE
    if math.isnan(value):
        return UNMEASURED
    return IN if low <= value <= high else OUT


def rows_of(results: list) -> tuple[Row, ...]:
    """The table's rows from runs of one scenario (one Result per seed)."""
    per_seed = [figures_of(r) for r in results]
    rows = []
    for e in EVIDENCE:
        vals = [s[e.key] for s in per_seed]
        if any(math.isinf(v) for v in vals):           # payback not within the run in some seed
            value, lo, hi = math.inf, math.nan, math.nan
        else:
            ci = mean_interval(vals)
            value, lo, hi = ci["mean"], ci["lo"], ci["hi"]
        rows.append(Row(e.key, e.figure, value, lo, hi, e.unit, e.low, e.high, e.source, e.credibility,
                        verdict(value, e.low, e.high), e.note, e.calibrates))
    return tuple(rows)


def plausibility(scenario, seeds: int = 2, agents: int | None = None, days: int = 365,
                 users: int | None = None, fitted: dict | None = None) -> Plausibility:
    """Run `scenario` (a Scenario, a file or a shipped name) with seeds 0 .. seeds-1 for `days` days and
    set each headline figure beside its published range, and count what its inputs rest on (`fitted`:
    {key: 'fitted from ...'}, provenance.fitted_marks of its file). Reads sim.lab.evidence; changes nothing."""
    k = check_seeds(seeds)
    sc = resolve(scenario, users, days, agents)
    results = [run(sc, seed=s, progress=False) for s in range(k)]
    return Plausibility(sc.name, k, sample_size(sc.market)[0], sc.horizon_days, rows_of(results),
                        evidence_counts(sc, fitted))


# ----------------------------------------------------------------- text

def fmt_value(v: float, unit: str) -> str:
    """A figure in its unit: shares and monthly rates in %, ratios as 1.3x, the rest with 1-2 decimals."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    if math.isinf(v):
        return "never"
    if unit in ("share", "per month"):
        return f"{100 * v:.1f}%" if abs(v) >= 0.001 else f"{100 * v:.2f}%"
    if unit == "x":
        return f"{v:.2f}x"
    return f"{v:.2f}" if abs(v) < 10 else f"{v:.1f}"


def _lab_cell(r: Row) -> str:
    if math.isinf(r.value) and r.key == "payback_month":
        return "not within the run"
    cell = fmt_value(r.value, r.unit)
    if not (math.isnan(r.lo) or math.isnan(r.hi)):
        cell += f" [{fmt_value(r.lo, r.unit)}, {fmt_value(r.hi, r.unit)}]"
    return cell


def _verdict_cell(r: Row) -> str:
    """The verdict, and for a target the keys calibrated to it: 'in range (target of acquisition.cac)'."""
    return r.verdict + (f" (target of {', '.join(r.calibrated)})" if r.calibrated else "")


def _range_cell(r: Row) -> str:
    return "none published" if r.low is None else f"{fmt_value(r.low, r.unit)} .. {fmt_value(r.high, r.unit)}"


def plausibility_table(p: Plausibility, sources: bool = True) -> str:
    """The table as text: figure, lab value [90% interval over seeds], published range, verdict, source
    tags; then the one-line summary and (with `sources`) the sources behind the tags."""
    head = (f"{p.scenario}: {p.seeds} seed(s), {p.agents:,} agents, {p.days} days; lab value = mean over seeds "
            f"[90% interval]")
    cols = [("figure", [r.label for r in p.rows]), ("lab", [_lab_cell(r) for r in p.rows]),
            ("published", [_range_cell(r) for r in p.rows]), ("verdict", [_verdict_cell(r) for r in p.rows]),
            ("source", [", ".join(_tags(r.source)) or "-" for r in p.rows])]
    width = [max(len(h), *(len(x) for x in xs)) for h, xs in cols]
    lines = [head, "  ".join(h.ljust(w) for (h, _), w in zip(cols, width)).rstrip()]
    for i in range(len(p.rows)):
        lines.append("  ".join(xs[i].ljust(w) for (_, xs), w in zip(cols, width)).rstrip())
    lines += ["", p.summary_line()] + ([p.inputs_line()] if p.inputs else [])
    if sources:
        lines += ["", "Sources (credibility):"] + [f"  [{s.tag}] {s.title}; {s.where} ({s.credibility})"
                                                    for s in SOURCES]
    return "\n".join(lines)


def _tags(text: str) -> list[str]:
    """The [tag]s a source text cites, in order, once each."""
    out = []
    for group in re.findall(r"\[([^\]]+)\]", text):
        for t in (x.strip() for x in group.split(";")):
            if t and t not in out:
                out.append(t)
    return out


DOC_TITLE = "## Plausibility against published figures"


def plausibility_markdown(p: Plausibility) -> str:
    """The docs/model.md section (DOC_TITLE): how it was made, the table with each row's credibility and
    note, the summary, and the sources."""
    out = [DOC_TITLE, "",
           f"Generated by `python -m sim plausibility {p.scenario} --seeds {p.seeds} --markdown` ({p.agents:,} "
           f"agents, {p.days} days; `make docs` regenerates it, a test fails when it is stale). Each figure is "
           "defined in `sim/lab/plausibility.py`; the ranges, their sources and credibility are "
           "`sim/lab/evidence.py`. Lab value: mean over seeds [90% interval].", "",
           "| figure | lab | published | verdict | source | credibility | note |",
           "|---|---|---|---|---|---|---|"]
    for r in p.rows:
        cells = (r.label, _lab_cell(r), _range_cell(r), _verdict_cell(r), r.source, r.credibility, r.note)
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    out += ["", f"**{p.summary_line()}.**"] + (["", p.inputs_line().capitalize() + "."] if p.inputs else [])
    out += ["", "Sources:", ""]
    out += [f"- [{s.tag}] {s.title}. {s.where} ({s.credibility})" for s in SOURCES]
    return "\n".join(out) + "\n"


def replace_doc_section(doc: str, section: str) -> str:
    """`doc` with its DOC_TITLE section (up to the next '## ' or '# ' heading) replaced by `section`, or
    `section` put before '# Reference tables' when the doc has none yet."""
    lines = doc.splitlines(keepends=True)
    start = next((i for i, x in enumerate(lines) if x.rstrip() == DOC_TITLE), None)
    if start is None:
        at = next((i for i, x in enumerate(lines) if x.rstrip() == "# Reference tables"), len(lines))
        return "".join(lines[:at]) + section + "\n" + "".join(lines[at:])
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith(("# ", "## "))), len(lines))
    return "".join(lines[:start]) + section + "\n" + "".join(lines[end:])


def update_doc(path: str | Path, p: Plausibility) -> None:
    """Write `p`'s section into the Markdown file `path` (docs/model.md)."""
    path = Path(path)
    write_atomic(path, replace_doc_section(path.read_text(encoding="utf-8"), plausibility_markdown(p)))
