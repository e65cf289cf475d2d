"""One peer method on one instance folder, as a process of its own (so it can be measured).

``python -m benchmarks.worker greedy|plain_mip|cpsat INSTANCE_DIR ANSWER_JSON [--time-limit T] [--memory-cap-mb M]``
reads the folder like ``matcher solve`` does, runs the method and writes its assignment with
the solver's own objective, bound, status and trajectory (for the plain MIP and CP-SAT) to ANSWER_JSON.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import resource
import time

from matcher.input.source import read_instance


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.worker")
    parser.add_argument("method", choices=("greedy", "plain_mip", "cpsat"))
    parser.add_argument("instance")
    parser.add_argument("answer")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--memory-cap-mb", type=float, help="fail (MemoryError) rather than use more address space")
    args = parser.parse_args(argv)
    if args.memory_cap_mb:
        cap = int(args.memory_cap_mb * 1e6)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    # The method's own modules are loaded before the clock starts, as matcher's are before it
    # reads the folder; the solver library each peer imports on its first call (HiGHS, CP-SAT)
    # is inside its clock, as HiGHS is inside matcher's first solve.
    method = importlib.import_module(f"benchmarks.peers.{args.method}")
    t0 = time.perf_counter()
    instance = read_instance(args.instance)
    read_seconds = time.perf_counter() - t0
    if args.method == "greedy":
        unit_of = method.greedy(instance)
        answer = {"status": "DONE", "unit_of": unit_of, "objective": None, "bound": None}
    else:
        exact_peer = getattr(method, args.method)
        out = exact_peer(instance, time_limit=args.time_limit, threads=args.threads, seed=args.seed)
        # The peer's clock starts after it imported its solver; its points count from the end
        # of reading, like its solve time and like matcher's (whose first solve imports HiGHS).
        before = time.perf_counter() - t0 - read_seconds - out.seconds
        answer = {"status": out.status, "unit_of": out.unit_of, "objective": _finite(out.objective),
                  "bound": _finite(out.bound), "columns": out.columns, "rows": out.rows,
                  "build_seconds": round(before + out.build_seconds, 3),
                  "trajectory": [[round(before + t, 3), _finite(o), _finite(b)] for t, o, b in out.trajectory]}
    answer["read_seconds"] = round(read_seconds, 3)
    answer["solve_seconds"] = round(time.perf_counter() - t0 - read_seconds, 3)
    with open(args.answer, "w", encoding="utf-8") as f:
        json.dump(answer, f)


def _finite(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


if __name__ == "__main__":
    main()
