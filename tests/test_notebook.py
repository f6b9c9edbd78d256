"""The analysis notebook (docs/analisis.ipynb) runs from top to bottom without an error.

CI must run it: without nbclient/ipykernel the test skips locally but fails when the
environment variable CI is set.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).parents[1] / "docs" / "analisis.ipynb"
CI = bool(os.environ.get("CI"))


def _require(module: str) -> None:
    try:
        __import__(module)
    except ImportError:
        if CI:
            pytest.fail(f"{module} is needed to run the notebook on CI: install '.[notebook]'")
        pytest.skip(f"{module} is not installed")


def test_the_notebook_is_stored_with_its_outputs() -> None:
    """The docs page shows the stored outputs, so every code cell has been run once."""
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    code = [cell for cell in cells if cell["cell_type"] == "code"]
    assert len(code) >= 10
    assert all(cell["execution_count"] is not None for cell in code)
    assert [cell["execution_count"] for cell in code] == list(range(1, len(code) + 1))
    kinds = {key for cell in code for output in cell["outputs"] for key in output.get("data", {})}
    assert {"text/html", "image/png", "text/latex"} <= kinds  # tables, the chart, math
    errors = [o for cell in code for o in cell["outputs"] if o["output_type"] == "error"]
    assert errors == []


def test_every_cell_of_the_notebook_runs() -> None:
    for module in ("nbformat", "nbclient", "ipykernel", "matplotlib", "pandas"):
        _require(module)
    import nbclient
    import nbformat

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()  # raises CellExecutionError naming the cell on the first failure
    outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
    text = "".join(o.get("text", "") for o in outputs if o["output_type"] == "stream")
    assert "IKU 42: the denominator basan_inkracht is 0" in text
    assert "rasio dari jumlah : 98.77%" in text
    assert "persis: 50175/508" in text
    # the quarterly cycle: the period matrix against the targets per quarter, what TW4 needs
    assert ": kolom TW1, TW2, TW3, s.d. TW3" in text  # the title is in the language shown
    assert "2024 s.d. TW3: 1 triwulan tersisa" in text
    assert "penerima_bantuan_hukum_nonlitigasi = 222: realisasi 80.14%, tercapai" in text
    assert "penerima_bantuan_hukum_nonlitigasi = 221: realisasi 79.78%, tidak tercapai" in text
    tables = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "s.d. TW3" in tables
    assert "perancang_dibina" in tables
    assert any("image/png" in o.get("data", {}) for o in outputs)
