"""Benchmark matcher against the hand-made greedy, the plain MIP and CP-SAT, and against the best bound.

``python -m benchmarks.run --quick | --full [--sizes S,M] [--seeds 1,2,3] [--out DIR] [--work DIR]``

For every tier (see ``benchmarks.instances``) and seed the instance is drawn and written as an
instance folder (a shipped tier uses its folder as it is), and the four methods run one after
another, each as its own process on that folder: matcher exactly as a user runs it
(``matcher solve DIR --out SOL --time-limit T --no-map``), the greedy desk, the plain MIP and
CP-SAT (both with the plain MIP's limits) through ``benchmarks.worker``. Every answer goes through ``matcher.analysis.check.check``. Tiers with
``in_process_repeats`` are also timed in one process (``benchmarks.inprocess``). Results:
``<out>/<date>-<quick|full>.csv`` (one row per tier, seed and method), ``...-ratios.csv`` (per
tier and seed), ``...-summary.csv`` (median and worst per tier and method), ``...-inprocess.csv``,
``....md`` (targets, tables, machine, command) and the scaling plot.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from benchmarks.aggregate import PROVEN_GAP, SUMMARY_COLUMNS, ratios, speedups, summarise, time_to_gap
from benchmarks.cells import amount as _fmt
from benchmarks.cells import percent as _pct
from benchmarks.inprocess import IN_PROCESS_COLUMNS, measure_in_process
from benchmarks.instances import FULL_TIERS, QUICK_TIERS, SHIPPED, TIERS, shortages
from benchmarks.measure import Measured, run_measured
from benchmarks.plot import write_scaling_png
from benchmarks.report import markdown
from benchmarks.targets import Figures
from matcher.solver.candidates import build_candidates
from matcher.analysis.check import check
from matcher.solver.flow import solve_transportation
from matcher.instance import Instance
from matcher.input.instance_writer import write_instance

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
METHODS = ("matcher", "greedy", "plain_mip", "cpsat")
#: The peers that solve the whole model exactly (the plain MIP's limits and seeds apply to both).
EXACT_PEERS = ("plain_mip", "cpsat")
#: The plain MIP may use at most this much address space (it fails instead of starving the machine).
MIP_MEMORY_CAP_MB = 12_000
#: Seeds when ``--seeds`` is not given (issue 13: at least three per tier).
DEFAULT_SEEDS = (1, 2, 3)
NOT_RUN = "NOT_RUN"
COLUMNS = (
    "date", "mode", "tier", "seed", "solver_seed", "youths", "new_youths", "occupants", "units", "places",
    "allow_moves", "short_care_types", "short_regions", "candidate_pairs", "method", "time_limit_s", "wall_s",
    "solve_s", "peak_mb", "exit_code", "status", "objective", "own_bound", "flow_bound", "best_bound",
    "gap_to_best_bound", "own_gap", "time_to_matcher_gap_s", "placed", "moved", "unplaced", "mean_km_new",
    "total_km_new", "mean_setting_steps_new", "check_ok", "violations", "note",
)
RATIO_COLUMNS = (
    "tier", "seed", "matcher_wall_s", "plain_mip_wall_s", "matcher_over_plain_mip_time", "matcher_solve_s",
    "plain_mip_solve_s", "matcher_over_plain_mip_solve_time", "plain_mip_status", "plain_mip_time_to_matcher_gap_s",
    "plain_mip_reached_matcher_gap", "speedup", "best_objective", "matcher_over_best", "plain_mip_over_best",
    "greedy_over_best", "greedy_minus_matcher_unplaced", "greedy_minus_matcher_mean_km",
    "greedy_minus_matcher_total_km", "greedy_minus_matcher_mean_setting_steps", "matcher_own_gap",
    "matcher_gap_to_best_bound", "cpsat_status", "cpsat_solve_s", "cpsat_time_to_matcher_gap_s",
    "cpsat_reached_matcher_gap", "cpsat_speedup", "cpsat_over_best",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--quick", action="store_true", help=f"tiers {','.join(QUICK_TIERS)}, short limits, seeds 1,2,3")
    mode.add_argument("--full", action="store_true", help=f"tiers {','.join(FULL_TIERS)}, full limits, seeds 1,2,3")
    parser.add_argument("--sizes", help=f"comma-separated tiers out of {','.join(TIERS)}")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results folder (default: benchmarks/results)")
    parser.add_argument("--seeds", help="comma-separated generator seeds of every tier (default 1,2,3)")
    parser.add_argument("--seed", type=int, help="one seed (the same as --seeds N)")
    parser.add_argument("--work", type=Path, help="keep instance and solution folders here (default: a temporary folder)")
    parser.add_argument("--no-plain-mip", action="store_true",
                        help="skip the plain MIP and CP-SAT (matcher and greedy only: the targets that need no peer)")
    parser.add_argument("--peers", default=",".join(EXACT_PEERS),
                        help="the exact peers to run, out of plain_mip,cpsat (default: both)")
    parser.add_argument("--peer-limit", type=float, help="the exact peers' time limit in seconds instead of the tier's")
    args = parser.parse_args(argv)
    peers = tuple(args.peers.split(","))
    if not set(peers) <= set(EXACT_PEERS):
        parser.error(f"--peers takes some of {','.join(EXACT_PEERS)}, not '{args.peers}'")

    mode_name = "quick" if args.quick else "full"
    tiers = args.sizes.split(",") if args.sizes else list(QUICK_TIERS if args.quick else FULL_TIERS)
    unknown = [t for t in tiers if t not in TIERS]
    if unknown:
        parser.error(f"unknown size(s) {', '.join(unknown)}; known: {', '.join(TIERS)}")
    try:
        seeds = parse_seeds(args.seeds, args.seed)
    except ValueError as e:
        parser.error(str(e))
    command = "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:])
    # A run of chosen sizes gets its own files, so that it never overwrites a complete run.
    stem = f"{dt.date.today().isoformat()}-{mode_name}" + ("-" + "-".join(tiers) if args.sizes else "")
    work = args.work or Path(tempfile.mkdtemp(prefix="matcher-bench-"))
    run = Run(mode_name, seeds, args.out, stem, command, plain_mip=not args.no_plain_mip)
    run.peers, run.peer_limit = peers, args.peer_limit
    try:
        for name in tiers:
            run.tier(name, work)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    run.machine["load_average_end"] = _load()
    paths = run.write()
    print(f"\nwrote {', '.join(str(p) for p in paths)}")
    return 0


def parse_seeds(seeds: str | None, seed: int | None) -> tuple[int, ...]:
    """``--seeds 1,2,3`` or ``--seed N``, else ``DEFAULT_SEEDS``."""
    if seeds and seed is not None:
        raise ValueError("give --seeds or --seed, not both")
    if seed is not None:
        return (seed,)
    if not seeds:
        return DEFAULT_SEEDS
    try:
        parsed = tuple(int(s) for s in seeds.split(","))
    except ValueError:
        raise ValueError(f"--seeds takes whole numbers separated by commas, not '{seeds}'") from None
    if len(set(parsed)) != len(parsed):
        raise ValueError(f"--seeds repeats a seed: '{seeds}'")
    return parsed


class Run:
    """One benchmark run: its rows so far, and writing them out after every tier."""

    def __init__(self, mode: str, seeds: tuple[int, ...], out: Path, stem: str, command: str, plain_mip: bool = True):
        self.mode, self.seeds, self.out, self.stem, self.command = mode, seeds, out, stem, command
        self.plain_mip = plain_mip
        self.peers: tuple[str, ...] = EXACT_PEERS
        self.peer_limit: float | None = None
        self.machine = machine_info()
        self.started = time.perf_counter()
        self.rows: list[dict] = []
        self.in_process: list[dict] = []

    def tier(self, name: str, work: Path) -> None:
        """Every seed of the tier, then its in-process timing; the outputs are rewritten."""
        tier = TIERS[name]
        limits = tier.limits(self.mode)
        for i, seed in enumerate(self.seeds):
            with_mip = self.plain_mip and limits.plain_mip is not None and (
                limits.plain_mip_seeds is None or i < limits.plain_mip_seeds)
            self.rows += run_tier(name, self.mode, seed, work, with_mip=with_mip, peers=self.peers,
                                  peer_limit=self.peer_limit)
        if limits.in_process_repeats:
            seed = tier.solver_seed(self.seeds[0])
            print(f"[{name}] timing solve(read_instance(...)) in one process, {limits.in_process_repeats} runs "
                  f"after a warm-up (solver seed {seed})", flush=True)
            folder = _instance_folder(name, work / f"{name}-seed{self.seeds[0]}")
            timed = measure_in_process(name, folder, work / f"{name}-inprocess.json", limits.in_process_repeats,
                                       limits.matcher, seed)
            print(f"[{name}] in-process solve median {timed.get('solve_s_median', float('nan')) * 1000:.1f} ms "
                  f"({timed['statuses']})", flush=True)
            self.in_process.append(timed)
        self.write()

    def write(self) -> list[Path]:
        return write_outputs(self, time.perf_counter() - self.started)


# --- one tier -------------------------------------------------------------------------------------


def run_tier(name: str, mode: str, seed: int, work: Path, with_mip: bool = True, peers: tuple = EXACT_PEERS,
             peer_limit: float | None = None) -> list[dict]:
    """Draw the tier's instance, run every method on it (of the exact peers, ``peers``, with the
    tier's limit or ``peer_limit``), check every answer; one row per method."""
    tier = TIERS[name]
    limits = tier.limits(mode)
    if peer_limit is not None and limits.plain_mip is not None:
        limits = replace(limits, plain_mip=peer_limit)
    solver_seed = tier.solver_seed(seed)
    print(f"[{name}] {'reading' if tier.shipped else 'drawing'} {tier.description} (seed {seed})", flush=True)
    instance = tier.build(seed)
    folder = work / f"{name}-seed{seed}"
    instance_dir = _instance_folder(name, folder, instance)
    facts = dict(instance_facts(instance), date=dt.date.today().isoformat(), mode=mode, tier=name, seed=seed,
                 solver_seed=solver_seed)
    answers = {
        "matcher": run_matcher(instance_dir, folder / "matcher-solution", limits.matcher, solver_seed),
        "greedy": run_worker("greedy", instance_dir, folder / "greedy.json", limits.matcher),
    }
    limit_of = {"matcher": limits.matcher, "greedy": "", **dict.fromkeys(EXACT_PEERS, limits.plain_mip if with_mip else "")}
    if with_mip:
        for peer in peers:
            answers[peer] = run_worker(peer, instance_dir, folder / f"{peer}.json", limits.plain_mip, solver_seed)
    rows = [_row(dict(facts, time_limit_s=limit_of[m]), m, instance, *answers[m]) for m in answers]
    why = "on this tier in this mode" if limits.plain_mip is None else "on this seed (only on the first seeds)"
    rows += [dict(dict.fromkeys(COLUMNS, ""), **facts, method=peer, status=NOT_RUN,
                  note=f"not run {why}" if not with_mip else "not asked for (--peers)")
             for peer in EXACT_PEERS if peer not in answers]
    _compare(rows)
    for r in rows:
        print(f"[{name}] seed {seed} {r['method']:9s} {r['status']:12s} obj {_fmt(r.get('objective'))} "
              f"own gap {_pct(r.get('own_gap'))} solve {r.get('solve_s', '')} s wall {r.get('wall_s', '')} s "
              f"peak {r.get('peak_mb', '')} MB check {r['check_ok']} {r['note']}", flush=True)
    return rows


