"""Running hostile input in a child process with a time and a memory cap.

A file built to make the program hang or swell must fail its test, never stall CI: every
case of the hostile corpus runs ``iku`` (or a few lines of Python) in a child process with
a wall-clock timeout, a CPU-time limit and an address-space limit, and reports its exit
code, its output, how long it took and its peak resident memory.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest

TIMEOUT = 20.0
"""Seconds a hostile case may run (it should take well under a few)."""
MEMORY_CAP_MIB = 1536
"""Address space a hostile case may reserve (numpy and threads reserve far more than they use)."""
RSS_LIMIT_MIB = 400
"""Peak resident memory a hostile case may reach ("under a few hundred MiB")."""


@attrs.frozen
class Outcome:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mib: float
    timed_out: bool

    @property
    def traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.stderr

    def refused(self, *fragments: str) -> bool:
        """Exit code 2, no traceback, and every fragment in the message (stderr)."""
        return (
            self.returncode == 2
            and not self.traceback
            and all(fragment in self.stderr for fragment in fragments)
        )


def _limits() -> None:
    cap = MEMORY_CAP_MIB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    cpu = int(TIMEOUT) + 5
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))


# The child measures its own peak: wait4's ru_maxrss would include the size of the pytest
# process that forked it (Linux keeps maxrss across exec), VmHWM starts afresh at exec.
_WRAPPER = """
import atexit, os, runpy, sys

def _report():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    with open(os.environ["IKU_HWM_FILE"], "w") as out:
                        out.write(line.split()[1])
    except OSError:
        pass

atexit.register(_report)
mode, target, *rest = sys.argv[1:]
sys.argv = [target, *rest]
if mode == "module":
    runpy.run_module(target, run_name="__main__", alter_sys=True)
else:
    runpy.run_path(target, run_name="__main__")
"""


def _as_wrapped(argv: list[str], cwd: Path) -> list[str]:
    """``python -m NAME ...`` and ``python -c CODE`` as the wrapper's ``module`` / ``path``."""
    if argv[:1] != [sys.executable]:
        return argv
    if argv[1] == "-m":
        return ["module", *argv[2:]]
    if argv[1] == "-c":
        script = cwd / f".case-{time.monotonic_ns()}.py"
        script.write_text(argv[2], encoding="utf-8")
        return ["path", str(script), *argv[3:]]
    raise ValueError(f"cannot wrap {argv[:2]}")


def run_capped(argv: Sequence[str], *, cwd: Path, timeout: float = TIMEOUT) -> Outcome:
    """Run ``argv`` (``module NAME ARGS...`` or ``path FILE``) in a capped child interpreter;
    kill it at ``timeout`` seconds."""
    peak_file = cwd / f".peak-{os.getpid()}-{time.monotonic_ns()}"
    env = dict(
        os.environ,
        OPENBLAS_NUM_THREADS="1",
        OMP_NUM_THREADS="1",
        PYTHONUNBUFFERED="1",
        IKU_HWM_FILE=str(peak_file),
    )
    argv = [sys.executable, "-c", _WRAPPER, *_as_wrapped(list(argv), cwd)]
    start = time.perf_counter()
    process = subprocess.Popen(
        list(argv),
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_limits,
    )
    timed_out = threading.Event()

    def kill() -> None:
        timed_out.set()
        process.kill()

    output: dict[str, str] = {}

    def drain(name: str, stream: Any) -> None:
        output[name] = stream.read()

    readers = [
        threading.Thread(target=drain, args=("out", process.stdout)),
        threading.Thread(target=drain, args=("err", process.stderr)),
    ]
    for reader in readers:
        reader.start()
    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        _, status, usage = os.wait4(process.pid, 0)  # reaps the child: its own peak memory
    finally:
        timer.cancel()
    for reader in readers:
        reader.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    try:
        peak_mib = int(peak_file.read_text()) / 1024  # VmHWM, in KiB
        peak_file.unlink()
    except (OSError, ValueError):  # killed, or died before its exit handlers: the upper bound
        peak_mib = usage.ru_maxrss / 1024
    return Outcome(
        process.returncode,
        output.get("out", ""),
        output.get("err", ""),
        seconds,
        peak_mib,
        timed_out.is_set(),
    )


@pytest.fixture
def iku(tmp_path: Path):  # type: ignore[no-untyped-def]
    """``iku(*args)``: the command, capped, in ``tmp_path``; returns its Outcome."""

    def run(*args: str, timeout: float = TIMEOUT) -> Outcome:
        return run_capped(
            [sys.executable, "-m", "iku_formula", *args], cwd=tmp_path, timeout=timeout
        )

    return run


@pytest.fixture
def python(tmp_path: Path):  # type: ignore[no-untyped-def]
    """``python(code)``: a few lines of Python, capped, in ``tmp_path``; returns its Outcome."""

    def run(code: str, timeout: float = TIMEOUT) -> Outcome:
        script = tmp_path / f"case-{time.monotonic_ns()}.py"
        script.write_text(code, encoding="utf-8")
        return run_capped(["path", str(script)], cwd=tmp_path, timeout=timeout)

    return run


def assert_bounded(outcome: Outcome) -> None:
    """The case ended by itself, in time, under the memory limit."""
    assert not outcome.timed_out, f"hung: killed after {outcome.seconds:.1f} s"
    assert outcome.peak_mib < RSS_LIMIT_MIB, f"peak memory {outcome.peak_mib:.0f} MiB"


def assert_verdict(
    outcome: Outcome, path: Path, name: str, code: int, fragments: Sequence[str]
) -> None:
    """A corpus case's verdict: bounded, then refused (exit 2, the file and every fragment in
    the message) or read (exit 0, every fragment in the output). IKU_HOSTILE_FIGURES=1 prints
    each case's exit code, time and peak memory."""
    if os.environ.get("IKU_HOSTILE_FIGURES"):
        figures = f"{outcome.seconds:.2f} s, {outcome.peak_mib:.0f} MiB"
        print(f"\n{name}: exit {outcome.returncode}, {figures}")
        print("   ", (outcome.stderr or outcome.stdout).strip().splitlines()[:2])
    assert_bounded(outcome)
    if code == 2:
        assert outcome.refused(*fragments), outcome.stderr[-2000:]
        assert str(path) in outcome.stderr
    else:
        assert outcome.returncode == 0, outcome.stderr[-2000:]
        assert all(fragment in outcome.stdout for fragment in fragments), outcome.stdout[:2000]
