"""The register (issue 27): a week at the matching desk on SQLite and on a real PostgreSQL server:
propose as ``matcher solve`` does, a decline and a second round, close the week, export; every
command one transaction (a killed close-week changes nothing, two closes of one week give one);
bad change files listed completely; least rights on a shared register."""

from __future__ import annotations

import shutil
import signal
import time
import uuid

import pytest

from matcher.input.source import read_instance
from register_helpers import VOORBEELD, cli, cli_process, decisions, fingerprint, make_register, rows_of

MATCHER_LANG = "en"
KINDS = ["sqlite", "postgresql"]


@pytest.fixture(params=KINDS)
def reg(request, tmp_path):
    """A register holding the voorbeeld instance, on SQLite and on PostgreSQL."""
    cluster = request.getfixturevalue("postgres_cluster") if request.param == "postgresql" else None
    return make_register(request.param, tmp_path, cluster)


@pytest.fixture
def lite(tmp_path):
    """A register holding the voorbeeld instance, on SQLite."""
    return make_register("sqlite", tmp_path)


def test_a_week_with_a_decline_and_a_second_round(reg, tmp_path):
    """Round 1 proposes, a provider declines J01; round 2 never sends J01 to that location again;
    closing the week makes the accepted youths residents and the waiting one waits a week more."""
    assert cli("register", "propose", reg.writer, "--out", str(tmp_path / "r1"), "--time-limit", "10",
               "--no-map").exit_code == 0
    first = {r["youth_id"]: r for r in rows_of(tmp_path / "r1" / "proposals.csv")}
    assert "J01" in first
    declined_at = first["J01"]["location_id"]
    done = cli("register", "decide", reg.writer, str(decisions(tmp_path / "r1" / "proposals.csv",
                                                               tmp_path / "d1.csv", {"J01": "group full"})))
    assert done.exit_code == 0 and f"{len(first) - 1} accepted, 1 declined" in done.output
    status = cli("register", "status", reg.reader).output
    assert f"0 without a decision, {len(first) - 1} accepted, 1 declined" in status and "open week 1" in status
    assert cli("register", "propose", reg.writer, "--out", str(tmp_path / "r2"), "--time-limit", "10",
               "--no-map").exit_code == 0
    second = {r["youth_id"]: r for r in rows_of(tmp_path / "r2" / "assignments.csv")}
    assert second["J01"]["location_id"] != declined_at
    assert all(second[y]["status"] == "stays" for y in first if y != "J01")  # accepted places are held
    cli("register", "decide", reg.writer, str(decisions(tmp_path / "r2" / "proposals.csv", tmp_path / "d2.csv", {})))
    closed = cli("register", "close-week", reg.writer)
    assert closed.exit_code == 0, closed.output
    exported = read_instance(cli_export(reg, tmp_path / "now"))
    before = read_instance(VOORBEELD)
    for youth_id in first:
        if youth_id != "J01":
            assert exported.youth_by_id[youth_id].current_unit_id == first[youth_id]["unit_id"]
    if second["J01"]["status"] == "unplaced":
        j01 = exported.youth_by_id["J01"]
        assert j01.waiting_weeks == before.youth_by_id["J01"].waiting_weeks + 1
        assert declined_at in j01.excluded_locations


def cli_export(reg, out):
    done = cli("register", "export", reg.reader, "--out", str(out))
    assert done.exit_code == 0, done.output
    return out


def test_propose_solves_exactly_as_matcher_solve(lite, tmp_path):
    """The proposals are the solution ``matcher solve`` gives for the exported current state."""
    folder = cli_export(lite, tmp_path / "state")
    assert cli("solve", str(folder), "--out", str(tmp_path / "solved"), "--time-limit", "10", "--no-map").exit_code == 0
    assert cli("register", "propose", lite.writer, "--out", str(tmp_path / "proposed"), "--time-limit", "10",
               "--no-map").exit_code == 0
    assert rows_of(tmp_path / "solved" / "assignments.csv") == rows_of(tmp_path / "proposed" / "assignments.csv")
    placed = [r["youth_id"] for r in rows_of(tmp_path / "solved" / "assignments.csv") if r["status"] == "placed"]
    assert [r["youth_id"] for r in rows_of(tmp_path / "proposed" / "proposals.csv")] == placed