def _instance_folder(name: str, folder: Path, instance: Instance | None = None) -> Path:
    """The instance folder every method reads: a shipped tier's own, else the drawn instance
    written once under ``folder``."""
    tier = TIERS[name]
    if tier.shipped:
        return SHIPPED / tier.shipped
    if instance is not None:
        write_instance(instance, folder / "instance")
    return folder / "instance"


def instance_facts(instance: Instance) -> dict:
    """Size, shortages, candidate pairs and the flow bound of an instance."""
    cand = build_candidates(instance)
    flow = solve_transportation(instance, cand)
    short = shortages(instance)
    return {
        "youths": len(instance.youths),
        "new_youths": sum(y.current_unit_id is None for y in instance.youths),
        "occupants": sum(y.current_unit_id is not None for y in instance.youths),
        "units": len(instance.units), "places": sum(u.capacity for u in instance.units),
        "allow_moves": instance.settings.allow_moves, "candidate_pairs": cand.n_pairs,
        "flow_bound": round(flow.lower_bound, 6),
        "short_care_types": " ".join(f"{c}:{n}>{f}" for (c, area), (n, f) in short.items() if area == "NL"),
        "short_regions": sum(area != "NL" for _, area in short),
    }


def run_matcher(instance_dir: Path, solution: Path, limit: float, seed: int = 0) -> tuple[Measured, dict]:
    """``matcher solve`` as a user types it; the answer is read back from the solution folder."""
    cmd = [*_matcher_command(), "solve", str(instance_dir), "--out", str(solution),
           "--time-limit", f"{limit:g}", "--seed", str(seed), "--no-map", "--quiet"]
    shutil.rmtree(solution, ignore_errors=True)
    run = run_measured(cmd, timeout=3 * limit + 120)
    answer: dict = {"status": f"EXIT_{run.returncode}", "unit_of": None}
    summary_path = solution / "summary.json"
    if summary_path.exists() and not run.timed_out:
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
        answer = {"status": summary["status"], "objective": summary["objective"], "bound": summary["best_bound"],
                  "solve_seconds": summary["wall_seconds"], "unit_of": _read_assignments(solution / "assignments.csv")}
    return run, answer


