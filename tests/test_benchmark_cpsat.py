"""The CP-SAT peer: matcher's own whole model handed to OR-Tools' CP-SAT keeps every rule,
finds the exhaustive optimum, agrees with the plain MIP, and records its way there (the small
cases it shares with the plain MIP are in test_benchmark_peers.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the benchmarks folder is not installed

from benchmarks.aggregate import time_to_gap  # noqa: E402
from benchmarks.peers.cpsat import cpsat  # noqa: E402
from benchmarks.peers.plain_mip import plain_mip  # noqa: E402
from matcher.analysis.check import check  # noqa: E402
from matcher.generator import generate  # noqa: E402


def test_cpsat_reaches_the_plain_mips_optimum_and_its_trajectory_ends_at_its_proof():
    """On a stress instance of 300 youths CP-SAT and the plain MIP prove the same optimum (to the
    rounding of the integer costs, 5e-7 a youth); CP-SAT's recorded points end at its final
    objective and bound, and its proof comes after building the model."""
    inst = generate("stress", 1, youths=300, units=400)
    out, mip = cpsat(inst, time_limit=30), plain_mip(inst, time_limit=30)
    assert out.status == mip.status == "OPTIMAL"
    report = check(inst, out.unit_of)
    assert report.ok, report.violations
    assert report.objective == pytest.approx(mip.objective, abs=len(inst.youths) * 1e-6)
    seconds, objective, bound = out.trajectory[-1]
    assert (objective, bound) == (pytest.approx(out.objective), pytest.approx(out.bound))
    assert out.build_seconds <= time_to_gap(out.trajectory, 1e-6) <= out.seconds