def _write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_import_records_the_week_and_refuses_the_same_files_twice(lite, tmp_path):
    """New requests, a departure, a withdrawal and a capacity change are recorded once; the same
    files again are refused and change nothing."""
    changes = tmp_path / "week2"
    _write(changes, "requests.csv", "youth_id,home_gemeente,home_lat,home_lon,care_type,min_setting,age,gender\n"
                                    "N01,GM0363,52.37,4.86,driemilieu,residentieel,15,m\n")
    _write(changes, "departures.csv", "youth_id,reason\nJ02,treatment ended\n")
    _write(changes, "withdrawals.csv", "youth_id,reason\nJ11,moved abroad\n")
    _write(changes, "capacity.csv", "unit_id,capacity\nAMF-GGZ,0\nUTR-3M,3\n")
    done = cli("register", "import", lite.writer, str(changes))
    assert done.exit_code == 0, done.output
    state = read_instance(cli_export(lite, tmp_path / "now"))
    ids = set(state.youth_by_id)
    assert "N01" in ids and "J02" not in ids and "J11" not in ids
    assert "AMF-GGZ" not in state.unit_by_id and state.unit_by_id["UTR-3M"].capacity == 3
    before = fingerprint(lite.owner)
    again = cli("register", "import", lite.writer, str(changes))
    assert again.exit_code == 2 and "imported already" in again.output
    assert fingerprint(lite.owner) == before


def test_bad_change_files_list_every_problem_and_change_nothing(lite, tmp_path):
    """Every problem of every file is listed with file, line and column; exit 2; nothing recorded."""
    changes = tmp_path / "bad"
    _write(changes, "requests.csv", "youth_id,home_gemeente,home_lat,home_lon,care_type,min_setting,age,gender\n"
                                    "J03,GM0363,52.37,4.86,driemilieu,residentieel,15,m\n"
                                    "N02,GM9999,52.37,4.86,driemiljeu,residentieel,40,m\n")
    _write(changes, "departures.csv", "youth_id,reason\nJ01,not a resident\n")
    _write(changes, "capacity.csv", "unit_id,capacity\nNOPE,2\nAMS-3M,0\nZAA-GES,-1\n")
    before = fingerprint(lite.owner)
    done = cli("register", "import", lite.writer, str(changes))
    assert done.exit_code == 2
    expected = ["requests.csv, line 2, column youth_id", "requests.csv, line 3, column home_gemeente",
                "requests.csv, line 3, column care_type", "requests.csv, line 3, column age",
                "departures.csv, line 2, column youth_id", "capacity.csv, line 2, column unit_id",
                "capacity.csv, line 3, column capacity", "capacity.csv, line 4, column capacity"]
    for where in expected:
        assert where in done.output, (where, done.output)
    assert "Traceback" not in done.output
    assert fingerprint(lite.owner) == before


def test_bad_decisions_are_listed_and_change_nothing(lite, tmp_path):
    """A decline without a reason, a youth without a proposal and an unknown word: all listed."""
    cli("register", "propose", lite.writer, "--out", str(tmp_path / "r1"), "--time-limit", "10", "--no-map")
    first = rows_of(tmp_path / "r1" / "proposals.csv")[0]["youth_id"]
    _write(tmp_path, "d.csv", f"youth_id,decision,reason\n{first},declined,\nJ02,accepted,\n{first},maybe,\n")
    before = fingerprint(lite.owner)
    done = cli("register", "decide", lite.writer, str(tmp_path / "d.csv"))
    assert done.exit_code == 2
    for where in ("d.csv, line 2, column reason", "d.csv, line 3, column youth_id", "d.csv, line 4, column decision"):
        assert where in done.output, done.output
    assert fingerprint(lite.owner) == before


