"""The benchmark suite still runs: once, at its small size. Timings are never asserted."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import REPO

SUITE = REPO / "benchmarks" / "run.py"


@pytest.mark.skipif(not SUITE.is_file(), reason="the benchmarks are not in this tree")
def test_the_suite_runs_at_its_small_size() -> None:
    done = subprocess.run(
        [sys.executable, str(SUITE), "--size", "small"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr  # 1: a result disagreed with its baseline
    for figure in ("1 start-up", "2 one record", "3 evaluate_frame", "4 aggregate"):
        assert figure in done.stdout, done.stdout
    assert "goals of figures 3 and 4 are for 1,000,000 rows" in done.stdout
