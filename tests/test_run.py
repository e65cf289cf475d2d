"""``matcher.pipeline``: the weekly run as a library call — a folder or an ``Instance`` in, validated,
solved, checked and written, one frozen outcome back; bad input writes only summary.json."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

import matcher.pipeline
from matcher.errors import InternalError
from matcher.instance import Instance
from matcher.input.source import read_instance
from matcher.pipeline import RunOptions, run, safe_validate
from strategies import make_instance, make_location, make_unit, make_youth

#: The messages asserted here are English (Dutch is the default; tests/test_i18n.py checks it).
MATCHER_LANG = "en"

ROOT = Path(__file__).resolve().parent.parent
VOORBEELD = ROOT / "instances" / "voorbeeld"
MANY_ERRORS = Path(__file__).parent / "data" / "bad" / "many-errors"
#: The example's documented optimum (instances/voorbeeld/README.md).
VOORBEELD_OPTIMUM = 4470.130437
NO_MAP = RunOptions(time_limit=30.0, with_map=False)


def on_disk(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))


def test_folder_in_solution_folder_out(tmp_path):
    """A folder is validated, solved and written; the outcome holds what summary.json says."""
    outcome = run(VOORBEELD, tmp_path / "out", NO_MAP)
    assert outcome.code == 0 and outcome.status == "OPTIMAL"
    assert outcome.summary == on_disk(tmp_path / "out")
    assert outcome.summary["objective"] == pytest.approx(VOORBEELD_OPTIMUM, abs=1e-6)
    assert outcome.summary["checker"]["ok"] is True
    assert outcome.summary["instance_path"] == str(VOORBEELD)
    assert outcome.out == tmp_path / "out" and outcome.problems == ()
    assert isinstance(outcome.instance, Instance) and outcome.report.ok
    assert outcome.result.objective == pytest.approx(outcome.report.objective, abs=1e-6)
    assert [o.youth_id for o in outcome.outcomes] == [y.youth_id for y in outcome.instance.youths]


def test_the_run_options_reach_the_summary(tmp_path):
    """Seed, time limit and threads are recorded in summary.json's ``run``."""
    options = RunOptions(time_limit=20.0, threads=1, seed=4, with_map=False)
    summary = run(VOORBEELD, tmp_path / "out", options).summary
    assert summary["run"] == {"seed": 4, "time_limit": 20.0, "threads": 1}


def test_instance_in_memory_writes_nothing(tmp_path, monkeypatch):
    """An ``Instance`` without ``out`` is solved in memory: the same answer, no file anywhere."""
    monkeypatch.chdir(tmp_path)
    outcome = run(read_instance(VOORBEELD), options=NO_MAP)
    assert outcome.code == 0 and outcome.out is None
    assert outcome.summary["objective"] == pytest.approx(VOORBEELD_OPTIMUM, abs=1e-6)
    assert outcome.summary["instance_path"] is None
    assert list(tmp_path.iterdir()) == []


def test_instance_and_its_folder_give_the_same_solution(tmp_path):
    """Solving the read instance writes the same assignments.csv, byte for byte, as the folder."""
    from_folder = run(VOORBEELD, tmp_path / "a", NO_MAP)
    from_instance = run(read_instance(VOORBEELD), tmp_path / "b", NO_MAP, instance_path="week-x")
    assert (tmp_path / "a" / "assignments.csv").read_bytes() == (tmp_path / "b" / "assignments.csv").read_bytes()
    assert from_instance.summary["instance_path"] == "week-x"
    assert from_instance.summary["objective"] == from_folder.summary["objective"]


def test_default_out_is_the_solution_folder_inside_the_instance(tmp_path):
    """Without ``out``, a folder's solution goes to FOLDER/solution."""
    week = tmp_path / "week"
    shutil.copytree(VOORBEELD, week)
    outcome = run(week, options=NO_MAP)
    assert outcome.out == week / "solution"
    assert (week / "solution" / "assignments.csv").is_file()


def test_invalid_input_writes_only_summary_json(tmp_path):
    """Bad input: exit code 2, every problem in the outcome, only summary.json in ``out``."""
    out = tmp_path / "out"
    outcome = run(MANY_ERRORS, out, NO_MAP)
    assert outcome.code == 2 and outcome.status == "INVALID_INPUT"
    assert len(outcome.problems) == 9
    assert [p.name for p in out.iterdir()] == ["summary.json"]
    assert outcome.summary == on_disk(out)
    assert [e["text"] for e in outcome.summary["errors"]] == [str(p) for p in outcome.problems]
    assert outcome.instance is outcome.result is outcome.report is None


