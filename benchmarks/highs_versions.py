"""Is a newer HiGHS faster on matcher's MIPs? Dump the MIPs, then solve them with each version.

matcher pins highspy to the HiGHS that OR-Tools bundles (both load into one process), so a newer
HiGHS could only run beside it, in a worker process. This measures whether that would pay:

1. ``python -m benchmarks.highs_versions dump --tiers scarce --seeds 1,2,3 --out DIR`` solves
   each tier's instances with matcher and with the plain MIP (``benchmarks.peers.plain_mip``)
   and writes every MIP that HiGHS is asked to solve as DIR/<tier><seed>_<method>_<n>.mps, with
   the options it was solved with;
2. ``python benchmarks/highs_versions.py solve DIR`` (run it with each interpreter that has the
   highspy to compare, e.g. one from a scratch venv with ``pip install highspy==1.16.0``) solves
   every dumped model again with the same threads, seed and tolerances and writes
   DIR/times-<HiGHS version>.json: per model the fastest of ``--reps`` runs, its status and
   objective.

The dumped models lack matcher's warm start (a MIP start is not part of an .mps file), so the
second step times HiGHS alone on the same models, not matcher.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

#: The options a dumped model is solved with again (the rest keep the version's defaults).
KEPT_OPTIONS = {"threads": int, "random_seed": int, "mip_rel_gap": float, "mip_abs_gap": float,
                "mip_feasibility_tolerance": float, "primal_feasibility_tolerance": float,
                "dual_feasibility_tolerance": float}


def dump(tiers: list[str], seeds: list[int], out: Path, time_limit: float) -> None:
    import highspy

    from benchmarks.instances import TIERS
    from benchmarks.peers.plain_mip import plain_mip
    from matcher.solver.solve import solve

    out.mkdir(parents=True, exist_ok=True)
    run, count, tag = highspy.Highs.run, [0], [""]

    def run_and_dump(h):
        lp = h.getLp()
        if any(v == highspy.HighsVarType.kInteger for v in lp.integrality_):
            name = out / f"{tag[0]}_{count[0]}"
            count[0] += 1
            h.writeModel(f"{name}.mps")
            h.writeOptions(f"{name}.opt")
        return run(h)

    highspy.Highs.run = run_and_dump
    try:
        for tier in tiers:
            for seed in seeds:
                instance = TIERS[tier].build(seed)
                tag[0] = f"{tier}{seed}_matcher"
                print(tier, seed, "matcher", solve(instance, time_limit=time_limit, threads=2, seed=seed).status,
                      flush=True)
                tag[0] = f"{tier}{seed}_plain"
                print(tier, seed, "plain MIP", plain_mip(instance, time_limit=time_limit, threads=2).status,
                      flush=True)
    finally:
        highspy.Highs.run = run


def solve_again(folder: Path, reps: int, time_limit: float) -> None:
    import highspy

    version = highspy.Highs().version()
    times = {}
    for mps in sorted(folder.glob("*.mps")):
        options = {}
        for line in mps.with_suffix(".opt").read_text().splitlines():
            key, _, value = line.partition("=")
            if key.strip() in KEPT_OPTIONS:
                options[key.strip()] = KEPT_OPTIONS[key.strip()](value.strip())
        seconds = []
        for _ in range(reps):
            h = highspy.Highs()
            h.setOptionValue("output_flag", False)
            for key, value in options.items():
                h.setOptionValue(key, value)
            h.setOptionValue("time_limit", time_limit)
            h.readModel(str(mps))
            t0 = time.perf_counter()
            h.run()
            seconds.append(time.perf_counter() - t0)
        times[mps.stem] = {"seconds": round(min(seconds), 3), "status": h.modelStatusToString(h.getModelStatus()),
                           "objective": h.getInfo().objective_function_value}
        print(version, mps.stem, times[mps.stem], flush=True)
    (folder / f"times-{version}.json").write_text(json.dumps(times, indent=1) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    d = commands.add_parser("dump", help="solve the tiers and write every MIP HiGHS is given")
    d.add_argument("--tiers", default="scarce")
    d.add_argument("--seeds", default="1,2,3")
    d.add_argument("--out", type=Path, required=True)
    d.add_argument("--time-limit", type=float, default=120.0)
    s = commands.add_parser("solve", help="solve every dumped MIP with this interpreter's highspy")
    s.add_argument("folder", type=Path)
    s.add_argument("--reps", type=int, default=2)
    s.add_argument("--time-limit", type=float, default=120.0)
    args = parser.parse_args(argv)
    if args.command == "dump":
        dump(args.tiers.split(","), [int(x) for x in args.seeds.split(",")], args.out, args.time_limit)
    else:
        solve_again(args.folder, args.reps, args.time_limit)


if __name__ == "__main__":
    sys.exit(main())
