"""Write a solution folder: assignments.csv, summary.json, report.md and map.html.

Files are written into a fresh temporary folder beside the target and moved in only when all of
them are complete, so a failure never leaves a half-written solution.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import shutil
import tempfile
from pathlib import Path
from typing import Sequence

from matcher import __version__
from matcher.instance import Instance
from matcher.kpis import counts, kpis
from matcher.marginal import marginal_capacity
from matcher.report import render_report
from matcher.result import INVALID_INPUT, CheckReport, Result, YouthOutcome

ASSIGNMENT_COLUMNS = (
    "youth_id", "status", "unit_id", "location_id", "provider", "distance_km", "setting_steps",
    "home_jeugdregio", "unit_jeugdregio", "scope", "cost", "reason",
)


def with_reasons(report: CheckReport, result: Result) -> list[YouthOutcome]:
    """The checker's rows, with the solver's reason for every unplaced youth."""
    return [
        dataclasses.replace(o, reason=result.reasons.get(o.youth_id, "no reason recorded")) if o.status == "unplaced" else o
        for o in report.outcomes
    ]


def summary_of(
    instance: Instance, result: Result, report: CheckReport, outcomes: Sequence[YouthOutcome],
    instance_path: str | None = None, **run,
) -> dict:
    """summary.json: the spec's keys, the objective as the checker recomputed it, and KPIs."""
    objective = report.objective
    bound = min(result.best_bound, objective)
    return {
        "status": result.status,
        "objective": round(objective, 6),
        "best_bound": round(bound, 6),
        "gap": round(max(0.0, objective - bound) / max(abs(objective), 1.0), 8),
        "wall_seconds": round(result.wall_seconds, 3),
        **counts(instance, outcomes),
        "kpis": kpis(instance, outcomes),
        "marginal_capacity": marginal_capacity(instance, result.unit_of, objective, result.status, seed=run.get("seed", 0)),
        "instance": instance.name,
        "instance_path": instance_path,
        "checker": {"ok": report.ok, "objective": round(report.objective, 6), "violations": list(report.violations)},
        "solver": {k: v for k, v in result.stats.items()},
        "run": run,
        "matcher_version": __version__,
    }


def assignments_csv(outcomes: Sequence[YouthOutcome]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(ASSIGNMENT_COLUMNS)
    for o in outcomes:
        w.writerow([
            o.youth_id, o.status, o.unit_id or "", o.location_id or "", o.provider or "",
            "" if o.distance_km is None else f"{o.distance_km:.6f}",
            "" if o.setting_steps is None else o.setting_steps,
            o.home_jeugdregio, o.unit_jeugdregio or "", o.scope or "", f"{o.cost:.6f}", o.reason,
        ])
    return buf.getvalue()


def write_solution(
    instance: Instance,
    result: Result,
    report: CheckReport,
    out: str | Path,
    with_map: bool = True,
    instance_path: str | None = None,
    **run,
) -> dict:
    """Write the solution folder ``out`` (replacing the files matcher writes there); returns the summary."""
    out = Path(out)
    outcomes = with_reasons(report, result)
    summary = summary_of(instance, result, report, outcomes, instance_path=instance_path, **run)
    files = {
        "assignments.csv": assignments_csv(outcomes),
        "summary.json": json.dumps(summary, indent=2, ensure_ascii=False) + "\n",
        "report.md": render_report(instance, outcomes, summary),
    }
    _atomic_write(out, files, map_args=(instance, outcomes, summary) if with_map else None)
    return summary


def write_invalid_input(out: str | Path, problems: Sequence, wall_seconds: float = 0.0) -> dict:
    """Bad input: only summary.json, with status INVALID_INPUT and every problem."""
    summary = {
        "status": INVALID_INPUT,
        "objective": None,
        "best_bound": None,
        "gap": None,
        "wall_seconds": round(wall_seconds, 3),
        "errors": [
            {"file": p.file, "line": p.line, "column": p.column, "message": p.message, "text": str(p)} for p in problems
        ],
        "matcher_version": __version__,
    }
    _atomic_write(Path(out), {"summary.json": json.dumps(summary, indent=2, ensure_ascii=False) + "\n"})
    return summary


def _atomic_write(out: Path, files: dict[str, str], map_args=None) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8")
        if map_args is not None:
            from matcher.maps import write_map

            write_map(*map_args, tmp / "map.html")
        out.mkdir(exist_ok=True)
        for stale in ("assignments.csv", "summary.json", "report.md", "map.html"):
            if (out / stale).exists() and not (tmp / stale).exists():
                (out / stale).unlink()
        for f in tmp.iterdir():
            f.replace(out / f.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
