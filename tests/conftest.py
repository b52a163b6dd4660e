import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
ROOT = Path(__file__).resolve().parent.parent
SCEN = ROOT / "scenarios"


@pytest.fixture(autouse=True)
def _project_cwd(monkeypatch):
    """Tests run from the project root whatever the caller's folder."""
    monkeypatch.chdir(ROOT)
    yield


def pytest_configure(config):
    os.environ.setdefault("MPLBACKEND", "Agg")


def pytest_collection_modifyitems(config, items):
    """Notebooks that draw Chinese charts (metadata "siyu": {"needs_cjk_font": true}) are skipped, with
    the reason, when no CJK font is installed, like the font-dependent tests."""
    import json

    needs: dict[str, bool] = {}
    missing = None
    for item in items:
        path = str(getattr(item, "path", getattr(item, "fspath", "")))
        if not path.endswith(".ipynb"):
            continue
        if path not in needs:
            try:
                meta = json.loads(Path(path).read_text(encoding="utf-8")).get("metadata", {})
            except (OSError, ValueError):
                meta = {}
            needs[path] = bool(meta.get("siyu", {}).get("needs_cjk_font"))
        if not needs[path]:
            continue
        if missing is None:
            from sim.present.style import cjk_font
            missing = cjk_font() is None
        if missing:
            item.add_marker(pytest.mark.skip(reason="no CJK font installed (apt-get install fonts-noto-cjk): "
                                                    "this notebook exports Chinese charts"))
