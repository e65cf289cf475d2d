"""Applying a scenario: its steps in order, each on the instance the previous step produced.

Every step that cannot be applied is reported (with its file, line and ``step[n].key``) and
skipped, so that one run lists the problems of all steps; a scenario with any problem produces
no instance at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from matcher.errors import Problem, ScenarioError, pydantic_message
from matcher.i18n import _
from matcher.instance import Instance
from matcher.scenario.operations import OPERATIONS, Context, derive
from matcher.scenario.select import StepError
from matcher.scenario.spec import Scenario


@dataclass(frozen=True)
class Applied:
    """A scenario's instance, per step a note on what the step did, and the residents it
    displaced (unit closed, split or converted; they need a place again)."""

    scenario: Scenario
    instance: Instance
    notes: tuple[str, ...]
    displaced: frozenset[str] = frozenset()


def apply_scenario(instance: Instance, scenario: Scenario, seed: int = 0) -> Applied:
    """The instance after every step of ``scenario``; the input instance is left unchanged.

    Random choices (which youths are dropped, duplicated or re-indicated) come from ``seed`` and
    the step number, so the same instance, scenario and seed always give the same result.
    Raises ``ScenarioError`` with every problem found.
    """
    problems: list[Problem] = []
    notes: list[str] = []
    current = instance
    displaced: frozenset[str] = frozenset()
    for n, step in enumerate(scenario.steps, start=1):
        try:
            change = OPERATIONS[step.op](current, step, Context(step=n, seed=seed, displaced=displaced))
        except StepError as err:
            problems += [scenario.problem(f"step[{n}].{key}" if key else f"step[{n}]", message) for key, message in err.problems]
            continue
        current = change.instance
        displaced |= change.displaced
        notes.append(_("step {n} ({op}): {note}").format(n=n, op=step.op, note=change.note))
    if problems:
        raise ScenarioError(problems)
    current = derive(current, settings=current.settings.model_copy(update={"name": scenario.name}))
    _still_a_valid_instance(current, scenario)
    still_waiting = frozenset(y.youth_id for y in current.youths if y.current_unit_id is None) & displaced
    return Applied(scenario, current, tuple(notes), still_waiting)


def _still_a_valid_instance(instance: Instance, scenario: Scenario) -> None:
    """The result must pass the instance's own checks (references, ids), as if read from files."""
    try:
        Instance.model_validate(instance.model_dump())
    except ValidationError as err:
        messages = [f"{'.'.join(map(str, e['loc']))}: {pydantic_message(e)}" if e["loc"] else pydantic_message(e)
                    for e in err.errors()]
        raise ScenarioError([scenario.problem(None, _("produces an instance that is not valid: {reason}").format(reason=m))
                             for m in messages]) from None
