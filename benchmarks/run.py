"""Benchmark matcher against the hand-made greedy and the plain MIP, and against the best bound.

``python -m benchmarks.run --quick | --full [--sizes S,M] [--out DIR] [--seed N]``

For every tier (see ``benchmarks.instances``) the instance is drawn, written as an instance
folder, and the three methods run one after another, each as its own process on that folder:
matcher exactly as a user runs it (``matcher solve DIR --out SOL --time-limit T --no-map``), the
greedy desk and the plain MIP through ``benchmarks.worker``. Every answer goes through
``matcher.check.check``. Results: ``<out>/<date>-<quick|full>.csv`` (one row per method and
tier), ``<date>-<mode>-ratios.csv``, ``<date>-<mode>.md`` (tables, targets, machine, command)
and the scaling plot.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.instances import FULL_TIERS, QUICK_TIERS, TIERS
from benchmarks.measure import Measured, run_measured
from benchmarks.plot import write_scaling_png
from matcher.candidates import build_candidates
from matcher.check import check
from matcher.flow import solve_transportation
from matcher.instance import Instance
from matcher.instance_writer import write_instance

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
METHODS = ("matcher", "greedy", "plain_mip")
#: The plain MIP may use at most this much address space (it fails instead of starving the machine).
MIP_MEMORY_CAP_MB = 12_000
COLUMNS = (
    "date", "mode", "tier", "seed", "youths", "new_youths", "occupants", "units", "places", "allow_moves",
    "candidate_pairs", "method", "time_limit_s", "wall_s", "solve_s", "peak_mb", "exit_code", "status",
    "objective", "own_bound", "flow_bound", "best_bound", "gap_to_best_bound", "own_gap", "placed", "moved",
    "unplaced", "mean_km_new", "total_km_new", "mean_setting_steps_new", "check_ok", "violations", "note",
)
RATIO_COLUMNS = (
    "tier", "matcher_wall_s", "plain_mip_wall_s", "matcher_over_plain_mip_time", "matcher_solve_s",
    "plain_mip_solve_s", "matcher_over_plain_mip_solve_time", "plain_mip_status",
    "best_objective", "matcher_over_best", "plain_mip_over_best", "greedy_over_best",
    "greedy_minus_matcher_unplaced", "greedy_minus_matcher_mean_km", "greedy_minus_matcher_total_km",
    "greedy_minus_matcher_mean_setting_steps", "matcher_own_gap", "matcher_gap_to_best_bound",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--quick", action="store_true", help=f"tiers {','.join(QUICK_TIERS)}, short limits")
    mode.add_argument("--full", action="store_true", help=f"tiers {','.join(FULL_TIERS)}, full limits")
    parser.add_argument("--sizes", help=f"comma-separated tiers out of {','.join(TIERS)}")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results folder (default: benchmarks/results)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed of every tier (default 1)")
    parser.add_argument("--work", type=Path, help="keep instance and solution folders here (default: a temporary folder)")
    args = parser.parse_args(argv)

    mode_name = "quick" if args.quick else "full"
    tiers = args.sizes.split(",") if args.sizes else list(QUICK_TIERS if args.quick else FULL_TIERS)
    unknown = [t for t in tiers if t not in TIERS]
    if unknown:
        parser.error(f"unknown size(s) {', '.join(unknown)}; known: {', '.join(TIERS)}")
    command = "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:])
    # A run of chosen sizes gets its own files, so that it never overwrites a complete run.
    stem = f"{dt.date.today().isoformat()}-{mode_name}" + ("-" + "-".join(tiers) if args.sizes else "")
    work = args.work or Path(tempfile.mkdtemp(prefix="matcher-bench-"))
    machine = machine_info()
    started = time.perf_counter()
    rows: list[dict] = []
    try:
        for name in tiers:
            rows += run_tier(name, mode_name, args.seed, work)
            _write_outputs(rows, args.out, stem, command, machine, time.perf_counter() - started)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    machine["load_average_end"] = _load()
    paths = _write_outputs(rows, args.out, stem, command, machine, time.perf_counter() - started)
    print(f"\nwrote {', '.join(str(p) for p in paths)}")
    return 0


# --- one tier -------------------------------------------------------------------------------------


def run_tier(name: str, mode: str, seed: int, work: Path) -> list[dict]:
    """Draw the tier's instance, run every method on it, check every answer; one row per method."""
    tier = TIERS[name]
    limit = tier.full_seconds if mode == "full" else tier.quick_seconds
    mip_limit = tier.full_mip_seconds if mode == "full" else tier.quick_seconds
    print(f"[{name}] drawing {tier.description} (seed {seed})", flush=True)
    instance = tier.build(seed)
    folder = work / f"{name}-seed{seed}"
    write_instance(instance, folder / "instance")
    cand = build_candidates(instance)
    flow = solve_transportation(instance, cand)
    facts = {
        "date": dt.date.today().isoformat(), "mode": mode, "tier": name, "seed": seed,
        "youths": len(instance.youths),
        "new_youths": sum(y.current_unit_id is None for y in instance.youths),
        "occupants": sum(y.current_unit_id is not None for y in instance.youths),
        "units": len(instance.units), "places": sum(u.capacity for u in instance.units),
        "allow_moves": instance.settings.allow_moves, "candidate_pairs": cand.n_pairs,
        "flow_bound": round(flow.lower_bound, 6),
    }
    del cand, flow
    answers = {
        "matcher": run_matcher(folder, limit),
        "greedy": run_worker("greedy", folder, limit),
        "plain_mip": run_worker("plain_mip", folder, mip_limit),
    }
    limits = {"matcher": limit, "greedy": "", "plain_mip": mip_limit}
    rows = [_row(dict(facts, time_limit_s=limits[method]), method, instance, *answers[method]) for method in METHODS]
    _compare(rows)
    for r in rows:
        print(f"[{name}] {r['method']:9s} {r['status']:12s} obj {_fmt(r['objective'])} gap {_fmt(r['gap_to_best_bound'])} "
              f"wall {r['wall_s']} s peak {r['peak_mb']} MB unplaced {r['unplaced']} check {r['check_ok']} {r['note']}",
              flush=True)
    return rows


