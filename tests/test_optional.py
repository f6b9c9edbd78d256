"""Optional dependencies: without an extra, every entry point needing it says which to install."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

# Each case runs in a fresh interpreter in which the blocked modules cannot be imported.
CASES = [
    ("pandas", "frames", "catalog.evaluate_frame({'jumlah_anak': [1]})"),
    ("pandas", "frames", "catalog.aggregate(None)"),
    ("pandas", "frames", "catalog.roll_up(None)"),
    ("pandas", "frames", "catalog.check_frame(None)"),
    ("numpy", "frames", "catalog.evaluate_frame(None)"),
    ("openpyxl", "xlsx", "write_sheet(catalog, str(tmp / 'x.xlsx'))"),
    ("openpyxl", "xlsx", "read_sheet(str(tmp / 'x.xlsx'), catalog)"),
    ("pandas", "frames", "read_sheet(str(tmp / 'x.csv'), catalog).to_frame()"),
]

SCRIPT = """
import sys, pathlib, tempfile
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == {blocked!r} or name.startswith({blocked!r} + "."):
            raise ImportError("blocked for the test: " + name)
sys.meta_path.insert(0, Block())
import iku_formula
from iku_formula.errors import MissingDependencyError
from iku_formula.sheets import read_sheet, write_sheet
catalog = iku_formula.load_catalog()
tmp = pathlib.Path(tempfile.mkdtemp())
(tmp / "x.xlsx").write_bytes(b"PK")
(tmp / "x.csv").write_text("unit,period,jumlah_anak\\nA,TW1,1\\n")
try:
    {call}
except MissingDependencyError as error:
    assert isinstance(error, iku_formula.IkuError)
    print("EXTRA", error.extra)
    print("MESSAGE", error)
"""


@pytest.mark.parametrize(("blocked", "extra", "call"), CASES)
def test_a_missing_extra_is_named(blocked: str, extra: str, call: str) -> None:
    script = textwrap.dedent(SCRIPT).format(blocked=blocked, call=call)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert f"EXTRA {extra}" in done.stdout, done.stdout + done.stderr
    assert f"pip install 'iku-formula[{extra}]'" in done.stdout
