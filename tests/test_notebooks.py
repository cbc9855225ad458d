"""Every notebook runs top to bottom on the demo data (they are stored without outputs)."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path, tmp_path):
    notebook = nbformat.read(path, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), (
        f"{path.name} is stored with outputs"
    )
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    # A cell tagged "chart" must show an image, not a Figure's text repr.
    for number, cell in enumerate(notebook.cells, start=1):
        if "chart" in cell.get("metadata", {}).get("tags", []):
            kinds = {kind for output in cell.outputs for kind in output.get("data", {})}
            assert any(kind.startswith("image/") for kind in kinds), f"{path.name}, cell {number}: no image ({kinds})"


def test_exploring_your_program_has_a_chart_cell():
    notebook = nbformat.read(Path(__file__).parents[1] / "notebooks" / "exploring_your_program.ipynb", as_version=4)
    assert any("chart" in cell.get("metadata", {}).get("tags", []) for cell in notebook.cells)