def run_matcher(folder: Path, limit: float) -> tuple[Measured, dict]:
    """``matcher solve`` as a user types it; the answer is read back from the solution folder."""
    solution = folder / "matcher-solution"
    cmd = [*_matcher_command(), "solve", str(folder / "instance"), "--out", str(solution),
           "--time-limit", f"{limit:g}", "--no-map", "--quiet"]
    run = run_measured(cmd, timeout=3 * limit + 120)
    answer: dict = {"status": f"EXIT_{run.returncode}", "unit_of": None}
    summary_path = solution / "summary.json"
    if summary_path.exists() and not run.timed_out:
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
        answer = {"status": summary["status"], "objective": summary["objective"], "bound": summary["best_bound"],
                  "solve_seconds": summary["wall_seconds"], "unit_of": _read_assignments(solution / "assignments.csv")}
    return run, answer


def run_worker(method: str, folder: Path, limit: float) -> tuple[Measured, dict]:
    """A peer through ``benchmarks.worker``, in its own process."""
    answer_path = folder / f"{method}.json"
    answer_path.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "benchmarks.worker", method, str(folder / "instance"), str(answer_path),
           "--time-limit", f"{limit:g}"]
    if method == "plain_mip":
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
               own_bound=_num(answer.get("bound")), note="")
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
    """For the plain MIP: how big the model was and how long building it took."""
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


# --- ratios, targets, outputs ---------------------------------------------------------------------


def ratios(rows: list[dict]) -> list[dict]:
    """Per tier: matcher time / plain-MIP time, objectives / best, greedy's extra unplaced and km."""
    out = []
    for tier in dict.fromkeys(r["tier"] for r in rows):
        by = {r["method"]: r for r in rows if r["tier"] == tier}
        m, g, p = by.get("matcher"), by.get("greedy"), by.get("plain_mip")
        valid = [float(r["objective"]) for r in by.values() if r["check_ok"] is True]
        best = min(valid) if valid else None

        def over_best(r):
            return "" if best is None or r is None or r["check_ok"] is not True else round(float(r["objective"]) / best, 6)

        def diff(a, b, key):
            if a is None or b is None or a[key] in ("", None) or b[key] in ("", None):
                return ""
            return round(float(a[key]) - float(b[key]), 3)

        out.append({
            "tier": tier,
            "matcher_wall_s": m["wall_s"] if m else "",
            "plain_mip_wall_s": p["wall_s"] if p else "",
            "matcher_over_plain_mip_time": round(m["wall_s"] / p["wall_s"], 4) if m and p and p["wall_s"] else "",
            "matcher_solve_s": m["solve_s"] if m else "",
            "plain_mip_solve_s": p["solve_s"] if p else "",
            "matcher_over_plain_mip_solve_time": round(float(m["solve_s"]) / float(p["solve_s"]), 4)
            if m and p and m["solve_s"] not in ("", None) and p["solve_s"] not in ("", None) and float(p["solve_s"]) else "",
            "plain_mip_status": p["status"] if p else "",
            "best_objective": "" if best is None else round(best, 6),
            "matcher_over_best": over_best(m), "plain_mip_over_best": over_best(p), "greedy_over_best": over_best(g),
            "greedy_minus_matcher_unplaced": diff(g, m, "unplaced"),
            "greedy_minus_matcher_mean_km": diff(g, m, "mean_km_new"),
            "greedy_minus_matcher_total_km": diff(g, m, "total_km_new"),
            "greedy_minus_matcher_mean_setting_steps": diff(g, m, "mean_setting_steps_new"),
            "matcher_own_gap": m["own_gap"] if m else "",
            "matcher_gap_to_best_bound": m["gap_to_best_bound"] if m else "",
        })
    return out


