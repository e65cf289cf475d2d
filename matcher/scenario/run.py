"""Running a comparison: the baseline and every scenario written, solved, checked and compared.

Layout of the output folder::

    DIR/comparison.csv, DIR/comparison.md
    DIR/baseline/instance/      the instance as given (instance format)
    DIR/baseline/solution/      assignments.csv, summary.json, report.md, map.html
    DIR/<name>/instance/        the scenario's instance, with a README.md of what each step did
    DIR/<name>/scenario.toml    the scenario file as it was run
    DIR/<name>/compare.html     the scenario's changes against the baseline, on a map
    DIR/<name>/solution/

Every instance is written for the user first, then solved in memory the same way as ``matcher
solve`` (``matcher.pipeline``: solve, run the independent checker, write the solution with its map),
each in its own process with one solver thread, ``jobs`` at a time.
"""

from __future__ import annotations

import multiprocessing
import time
import tomllib
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from matcher.errors import InputError, InternalError, Problem, ScenarioError
from matcher.exitcodes import EXIT_INFEASIBLE, EXIT_INTERNAL, EXIT_OK
from matcher.i18n import _, number, percent
from matcher.instance import Instance
from matcher.input.instance_writer import write_instance
from matcher.analysis.analysis import Analysis
from matcher.analysis.kpis import DISPLACED_REASON
from matcher.pipeline import RunOptions, run, safe_validate
from matcher.scenario.apply import Applied, apply_scenario
from matcher.scenario.select import unknown_names
from matcher.scenario.compare import Comparison, compare, comparison_csv, comparison_md, figures
from matcher.scenario.spec import BASELINE, Scenario, load_scenario
from matcher.input.toml_lines import key_lines, line_of


@dataclass(frozen=True)
class ComparisonOptions:
    """How every solve of a comparison runs: seconds per solve, the seed (for the solver and the
    scenarios' random choices) and how many solves run at the same time (one process each)."""

    time_limit: float = 60.0
    seed: int = 0
    jobs: int = 2


@dataclass(frozen=True)
class Solved:
    """One solve of the comparison: exit code, summary.json and the analysis it renders (both
    None on an internal error), error text."""

    name: str
    code: int
    summary: dict | None
    error: str | None = None
    analysis: Analysis | None = None


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
            problems += sorted(err.problems + names_not_in(instance, path), key=lambda p: p.line or 0)
    first_file: dict[str, str] = {}
    for s in scenarios:
        if s.name in first_file:
            problems.append(s.problem("name", _("the name '{name}' is also used by {file}; each scenario needs its "
                                                "own name (it names its output folder)")
                                      .format(name=s.name, file=first_file[s.name])))
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


#: The filter keys that name things of the instance -> (what they name, the instance's names).
_NAMED = {
    "unit": ("unit", lambda i: i.unit_by_id), "units": ("unit", lambda i: i.unit_by_id),
    "provider": ("provider", lambda i: {l.provider for l in i.locations}),
    "providers": ("provider", lambda i: {l.provider for l in i.locations}),
    "location": ("location", lambda i: i.location_by_id), "locations": ("location", lambda i: i.location_by_id),
    "jeugdregio": ("jeugdregio", lambda i: i.regions.bovenregio_of),
    "jeugdregios": ("jeugdregio", lambda i: i.regions.bovenregio_of),
    "bovenregio": ("bovenregio", lambda i: set(i.regions.bovenregio_of.values())),
    "bovenregios": ("bovenregio", lambda i: set(i.regions.bovenregio_of.values())),
}


def names_not_in(instance: Instance, path: str | Path) -> list[Problem]:
    """For a scenario file with other mistakes (so it is not applied): the names its step filters
    give that the instance does not have, so that they come in this run and not the next.

    Names the file itself adds (``add`` steps) or makes (split pieces such as ``U1-a``) are not
    reported; with the other mistakes mended, applying the file checks every name again.
    """
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
        steps = tomllib.loads(text).get("step")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return []
    steps = [s for s in steps if isinstance(s, dict)] if isinstance(steps, list) else []
    added = {str(row.get(k)) for s in steps if s.get("op") == "add" for table in ("units", "locations")
             for row in (s.get(table) or []) if isinstance(row, dict) for k in ("unit_id", "location_id")}
    lines = key_lines(text)
    problems = []
    for n, step in enumerate(steps, start=1):
        where = step.get("where") if isinstance(step.get("where"), dict) else {}
        for raw_key, value in where.items():
            if raw_key not in _NAMED or not isinstance(value, (str, list)):
                continue
            what, known = _NAMED[raw_key]
            given = [v for v in ([value] if isinstance(value, str) else value)
                     if isinstance(v, str) and v not in added and v.rsplit("-", 1)[0] not in instance.unit_by_id]
            key = f"step[{n}].where.{raw_key}"
            problems += [Problem(str(path), line_of(lines, key), key, message)
                         for _k, message in unknown_names(key, what, given, known(instance))]
    return problems


def scenario_readme(applied: Applied, baseline_folder: str) -> str:
    """README.md beside a scenario's instance: what it is and what every step did."""
    s = applied.scenario
    lines = ["# " + _("Scenario {name}").format(name=s.name), ""]
    if s.description:
        lines += [s.description, ""]
    lines += [_("Made from the instance `{folder}` by `{file}`, step by step:").format(
        folder=baseline_folder, file=Path(s.file).name), ""]
    lines += [f"- {note}" for note in applied.notes]
    return "\n".join(lines) + "\n"


