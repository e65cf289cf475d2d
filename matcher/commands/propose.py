"""``matcher propose INSTANCE OPTIONS.toml [SCENARIO.toml ...] --out DIR``: where to open, convert
and close places.

A thin layer over ``matcher.propose``: every input (instance, options file, SIM.toml, the
planner's own scenario files) is read and checked first — every problem listed with file, line
and key, exit 2, nothing written — then the plans are proposed, written and verified by
simulation on a LocalCluster or the cluster at ``--scheduler``, as ``matcher simulate`` does.
"""

from __future__ import annotations

from pathlib import Path

import click

from matcher.commands.simulate import problem_text
from matcher.commands.translated import command, option
from matcher.errors import InputError, InternalError, Problem
from matcher.exitcodes import EXIT_INTERNAL, EXIT_INVALID
from matcher.i18n import LANGUAGES, N_, _, money, ngettext, number, use_language


def _refuse(problems: list[Problem]) -> None:
    click.echo(ngettext("{n} problem, nothing proposed or written:", "{n} problems, nothing proposed or written:",
                        len(problems)).format(n=len(problems)), err=True)
    click.echo("\n".join(problem_text(p) for p in problems), err=True)
    raise SystemExit(EXIT_INVALID)


def read_inputs(instance_path: Path, options_path: Path, scenarios, params_file, seed: int):
    """The instance, options and parameters, or every problem of every input (exit 2)."""
    from matcher.input.source import read_instance
    from matcher.propose.checks import options_problems
    from matcher.scenario.run import prepare
    from matcher.simulation.parameters import SimParams
    from matcher.simulation.simfile import ParamsError, load_params

    problems: list[Problem] = []
    instance = options = None
    params = SimParams()
    try:
        params = load_params(params_file) if params_file else params
    except ParamsError as err:
        problems += err.problems
    try:
        instance = read_instance(instance_path)
    except InputError as err:
        problems += err.problems
    if instance is not None:
        options, found = options_problems(instance, options_path)
        problems += found
        try:
            prepare(instance, scenarios, seed)
        except InputError as err:
            problems += err.problems
    if problems:
        _refuse(problems)
    return instance, options, params


@command("propose", help=N_("Propose where to open, convert and close places (OPTIONS.toml: the actions, costs, "
                            "budget and targets), tested by simulation against the baseline and each SCENARIO.toml."))
@click.argument("instance", type=click.Path(path_type=Path))
@click.argument("options_file", type=click.Path(path_type=Path), metavar="OPTIONS.toml")
@click.argument("scenarios", nargs=-1, type=click.Path(path_type=Path), metavar="[SCENARIO.toml]...")
@option("--out", required=True, type=click.Path(path_type=Path), help=N_("folder for the plans, report, map and verification"))
@option("--params", "params_file", type=click.Path(path_type=Path), help=N_("SIM.toml with the simulation's parameters"))
@option("--seed", type=click.IntRange(min=0), default=0, show_default=True, help=N_("seed of the demand samples and the simulation"))
@option("--weeks", type=click.IntRange(min=1), default=104, show_default=True, help=N_("weeks to simulate in the verification"))
@option("--replications", type=click.IntRange(min=0), default=10, show_default=True,
        help=N_("replications of the verification (0: no verification)"))
@option("--plans", type=click.IntRange(min=1), default=3, show_default=True, help=N_("best plans to verify"))
@option("--workers", type=click.IntRange(min=1), help=N_("worker processes of the LocalCluster (default: one per core)"))
@option("--scheduler", metavar="tcp://HOST:PORT", help=N_("run on this Dask scheduler instead of a LocalCluster"))
@option("--lang", type=click.Choice(LANGUAGES), help=N_("language of the report and the terminal of this proposal"))
def propose_command(**o) -> None:
    with use_language(o["lang"]):
        _propose(o)


def say(text: str) -> None:
    """Progress on stderr."""
    click.echo(f"  {text}", err=True)


def _propose(o: dict) -> None:
    from matcher.propose.options import OptionsError
    from matcher.propose.run import VerifyOptions, run_proposal
    from matcher.simulation.runner import cluster_client
    from matcher.simulation.week import SimulationError

    instance, options, params = read_inputs(o["instance"], o["options_file"], o["scenarios"], o["params_file"], o["seed"])
    checks = VerifyOptions(o["seed"], o["weeks"], o["replications"], o["plans"], tuple(o["scenarios"]))
    try:
        result = run_proposal(instance, options, params, o["out"], checks,
                              lambda: cluster_client(o["workers"], o["scheduler"]), say)
    except OptionsError as err:
        _refuse(err.problems)
    except (SimulationError, InternalError) as err:
        click.echo(_("INTERNAL ERROR (please report): {error}").format(error=err), err=True)
        raise SystemExit(EXIT_INTERNAL) from None
    best = result.proposal.plans[0]
    click.echo(_("best plan {file}: {levers} changes, funded places {funded} a year, youths waiting {waiting} "
                 "(model estimate; today {today})").format(
        file=result.plan_files[0], levers=number(sum(best.plan.values())), funded=money(best.funded_per_year),
        waiting=number(best.unplaced, 1), today=number(result.proposal.today.unplaced, 1)))
    if result.verification is not None:
        click.echo(_("verified by simulation: best {best}").format(best=result.verification.best))
    click.echo(_("written to {out} (plans/, report.md, map.html, tradeoff.png, proposal.json)").format(out=o["out"]))