def targets(rows: list[dict]) -> list[tuple[str, str, str]]:
    """The speed and quality targets, each with what was measured and whether it is met."""
    by = {(r["tier"], r["method"]): r for r in rows}
    out: list[tuple[str, str, str]] = []

    def m(tier):
        return by.get((tier, "matcher"))

    for tier in ("S", "M"):
        if m(tier):
            out.append((f"{tier}: matcher proves the optimum", f"status {m(tier)['status']}, own gap {_pct(m(tier)['own_gap'])}",
                        _yes(m(tier)["status"] == "OPTIMAL")))
    for tier in ("M", "L"):
        r, p = m(tier), by.get((tier, "plain_mip"))
        if r and p and r["check_ok"] is True:
            out.append((f"{tier}: matcher >= 5x faster than the plain MIP at equal or better objective",
                        *_five_times(r, p)))
    if m("week"):
        r = m("week")
        out.append(("week: proven optimal, CLI run under 3 s", f"status {r['status']}, {r['wall_s']} s",
                    _yes(r["status"] == "OPTIMAL" and r["wall_s"] < 3)))
    if m("L"):
        r = m("L")
        gap = float(r["own_gap"]) if r["own_gap"] != "" else math.inf
        out.append(("L (stock, moves allowed): gap <= 0.1 % within 60 s",
                    f"own gap {_pct(r['own_gap'])} (to best bound {_pct(r['gap_to_best_bound'])}), {r['wall_s']} s",
                    _yes(gap <= 1e-3 and r["wall_s"] <= 60 + 5 and r["check_ok"] is True)))
    if m("XL"):
        r = m("XL")
        gap = float(r["own_gap"]) if r["own_gap"] != "" else math.inf
        out.append(("XL: gap <= 1 % within 300 s, peak memory under 4 GB",
                    f"own gap {_pct(r['own_gap'])} (to best bound {_pct(r['gap_to_best_bound'])}), {r['wall_s']} s, "
                    f"{r['peak_mb'] / 1000:.2f} GB",
                    _yes(gap <= 1e-2 and r["wall_s"] <= 300 + 15 and r["peak_mb"] < 4000 and r["check_ok"] is True)))
    return out


def _five_times(r: dict, p: dict) -> tuple[str, str]:
    """Speed-up over the plain MIP at an equal or better objective, on process wall time.

    When HiGHS ends with an objective as good as matcher's, its wall time is its time to get
    (and prove) there. When it ends worse or without an assignment, it had not got there after
    its whole run: the ratio is then a lower bound ("at least").
    """
    speed = p["wall_s"] / r["wall_s"] if r["wall_s"] else math.inf
    solve = (float(p["solve_s"]) / float(r["solve_s"])) if r["solve_s"] not in ("", None, 0) and p["solve_s"] not in ("", None) else math.nan
    got_there = p["objective"] != "" and float(p["objective"]) <= float(r["objective"]) + 1e-6 * max(1.0, abs(float(r["objective"])))
    if got_there:
        text = f"{speed:.1f}x on process wall time ({solve:.1f}x solve only); plain MIP {p['status']} at {_fmt(p['objective'])}"
    else:
        text = (f"at least {speed:.1f}x: the plain MIP ended {p['status']} after {p['wall_s']} s "
                f"(objective {_fmt(p['objective'])} vs matcher's {_fmt(r['objective'])})")
    return text, _yes(speed >= 5)


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


