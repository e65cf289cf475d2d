"""Whether the options can be met at all, before anything is sampled: each limit on its own
(``actions.unreachable``), then budget and targets together (the model's first stage alone)."""

from __future__ import annotations

from matcher.i18n import _
from matcher.instance import Instance
from matcher.propose.actions import Levers, levers_and_problems, unreachable
from matcher.propose.model import plan_exists
from matcher.propose.options import Options, OptionsError, load_options


def check_reachable(instance: Instance, options: Options, levers: Levers) -> None:
    """Refuse a budget below the cost no lever can remove, targets that no plan can meet, and a
    budget and targets that no plan meets together."""
    problems = unreachable(instance, options, levers)
    if not problems and options.budget is not None:
        status = plan_exists(options, levers)
        if status is not None:
            problems.append(options.problem("budget", _(
                "the budget and the targets cannot be met together by any plan of these options (HiGHS: {status})")
                .format(status=status)))
    if problems:
        raise OptionsError(problems)


def options_problems(instance: Instance, path) -> tuple[Options | None, list]:
    """The options of ``path`` and every problem of the file and of its names, budget and
    targets on this instance (the names of a file with other mistakes are checked too)."""
    options, problems = None, []
    try:
        options = load_options(path)
        checked = options
    except OptionsError as err:
        problems, checked = list(err.problems), err.partial
    if checked is not None:
        levers, found = levers_and_problems(instance, checked)
        problems += found
        try:
            check_reachable(instance, checked, levers)
        except OptionsError as err:
            problems += err.problems
    return (options if not problems else None), problems