def write_instances(instance: Instance, applied: Sequence[Applied], out: Path, baseline_folder: str) -> dict[str, Path]:
    """Every instance of the comparison as an instance folder; name -> folder."""
    folders = {BASELINE: write_instance(instance, out / BASELINE / "instance", extra_files={
        "README.md": "# " + _("Baseline") + "\n\n" + _("The instance `{folder}` as given, for comparison.").format(
            folder=baseline_folder) + "\n"})}
    for a in applied:
        folders[a.scenario.name] = write_instance(a.instance, out / a.scenario.name / "instance",
                                                  extra_files={"README.md": scenario_readme(a, baseline_folder)})
        (out / a.scenario.name / "scenario.toml").write_text(a.scenario.text, encoding="utf-8")
    return folders


def solve_one(name: str, instance: Instance, instance_folder: str, time_limit: float, seed: int,
              displaced: frozenset[str] = frozenset()) -> Solved:
    """One solve as ``matcher solve`` does it, in memory, with one solver thread (runs in a worker
    process); the solution goes beside the written ``instance_folder``. A ``displaced`` resident
    left without a place gets the reason ``DISPLACED_REASON`` before the solver's."""
    solution = Path(instance_folder).parent / "solution"
    options = RunOptions(time_limit=time_limit, threads=1, seed=seed, with_map=True,
                         reason_prefix=dict.fromkeys(sorted(displaced), _(DISPLACED_REASON)))
    try:
        outcome = run(instance, solution, options, instance_path=instance_folder)
    except InternalError as err:
        return Solved(name, EXIT_INTERNAL, None, str(err))
    except Exception as err:  # a planner gets one line per failed solve, the other solves still count
        return Solved(name, EXIT_INTERNAL, None, f"{type(err).__name__}: {err}")
    return Solved(name, outcome.code, outcome.summary, analysis=outcome.analysis)


def solve_all(instances: dict[str, Instance], folders: dict[str, Path], options: ComparisonOptions,
              on_done: Callable[[Solved], None] | None = None,
              displaced: dict[str, frozenset[str]] | None = None) -> list[Solved]:
    """Solve every instance (written to its folder), ``options.jobs`` processes at a time; results
    in the order of ``folders``. ``displaced``: per scenario, the residents its steps displaced."""
    displaced = displaced or {}
    tasks = [(name, instances[name], str(folder), options.time_limit, options.seed, displaced.get(name, frozenset()))
             for name, folder in folders.items()]
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


def scenario_figures(solved: Solved, displaced: frozenset[str] = frozenset()) -> dict | None:
    """The comparison's figures of one solve, from its analysis."""
    if solved.analysis is None:
        return None
    return figures(solved.analysis) | {"displaced": len(displaced)}


def write_compare_maps(instances: dict[str, Instance], solved: Sequence[Solved], folders: dict[str, Path]) -> list[Path]:
    """DIR/<name>/compare.html for every solved scenario: its changes against the solved baseline."""
    from matcher.maps.compare import Side, write_compare_map

    by_name = {s.name: s for s in solved}
    base = by_name.get(BASELINE)
    if base is None or base.analysis is None:
        return []

    def side(name: str) -> Side:
        return Side(instances[name], list(by_name[name].analysis.outcomes), by_name[name].summary)

    baseline = side(BASELINE)
    return [write_compare_map(s.name, baseline, side(s.name), folders[s.name].parent / "compare.html")
            for s in solved if s.name != BASELINE and s.analysis is not None]


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
    displaced = {a.scenario.name: a.displaced for a in applied}
    solved = solve_all(instances, folders, options, on_done, displaced)
    columns = [(s.name, scenario_figures(s, displaced.get(s.name, frozenset()))) for s in solved]
    table = compare(columns)
    write_compare_maps(instances, solved, folders)
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
        _("Instance `{folder}`, seed {seed}, time limit {limit} s per solve (one solver thread each); written in {seconds} s.")
        .format(folder=instance_folder, seed=options.seed, limit=number(options.time_limit, 1 if options.time_limit % 1 else 0),
                seconds=number(seconds)),
        _("Every solution was checked by the independent checker; the folders beside this file hold each instance, its "
          "solution (assignments.csv, summary.json, report.md, map.html) and the scenario file."),
    ]


def _sections(applied: Sequence[Applied], solved: Sequence[Solved]) -> list[tuple[str, list[str]]]:
    by_name = {s.name: s for s in solved}
    sections = []
    baseline = by_name.get(BASELINE)
    if baseline is not None and baseline.summary is None:
        sections.append((BASELINE, [_("Not solved: {error}").format(error=baseline.error)]))
    for a in applied:
        s = a.scenario
        body = [s.description, ""] if s.description else []
        body += [f"- {note}" for note in a.notes]
        result = by_name.get(s.name)
        if result is not None and result.summary is not None:
            k = result.summary
            body += ["", _("Solved: {status}, gap {gap}, {seconds} s.").format(
                status=k["status"], gap=percent(k["gap"], 2), seconds=number(k["wall_seconds"], 1))]
        elif result is not None:
            body += ["", _("Not solved: {error}").format(error=result.error)]
        sections.append((f"{s.name}", body))
    return sections
