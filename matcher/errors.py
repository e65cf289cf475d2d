"""What can go wrong in a run, in one place: problems in the input, and the one internal error.

Bad input is never reported one mistake at a time: every reader collects ``Problem``s (file,
line, column, message) and raises one ``InputError`` holding all of them, which the commands
print and turn into exit code 2. ``InternalError`` is different: it is a bug (the solver's answer
failed the independent check) and means exit code 3.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from matcher.i18n import N_, _
from matcher.wording import count


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or odd) in the input, pinned to file, line and column where possible."""

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(_("line {line}").format(line=self.line))
        if self.column:
            kind = _("key {key}") if self.file.endswith(".toml") else _("column {column}")
            where.append(kind.format(key=self.column, column=self.column))
        return f"{', '.join(where)}: {self.message}"


def format_problems(problems: Iterable[Problem], indent: str = "  ") -> str:
    """One readable line per problem, in the order given."""
    return "\n".join(f"{indent}{p}" for p in problems)


class InputError(Exception):
    """The input breaks the format; ``problems`` holds every problem found.

    ``folder`` names the instance folder the problems are in, when there is one.
    """

    #: What the message calls the input when no folder is named.
    subject = N_("the instance")

    def __init__(self, problems: Iterable[Problem], folder: str | None = None):
        self.problems = list(problems)
        self.folder = folder
        super().__init__(str(self))

    def __str__(self) -> str:
        what = _("instance '{name}'").format(name=self.folder) if self.folder else _(self.subject)
        head = _("{what} is not valid ({problems}):").format(
            what=what, problems=count(len(self.problems), "problem", "problems"))
        return head + "\n" + format_problems(self.problems)


class ScenarioError(InputError):
    """A scenario file (or applying it) went wrong; ``problems`` lists every problem found."""

    subject = N_("the scenario")


class InternalError(RuntimeError):
    """A bug: the solver and the independent checker disagree (nothing was written)."""


#: pydantic's error types in a planner's words (``{gt}`` etc. come from the error's context).
_PYDANTIC_WORDS = {
    "greater_than": N_("must be above {gt}"),
    "greater_than_equal": N_("must be at least {ge}"),
    "less_than": N_("must be below {lt}"),
    "less_than_equal": N_("must be at most {le}"),
    "int_type": N_("must be a whole number"),
    "int_parsing": N_("must be a whole number"),
    "int_from_float": N_("must be a whole number"),
    "float_type": N_("must be a number"),
    "float_parsing": N_("must be a number"),
    "finite_number": N_("must be a finite number"),
    "bool_type": N_("must be true or false"),
    "string_type": N_("must be text in quotes"),
    "dict_type": N_("must be a table"),
    "list_type": N_("must be a list"),
    "tuple_type": N_("must be a list"),
}


def pydantic_message(err: dict) -> str:
    """One pydantic validation error as a sentence in the run's language.

    Our own validators' sentences (already translated) come through as they are; pydantic's
    common type and range errors are worded here; anything else keeps pydantic's English.
    """
    words = _PYDANTIC_WORDS.get(err["type"])
    if words is not None:
        return _(words).format(**{k: f"{v:g}" if isinstance(v, float) else v for k, v in (err.get("ctx") or {}).items()})
    message = err["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return message
