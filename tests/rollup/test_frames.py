"""Grouping the rows of a frame: keys in sorted runs take a shortcut with groupby's result."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from iku_formula import load_catalog


@pytest.mark.parametrize(
    ("values", "runs"),
    [
        (pd.array(["UPT 1", "UPT 1", "UPT 2", "UPT 2", "UPT 3"], dtype="str"), True),
        (pd.array(["b", "b", "a", "a"], dtype="str"), False),  # runs out of key order
        (pd.array(["a", "b", "a"], dtype="str"), False),  # a key comes back
        (pd.array(["a", None, "b"], dtype="str"), False),  # a missing key
        ([3, 3, 5, 7, 7], True),
        ([3.0, 3.0, float("nan")], False),
        ([True, True, False], False),
        (pd.Categorical(["a", "a", "b"]), False),
        (["x"], False),
    ],
)
def test_sorted_runs_group_as_groupby_does(values: object, runs: bool) -> None:
    """The shortcut for keys in sorted runs gives groupby's codes and keys, or steps aside."""
    from iku_formula.rollup.frames import _groups, _sorted_runs  # the shortcut itself

    keys = pd.DataFrame({"unit": values})
    grouped = keys.groupby(["unit"], sort=True, dropna=False, observed=True)
    codes, uniques = _groups(keys, ["unit"])
    assert (_sorted_runs(keys["unit"]) is not None) is runs
    np.testing.assert_array_equal(codes, grouped.ngroup().to_numpy())
    pd.testing.assert_frame_equal(uniques, grouped.size().index.to_frame(index=False))


@pytest.mark.parametrize("seed", range(3))
def test_a_frame_sorted_by_unit_aggregates_as_in_any_order(seed: int) -> None:
    """A stock, a flow and a weighted score: sorted units (the shortcut) = shuffled rows."""
    catalog = load_catalog()
    rng = np.random.default_rng(seed)
    names = ["anggota_jdih_aktif", "anggota_jdih", "nilai_ipk_internal", "responden_ipk_internal"]
    units = [f"UPT {u:03d}" for u in range(50)]
    frame = pd.DataFrame(
        {
            "unit": pd.array(np.repeat(units, 4), dtype="str"),
            "period": np.tile(["TW1", "TW2", "TW3", "TW4"], len(units)),
            **{name: rng.integers(1, 5, 4 * len(units)).astype(float) for name in names},
        }
    )
    frame.loc[rng.choice(len(frame), 5), "anggota_jdih"] = np.nan
    shuffled = frame.sample(frac=1, random_state=seed)
    for over in ("time", "both"):  # per unit, and the Kanwil
        pd.testing.assert_frame_equal(
            catalog.aggregate(frame, over=over), catalog.aggregate(shuffled, over=over)
        )
