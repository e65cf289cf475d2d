"""The solution folder: written (assignments.csv, summary.json, report.md, map.html) and read back.

Files are written into a fresh temporary folder beside the target and moved in only when all of
them are complete, so a failure never leaves a half-written solution. ``read_assignments`` reads
an assignments.csv back, e.g. to draw a solution's map again or to compare scenarios.
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
from matcher.errors import InputError, Problem
from matcher.i18n import _
from matcher.instance import Instance
from matcher.analysis.kpis import counts, kpis
from matcher.analysis.marginal import marginal_capacity
from matcher.output.report import render_report
from matcher.result import INVALID_INPUT, CheckReport, Result, YouthOutcome, relative_gap

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


def with_reasons(report: CheckReport, result: Result) -> list[YouthOutcome]:
    """The checker's rows, with the solver's reason for every unplaced youth."""
    return [
        dataclasses.replace(o, reason=result.reasons.get(o.youth_id) or _("no reason recorded")) if o.status == "unplaced" else o
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
        "gap": round(relative_gap(objective, bound), 8),
        "wall_seconds": round(result.wall_seconds, 3),
        **counts(instance, outcomes),
        "kpis": kpis(instance, outcomes),
        "marginal_capacity": marginal_capacity(instance, result.unit_of, objective, result.status, seed=run.get("seed", 0),
                                                known=result.relaxation),
        "instance": instance.name,
        "instance_path": instance_path,
        "checker": {"ok": report.ok, "objective": round(report.objective, 6), "violations": list(report.violations)},
        "solver": {k: v for k, v in result.stats.items()},
        "run": run,
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
        "assignments.csv": assignments_csv(instance, outcomes),
        "summary.json": json.dumps(summary, indent=2, ensure_ascii=False) + "\n",
        "report.md": render_report(instance, outcomes, summary),
    }
    _atomic_write(out, files, map_args=(instance, outcomes, summary) if with_map else None,
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


# --- reading a solution back -----------------------------------------------------------------


def _cell(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _float_cell(value: str | None) -> float | None:
    text = _cell(value)
    return None if text is None else float(text)


def _int_cell(value: str | None) -> int | None:
    number = _float_cell(value)
    return None if number is None else int(number)


def read_assignments(path: str | Path) -> list[YouthOutcome]:
    """The rows of an assignments.csv (instance format, solution folder), in file order."""
    with Path(path).open(encoding="utf-8-sig", newline="") as f:
        return [
            YouthOutcome(
                youth_id=row["youth_id"].strip(),
                status=row["status"].strip(),
                unit_id=_cell(row.get("unit_id")),
                location_id=_cell(row.get("location_id")),
                provider=_cell(row.get("provider")),
                distance_km=_float_cell(row.get("distance_km")),
                setting_steps=_int_cell(row.get("setting_steps")),
                home_jeugdregio=(row.get("home_jeugdregio") or "").strip(),
                unit_jeugdregio=_cell(row.get("unit_jeugdregio")),
                scope=_cell(row.get("scope")),
                cost=_float_cell(row.get("cost")) or 0.0,
                reason=(row.get("reason") or "").strip(),
            )
            for row in csv.DictReader(f)
        ]


@dataclasses.dataclass(frozen=True)
class Solution:
    """A solution folder read back: its instance, one outcome per youth, and summary.json."""

    instance: Instance
    outcomes: list[YouthOutcome]
    summary: dict


def solution_instance_folder(solution_dir: Path, summary: dict, instance_dir: Path | None = None) -> Path:
    """The instance a solution belongs to: ``instance_dir``, else summary.json's ``instance_path``.

    A relative ``instance_path`` is tried from the working folder first, then from the solution
    folder, so a solution folder moved together with its instance still finds it.
    """
    if instance_dir is not None:
        return Path(instance_dir)
    recorded = summary.get("instance_path")
    if not recorded:
        raise _solution_problem(solution_dir / "summary.json", _("has no instance_path; give the instance with --instance"))
    path = Path(recorded)
    if not path.is_absolute() and not path.exists() and (solution_dir / path).exists():
        path = solution_dir / path
    if not path.exists():
        raise _solution_problem(solution_dir / "summary.json",
                                _("names the instance {folder}, which is not found; give it with --instance")
                                .format(folder=recorded))
    return path


def read_solution(solution_dir: str | Path, instance_dir: str | Path | None = None) -> Solution:
    """Read a solution folder (assignments.csv, summary.json) and the instance it belongs to.

    Raises ``InputError`` when the folder is not a solution folder, its instance cannot be read,
    or the two do not belong together.
    """
    from matcher.input.reading import read_instance

    solution_dir = Path(solution_dir)
    files = solution_dir / "assignments.csv", solution_dir / "summary.json"
    for needed in files:
        if not needed.is_file():
            raise _solution_problem(needed, _("not found: is {folder} a solution folder?").format(folder=solution_dir))
    try:
        summary = json.loads(files[1].read_text(encoding="utf-8"))
        outcomes = read_assignments(files[0])
    except (ValueError, KeyError) as err:
        raise _solution_problem(solution_dir, _("cannot read the solution: {error}").format(error=err)) from None
    instance = read_instance(solution_instance_folder(solution_dir, summary, instance_dir))
    known = set(instance.youth_by_id)
    if len(outcomes) != len(known) or any(o.youth_id not in known for o in outcomes):
        raise _solution_problem(files[0], _("does not match the instance {name} (other youths or a different count)")
                                .format(name=instance.name))
    return Solution(instance, outcomes, summary)


def _solution_problem(path: Path, message: str) -> InputError:
    return InputError([Problem(str(path), None, None, message)])
