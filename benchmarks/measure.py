"""Run one method as its own process and measure it from outside: wall time and peak memory.

Every method (matcher's CLI, the greedy desk, the plain MIP) runs in a child process of its own,
so that its wall time and peak resident memory include everything it does, from reading the
instance folder to its answer. The peak comes from GNU time (``/usr/bin/time -v``): a child
forked straight from the benchmark would inherit the benchmark's own memory high-water mark in
``ru_maxrss``, which hides small children. Without GNU time it falls back to that ``ru_maxrss``
(``os.wait4``), an upper bound.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

GNU_TIME = Path("/usr/bin/time")


@dataclass(frozen=True)
class Measured:
    returncode: int  # negative: killed by that signal (e.g. -9 after the timeout)
    wall_seconds: float
    peak_mb: float  # peak resident set size of the child, in MB (10^6 bytes; Linux counts KiB)
    stdout: str
    stderr: str
    timed_out: bool


def run_measured(cmd: list[str], timeout: float, cwd: str | Path | None = None) -> Measured:
    """Run ``cmd``; kill it (and its children) after ``timeout`` seconds."""
    with tempfile.TemporaryDirectory(prefix="measure-") as tmp:
        report = Path(tmp) / "time.txt"
        wrapped = [str(GNU_TIME), "-v", "-o", str(report), *cmd] if GNU_TIME.exists() else list(cmd)
        with open(Path(tmp) / "out", "w+") as out, open(Path(tmp) / "err", "w+") as err:
            t0 = time.perf_counter()
            proc = subprocess.Popen(wrapped, stdout=out, stderr=err, text=True, cwd=cwd, start_new_session=True)
            killed = threading.Event()

            def kill() -> None:
                killed.set()
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

            timer = threading.Timer(timeout, kill)
            timer.start()
            try:
                _, status, usage = os.wait4(proc.pid, 0)  # reaps exactly this child, with its rusage
            finally:
                timer.cancel()
            wall = time.perf_counter() - t0
            proc.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            peak_kib = _gnu_time_peak_kib(report)
            if peak_kib is None:
                peak_kib = usage.ru_maxrss
            return Measured(returncode=proc.returncode, wall_seconds=wall, peak_mb=peak_kib * 1024 / 1e6,
                            stdout=out.read(), stderr=err.read(), timed_out=killed.is_set())


def _gnu_time_peak_kib(report: Path) -> int | None:
    """"Maximum resident set size (kbytes)" from GNU time's report (it counts KiB)."""
    try:
        found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report.read_text())
    except OSError:
        return None
    return int(found.group(1)) if found else None
