"""``matcher explain SOLUTION YOUTH_ID``: why this youth went where it went, in a planner's words.

Reads the solution folder (assignments.csv, and summary.json for the instance it belongs to, or
``--instance``), asks ``matcher.analysis.explain`` and prints what ``matcher.output.explanation``
makes of it. What it needs is imported when it runs, so the help page stays quick.
"""

from __future__ import annotations

from pathlib import Path

import click

from matcher.commands.translated import command, option
from matcher.exitcodes import EXIT_INVALID
from matcher.i18n import LANGUAGES, N_, _, use_language


def _fail(message: str) -> None:
    click.echo(_("cannot explain: {message}").format(message=message), err=True)
    raise SystemExit(EXIT_INVALID)


@command("explain", help=N_("Why youth YOUTH_ID went where it went in SOLUTION, and not to a cheaper unit."))
@click.argument("solution_dir", metavar="SOLUTION", type=click.Path(path_type=Path))
@click.argument("youth_id")
@option("--instance", "instance_path", type=click.Path(path_type=Path),
        help=N_("the instance (default: the one summary.json names)"))
@option("--lang", type=click.Choice(LANGUAGES), default=None,
        help=N_("language of the explanation (default: that of the run)"))
def explain_command(solution_dir: Path, youth_id: str, instance_path: Path | None, lang: str | None) -> None:
    """The ``matcher explain`` command: read, explain, print (exit code 2 for what cannot be explained)."""
    from matcher.analysis.explain import SolutionMismatch, UnknownYouth, explain
    from matcher.errors import InputError
    from matcher.input.solution import read_solution
    from matcher.output.explanation import explanation_text
    from matcher.wording import closest

    with use_language(lang):
        if instance_path is not None and not instance_path.exists():
            _fail(_("instance {path} not found").format(path=instance_path))
        try:
            solution = read_solution(solution_dir, instance_path)
            instance = solution.instance
            explanation = explain(instance, {o.youth_id: o.unit_id for o in solution.outcomes}, youth_id.strip())
        except InputError as err:
            _fail(str(err))
        except UnknownYouth:
            near = closest(youth_id, instance.youth_by_id)
            hint = _(" (did you mean {id}?)").format(id=near) if near else ""
            _fail(_("the instance has no youth {id}{hint}").format(id=youth_id, hint=hint))
        except SolutionMismatch as err:
            _fail(_("assignments.csv does not belong to this instance: {problems}").format(
                problems="; ".join(err.problems[:5])))
        click.echo(explanation_text(explanation))
