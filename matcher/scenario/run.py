"""Running a comparison: the baseline and every scenario written, solved, checked and compared.

Layout of the output folder::

    DIR/comparison.csv, DIR/comparison.md
    DIR/baseline/instance/      the instance as given (instance format)
    DIR/baseline/solution/      assignments.csv, summary.json, report.md, map.html
    DIR/<name>/instance/        the scenario's instance, with a README.md of what each step did
    DIR/<name>/scenario.toml    the scenario file as it was run
    DIR/<name>/solution/

Every instance is written for the user first, then solved in memory the same way as ``matcher
solve`` (``matcher.run``: solve, run the independent checker, write the solution with its map),
each in its own process with one solver thread, ``jobs`` at a time.
"""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from matcher.errors import InputError, InternalError, Problem, ScenarioError
from matcher.exitcodes import EXIT_INFEASIBLE, EXIT_INTERNAL, EXIT_OK
from matcher.instance import Instance
from matcher.instance_writer import write_instance
from matcher.run import RunOptions, run, safe_validate
from matcher.scenario.apply import Applied, apply_scenario
from matcher.scenario.compare import Comparison, compare, comparison_csv, comparison_md, figures
from matcher.scenario.spec import BASELINE, Scenario, load_scenario
from matcher.writing import read_assignments


@dataclass(frozen=True)
class ComparisonOptions:
    """How every solve of a comparison runs: seconds per solve, the seed (for the solver and the
    scenarios' random choices) and how many solves run at the same time (one process each)."""

    time_limit: float = 60.0
    seed: int = 0
    jobs: int = 2


@dataclass(frozen=True)
class Solved:
    """One solve of the comparison: exit code, summary.json (None on an internal error), error text."""

    name: str
    code: int
    summary: dict | None
    error: str | None = None


@dataclass(frozen=True)
class ScenarioRun:
    """What ``run_scenarios`` did: overall exit code, the comparison, every solve."""

    code: int
    comparison: Comparison
    solved: tuple[Solved, ...]
    applied: tuple[Applied, ...]
    out: Path


def read_baseline(folder: str | Path) -> Instance:
    """The instance to compare against, validated like ``matcher validate``; raises ``InputError``."""
    validation = safe_validate(folder)
    if validation.errors:
        raise InputError(validation.errors, str(folder))
    return validation.instance


def prepare(instance: Instance, scenario_paths: Sequence[str | Path], seed: int = 0) -> list[Applied]:
    """Read every scenario file and apply it; raises ``ScenarioError`` with all problems of all files."""
    problems: list[Problem] = []
    scenarios: list[Scenario] = []
    for path in scenario_paths:
        try:
            scenarios.append(load_scenario(path))
        except ScenarioError as err:
            problems += err.problems
    first_file: dict[str, str] = {}
    for s in scenarios:
        if s.name in first_file:
            problems.append(s.problem("name", f"the name '{s.name}' is also used by {first_file[s.name]}; "
                                              "each scenario needs its own name (it names its output folder)"))
        first_file.setdefault(s.name, s.file)
    applied: list[Applied] = []
    for s in scenarios:
        try:
            applied.append(apply_scenario(instance, s, seed))
        except ScenarioError as err:
            problems += err.problems
    if problems:
        raise ScenarioError(problems)
    return applied


def scenario_readme(applied: Applied, baseline_folder: str) -> str:
    """README.md beside a scenario's instance: what it is and what every step did."""
    s = applied.scenario
    lines = [f"# Scenario {s.name}", ""]
    if s.description:
        lines += [s.description, ""]
    lines += [f"Made from the instance `{baseline_folder}` by `{Path(s.file).name}`, step by step:", ""]
    lines += [f"- {note}" for note in applied.notes]
    return "\n".join(lines) + "\n"


def write_instances(instance: Instance, applied: Sequence[Applied], out: Path, baseline_folder: str) -> dict[str, Path]:
    """Every instance of the comparison as an instance folder; name -> folder."""
    folders = {BASELINE: write_instance(instance, out / BASELINE / "instance", extra_files={
        "README.md": f"# Baseline\n\nThe instance `{baseline_folder}` as given, for comparison.\n"})}
    for a in applied:
        folders[a.scenario.name] = write_instance(a.instance, out / a.scenario.name / "instance",
                                                  extra_files={"README.md": scenario_readme(a, baseline_folder)})
        (out / a.scenario.name / "scenario.toml").write_text(a.scenario.text, encoding="utf-8")
    return folders


def solve_one(name: str, instance: Instance, instance_folder: str, time_limit: float, seed: int) -> Solved:
    """One solve as ``matcher solve`` does it, in memory, with one solver thread (runs in a worker
    process); the solution goes beside the written ``instance_folder``."""
    solution = Path(instance_folder).parent / "solution"
    options = RunOptions(time_limit=time_limit, threads=1, seed=seed, with_map=True)
    try:
        outcome = run(instance, solution, options, instance_path=instance_folder)
    except InternalError as err:
        return Solved(name, EXIT_INTERNAL, None, str(err))
    except Exception as err:  # a planner gets one line per failed solve, the other solves still count
        return Solved(name, EXIT_INTERNAL, None, f"{type(err).__name__}: {err}")
    return Solved(name, outcome.code, outcome.summary)