def run_worker(method: str, instance_dir: Path, answer_path: Path, limit: float, seed: int = 0) -> tuple[Measured, dict]:
    """A peer through ``benchmarks.worker``, in its own process."""
    answer_path.parent.mkdir(parents=True, exist_ok=True)
    answer_path.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "benchmarks.worker", method, str(instance_dir), str(answer_path),
           "--time-limit", f"{limit:g}", "--seed", str(seed)]
    if method in EXACT_PEERS:
        cmd += ["--memory-cap-mb", str(MIP_MEMORY_CAP_MB)]
    run = run_measured(cmd, timeout=3 * limit + 300, cwd=ROOT)
    if answer_path.exists():
        return run, json.loads(answer_path.read_text(encoding="utf-8"))
    status = "TIMEOUT" if run.timed_out else ("OUT_OF_MEMORY" if "MemoryError" in run.stderr or "bad_alloc" in run.stderr
                                              else f"EXIT_{run.returncode}")
    return run, {"status": status, "unit_of": None}


def _matcher_command() -> list[str]:
    exe = Path(sys.executable).parent / "matcher"
    if exe.exists():
        return [str(exe)]
    return [sys.executable, "-c", "from matcher.cli import main; main()"]


def _read_assignments(path: Path) -> dict[str, str | None]:
    with path.open(encoding="utf-8", newline="") as f:
        return {r["youth_id"]: (r["unit_id"] or None) for r in csv.DictReader(f)}


