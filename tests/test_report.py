"""make_report: writes the boss charts in both languages plus report_{en,zh}.{md,html}, each opening with the
recommendation (what to do, what it is worth, how sure across plausible worlds); every file carries its
language; an invalid scenario fails with ScenarioError before anything is written."""
from __future__ import annotations

import re

import pytest

import sim
from sim.core.files import MARKER
from sim.present import plots
from sim.present.report import make_report, scenario_path

CHARTS = ("j_curve", "comparison", "retention", "flows", "ltv_bridge", "worlds")   # worlds: the default check


def test_report_writes_charts_in_both_languages(tmp_path):
    if plots.cjk_font() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")
    out = tmp_path / "out"
    paths = make_report(out, seeds=2, users=1500, days=120)
    names = {p.name for p in paths}
    expected = {f"{c}_{lang}.png" for c in CHARTS for lang in ("en", "zh")} | {
        f"report_{lang}.{ext}" for lang in ("en", "zh") for ext in ("md", "html")}
    assert names == expected
    assert {p.name for p in out.iterdir()} == expected | {MARKER, "report.json"}   # no temporary files left behind
    assert {p.name for p in tmp_path.iterdir()} == {"out"}            # nor a temporary folder beside it
    for p in paths:
        assert p.stat().st_size > 500, p
        if p.suffix == ".png":
            assert p.read_bytes()[:4] == b"\x89PNG"
    md = (out / "report_en.md").read_text(encoding="utf-8")
    assert "| figure |" in md and "LTV per user" in md and "[" in md          # table with intervals
    for c in CHARTS:
        assert f"({c}_en.png)" in md and f"{c}_zh.png" in md
    assert md.count("## ") >= len(CHARTS) + 1                                 # one section per chart
    page = (out / "report_en.html").read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == len(CHARTS) and "<table>" in page
    assert "per acquired customer than" in md and "per acquired customer than" in page      # stated conclusions
    assert "16 plausible worlds" in md                                  # "16 个合理情景", or "16 个情景" in a finding
    assert re.search(r"16 个(合理)?情景", (out / "report_zh.html").read_text(encoding="utf-8"))
    zh = (out / "report_zh.html").read_text(encoding="utf-8")
    assert zh.count("data:image/png;base64,") == len(CHARTS) and "<table>" in zh
    assert "lang='zh-CN'" in zh and "每位获客用户" in zh and "累计利润" in zh
    zh_md = (out / "report_zh.md").read_text(encoding="utf-8")
    for text, rec, sure in ((md, "## Recommendation: ", "of 16 worlds"), (zh_md, "## 建议：", "在 16 个情景中的")):
        head = text.split("\n## ")[1]                                  # the first section: the recommendation
        assert ("\n" + head).startswith("\n" + rec[3:]) and sure in head and ("90%" in head)


def test_invalid_scenario_fails_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(sim.ScenarioError, match="file not found"):
        make_report(out, scenarios=[scenario_path("baseline"), tmp_path / "missing.yaml"], seeds=1, users=500, days=30)
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: " + str(scenario_path("baseline")) + "\nmessaging:\n  per_week: -3\n", encoding="utf-8")
    with pytest.raises(sim.ScenarioError, match="messaging.per_week"):
        make_report(out, scenarios=[scenario_path("baseline"), bad], seeds=1, users=500, days=30)
    with pytest.raises(sim.ScenarioError):
        make_report(out, scenarios=[scenario_path("baseline")], seeds=1, users=-5, days=30)
    with pytest.raises(sim.UsageError):
        make_report(out, scenarios=[scenario_path("baseline")], seeds=0)
    assert not out.exists()


def test_existing_output_is_untouched_by_a_failed_report(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.md").write_text("old report\n", encoding="utf-8")
    with pytest.raises(sim.ScenarioError):
        make_report(out, scenarios=[tmp_path / "nope.yaml"], seeds=1)
    assert [p.name for p in out.iterdir()] == ["report.md"]
    assert (out / "report.md").read_text(encoding="utf-8") == "old report\n"
