"""``matcher scenario`` from the command line: a run with two scenarios in parallel, and bad
input that ends with exit code 2 and readable messages instead of a traceback."""

from __future__ import annotations

import csv

from click.testing import CliRunner

from matcher.cli import main
from matcher.input.instance_writer import write_instance
from test_scenario_ops import tiny_instance

#: The messages asserted here are English (Dutch is the default; tests/test_i18n.py checks it).
MATCHER_LANG = "en"

SMALLER = 'name = "kleiner"\n[[step]]\nop = "split"\ninto = 2\ncapacity = 2\nwhere = { unit = "U1" }\n'
MORE = 'name = "meer"\n[[step]]\nop = "demand"\nfactor = 2\n'


def test_two_scenarios_in_two_processes(tmp_path):
    """Exit 0, a folder per scenario, the comparison files, and the table on stdout."""
    write_instance(tiny_instance(), tmp_path / "tiny")
    (tmp_path / "a.toml").write_text(SMALLER, encoding="utf-8")
    (tmp_path / "b.toml").write_text(MORE, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["scenario", str(tmp_path / "tiny"), str(tmp_path / "a.toml"), str(tmp_path / "b.toml"),
                                       "--out", str(out), "--time-limit", "5", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    for name in ("baseline", "kleiner", "meer"):
        assert (out / name / "solution" / "summary.json").is_file()
    assert "figure" in result.stdout and "kleiner" in result.stdout and "meer" in result.stdout  # English table head
    rows = {r["metric"]: r for r in csv.DictReader((out / "comparison.csv").open(encoding="utf-8"))}
    assert int(rows["places.gesloten"]["diff kleiner"]) == -4
    assert int(rows["new_youths"]["diff meer"]) == int(rows["new_youths"]["baseline"])


def test_bad_scenario_file_exits_2_with_every_problem(tmp_path):
    """Two broken files: every problem listed with file and line, nothing solved or written."""
    write_instance(tiny_instance(), tmp_path / "tiny")
    (tmp_path / "a.toml").write_text('[[step]]\nop = "shut"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('[[step]]\nop = "close"\nwhere = { unit = "U77" }\n', encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["scenario", str(tmp_path / "tiny"), str(tmp_path / "a.toml"), str(tmp_path / "b.toml"),
                                       "--out", str(out)])
    assert result.exit_code == 2
    assert f"{tmp_path / 'a.toml'}, line 2, key step[1].op: unknown op 'shut'" in result.stderr
    assert f"{tmp_path / 'b.toml'}, line 3, key step[1].where.unit: unit 'U77' does not exist" in result.stderr
    assert "Traceback" not in result.output and not out.exists()


def test_bad_instance_exits_2(tmp_path):
    """A folder that is no instance is reported as such, exit 2."""
    (tmp_path / "a.toml").write_text(MORE, encoding="utf-8")
    result = CliRunner().invoke(main, ["scenario", str(tmp_path / "nothing"), str(tmp_path / "a.toml"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "is not valid" in result.stderr and "Traceback" not in result.output