def _row(facts: dict, method: str, instance: Instance, run: Measured, answer: dict) -> dict:
    """Measurements plus the checker's verdict on the method's assignment."""
    row = dict(facts, method=method, wall_s=round(run.wall_seconds, 2), peak_mb=round(run.peak_mb, 1),
               exit_code=run.returncode, status=answer.get("status", ""), solve_s=answer.get("solve_seconds", ""),
               own_bound=_num(answer.get("bound")), note="", trajectory=answer.get("trajectory"),
               time_to_matcher_gap_s="")
    unit_of = answer.get("unit_of")
    if unit_of is None:
        row.update(objective="", placed="", moved="", unplaced="", mean_km_new="", total_km_new="",
                   mean_setting_steps_new="", check_ok="", violations="",
                   note="no assignment" + (" (killed at the timeout)" if run.timed_out else ""))
        if run.returncode != 0 and run.stderr.strip():
            row["note"] += ": " + run.stderr.strip().splitlines()[-1][:160]
        return _with_model_size(row, answer)
    report = check(instance, unit_of)
    statuses = [o.status for o in report.outcomes]
    km = [o.distance_km for o in report.outcomes if o.status == "placed"]
    steps = [o.setting_steps for o in report.outcomes if o.status == "placed"]
    row.update(
        objective=round(report.objective, 6),
        placed=statuses.count("placed"), moved=statuses.count("moved"), unplaced=statuses.count("unplaced"),
        mean_km_new=round(sum(km) / len(km), 3) if km else "", total_km_new=round(sum(km), 3),
        mean_setting_steps_new=round(sum(steps) / len(steps), 3) if steps else "",
        check_ok=report.ok, violations=len(report.violations),
    )
    claimed = answer.get("objective")
    if claimed is not None and abs(claimed - report.objective) > 1e-5 * max(1.0, abs(report.objective)):
        row["note"] = f"own objective {claimed:.6f} differs from the checker's"
    if run.returncode != 0 and not row["note"]:
        row["note"] = f"exit code {run.returncode}"
    return _with_model_size(row, answer)


def _with_model_size(row: dict, answer: dict) -> dict:
    """For the plain MIP and CP-SAT: how big the model was and how long building it took."""
    if "columns" in answer:
        size = f"{answer['columns']:,} columns, {answer['rows']:,} rows, built in {answer.get('build_seconds', 0):.1f} s"
        row["note"] = size + ("; " + row["note"] if row["note"] else "")
    return row


