"""`make notebooks` (sim.present.notebook_exec): outputs are stored in place; a failing notebook is left untouched."""
import nbformat
import pytest
from nbclient.exceptions import CellExecutionError

from sim.present.notebook_exec import execute


def _notebook(path, source):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source)]
    nbformat.write(nb, str(path))


def test_outputs_are_written_in_place(tmp_path):
    f = tmp_path / "ok.ipynb"
    _notebook(f, "print(6 * 7)")
    execute(f, timeout=120)
    out = nbformat.read(str(f), as_version=4).cells[0].outputs
    assert out and out[0]["text"].strip() == "42"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]      # no temp file left


def test_failing_notebook_is_left_as_it_was(tmp_path):
    f = tmp_path / "bad.ipynb"
    _notebook(f, "raise ValueError('boom')")
    before = f.read_bytes()
    with pytest.raises(CellExecutionError):
        execute(f, timeout=120)
    assert f.read_bytes() == before
