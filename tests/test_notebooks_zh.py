"""The notebooks in Chinese: nbval runs them in English (`make test` sets SIYU_LANG=en); here two of them run
with SIYU_LANG=zh (as `make lab LANG=zh` opens them), on copies, and every text they show is read: each table,
line and paragraph is Chinese with no English figure name, and the page ends with its stated conclusions in
Chinese first, then in English."""
from __future__ import annotations

import re
import shutil

import nbformat
import pytest

from sim.present.labels import LABELS, has_cjk
from sim.present.notebook_exec import execute
from sim.present.report import ROOT

NOTEBOOKS = ("01_quickstart.ipynb", "06_case_library.ipynb")
# English figure names (the label table's) and words a Chinese page must not show
ENGLISH = sorted({en for k, (en, _) in LABELS.items() if k.startswith("fig.") and len(en) > 3} |
                 {"RMB", "What to conclude", "simulated", "per user", "Payback"}, key=len, reverse=True)


def _texts(nb) -> list[str]:
    """What a reader sees as text: printed lines, tables (text/plain) and paragraphs (text/markdown)."""
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream":
                out.append(o["text"])
            elif "data" in o:
                d = o["data"]
                if "text/markdown" in d:
                    out.append(d["text/markdown"])
                elif "image/png" not in d and "text/plain" in d:
                    out.append(d["text/plain"])
    return [t for t in out if t.strip()]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_reads_in_chinese(name, tmp_path, monkeypatch):
    monkeypatch.setenv("SIYU_LANG", "zh")
    monkeypatch.delenv("VOILA_BASE_URL", raising=False)
    path = tmp_path / name
    shutil.copy(ROOT / "notebooks" / name, path)
    execute(path, timeout=300)
    texts = _texts(nbformat.read(str(path), as_version=4))
    assert len(texts) >= 5, texts
    *page, last = texts
    assert last.startswith("结论"), f"{name} does not end with its conclusions in Chinese: {last[:200]!r}"
    zh, sep, en = last.partition("What to conclude")
    assert sep and re.search(r"[A-Za-z]{4,}", en), f"{name}: the conclusions are not also stated in English"
    for t in page + [zh]:
        assert has_cjk(t), f"{name} shows text with no Chinese: {t[:300]!r}"
        shown = [w for w in ENGLISH if w in t]
        assert not shown, f"{name} shows English {shown} in: {t[:300]!r}"
        assert not re.search(r"[\u4e00-\u9fff][,;:?!]", t), f"{name}: half-width punctuation after Chinese in {t[:300]!r}"
