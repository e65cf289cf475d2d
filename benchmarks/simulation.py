"""Benchmark of `matcher simulate`: the simulated national week, and the throughput on Dask.

``python -m benchmarks.simulation [--seeds 5] [--weeks 12] [--replications 2] [--out FILE]``
``python -m benchmarks.simulation --against REV [--seeds 5] [--weeks 12] --week-only``

1. The week: nl-stock's supply and occupants, the national inflow, the baseline; for each seed
   the first ``--weeks`` weeks are simulated and every week is timed (departures, arrivals,
   the week instance, ``solve``, placements), and so is ``solve`` alone. The median over all
   weeks and seeds is the figure. For comparison, the same weeks (seed 0) solved on the full
   instance (every unit and every resident, not only the units a placement can touch); both
   must reach the same objective.
2. The throughput: baseline + 3 scenarios (kleinschalig-2030, afbouw-gesloten, regio-fusie) x
   104 weeks x ``--replications`` on a LocalCluster with 1 and with 2 workers, for the speed-up
   from 1 to 2 workers; then the issue's whole run, x ``--target-replications`` (50) on 2
   workers, measured (not extrapolated) unless ``--target-replications 0``. Every timing is the
   whole ``simulate`` call: the runs (the workers' first imports and week 0 included) and writing
   every output file and plot; starting the cluster is timed apart (``cluster_seconds``).

With ``--against REV`` the week is also timed with the matcher package of commit REV, in the
same run: per seed one process with each code, their order alternating from seed to seed, so that
a drifting load on a shared machine weighs on both alike; the output gives both medians, their
ratio and each seed's ratio, and (without ``--week-only``) the ``--replications`` run on 2 workers
is timed with both codes too. ``--week-only`` stops after the week (no Dask runs).

The machine may be shared with other work; the output says which machine and when.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from matcher.instance import Instance
from matcher import read_instance  # the public name: the same in older trees timed with --against
from matcher.simulation.engine import simulate_week, start
from matcher.simulation.parameters import SimParams
from matcher.simulation.plan import Plan
from matcher.simulation.runner import cluster_client
from matcher.simulation.scenarios import week_zero
from matcher.simulation.simulate import simulate
from matcher.simulation.world import RunSpec
from matcher.solver.solve import solve

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ("instances/scenarios/kleinschalig-2030.toml", "instances/scenarios/afbouw-gesloten.toml",
             "instances/scenarios/regio-fusie.toml")
TARGET_REPLICATIONS = 50


def week_times(stock: Instance, seeds, weeks: int) -> dict:
    """Median (and p90) ms of a simulated week and of its solve, over ``weeks`` weeks x ``seeds``
    (a count, or the seeds themselves), with every week's figures in ``week_ms`` and ``solve_ms``."""
    week_ms, solve_ms, sizes = [], [], []
    for seed in (range(seeds) if isinstance(seeds, int) else seeds):
        world, state = start(RunSpec("baseline", 0, stock, (), SimParams(check_every_weeks=0), seed, 0, weeks))
        for week in range(weeks):
            before = len(state.solve_seconds)
            t0 = time.perf_counter()
            simulate_week(world, state, week)
            if week > 0:  # week 0 is the instance's own backlog, not a simulated week
                week_ms.append(1000 * (time.perf_counter() - t0))
                solve_ms += [1000 * s for s in state.solve_seconds[before:]]
                sizes.append(len(state.waiting))
    return {"weeks": len(week_ms), "week_ms_median": statistics.median(week_ms),
            "week_ms_p90": statistics.quantiles(week_ms, n=10)[-1], "solve_ms_median": statistics.median(solve_ms),
            "waiting_after_week_median": statistics.median(sizes), "week_ms": week_ms, "solve_ms": solve_ms}


