"""The JSON section of docs/aplikasi-lain.md: its example runs and prints what the page says."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGE = REPO / "docs" / "aplikasi-lain.md"


def _json_section() -> str:
    text = PAGE.read_text(encoding="utf-8")
    start = text.index("\n## JSON\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def test_the_json_example_runs_and_prints_what_the_page_shows(tmp_path: Path) -> None:
    section = _json_section()
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    shown = re.search(r"Keluarannya:\n\n```text\n(.*?)```", section, re.DOTALL)
    assert code is not None
    assert shown is not None
    completed = subprocess.run(
        [sys.executable, "-c", code[1]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == shown[1]
    assert (tmp_path / "katalog.json").stat().st_size > 100_000


def test_the_page_names_the_commands_and_the_calculator() -> None:
    section = _json_section()
    for words in ("iku export json", "--tanpa-mathml", "catalog.schema.json", '"p/q"', "tree"):
        assert words in section, words
    assert "Kalkulator" in PAGE.read_text(encoding="utf-8")
