"""The error module's helpers."""

from __future__ import annotations

import pytest

from iku_formula.errors import column_letter


@pytest.mark.parametrize(
    ("index", "letter"), [(1, "A"), (2, "B"), (26, "Z"), (27, "AA"), (52, "AZ"), (703, "AAA")]
)
def test_column_letter(index: int, letter: str) -> None:
    assert column_letter(index) == letter