def against(revision: str, seeds: int, weeks: int) -> dict:
    """The week with this code and with the matcher package of ``revision``, one process per seed
    and code, alternating which goes first; medians over all weeks, and per seed the ratio."""
    runs: dict[str, list[dict]] = {"before": [], "after": []}
    with _package_of(revision) as old:
        for seed in range(seeds):
            order = (("before", old), ("after", str(ROOT))) if seed % 2 == 0 else (("after", str(ROOT)), ("before", old))
            for name, tree in order:
                runs[name].append(_in_tree(tree, "one_seed", seed, weeks))
    result = {"revision": revision, "seeds": seeds, "weeks_per_seed": weeks - 1}
    for name, got in runs.items():
        week_ms = [w for r in got for w in r["week_ms"]]
        solve_ms = [w for r in got for w in r["solve_ms"]]
        result[name] = {"week_ms_median": statistics.median(week_ms), "solve_ms_median": statistics.median(solve_ms),
                        "week_ms_p90": statistics.quantiles(week_ms, n=10)[-1]}
    result["week_speed_up"] = result["before"]["week_ms_median"] / result["after"]["week_ms_median"]
    result["solve_speed_up"] = result["before"]["solve_ms_median"] / result["after"]["solve_ms_median"]
    result["week_speed_up_per_seed"] = [round(statistics.median(b["week_ms"]) / statistics.median(a["week_ms"]), 2)
                                        for b, a in zip(runs["before"], runs["after"])]
    return result


def throughput_against(revision: str, replications: int, workers: int = 2) -> dict:
    """``throughput`` with the matcher package of ``revision`` and with this one, each in a process
    of its own (its workers start from that process's path), the old code first."""
    with _package_of(revision) as old:
        seconds = {name: _in_tree(tree, "stock_throughput", replications, workers)
                   for name, tree in (("before", old), ("after", str(ROOT)))}
    return {"revision": revision, **seconds, "speed_up": seconds["before"]["seconds"] / seconds["after"]["seconds"]}


def figures_moved(revision: str, replications: int, weeks: int) -> dict:
    """How far the simulated figures move between the matcher of ``revision`` and this one, where
    ties let the week's solve choose another equally good assignment: nl-stock's baseline,
    ``replications`` runs of ``weeks`` weeks, each figure summed (or averaged) over every week,
    care type and run, with both codes; and whether every week's objective stays the same is
    what the tests check, not this."""
    with _package_of(revision) as old:
        figures = {name: _in_tree(tree, "run_figures", replications, weeks)
                   for name, tree in (("before", old), ("after", str(ROOT)))}
    moved = {k: (figures["after"][k] - figures["before"][k]) / figures["before"][k] if figures["before"][k] else 0.0
             for k in figures["before"]}
    return {"revision": revision, "replications": replications, "weeks": weeks, **figures, "relative_change": moved}


def run_figures(replications: int, weeks: int) -> dict:
    """weeks.csv's main figures of nl-stock's baseline with whichever matcher this process imports."""
    from matcher.simulation.engine import run

    stock = read_instance("instances/nl-stock")
    rows = [row for r in range(replications)
            for row in run(RunSpec("baseline", 0, stock, (), SimParams(), 0, r, weeks)).weeks]
    # (week, care type, arrivals, placed, departures, waiting, occupied, capacity, own, km, cost, left)
    placed = sum(r[3] for r in rows)
    return {"placed": placed, "waiting_mean": statistics.fmean(r[5] for r in rows) * len({r[1] for r in rows}),
            "occupied_mean": statistics.fmean(r[6] for r in rows) * len({r[1] for r in rows}),
            "placed_own_jeugdregio_share": sum(r[8] for r in rows) / placed,
            "mean_km": sum(r[9] * r[3] for r in rows if r[3]) / placed, "cost_eur": sum(r[10] for r in rows),
            "left": sum(r[11] for r in rows)}


