"""The solution folder: written (assignments.csv, summary.json, report.md, map.html) and read back.

Files are written into a fresh temporary folder beside the target and moved in only when all of
them are complete, so a failure never leaves a half-written solution. ``read_assignments`` reads
an assignments.csv back, e.g. to draw a solution's map again or to compare scenarios.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from matcher import __version__
from matcher.errors import Problem
from matcher.instance import Instance
from matcher.output.report import render_report
from matcher.result import INVALID_INPUT, YouthOutcome

if TYPE_CHECKING:  # the writers render an analysis; they never import the code that makes one
    from matcher.analysis.analysis import Analysis

ASSIGNMENT_COLUMNS = (
    "youth_id", "status", "unit_id", "location_id", "provider", "distance_km", "setting_steps",
    "home_jeugdregio", "unit_jeugdregio", "scope", "cost", "reason",
)
#: Optional columns after the format's own (the format allows more): who goes where, readably.
#: ``care_type`` is the care the youth needs; ``unit_care_type`` what the unit gives (differs
#: when an alternative care type is used); ``from_unit_id`` the unit a moved occupant left.
EXTRA_ASSIGNMENT_COLUMNS = (
    "care_type", "unit_care_type", "setting", "from_unit_id", "location_name",
    "home_jeugdregio_name", "unit_jeugdregio_name",
)


def summary_of(analysis: Analysis) -> dict:
    """summary.json: the spec's keys, the objective as the checker recomputed it, and the analysis."""
    result, report = analysis.result, analysis.report
    return {
        "status": analysis.status,
        "objective": round(analysis.objective, 6),
        "best_bound": round(analysis.best_bound, 6),
        "gap": round(analysis.gap, 8),
        "wall_seconds": round(result.wall_seconds, 3),
        **analysis.counts,
        "kpis": analysis.kpis,
        "marginal_capacity": analysis.marginal_capacity,
        "instance": analysis.instance.name,
        "instance_path": analysis.instance_path,
        "checker": {"ok": report.ok, "objective": round(report.objective, 6), "violations": list(report.violations)},
        "solver": dict(result.stats),
        "run": analysis.run,
        "matcher_version": __version__,
    }


def assignments_csv(instance: Instance, outcomes: Sequence[YouthOutcome]) -> str:
    """assignments.csv: the format's columns, then ``EXTRA_ASSIGNMENT_COLUMNS``."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(ASSIGNMENT_COLUMNS + EXTRA_ASSIGNMENT_COLUMNS)
    for youth, o in zip(instance.youths, outcomes):
        w.writerow([
            o.youth_id, o.status, o.unit_id or "", o.location_id or "", o.provider or "",
            "" if o.distance_km is None else f"{o.distance_km:.6f}",
            "" if o.setting_steps is None else o.setting_steps,
            o.home_jeugdregio, o.unit_jeugdregio or "", o.scope or "", f"{o.cost:.6f}", o.reason,
            *_who_goes_where(instance, youth, o),
        ])
    return buf.getvalue()


def _who_goes_where(instance: Instance, youth, o: YouthOutcome) -> tuple[str, ...]:
    """The optional columns of one row: care types, setting, the unit left, readable names."""
    unit = instance.unit_by_id[o.unit_id] if o.unit_id else None
    location = instance.location_by_id[o.location_id] if o.location_id else None
    names = instance.regions.jeugdregio_name
    return (
        youth.care_type,
        unit.care_type if unit else "",
        unit.setting if unit else "",
        youth.current_unit_id or "" if o.status == "moved" else "",
        (location.name or "") if location else "",
        names.get(o.home_jeugdregio, ""),
        names.get(o.unit_jeugdregio, "") if o.unit_jeugdregio else "",
    )


def write_solution(analysis: Analysis, out: str | Path, with_map: bool = True) -> dict:
    """Write the solution folder ``out`` (replacing the files matcher writes there); returns the summary."""
    instance, outcomes = analysis.instance, analysis.outcomes
    summary = summary_of(analysis)
    files = {
        "assignments.csv": assignments_csv(instance, outcomes),
        "summary.json": json.dumps(summary, indent=2, ensure_ascii=False) + "\n",
        "report.md": render_report(instance, outcomes, summary),
    }
    _atomic_write(Path(out), files, map_args=(instance, outcomes, summary) if with_map else None,
                  book_args=(instance, outcomes, summary))
    return summary


def invalid_summary(problems: Sequence[Problem], wall_seconds: float = 0.0) -> dict:
    """summary.json for bad input: status INVALID_INPUT and every problem."""
    return {
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


def write_invalid_input(out: str | Path, problems: Sequence[Problem], wall_seconds: float = 0.0) -> dict:
    """Bad input: only summary.json (``invalid_summary``) in ``out``; returns the summary."""
    summary = invalid_summary(problems, wall_seconds)
    _atomic_write(Path(out), {"summary.json": json.dumps(summary, indent=2, ensure_ascii=False) + "\n"})
    return summary


def _atomic_write(out: Path, files: dict[str, str], map_args=None, book_args=None) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8")
        if map_args is not None:
            from matcher.maps import write_map

            write_map(*map_args, tmp / "map.html")
        if book_args is not None:  # solution.xlsx for the expert team (matcher.output.solution_workbook)
            from matcher.output.solution_workbook import write_solution_workbook

            write_solution_workbook(*book_args, tmp / "solution.xlsx")
        out.mkdir(exist_ok=True)
        for stale in ("assignments.csv", "summary.json", "report.md", "map.html", "solution.xlsx"):
            if (out / stale).exists() and not (tmp / stale).exists():
                (out / stale).unlink()
        for f in tmp.iterdir():
            f.replace(out / f.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
