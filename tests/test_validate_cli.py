"""``matcher validate DIR``: exit 0 with an OK line for a valid folder, exit 2 with every problem
for a broken one, and never a traceback, whatever lands in the folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from matcher.cli import main
from matcher import errors
from matcher.input import reading
from matcher.commands import solve as solve_command, validate as validate_command
from matcher.errors import Problem, format_problems
from matcher.input.source import validate_instance

#: The messages asserted here are English (Dutch is the default; tests/test_i18n.py checks it).
MATCHER_LANG = "en"

DATA = Path(__file__).parent / "data"
GOOD = DATA / "good" / "tiny"
MANY_ERRORS = DATA / "bad" / "many-errors"


def run(*args: str):
    """Invoke the real command group as the shell would."""
    return CliRunner().invoke(main, list(args))


def assert_clean_failure(result) -> None:
    """Exit code 2 and a message, but no Python traceback."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_valid_folder_exits_0_with_counts():
    """A valid instance: exit 0 and one OK line with locations, units, youths and occupants."""
    result = run("validate", str(GOOD))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "OK: instance 'tiny' is valid: 3 locations, 3 units, 4 youths (1 current occupant among them)"
    )


def test_invalid_folder_exits_2_and_lists_every_error():
    """All nine problems of the broken folder are printed, one per line, then NOT VALID."""
    result = run("validate", str(MANY_ERRORS))
    assert_clean_failure(result)
    errors = validate_instance(MANY_ERRORS).errors
    assert len(errors) == 9
    for problem in errors:
        assert str(problem) in result.output
    assert "youths.csv, line 2, column age: '3.5' is not a whole number (integers accept 3 and 3.0)" in result.output
    assert result.output.rstrip().splitlines()[-1].startswith("NOT VALID:")


def test_warnings_are_printed_and_still_exit_0(tmp_path):
    """Youths without a home point: a warning is shown, the folder is still valid."""
    folder = tmp_path / "week"
    shutil.copytree(GOOD, folder)
    youths = folder / "youths.csv"
    youths.write_text(youths.read_text(encoding="utf-8").replace("52.09,5.12", ","), encoding="utf-8")
    result = run("validate", str(folder))
    assert result.exit_code == 0, result.output
    assert "warnings (1):" in result.output and "1 youth without a home point (home_lat/home_lon)" in result.output
    assert "OK: instance 'tiny' is valid" in result.output and result.output.rstrip().endswith("1 warning")


def test_folder_that_does_not_exist_is_a_clean_error(tmp_path):
    """A typo in the folder name gives exit 2 and a sentence, not a stack trace."""
    result = run("validate", str(tmp_path / "nowhere"))
    assert_clean_failure(result)
    assert "folder does not exist" in result.output


def test_a_file_instead_of_a_folder_is_a_clean_error(tmp_path):
    """Pointing at a CSV file instead of its folder is reported plainly."""
    result = run("validate", str(GOOD / "units.csv"))
    assert_clean_failure(result)
    assert "is not a folder" in result.output


def test_binary_garbage_is_a_clean_error(tmp_path):
    """Random bytes in every file: each file is reported, exit 2, no traceback."""
    folder = tmp_path / "garbage"
    folder.mkdir()
    for i, name in enumerate(["locations.csv", "units.csv", "youths.csv", "conflicts.csv", "instance.toml"]):
        (folder / name).write_bytes(bytes((i * 37 + k * 101) % 256 for k in range(4096)))
    result = run("validate", str(folder))
    assert_clean_failure(result)
    for name in ["locations.csv", "units.csv", "youths.csv", "conflicts.csv", "instance.toml"]:
        assert f"  {name}" in result.output


def test_validate_is_registered_with_the_command_group():
    """`matcher --help` lists the validate command."""
    result = run("--help")
    assert result.exit_code == 0 and "validate" in result.output


def test_format_problems_is_shared_with_other_commands():
    """The same formatter is used by validate, solve and reading: one indented line per problem."""
    problems = [
        Problem("units.csv", 3, "capacity", "'0' must be at least 1"),
        Problem("youths.csv", None, None, "is missing"),
    ]
    assert validate_command.format_problems is solve_command.format_problems is errors.format_problems
    assert reading.format_problems is errors.format_problems
    assert format_problems(problems) == (
        "  units.csv, line 3, column capacity: '0' must be at least 1\n  youths.csv: is missing"
    )