def _in_tree(tree: str, function: str, *args):
    """``function(*args)`` of this module, run in a process of its own whose ``matcher`` is the
    package in ``tree`` (its Dask workers start from that process's path); its JSON answer."""
    code = (f"import sys, json; sys.path.insert(0, {tree!r}); from benchmarks.simulation import {function}; "
            f"print(json.dumps({function}(*{args!r})))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.splitlines()[-1])


@contextmanager
def _package_of(revision: str):
    """A folder holding the matcher package of commit ``revision``."""
    with tempfile.TemporaryDirectory() as old:
        archive = subprocess.run(["git", "archive", revision, "matcher"], cwd=ROOT, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", old], input=archive.stdout, check=True)
        yield old


def one_seed(seed: int, weeks: int) -> dict:
    """``week_times`` of one seed with whichever matcher package this process imports."""
    import matcher

    timed = week_times(read_instance("instances/nl-stock"), [seed], weeks)
    return {"package": str(Path(matcher.__file__).parent), "week_ms": timed["week_ms"], "solve_ms": timed["solve_ms"]}


def full_vs_reduced(stock: Instance, weeks: int) -> dict:
    """Median solve ms of the same weeks on the full instance (every unit, every resident) and on
    the reduced week instance the simulation solves; both must reach the same objective."""
    from matcher.simulation import engine, week

    timings = {"full": [], "reduced": []}
    original = engine.match

    def both(world, state, w):
        youths = tuple(s.youth for u in world.units for s in state.residents[u.unit_id]) + tuple(s.youth for s in state.waiting)
        ids = {y.youth_id for y in youths}
        full = Instance.model_construct(**{**{k: getattr(world.instance, k) for k in type(world.instance).model_fields},
                                           "youths": youths,
                                           "conflicts": tuple(p for p in world.instance.conflicts if set(p) <= ids)})
        reduced = week.week_instance(world, state)
        objectives = []
        for name, inst in (("full", full), ("reduced", reduced)):
            t0 = time.perf_counter()
            objectives.append(solve(inst, time_limit=60, threads=1).objective)
            timings[name].append(1000 * (time.perf_counter() - t0))
        assert abs(objectives[0] - objectives[1]) <= 1e-6 * max(1.0, abs(objectives[0])), objectives
        return original(world, state, w)

    engine.match = both
    try:
        world, state = start(RunSpec("baseline", 0, stock, (), SimParams(check_every_weeks=0), 0, 0, weeks))
        for w in range(weeks):
            simulate_week(world, state, w)
    finally:
        engine.match = original
    return {name: {"week0_ms": t[0], "later_weeks_median_ms": statistics.median(t[1:])} for name, t in timings.items()}


def stock_throughput(replications: int, workers: int) -> dict:
    """``throughput`` of nl-stock with whichever matcher this process imports."""
    return throughput(read_instance("instances/nl-stock"), replications, workers)


def throughput(stock: Instance, replications: int, workers: int) -> dict:
    """Seconds for baseline + 3 scenarios x 104 weeks x ``replications`` on ``workers`` workers."""
    plan = Plan(week_zero(stock, SCENARIOS), SimParams(), seed=0, replications=replications, weeks=104)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, cluster_client(workers=workers) as client:
        t0 = time.perf_counter()
        simulate(plan, Path(tmp), client, instance_name="nl-stock")
        seconds = time.perf_counter() - t0
    runs = len(plan.specs())
    return {"workers": workers, "replications": replications, "runs": runs, "seconds": seconds,
            "cluster_seconds": t0 - started}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--weeks", type=int, default=12)
    parser.add_argument("--replications", type=int, default=5, help="for the 1-vs-2-worker speed-up")
    parser.add_argument("--target-replications", type=int, default=TARGET_REPLICATIONS,
                        help="the whole run on 2 workers (0: skip it)")
    parser.add_argument("--against", metavar="REV", help="time the week with the matcher of this commit too")
    parser.add_argument("--week-only", action="store_true", help="stop after the week (no Dask runs)")
    parser.add_argument("--moved", type=int, metavar="RUNS",
                        help="with --against: also how far the simulated figures move over RUNS runs of --weeks weeks")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/simulation.json"))
    args = parser.parse_args()
    stock = read_instance("instances/nl-stock")
    results = {"when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
               "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores (shared)",
               "load_average_start": os.getloadavg()}
    if args.against:
        results["against"] = against(args.against, args.seeds, args.weeks)
        if args.moved:
            results["figures_moved"] = figures_moved(args.against, args.moved, args.weeks)
    else:
        timed = week_times(stock, args.seeds, args.weeks)
        results["week"] = {k: v for k, v in timed.items() if k not in ("week_ms", "solve_ms")}
        results["full_vs_reduced"] = full_vs_reduced(stock, args.weeks)
    print(json.dumps(results, indent=2), flush=True)
    if not args.week_only:
        results["throughput"] = [throughput(stock, args.replications, w) for w in (1, 2)]
        one, two = results["throughput"]
        results["speed_up_1_to_2_workers"] = one["seconds"] / two["seconds"]
        if args.against:
            results["throughput_against"] = throughput_against(args.against, args.replications)
        if args.target_replications:
            results["target_run"] = throughput(stock, args.target_replications, 2)
    results["load_average_end"] = os.getloadavg()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
