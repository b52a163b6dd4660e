"""The slide deck: opened with python-pptx, it is native 16:9, has the expected slides in order, a
picture on every chart slide, editable text (titles, the stated conclusions, the key-figure table) and
a slide of assumptions and sources; `python -m sim report --deck` writes it."""
from __future__ import annotations

import io

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Inches

import sim
from sim.cli import main
from sim.present import plots
from sim.present.conclusions import conclusions
from sim.present.deck import build_deck
from sim.present.report import ROOT

CHART_SLIDES = 4          # J-curve, LTV bridge, flows, cohort retention (two strategies)


@pytest.fixture(scope="module")
def cmp():
    base = sim.load_scenario(ROOT / "scenarios" / "baseline.yaml")
    b = base.with_overrides({"name": "weekly", "title": "Weekly", "title_zh": "每周", "messaging.per_week": 1})
    return sim.compare([base, b], seeds=2, users=1500, days=150)


def _slides(data: bytes):
    prs = Presentation(io.BytesIO(data))
    out = []
    for s in prs.slides:
        texts = [sh.text_frame.text for sh in s.shapes if sh.has_text_frame]
        pics = [sh for sh in s.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
        tables = [sh for sh in s.shapes if sh.has_table]
        out.append((texts, pics, tables))
    return prs, out


def _check(data: bytes, cmp, lang: str) -> None:
    prs, slides = _slides(data)
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))          # native 16:9
    assert len(slides) == 3 + CHART_SLIDES + 1
    title, answer, table = slides[0], slides[1], slides[2]
    assert any(plots.scenario_label("weekly", lang) in t for t in title[0])
    body = "\n".join(answer[0])
    for sentence in conclusions(cmp, lang):
        assert sentence in body                            # the stated conclusions, as editable text
    assert table[2] and table[2][0].table.cell(1, 0).text == plots.figure_label("ltv", lang)
    for texts, pics, _ in slides[3:3 + CHART_SLIDES]:
        assert len(pics) == 1 and texts and texts[0]       # one chart and an editable title each
        assert pics[0].left >= 0 and pics[0].left + pics[0].width <= prs.slide_width
        assert pics[0].top + pics[0].height <= prs.slide_height
    last = "\n".join(slides[-1][0])
    assert "messaging.per_week" in last and "acquisition.cac" in last          # what differs; what is assumed
    assert ("source" if lang == "en" else "来源") in last


def test_english_deck(cmp):
    _check(build_deck(cmp, "en"), cmp, "en")


def test_chinese_deck(cmp):
    if plots.cjk_font() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk): the Chinese deck needs one")
    _check(build_deck(cmp, "zh"), cmp, "zh")


def test_cli_report_deck(tmp_path, capsys):
    if plots.cjk_font() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk): the report draws Chinese charts")
    out = tmp_path / "out"
    code = main(["report", "--deck", "--lang", "en", "--scenarios", "baseline", "small_groups_weekly",
                 "--seeds", "1", "--users", "800", "--days", "60", "--out", str(out)])
    assert code == 0
    prs, slides = _slides((out / "report.pptx").read_bytes())
    assert "Small groups, weekly" in "\n".join(slides[0][0])
    assert "report.pptx" in capsys.readouterr().out