def _compare(rows: list[dict]) -> None:
    """The best bound known (max of every proven bound), and each method's gap to it."""
    bounds = [r["flow_bound"] for r in rows[:1]] + [r["own_bound"] for r in rows if r["own_bound"] != ""]
    best_bound = max(float(b) for b in bounds)
    valid = [float(r["objective"]) for r in rows if r["check_ok"] is True]
    if valid and best_bound > min(valid) + 1e-6 * max(1.0, abs(min(valid))):
        for r in rows:
            r["note"] = (r["note"] + "; " if r["note"] else "") + "a bound exceeds a checked objective"
    for r in rows:
        r["best_bound"] = round(best_bound, 6)
        if r["objective"] != "":
            obj = float(r["objective"])
            r["gap_to_best_bound"] = round(max(0.0, obj - best_bound) / max(abs(obj), 1.0), 8)
            r["own_gap"] = "" if r["own_bound"] == "" else round(max(0.0, obj - float(r["own_bound"])) / max(abs(obj), 1.0), 8)
        else:
            r["gap_to_best_bound"] = r["own_gap"] = ""
    by = {r["method"]: r for r in rows}
    matcher = by.get("matcher")
    for mip in (by.get(peer) for peer in EXACT_PEERS):
        if matcher and mip and mip.get("trajectory") and matcher["check_ok"] is True:
            target = max(float(matcher["own_gap"]), PROVEN_GAP)
            reached = time_to_gap(mip["trajectory"], target)
            mip["time_to_matcher_gap_s"] = round(reached, 3) if reached != float("inf") else ""


# --- ratios, targets, outputs ---------------------------------------------------------------------


def machine_info() -> dict:
    """Cores, memory and CPU model of this machine, and how busy it is at the start."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = round(int(line.split()[1]) * 1024 / 1e9, 1)
                break
    except OSError:
        pass
    from importlib.metadata import version

    return {"cpu": model or platform.processor(), "cores": os.cpu_count(), "memory_gb": mem_gb,
            "python": platform.python_version(), "highspy": version("highspy"), "ortools": version("ortools"),
            "revision": _revision(), "load_average_start": _load()}


def _revision() -> str:
    """The commit the matcher code comes from, and whether it had local changes."""
    import subprocess

    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "matcher"], cwd=ROOT, capture_output=True,
                               text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" with local changes to matcher/" if dirty else "")


def write_outputs(run: Run, seconds: float) -> list[Path]:
    """CSVs and markdown named after the run's stem; the plot is ``scaling.png`` for a complete
    full run, ``scaling-<rest of stem>.png`` otherwise."""
    out, stem = run.out, run.stem
    out.mkdir(parents=True, exist_ok=True)
    ratio_rows = ratios(run.rows)
    figures = Figures(summarise([r for r in run.rows if r["status"] != NOT_RUN]),
                      [*speedups(ratio_rows), *speedups(ratio_rows, "cpsat")], run.in_process)
    paths = [out / f"{stem}.csv", out / f"{stem}-ratios.csv", out / f"{stem}-summary.csv", out / f"{stem}.md"]
    _write_csv(paths[0], COLUMNS, run.rows)
    _write_csv(paths[1], RATIO_COLUMNS, ratio_rows)
    _write_csv(paths[2], SUMMARY_COLUMNS, figures.summary)
    if run.in_process:
        paths.append(out / f"{stem}-inprocess.csv")
        _write_csv(paths[-1], IN_PROCESS_COLUMNS, run.in_process)
    context = {"command": run.command, "machine": run.machine, "seconds": seconds, "seeds": run.seeds, "mode": run.mode}
    paths[3].write_text(markdown(run.rows, ratio_rows, figures, context), encoding="utf-8")
    suffix = stem.split("-", 4)[3:]  # after the date: mode and chosen sizes
    png = out / ("scaling.png" if suffix == ["full"] else f"scaling-{'-'.join(suffix)}.png")
    measured = [r for r in run.rows if r["status"] != NOT_RUN]
    write_scaling_png(measured, png, title=f"{stem}: {', '.join(dict.fromkeys(r['tier'] for r in measured))}")
    return paths + [png]


def _write_csv(path: Path, columns, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return ""


def _num(x):
    return "" if x is None else round(float(x), 6)


if __name__ == "__main__":
    raise SystemExit(main())
