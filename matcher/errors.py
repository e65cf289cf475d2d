"""What can go wrong in a run, in one place: problems in the input, and the one internal error.

Bad input is never reported one mistake at a time: every reader collects ``Problem``s (file,
line, column, message) and raises one ``InputError`` holding all of them, which the commands
print and turn into exit code 2. ``InternalError`` is different: it is a bug (the solver's answer
failed the independent check) and means exit code 3.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

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
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"{'key' if self.file.endswith('.toml') else 'column'} {self.column}")
        return f"{', '.join(where)}: {self.message}"


def format_problems(problems: Iterable[Problem], indent: str = "  ") -> str:
    """One readable line per problem, in the order given."""
    return "\n".join(f"{indent}{p}" for p in problems)


class InputError(Exception):
    """The input breaks the format; ``problems`` holds every problem found.

    ``folder`` names the instance folder the problems are in, when there is one.
    """

    #: What the message calls the input when no folder is named.
    subject = "the instance"

    def __init__(self, problems: Iterable[Problem], folder: str | None = None):
        self.problems = list(problems)
        self.folder = folder
        super().__init__(str(self))

    def __str__(self) -> str:
        what = f"instance '{self.folder}'" if self.folder else self.subject
        head = f"{what} is not valid ({count(len(self.problems), 'problem')}):"
        return head + "\n" + format_problems(self.problems)


class ScenarioError(InputError):
    """A scenario file (or applying it) went wrong; ``problems`` lists every problem found."""

    subject = "the scenario"


class InternalError(RuntimeError):
    """A bug: the solver and the independent checker disagree (nothing was written)."""
