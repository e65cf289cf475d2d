"""A solution folder read back: assignments.csv and summary.json, and the instance they belong to.

What ``matcher.output.writing`` writes, read again, e.g. to draw a solution's map again, to
explain one youth's placement or to compare scenarios.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

from matcher.errors import InputError, Problem
from matcher.i18n import _
from matcher.input.source import read_instance
from matcher.instance import Instance
from matcher.result import YouthOutcome


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
