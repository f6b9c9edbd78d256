"""The harness itself: a hang is killed in time, a swelling child is stopped, outcomes are read."""

from __future__ import annotations

from .conftest import assert_bounded


def test_a_hang_is_killed(python) -> None:  # type: ignore[no-untyped-def]
    outcome = python("while True: pass", timeout=2)
    assert outcome.timed_out
    assert outcome.seconds < 10


def test_memory_is_capped(python) -> None:  # type: ignore[no-untyped-def]
    outcome = python("x = bytearray(4 * 1024 ** 3)")
    assert outcome.returncode != 0
    assert "MemoryError" in outcome.stderr


def test_a_refusal_is_read(iku) -> None:  # type: ignore[no-untyped-def]
    outcome = iku("show", "999")
    assert outcome.refused("999")
    assert_bounded(outcome)
    assert outcome.peak_mib > 10  # the child's own peak, not this process's