def solve_all(instances: dict[str, Instance], folders: dict[str, Path], options: ComparisonOptions,
              on_done: Callable[[Solved], None] | None = None) -> list[Solved]:
    """Solve every instance (written to its folder), ``options.jobs`` processes at a time; results
    in the order of ``folders``."""
    tasks = [(name, instances[name], str(folder), options.time_limit, options.seed) for name, folder in folders.items()]
    done: dict[str, Solved] = {}
    jobs = options.jobs
    if jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            done[task[0]] = solve_one(*task)
            if on_done:
                on_done(done[task[0]])
    else:
        context = multiprocessing.get_context("spawn")  # a fresh interpreter: no solver threads inherited
        with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context) as pool:
            futures = [pool.submit(solve_one, *task) for task in tasks]
            for future in as_completed(futures):
                solved = future.result()
                done[solved.name] = solved
                if on_done:
                    on_done(solved)
    return [done[name] for name in folders]


def scenario_figures(instance: Instance, solved: Solved, solution: Path) -> dict | None:
    """The comparison's figures of one solve, from the assignments.csv it wrote."""
    if solved.summary is None:
        return None
    outcomes = read_assignments(solution / "assignments.csv")
    return figures(instance, outcomes, status=solved.summary["status"], objective=solved.summary["objective"])


def run_scenarios(
    instance_folder: str | Path,
    scenario_paths: Sequence[str | Path],
    out: str | Path,
    time_limit: float = 60.0,
    seed: int = 0,
    jobs: int = 2,
    on_done: Callable[[Solved], None] | None = None,
) -> ScenarioRun:
    """Everything ``matcher scenario`` does, callable from Python.

    Raises ``InputError`` (bad instance) or ``ScenarioError`` (bad scenario file) before anything
    is written or solved.
    """
    instance = read_baseline(instance_folder)
    applied = prepare(instance, scenario_paths, seed)
    options = ComparisonOptions(time_limit=time_limit, seed=seed, jobs=jobs)
    return solve_and_compare(instance, applied, out, str(instance_folder), options, on_done)


def solve_and_compare(
    instance: Instance,
    applied: Sequence[Applied],
    out: str | Path,
    instance_folder: str,
    options: ComparisonOptions = ComparisonOptions(),
    on_done: Callable[[Solved], None] | None = None,
) -> ScenarioRun:
    """Write, solve and compare the baseline and the applied scenarios (see ``run_scenarios``)."""
    out = Path(out)
    started = time.perf_counter()
    folders = write_instances(instance, applied, out, instance_folder)
    instances = {BASELINE: instance} | {a.scenario.name: a.instance for a in applied}
    solved = solve_all(instances, folders, options, on_done)
    columns = [(s.name, scenario_figures(instances[s.name], s, folders[s.name].parent / "solution")) for s in solved]
    table = compare(columns)
    (out / "comparison.csv").write_text(comparison_csv(table), encoding="utf-8")
    (out / "comparison.md").write_text(
        comparison_md(table, _intro(instance_folder, options, time.perf_counter() - started),
                      _sections(applied, solved)),
        encoding="utf-8",
    )
    code = EXIT_OK
    if any(s.code == EXIT_INFEASIBLE for s in solved):
        code = EXIT_INFEASIBLE
    if any(s.code == EXIT_INTERNAL for s in solved):
        code = EXIT_INTERNAL
    return ScenarioRun(code, table, tuple(solved), tuple(applied), out)


def _intro(instance_folder: str, options: ComparisonOptions, seconds: float) -> list[str]:
    return [
        f"Instance `{instance_folder}`, seed {options.seed}, time limit {options.time_limit:g} s per solve "
        f"(one solver thread each); written in {seconds:.0f} s.",
        "Every solution was checked by the independent checker; the folders beside this file hold each",
        "instance, its solution (assignments.csv, summary.json, report.md, map.html) and the scenario file.",
    ]


def _sections(applied: Sequence[Applied], solved: Sequence[Solved]) -> list[tuple[str, list[str]]]:
    by_name = {s.name: s for s in solved}
    sections = []
    baseline = by_name.get(BASELINE)
    if baseline is not None and baseline.summary is None:
        sections.append((BASELINE, [f"Not solved: {baseline.error}"]))
    for a in applied:
        s = a.scenario
        body = [s.description, ""] if s.description else []
        body += [f"- {note}" for note in a.notes]
        result = by_name.get(s.name)
        if result is not None and result.summary is not None:
            k = result.summary
            body += ["", f"Solved: {k['status']}, gap {100 * k['gap']:.2f} %, {k['wall_seconds']:.1f} s."]
        elif result is not None:
            body += ["", f"Not solved: {result.error}"]
        sections.append((f"{s.name}", body))
    return sections
