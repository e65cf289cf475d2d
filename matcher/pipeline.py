"""The weekly run as a library call: read -> solve -> check -> analyse -> write, one outcome back.

``run(folder_or_instance, out, options)`` is everything ``matcher solve`` does, without printing:
a folder is read and validated first (bad input writes only summary.json, with every problem),
an ``Instance`` built in Python (a scenario, a simulated week) is solved as it is. The answer is
always put through the independent checker; an answer that fails it raises ``InternalError`` and
nothing is written. The checked answer is analysed once (``matcher.analysis.analysis``) and the
writers render that analysis. Without ``out`` an ``Instance`` is solved in memory and nothing is
written.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from matcher.analysis.analysis import Analysis, analyse
from matcher.analysis.check import check
from matcher.errors import InternalError, Problem
from matcher.exitcodes import EXIT_INFEASIBLE, EXIT_INVALID, EXIT_OK
from matcher.i18n import _
from matcher.instance import Instance
from matcher.input.source import safe_validate
from matcher.result import INFEASIBLE, CheckReport, Result, YouthOutcome
from matcher.solver.solve import solve
from matcher.input.workbook import default_solution_dir, is_workbook
from matcher.output.writing import invalid_summary, summary_of, write_invalid_input, write_solution

#: How many of the checker's violations an ``InternalError`` lists.
SHOWN_VIOLATIONS = 20
#: How far the solver's objective may be from the checker's, relative to max(1, |objective|).
OBJECTIVE_TOLERANCE = 1e-6


@dataclass(frozen=True)
class RunOptions:
    """How to solve: the options of ``matcher solve``.

    ``progress`` is called with every improvement (see ``matcher.solver.solve.solve``); ``with_map``
    adds map.html to the solution folder.
    """

    time_limit: float = 60.0
    threads: int = 2
    seed: int = 0
    with_map: bool = True
    progress: Callable[[dict], None] | None = None
    #: youth id -> words put before the solver's reason when that youth is left unplaced
    #: (a scenario marks the residents whose unit it closed or changed).
    reason_prefix: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RunOutcome:
    """What a run did.

    ``code`` is the exit code (``matcher.exitcodes``), ``summary`` the summary.json contents
    (also when nothing was written), ``analysis`` what every writer rendered (its instance, the
    solver's result, the checker's report and one row per youth). On bad input ``problems``
    lists every problem and there is no analysis. ``out`` is the folder written, or None when
    nothing was.
    """

    code: int
    summary: dict
    analysis: Analysis | None = None
    out: Path | None = None
    problems: tuple[Problem, ...] = ()

    @property
    def status(self) -> str:
        """OPTIMAL, FEASIBLE, INFEASIBLE or INVALID_INPUT, as in summary.json."""
        return self.summary["status"]

    @property
    def instance(self) -> Instance | None:
        return self.analysis.instance if self.analysis else None

    @property
    def result(self) -> Result | None:
        return self.analysis.result if self.analysis else None

    @property
    def report(self) -> CheckReport | None:
        return self.analysis.report if self.analysis else None

    @property
    def outcomes(self) -> tuple[YouthOutcome, ...]:
        return self.analysis.outcomes if self.analysis else ()


def run(
    source: str | Path | Instance,
    out: str | Path | None = None,
    options: RunOptions = RunOptions(),
    instance_path: str | None = None,
) -> RunOutcome:
    """Validate (a folder), solve, check and write the solution folder ``out``.

    A folder's solution goes to ``FOLDER/solution`` unless ``out`` is given, and summary.json
    records the folder as ``instance_path``. An ``Instance`` without ``out`` is solved in memory
    and nothing is written; give ``instance_path`` when it was written somewhere. Raises
    ``InternalError`` when the answer fails the independent check.
    """
    started = time.perf_counter()
    if isinstance(source, Instance):
        instance = source
    else:
        folder = Path(source)
        out = Path(out) if out is not None else default_solution_dir(folder)  # FOLDER/solution, week-solution
        instance_path = str(folder.resolve()) if instance_path is None else instance_path
        validation = safe_validate(folder)
        if validation.errors:
            there = folder.is_dir() or (is_workbook(folder) and folder.is_file())
            writable = out if there else None  # no instance there: no solution folder either
            return _invalid_input(validation.errors, writable, time.perf_counter() - started)
        instance = validation.instance
    result = solve(instance, time_limit=options.time_limit, threads=options.threads, seed=options.seed,
                   progress=options.progress, keep_relaxation=True)
    report = check(instance, result.unit_of)
    _agree_or_raise(result, report)
    recorded = {"seed": options.seed, "time_limit": options.time_limit, "threads": options.threads}
    analysis = analyse(instance, result, report, run=recorded, instance_path=instance_path,
                       reason_prefix=options.reason_prefix)
    if out is None:
        summary = summary_of(analysis)
    else:
        out = Path(out)
        summary = write_solution(analysis, out, with_map=options.with_map)
    code = EXIT_INFEASIBLE if result.status == INFEASIBLE else EXIT_OK
    return RunOutcome(code, summary, analysis, out)


def _invalid_input(problems: list[Problem], out: Path | None, seconds: float) -> RunOutcome:
    """Bad input: summary.json with every problem, but never a folder for an instance not there
    (``out`` None) nor inside a folder that is not there."""
    if out is None or not out.parent.is_dir():
        return RunOutcome(EXIT_INVALID, invalid_summary(problems, seconds), problems=tuple(problems))
    summary = write_invalid_input(out, problems, seconds)
    return RunOutcome(EXIT_INVALID, summary, out=out, problems=tuple(problems))


def _agree_or_raise(result: Result, report: CheckReport) -> None:
    """The solver's answer must pass the independent checker, with the checker's objective."""
    if not report.ok and result.status != INFEASIBLE:
        raise InternalError(
            _("the solver returned an assignment that the independent checker rejects; nothing was written.") + "\n"
            + "\n".join(f"  - {v}" for v in report.violations[:SHOWN_VIOLATIONS])
        )
    if abs(report.objective - result.objective) > OBJECTIVE_TOLERANCE * max(1.0, abs(report.objective)):
        raise InternalError(
            _("the solver's objective {solver:.6f} differs from the checker's {checker:.6f}; nothing was written.")
            .format(solver=result.objective, checker=report.objective)
        )
