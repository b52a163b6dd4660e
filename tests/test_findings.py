"""The typed findings the lab hands to presentation (sim.lab.findings, verdicts, provenance): each figure
knows its unit and which way is better and carries the comparison's numbers; each input says where it
came from; a Finding is built once from results in any shape and presentation reads nothing else."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import sim
from sim.lab.findings import findings_of
from sim.lab.provenance import dotted_lines, fitted_marks, provenance

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def cmp():
    return sim.compare(["baseline", "discount_only"], seeds=2, users=1500, days=90)


def test_a_finding_carries_the_comparisons_numbers_with_units_and_direction(cmp):
    f = findings_of(cmp, worlds=0)
    t = cmp.table
    ltv, churn = f.figures["ltv"], f.figures["churn_rate_monthly"]
    assert (ltv.unit, ltv.better, churn.unit, churn.better) == ("rmb_user", 1, "share", -1)
    assert f.figures["profit"].unit == "rmb" and f.figures["payback_day"].better == -1
    d = ltv.diffs["discount_only"]
    assert (d.mean, d.lo, d.hi, d.vr) == (t.at["ltv", "diff:discount_only"], t.at["ltv", "lo:discount_only"],
                                          t.at["ltv", "hi:discount_only"], t.at["ltv", "vr:discount_only"])
    assert ltv.values["baseline"].mean == cmp.runs["baseline"].summary.at["ltv", "mean"] and d.n == 2
    st = f.strategies["discount_only"]
    assert st.title == "Discount only" and st.histories == 2 and st.days == 90
    assert f.titles["discount_only"] == ("Discount only", "只打折")
    assert sum(f.bridge().parts.values()) == pytest.approx(f.bridge().gap) == pytest.approx(d.mean)
    assert f.worlds == {} and f.verdict("ltv").kind == "seeds"            # worlds=0: the seeds alone


def test_results_in_any_shape_make_the_same_finding(cmp):
    runs = {n: list(cmp.runs[n].results) for n in cmp.names}
    a = findings_of(runs, worlds=0)
    b = findings_of(cmp, worlds=0)
    assert a.names == b.names
    for n in a.names:
        x, y = a.figures["ltv"].values[n], b.figures["ltv"].values[n]
        assert (x.mean, x.lo, x.hi, x.n) == (y.mean, y.lo, y.hi, y.n)
    one = findings_of(cmp.runs["baseline"].results[0], worlds=0)
    assert one.names == ("baseline",) and one.figures["ltv"].diffs == {}
    with pytest.raises(TypeError, match="expected a Result"):
        findings_of({"x": 3}, worlds=0)


def test_every_input_says_where_it_came_from(tmp_path):
    sc = sim.load_scenario("discount_only", {"market.users": 5000})
    p = provenance(sc)
    assert p["messaging.per_week"].kind == "default" and p["messaging.per_week"].source      # the schema's source
    assert p["offers.discount_depth"].kind == "setting" and p["offers.discount_depth"].value == 0.15
    assert p["offers.discount_depth"].default == 0 and p["market.users"].kind == "setting"
    assert "name" not in p and "title" not in p                          # display keys are not inputs
    # a calibrated scenario marks its fitted keys; they read back as fitted, whatever their value
    text = "name: mine\nmarket:\n  price_rmb: 88.5  # fitted from shop.csv on 2026-01-02\n  users: 5000\n" \
           "economics:\n  cogs_share: 0.45  # fitted from shop.csv on 2026-01-02\n"
    (tmp_path / "mine.yaml").write_text(text, encoding="utf-8")
    marks = fitted_marks(tmp_path / "mine.yaml")
    assert marks == {"market.price_rmb": "fitted from shop.csv on 2026-01-02",
                     "economics.cogs_share": "fitted from shop.csv on 2026-01-02"}
    q = provenance(sim.load_scenario(tmp_path / "mine.yaml"), marks)
    assert q["economics.cogs_share"].kind == "fitted" and q["market.price_rmb"].source.startswith("fitted from shop.csv")
    assert [k for k, _ in dotted_lines(text) if k] == ["name", "market", "market.price_rmb", "market.users",
                                                       "economics", "economics.cogs_share"]
    assert fitted_marks(tmp_path / "nothing.yaml") == {}


def test_presentation_reads_findings_not_results():
    """No module of sim/present reads a Result's or a Many's tables: they render findings
    (charts_* and the report read Strategy, FigureFinding, Bridge, Levers, Worlds). The calibration report
    reads its own Calibration; refcache stores Results; the dashboard runs them and hands them to the door."""
    allowed = {"calibration_report.py", "refcache.py", "dashboard.py", "notebook_exec.py"}
    bad = []
    for path in sorted((ROOT / "sim" / "present").glob("*.py")):
        if path.name in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("daily", "per_seed", "results", "summary"):
                bad.append(f"{path.name}:{node.lineno} .{node.attr}")
    assert not bad, bad
