"""The deck a consultant can hand to a boss, read as a reviewer reads it: the storyline (question, the answer
as the summary's title, one recommendation slide, message titles carrying their figures, the verdict across
plausible worlds, what to test first, appendix), every number and share from the finding and its
recommendation, speaker notes on every slide; in Chinese no raw key, no half-width punctuation after a Chinese
character, no jargon, and East Asian fonts Windows and Mac PowerPoint have; `report --deck` writes one file
per language, and a what-if is named on every slide."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Inches

import sim
from sim.cli import main
from sim.lab.findings import findings_of
from sim.lab.recommend import recommend
from sim.present import plots
from sim.present.deck import EAST_ASIAN, EAST_ASIAN_MAC, build_deck
from sim.present.report import ROOT
from sim.present.storyline import storyline

RAW_KEY = re.compile(r"\b[a-z]+\.[a-z_]{2,}\b")
HALF_WIDTH = re.compile(r"[\u4e00-\u9fff][,;:()]")
JARGON = ("Shapley", "Spearman", "拉丁超立方", "智能体", "种子", " pp", "rho")


def _cjk():
    if plots.cjk_font() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk): the Chinese deck needs one")


@pytest.fixture(scope="module")
def finding():
    base = sim.load_scenario(ROOT / "scenarios" / "discount_only.yaml")
    b = sim.load_scenario(ROOT / "scenarios" / "differentiated_service.yaml")
    return findings_of(sim.compare([base, b], seeds=2, users=1500, days=150), worlds=8)


def _read(data: bytes):
    """[(title, texts, pictures, tables, notes)] per slide: the title is the first text box."""
    prs = Presentation(io.BytesIO(data))
    out = []
    for s in prs.slides:
        texts = [sh.text_frame.text for sh in s.shapes if sh.has_text_frame]
        pics = [sh for sh in s.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
        cells = [c.text for sh in s.shapes if sh.has_table for r in sh.table.rows for c in r.cells]
        notes = s.notes_slide.notes_text_frame.text if s.has_notes_slide else ""
        out.append((texts[0] if texts else "", texts, pics, cells, notes))
    return prs, out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_storyline_answer_first_with_one_recommendation(finding, lang):
    if lang == "zh":
        _cjk()
    prs, slides = _read(build_deck(finding, lang))
    story = storyline(finding, lang)
    rec = recommend(finding)
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))          # native 16:9
    assert [s.kind for s in story][:3] == ["title", "summary", "recommendation"]
    assert [s.kind for s in story][-5:] == ["risks", "table", "method", "assumptions", "glossary"]
    assert len(slides) == len(story)
    word = "建议" if lang == "zh" else "Recommendation"
    recs = [i for i, s in enumerate(slides) if s[0].startswith(word)]
    assert recs == [2]                                                  # one recommendation slide
    body = "\n".join(slides[2][1])
    n, w = rec.worlds, rec.wins
    share = (f"在 {n} 个情景中的 {w} 个（{round(100 * w / n)}%）更优" if lang == "zh" else
             f"better in {w} of {n} worlds ({round(100 * w / n)}%)")
    assert share in body                                                # how sure: the plausible worlds' share
    assert ("90% 区间" if lang == "zh" else "90% interval") in body      # ... reconciled with the seeds' interval
    assert plots.scenario_label(rec.choice, lang) in slides[1][0]       # the summary's title is the answer
    findings = [s for s, st in zip(slides, story) if st.kind == "finding"]
    assert len(findings) >= 4 and all(re.search(r"\d", s[0]) for s in findings)   # message titles carry figures
    for s in findings:
        assert len(s[2]) == 1                                          # the chart that shows it
        pic = s[2][0]
        assert 0 <= pic.left and pic.left + pic.width <= prs.slide_width and pic.top + pic.height <= prs.slide_height
    worlds = [s for s, st in zip(slides, story) if st.chart and st.chart.startswith("worlds")]
    assert worlds and str(finding.world_count) in worlds[0][0]          # the verdict across plausible worlds
    assert all(s[4].strip() for s in slides)                            # speaker notes on every slide
    assert any(s[3] for s in slides)                                    # the key figures, as an editable table


def test_payback_title_states_each_month(finding):
    """The J-curve's title says in which month each strategy pays back (or that it does not), earlier first,
    as the chart marks it (the strategies' payback days are set here to reach every case)."""
    from dataclasses import replace
    a, b = finding.names

    def title(pa, pb):
        st = {a: replace(finding.strategies[a], payback=pa), b: replace(finding.strategies[b], payback=pb)}
        f = replace(finding, strategies=st)
        return next(s.title for s in storyline(f, "zh") if s.chart == "j_curve")
    A, B = plots.scenario_label(a, "zh"), plots.scenario_label(b, "zh")
    assert title(275.0, 187.0) == f"{B}第 7 个月回本，{A}要到第 10 个月"          # 30.4-day months
    assert title(100.0, None) == f"{A}第 4 个月回本，{B}在 {finding.days} 天内未回本"
    assert title(None, None).startswith(f"{finding.days} 天内两者都未回本")
    assert title(40.0, 41.0).startswith("两者都在第 2 个月回本")


def test_chinese_deck_reads_as_chinese(finding):
    _cjk()
    data = build_deck(finding, "zh")
    _, slides = _read(data)
    texts = [t for s in slides for t in s[1] + s[3] + [s[4]]]
    joined = "\n".join(texts)
    assert not RAW_KEY.findall(joined), RAW_KEY.findall(joined)[:5]     # every key and assumption in words
    assert not HALF_WIDTH.findall(joined), [joined[m.start() - 8:m.end() + 4] for m in HALF_WIDTH.finditer(joined)][:5]
    assert not [w for w in JARGON if w in joined]
    assert "万" in joined                                               # money the way a Chinese reader counts it
    assert "术语" in slides[-1][0] and "合理情景" in "\n".join(slides[-1][1])     # the few terms that stay


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_run_names_an_east_asian_font_powerpoint_has(finding, lang):
    if lang == "zh":
        _cjk()
    z = zipfile.ZipFile(io.BytesIO(build_deck(finding, lang)))
    slides = [n for n in z.namelist() if re.match(r"ppt/(slides|notesSlides)/\w+\.xml$", n)]
    for name in slides:
        xml = z.read(name).decode("utf-8")
        runs = re.findall(r"<a:rPr[^>]*>.*?</a:rPr>|<a:rPr[^>]*/>", xml, re.S)
        text_runs = len(re.findall(r"<a:r>", xml))
        named = [r for r in runs if f'<a:ea typeface="{EAST_ASIAN}"' in r and 'charset="-122"' in r]
        assert len(named) >= text_runs, name                           # every run of ours names it
    theme = next(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("ppt/theme/"))
    assert f'<a:ea typeface="{EAST_ASIAN}"/>' in theme and f'script="Hans" typeface="{EAST_ASIAN_MAC}"' in theme


def test_unchecked_finding_says_so_and_claims_no_share(finding):
    cmp = sim.compare([sim.load_scenario(ROOT / "scenarios" / "discount_only.yaml"),
                       sim.load_scenario(ROOT / "scenarios" / "differentiated_service.yaml")],
                      seeds=2, users=800, days=60)
    f = findings_of(cmp, worlds=0)
    rec = recommend(f)
    assert rec.action == "unchecked" and rec.worlds == 0 and rec.share is None
    story = storyline(f, "en")
    text = "\n".join(x for s in story for x in [s.title, *s.body, *(t for _, t in s.sections)])
    assert "not yet checked across plausible worlds" in story[1].title and "plausible worlds" in story[2].title
    assert "% of plausible worlds" not in text


def test_cli_writes_one_deck_per_language_and_names_a_what_if(tmp_path, capsys):
    _cjk()
    out = tmp_path / "out"
    args = ["report", "--deck", "--seeds", "1", "--users", "800", "--days", "60", "--worlds", "0", "--out", str(out)]
    assert main(args + ["--lang", "en"]) == 0
    assert main(args + ["--lang", "zh"]) == 0                           # the same comparison: the English deck stays
    assert {"deck_en.pptx", "deck_zh.pptx", "report_en.html", "report_zh.html"} <= {p.name for p in out.iterdir()}
    assert main(args + ["--lang", "zh", "--set", "market.price_rmb=300"]) == 0    # another comparison: a what-if
    assert not (out / "deck_en.pptx").exists()
    _, slides = _read((out / "deck_zh.pptx").read_bytes())
    for s in slides:
        assert any(t.startswith("假设情景（你的设定）：客单价 300 元（默认") for t in s[1])   # on every slide
    appendix = "\n".join(next(s for s in slides if s[0].startswith("附录三"))[1])
    assert "你的设定" in appendix and "客单价：300 元（你的设定" in appendix
    assert "deck_zh.pptx" in capsys.readouterr().out


def test_every_schema_key_has_a_display_name_in_both_languages():
    """A verdict, a hinge chart or the deck's assumptions name a key in words, never as a dotted key."""
    from sim.core.scenario import iter_schema
    from sim.present.labels import LABELS
    unnamed = [k for k, *_ in iter_schema() if k not in ("name", "title", "title_zh") and
               not (LABELS.get("l." + k) and all(LABELS["l." + k]))]
    assert unnamed == []
