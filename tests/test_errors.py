"""``matcher.errors``: a problem names file, line and column; one error carries every problem, for
an instance folder and for a scenario file alike."""

from __future__ import annotations

import pickle

import pytest

from matcher.errors import InputError, InternalError, Problem, ScenarioError, format_problems

#: The messages asserted here are English (Dutch is the default; tests/test_i18n.py checks it).
MATCHER_LANG = "en"

CAPACITY = Problem("units.csv", 3, "capacity", "'0' must be at least 1")
MISSING = Problem("youths.csv", None, None, "is missing")
TOML_KEY = Problem("a.toml", 2, "step[1].op", "unknown op 'shut'")


def test_a_problem_names_file_line_and_column():
    """CSV problems say 'column', TOML problems say 'key'; missing parts are left out."""
    assert str(CAPACITY) == "units.csv, line 3, column capacity: '0' must be at least 1"
    assert str(MISSING) == "youths.csv: is missing"
    assert str(TOML_KEY) == "a.toml, line 2, key step[1].op: unknown op 'shut'"


def test_format_problems_gives_one_indented_line_each():
    """One line per problem, in the order given, with the indent asked for."""
    assert format_problems([CAPACITY, MISSING], indent="- ") == (
        "- units.csv, line 3, column capacity: '0' must be at least 1\n- youths.csv: is missing")


def test_input_error_lists_every_problem_under_the_folder_name():
    """The message names the instance folder and counts the problems."""
    err = InputError([CAPACITY, MISSING], folder="week-47")
    assert str(err).splitlines() == [
        "instance 'week-47' is not valid (2 problems):",
        "  units.csv, line 3, column capacity: '0' must be at least 1",
        "  youths.csv: is missing",
    ]
    assert err.problems == [CAPACITY, MISSING]
    assert str(InputError([MISSING])).startswith("the instance is not valid (1 problem):")


def test_scenario_error_is_an_input_error_about_the_scenario():
    """A scenario's problems are bad input too (exit code 2), worded for the scenario."""
    err = ScenarioError([TOML_KEY])
    assert isinstance(err, InputError)
    assert str(err) == "the scenario is not valid (1 problem):\n  a.toml, line 2, key step[1].op: unknown op 'shut'"
    with pytest.raises(InputError):
        raise err


def test_problems_travel_between_processes():
    """A problem survives pickling, as it must to come back from a worker process."""
    assert pickle.loads(pickle.dumps(CAPACITY)) == CAPACITY


def test_internal_error_is_no_input_error():
    """A solver/checker disagreement is a bug, never mistaken for bad input."""
    assert not issubclass(InternalError, InputError)
