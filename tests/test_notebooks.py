"""Every notebook runs top to bottom on the demo data (they are stored without outputs), and every cell
tagged "chart" shows its charts as images, not as a Figure's text repr."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("*.ipynb"))
IMAGES = {"image/png", "image/svg+xml"}
# nbformat has no annotations: its reader goes through a typed name so that mypy --strict checks the callers.
read_notebook: Callable[..., Any] = nbformat.read


def test_there_are_notebooks() -> None:
    assert NOTEBOOKS


def test_every_notebook_tags_its_chart_cells() -> None:
    for path in NOTEBOOKS:
        notebook = read_notebook(path, as_version=4)
        assert any("chart" in cell.metadata.get("tags", []) for cell in notebook.cells), path.name


def _shown(cell: Any) -> list[dict[str, Any]]:
    return [output for output in cell.outputs if output.output_type in ("display_data", "execute_result")]


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_and_shows_its_charts(path: Path, tmp_path: Path) -> None:
    notebook = read_notebook(path, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), (
        f"{path.name} is stored with outputs"
    )
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    for number, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        shown = _shown(cell)
        images = [output for output in shown if IMAGES & set(output.get("data", {}))]
        if "chart" in cell.metadata.get("tags", []):
            # Every output of a chart cell is a chart drawn as an image, never "<Figure size 700x320 ...>".
            assert shown and len(images) == len(shown), f"{path.name}, cell {number}: a chart shows as text"
        else:
            assert not images, f"{path.name}, cell {number} shows an image: tag it 'chart'"