def _write_outputs(rows, out: Path, stem: str, command: str, machine: dict, seconds: float) -> list[Path]:
    """CSV, ratios CSV and markdown named ``stem``; the plot is ``scaling.png`` for a complete full
    run, ``scaling-<rest of stem>.png`` otherwise."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"{stem}.csv", out / f"{stem}-ratios.csv", out / f"{stem}.md"]
    _write_csv(paths[0], COLUMNS, rows)
    ratio_rows = ratios(rows)
    _write_csv(paths[1], RATIO_COLUMNS, ratio_rows)
    paths[2].write_text(markdown(rows, ratio_rows, command, machine, seconds), encoding="utf-8")
    suffix = stem.split("-", 4)[3:]  # after the date: mode and chosen sizes
    png = out / ("scaling.png" if suffix == ["full"] else f"scaling-{'-'.join(suffix)}.png")
    write_scaling_png(rows, png, title=f"{stem}: {', '.join(dict.fromkeys(r['tier'] for r in rows))}")
    return paths + [png]


def _write_csv(path: Path, columns, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def markdown(rows, ratio_rows, command: str, machine: dict, seconds: float) -> str:
    """The tables of one run, ready to paste into the README."""
    lines = [
        f"Command: `{command}` ({seconds / 60:.1f} min in all).",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB memory; Python "
        f"{machine['python']}, highspy {machine['highspy']}, ortools {machine['ortools']}; matcher at commit "
        f"{machine['revision']}; load average "
        f"{machine['load_average_start']} at the start, {machine.get('load_average_end', '-')} at the end.",
        "",
        "| tier | youths (new / occ.) | units | pairs | method | limit s | wall s | peak MB | status | objective "
        "| gap to best bound | own gap | placed | moved | unplaced | mean km new | mean steps new | check |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['tier']} | {r['youths']} ({r['new_youths']} / {r['occupants']}){' moves' if r['allow_moves'] else ''} "
            f"| {r['units']} | {r['candidate_pairs']} | {r['method']} | {_limit(r['time_limit_s'])} | {r['wall_s']} | {r['peak_mb']} "
            f"| {r['status']} | {_fmt(r['objective'])} | {_pct(r['gap_to_best_bound'])} | {_pct(r['own_gap'])} "
            f"| {r['placed']} | {r['moved']} | {r['unplaced']} | {r['mean_km_new']} | {r['mean_setting_steps_new']} "
            f"| {'ok' if r['check_ok'] is True else ('FAILED' if r['check_ok'] is False else '-')}"
            f"{' (' + r['note'] + ')' if r['note'] else ''} |"
        )
    lines += [
        "",
        "| tier | matcher / plain MIP time (process) | matcher / plain MIP time (solve only) | plain MIP status "
        "| best objective | matcher / best | plain MIP / best "
        "| greedy / best | greedy − matcher unplaced | greedy − matcher mean km | greedy − matcher total km "
        "| greedy − matcher mean setting steps |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for q in ratio_rows:
        lines.append(
            f"| {q['tier']} | {q['matcher_over_plain_mip_time']} | {q['matcher_over_plain_mip_solve_time']} "
            f"| {q['plain_mip_status']} | {_fmt(q['best_objective'])} "
            f"| {q['matcher_over_best']} | {q['plain_mip_over_best']} | {q['greedy_over_best']} "
            f"| {q['greedy_minus_matcher_unplaced']} | {q['greedy_minus_matcher_mean_km']} | {q['greedy_minus_matcher_total_km']} "
            f"| {q['greedy_minus_matcher_mean_setting_steps']} |"
        )
    lines += ["", "| target | measured | met |", "|---|---|---|"]
    lines += [f"| {t} | {m} | {ok} |" for t, m, ok in targets(rows)]
    return "\n".join(lines) + "\n"


def _limit(x) -> str:
    return "-" if x in ("", None) else f"{float(x):g}"


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return ""


def _num(x):
    return "" if x is None else round(float(x), 6)


def _fmt(x) -> str:
    return "-" if x in ("", None) else f"{float(x):,.2f}"


def _pct(x) -> str:
    return "-" if x in ("", None) else f"{100 * float(x):.4f} %"


def _yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


if __name__ == "__main__":
    raise SystemExit(main())
