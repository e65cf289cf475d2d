"""The solve itself, without starting Python: ``solve(read_instance(FOLDER))`` repeated in one process.

``python -m benchmarks.inprocess FOLDER ANSWER_JSON --repeats N [--time-limit T] [--seed S]``
reads and solves the folder once to warm up (imports, caches, first-call costs), then N times
more, timing ``read_instance`` and ``solve`` apart with ``time.perf_counter``; it writes every
timing with the status and gap to ANSWER_JSON. This is how a simulation that solves thousands of
weeks would see the solver; the CLI's process start and file writing are measured elsewhere.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from benchmarks.aggregate import median_worst
from benchmarks.measure import run_measured
from matcher.input.source import read_instance
from matcher.result import OPTIMAL
from matcher.solver.solve import solve

IN_PROCESS_COLUMNS = ("tier", "seed", "repeats", "time_limit_s", "read_s_median", "read_s_worst", "solve_s_median",
                      "solve_s_worst", "statuses", "optimal", "gap_worst", "wall_s", "peak_mb")


def time_solves(folder: str, repeats: int, time_limit: float = 60.0, seed: int = 0) -> dict:
    """One warm-up, then ``repeats`` timed reads and solves of the folder."""
    solve(read_instance(folder), time_limit=time_limit, seed=seed)
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        instance = read_instance(folder)
        t1 = time.perf_counter()
        result = solve(instance, time_limit=time_limit, seed=seed)
        t2 = time.perf_counter()
        runs.append({"read_s": t1 - t0, "solve_s": t2 - t1, "status": result.status,
                     "objective": result.objective, "gap": result.gap})
    return {"repeats": repeats, "time_limit_s": time_limit, "seed": seed, "runs": runs}


def measure_in_process(tier: str, folder: Path, answer: Path, repeats: int, time_limit: float, seed: int) -> dict:
    """Time the folder's solves in a process of its own; one row of medians and worsts."""
    cmd = [sys.executable, "-m", "benchmarks.inprocess", str(folder), str(answer), "--repeats", str(repeats),
           "--time-limit", f"{time_limit:g}", "--seed", str(seed)]
    run = run_measured(cmd, timeout=(repeats + 1) * (time_limit + 30) + 60, cwd=Path(__file__).resolve().parents[1])
    row = {"tier": tier, "seed": seed, "repeats": repeats, "time_limit_s": time_limit,
           "wall_s": round(run.wall_seconds, 2), "peak_mb": round(run.peak_mb, 1)}
    if run.returncode != 0 or not answer.exists():
        return dict(row, statuses=f"EXIT_{run.returncode}", optimal=0)
    return dict(row, **summarise_runs(json.loads(answer.read_text(encoding="utf-8"))["runs"]))


def summarise_runs(runs: list[dict]) -> dict:
    """Median and worst read and solve times, the statuses, the worst gap."""
    statuses: dict[str, int] = {}
    for r in runs:
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    read = median_worst(r["read_s"] for r in runs)
    solve_s = median_worst(r["solve_s"] for r in runs)
    return {"read_s_median": read[0], "read_s_worst": read[1], "solve_s_median": solve_s[0],
            "solve_s_worst": solve_s[1], "optimal": statuses.get(OPTIMAL, 0),
            "statuses": ", ".join(f"{s} {n}/{len(runs)}" for s, n in statuses.items()),
            "gap_worst": max((r["gap"] for r in runs), default=float("nan"))}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.inprocess")
    parser.add_argument("folder")
    parser.add_argument("answer")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    timings = time_solves(args.folder, args.repeats, args.time_limit, args.seed)
    with open(args.answer, "w", encoding="utf-8") as f:
        json.dump(timings, f)


if __name__ == "__main__":
    main()
