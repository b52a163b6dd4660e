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