def test_missing_folder_creates_nothing(tmp_path):
    """A folder that is not there: exit code 2, 'does not exist', and no folder appears."""
    missing = tmp_path / "no-such-week"
    outcome = run(missing, options=NO_MAP)
    assert outcome.code == 2 and outcome.out is None
    assert "does not exist" in outcome.problems[0].message
    assert outcome.summary["status"] == "INVALID_INPUT"
    assert list(tmp_path.iterdir()) == []


def test_infeasible_instance_exits_1_and_is_written(tmp_path):
    """Occupant siblings at two locations that may not move: status INFEASIBLE, exit code 1, and
    the solution is still written with the checker's verdict."""
    instance = make_instance(
        [make_location("L1", "GM0363"), make_location("L2", "GM0344")],
        [make_unit("U1", "L1"), make_unit("U2", "L2")],
        [make_youth("Y1", current_unit_id="U1", sibling_group="S"),
         make_youth("Y2", "GM0344", current_unit_id="U2", sibling_group="S")],
    )
    outcome = run(instance, tmp_path / "out", NO_MAP)
    assert outcome.code == 1 and outcome.status == "INFEASIBLE"
    assert on_disk(tmp_path / "out")["checker"]["ok"] is False


def test_an_answer_the_checker_rejects_raises_and_writes_nothing(tmp_path, monkeypatch):
    """A solver whose objective disagrees with the checker's is a bug: InternalError, no files."""
    real_solve = matcher.pipeline.solve

    def miscounting_solve(instance, **options):
        result = real_solve(instance, **options)
        return dataclasses.replace(result, objective=result.objective + 1.0)

    monkeypatch.setattr(matcher.pipeline, "solve", miscounting_solve)
    with pytest.raises(InternalError, match="differs from the checker's"):
        run(VOORBEELD, tmp_path / "out", NO_MAP)
    assert list(tmp_path.iterdir()) == []


def test_safe_validate_reports_a_file_instead_of_a_folder(tmp_path):
    """``safe_validate`` never raises for bad input: a file instead of a folder is one problem."""
    path = tmp_path / "week.csv"
    path.write_text("youth_id\n", encoding="utf-8")
    validation = safe_validate(path)
    assert validation.instance is None
    assert [p.message for p in validation.errors] == ["is not a folder"]


def test_a_week_where_nobody_can_be_placed_is_answered_like_any_other(tmp_path):
    """No youth has a possible unit (the only units near are for girls, the one far away is too
    far): still a checked solution, exit 0, every youth unplaced with a reason in words
    (regression: the value of one more place crashed on a week without a single candidate pair)."""
    instance = make_instance(
        [make_location("L1", "GM0363"), make_location("L2", "GM0935")],
        [make_unit("U1", "L1", capacity=2, gender="meisjes"), make_unit("U2", "L2", setting="kleinschalig", capacity=1)],
        [make_youth("Y1", "GM0363", min_setting="kleinschalig"),
         make_youth("Y2", "GM0363", min_setting="kleinschalig", urgency=3)],
    )
    outcome = run(instance, tmp_path / "out", NO_MAP)
    summary = on_disk(tmp_path / "out")
    assert outcome.code == 0 and summary["checker"]["ok"] is True
    assert summary["unplaced"] == 2 and summary["placed"] == 0
    assert all(o.status == "unplaced" and o.reason for o in outcome.analysis.outcomes)
    assert (tmp_path / "out" / "assignments.csv").is_file() and (tmp_path / "out" / "report.md").is_file()


def test_the_analysis_is_what_the_summary_shows(tmp_path):
    """The writers render the run's one analysis: summary.json's counts, key figures and value of
    one more place are the analysis's own."""
    outcome = run(VOORBEELD, tmp_path / "out", NO_MAP)
    summary, analysis = on_disk(tmp_path / "out"), outcome.analysis
    assert summary["kpis"] == json.loads(json.dumps(analysis.kpis))
    assert summary["marginal_capacity"] == json.loads(json.dumps(analysis.marginal_capacity))
    assert {k: summary[k] for k in analysis.counts} == analysis.counts
    assert summary["objective"] == round(analysis.report.objective, 6)