def _wait_for_pause(process, seconds=60):
    """Read the process' stderr until it says it paused inside its transaction."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if "paused at" in line:
            return
        if not line and process.poll() is not None:
            raise AssertionError(f"ended without pausing: {process.stderr.read()}")
    raise AssertionError("did not pause")


def test_killing_close_week_changes_nothing(reg, tmp_path):
    """close-week killed (SIGKILL) after its first writes leaves the register as it was; closing
    again afterwards works."""
    cli("register", "propose", reg.writer, "--out", str(tmp_path / "r1"), "--time-limit", "10", "--no-map")
    cli("register", "decide", reg.writer, str(decisions(tmp_path / "r1" / "proposals.csv", tmp_path / "d.csv", {})))
    before = fingerprint(reg.owner)
    process = cli_process("register", "close-week", reg.writer, pause="close-week")
    _wait_for_pause(process)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert fingerprint(reg.owner) == before
    done = cli("register", "close-week", reg.writer)
    assert done.exit_code == 0 and "placed" in done.output
    assert fingerprint(reg.owner)[1] == before[1] + 1


@pytest.mark.parametrize("named", [True, False], ids=["week-named", "open-week"])
def test_two_closes_of_one_week_give_one_close(reg, named, tmp_path):
    """Two team members close the same week at once: one succeeds, the other is told and changes
    nothing. The first holds its transaction open until the second has read the open week."""
    week = ["--week", "1"] if named else []
    release = tmp_path / "release"
    first = cli_process("register", "close-week", reg.writer, *week, pause="close-week", release=release)
    _wait_for_pause(first)
    second = cli_process("register", "close-week", reg.writer, *week, pause="close-week-open:0")
    _wait_for_pause(second)
    release.touch()
    out1, out2 = first.communicate(timeout=120), second.communicate(timeout=120)
    assert (first.returncode, second.returncode) == (0, 2), (out1, out2)
    assert "week 1 is not the open week" in out2[1]
    assert fingerprint(reg.owner)[1] == 2


def test_propose_records_nothing_when_the_register_changed_while_it_solved(lite, tmp_path):
    """A withdrawal imported while propose solves: propose is refused, records no proposal and
    leaves no solution folder; proposing again afterwards works on the new state."""
    release, out = tmp_path / "release", tmp_path / "r1"
    process = cli_process("register", "propose", lite.writer, "--out", str(out), "--time-limit", "10", "--no-map",
                          pause="propose-solved", release=release)
    _wait_for_pause(process)
    _write(tmp_path / "changes", "withdrawals.csv", "youth_id,reason\nJ11,moved abroad\n")
    assert cli("register", "import", lite.writer, str(tmp_path / "changes")).exit_code == 0
    after_import = fingerprint(lite.owner)
    release.touch()
    _stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 2 and "somebody else changed the register" in stderr
    assert fingerprint(lite.owner) == after_import and not out.exists() and not (tmp_path / ".r1.staging").exists()
    assert cli("register", "propose", lite.writer, "--out", str(out), "--time-limit", "10", "--no-map").exit_code == 0
    assert "J11" not in {r["youth_id"] for r in rows_of(out / "assignments.csv")}


@pytest.mark.parametrize("kind", KINDS)
def test_a_register_from_a_newer_matcher_is_refused_and_an_older_one_upgraded(kind, tmp_path, request):
    """A schema this version does not know is refused with a clear message; one from the first
    schema is told to upgrade, and ``register upgrade`` brings it up keeping its rows."""
    from sqlalchemy import text

    from matcher.register.database import engine_for, upgrade

    if kind == "sqlite":
        old = tmp_path / "old.sqlite"
    else:
        cluster = request.getfixturevalue("postgres_cluster")
        old = cluster.url("register_owner", cluster.new_database(f"old_{uuid.uuid4().hex[:10]}"))
    engine = engine_for(old)
    with engine.begin() as connection:
        upgrade(connection, "0001")
        connection.execute(text("INSERT INTO register VALUES (1, 'oud', '{}', NULL, 3, 1, '2025-01-01T00:00:00')"))
    engine.dispose()
    told = cli("register", "export", str(old), "--out", str(tmp_path / "x"))
    assert told.exit_code == 2 and "matcher register upgrade" in told.output
    assert cli("register", "upgrade", str(old)).exit_code == 0
    assert fingerprint(str(old)) == (0, 3, 1)
    engine = engine_for(old)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    refused = cli("monitor", str(old), "--out", str(tmp_path / "m"))
    assert refused.exit_code == 2 and "newer version of matcher" in refused.output and "Traceback" not in refused.output


def test_init_refuses_bad_input_and_an_existing_register(tmp_path):
    """A broken instance is reported with its problems and leaves no file; a second init is refused."""
    bad = tmp_path / "bad"
    shutil.copytree(VOORBEELD, bad)
    (bad / "units.csv").write_text("unit_id,location_id,care_type,setting,capacity\nU1,NOWHERE,x,y,0\n")
    done = cli("register", "init", str(tmp_path / "r.sqlite"), "--from", str(bad))
    assert done.exit_code == 2 and "units.csv, line 2" in done.output
    assert not (tmp_path / "r.sqlite").exists()
    assert cli("register", "init", str(tmp_path / "r.sqlite"), "--from", str(VOORBEELD)).exit_code == 0
    assert cli("register", "init", str(tmp_path / "r.sqlite"), "--from", str(VOORBEELD)).exit_code == 2
