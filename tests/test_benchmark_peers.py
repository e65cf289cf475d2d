"""The benchmark's peers on tiny instances: the hand-made greedy keeps every rule and behaves
like a matching desk; the plain MIP keeps every rule and finds the exhaustive optimum. Plus the
benchmark's own plumbing: measuring a process, the weekly instance, one tier end to end."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the benchmarks folder is not installed

from benchmarks.aggregate import ratios, summarise, time_to_gap  # noqa: E402
from benchmarks.inprocess import measure_in_process  # noqa: E402
from benchmarks.instances import SHIPPED, weekly_case  # noqa: E402
from benchmarks.measure import run_measured  # noqa: E402
from benchmarks.peers.cpsat import cpsat  # noqa: E402
from benchmarks.peers.greedy import greedy  # noqa: E402
from benchmarks.peers.plain_mip import plain_mip  # noqa: E402
from benchmarks.run import run_tier  # noqa: E402
from bruteforce import brute_force  # noqa: E402
from matcher.analysis.check import check  # noqa: E402
from matcher.generator import generate  # noqa: E402
from strategies import instances, make_instance, make_location, make_unit, make_youth  # noqa: E402

L_AMS = make_location("L1", "GM0363")
L_ZAAN = make_location("L2", "GM0479")
L_UTR = make_location("L3", "GM0344")
L_AMSTELVEEN = make_location("L4", "GM0362")
LOCATIONS = (L_AMS, L_ZAAN, L_UTR, L_AMSTELVEEN)


# --- greedy: what the desk does by hand --------------------------------------------------------


def test_greedy_serves_the_crisis_first():
    """One place, a regulier request listed first and a crisis second: the crisis gets it."""
    inst = make_instance(LOCATIONS, [make_unit("U1", "L1")], [make_youth("Y1"), make_youth("Y2", urgency=3)])
    assert greedy(inst) == {"Y1": None, "Y2": "U1"}


def test_greedy_serves_the_longest_waiting_first_within_an_urgency():
    """Same urgency, one place: the youth who waited longest gets it."""
    youths = [make_youth("Y1", waiting_weeks=2), make_youth("Y2", waiting_weeks=9)]
    assert greedy(make_instance(LOCATIONS, [make_unit("U1", "L1")], youths)) == {"Y1": None, "Y2": "U1"}


def test_greedy_takes_the_nearest_unit_even_when_a_farther_one_is_cheaper():
    """Amsterdam's unit is two settings heavier than needed (100 points for 10 km saved), yet
    the desk takes the nearest: Amsterdam. The optimum (brute force) goes to Amstelveen."""
    units = [make_unit("U1", "L1", setting="gesloten"), make_unit("U2", "L4", setting="kleinschalig")]
    youth = make_youth("Y1", min_setting="kleinschalig", machtiging=True)
    inst = make_instance(LOCATIONS, units, [youth])
    assert greedy(inst) == {"Y1": "U1"}
    assert brute_force(inst)[1] == {"Y1": "U2"}


def test_greedy_counts_occupants_against_capacity():
    """A unit of two with two occupants has no room: the new youth goes one town further."""
    units = [make_unit("U1", "L1", capacity=2), make_unit("U2", "L2")]
    youths = [make_youth("O1", current_unit_id="U1"), make_youth("O2", current_unit_id="U1"), make_youth("Y1")]
    assert greedy(make_instance(LOCATIONS, units, youths))["Y1"] == "U2"


def test_greedy_keeps_the_age_spread_and_contra_indications():
    """The nearest unit has room but one resident is too old for its spread and the other is a
    contra-indication: both new youths go elsewhere."""
    units = [make_unit("U1", "L1", capacity=4, max_age_spread=2), make_unit("U2", "L2", capacity=2)]
    youths = [make_youth("O1", age=13, current_unit_id="U1"), make_youth("Y1", age=17), make_youth("Y2", age=14)]
    inst = make_instance(LOCATIONS, units, youths, conflicts=[("O1", "Y2")])
    assert greedy(inst) == {"O1": "U1", "Y1": "U2", "Y2": "U2"}


def test_greedy_places_siblings_together_or_not_at_all():
    """Two siblings, one place per town: neither is placed; with two places in Zaanstad, both go there."""
    siblings = [make_youth("Y1", sibling_group="S1"), make_youth("Y2", sibling_group="S1")]
    apart = make_instance(LOCATIONS, [make_unit("U1", "L1"), make_unit("U2", "L3")], siblings)
    assert greedy(apart) == {"Y1": None, "Y2": None}
    together = make_instance(LOCATIONS, [make_unit("U1", "L1"), make_unit("U2", "L2", capacity=2)], siblings)
    assert greedy(together) == {"Y1": "U2", "Y2": "U2"}


def test_greedy_never_moves_an_occupant():
    """Moves allowed, and moving the occupant would free the only place: the desk moves nobody."""
    units = [make_unit("U1", "L1"), make_unit("U2", "L3", care_type="intensieve_ggz")]
    occupant = make_youth("O1", alt_care_types=("intensieve_ggz",), current_unit_id="U1")
    inst = make_instance(LOCATIONS, units, [occupant, make_youth("Y1", urgency=3)], allow_moves=True)
    assert greedy(inst) == {"O1": "U1", "Y1": None}


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_greedy_assignment_passes_the_checker(inst):
    """On generated instances the hand-made assignment keeps every rule."""
    report = check(inst, greedy(inst))
    assert report.ok, report.violations


# --- the plain MIP: the whole problem in HiGHS -------------------------------------------------


@pytest.mark.parametrize("peer", [plain_mip, cpsat])
def test_exact_peers_solve_the_crisis_case_and_prove_it(peer):
    """One place, two youths: the crisis is placed, the bound equals the objective (the plain
    MIP and CP-SAT alike)."""
    inst = make_instance(LOCATIONS, [make_unit("U1", "L1")], [make_youth("Y1"), make_youth("Y2", urgency=3)])
    out = peer(inst, time_limit=10)
    assert out.status == "OPTIMAL"
    assert out.unit_of == {"Y1": None, "Y2": "U1"}
    assert out.bound == pytest.approx(out.objective)
    assert out.objective == pytest.approx(check(inst, out.unit_of).objective)


def test_plain_mip_trajectory_ends_at_its_proof():
    """On a stress instance of 300 youths the plain MIP's log ends at its final objective and
    bound, and it reaches a proven gap of 1e-6 after building the model and before it returns."""
    out = plain_mip(generate("stress", 1, youths=300, units=400), time_limit=30)
    assert out.status == "OPTIMAL"
    seconds, objective, bound = out.trajectory[-1]
    assert (objective, bound) == (pytest.approx(out.objective), pytest.approx(out.bound))
    assert out.build_seconds <= time_to_gap(out.trajectory, 1e-6) <= out.seconds


@pytest.mark.parametrize("peer", [plain_mip, cpsat])
def test_exact_peers_without_choices_leave_everybody_where_they_are(peer):
    """No compatible unit for the request: the model is empty, the occupant stays, the request waits."""
    units = [make_unit("U1", "L1", capacity=2)]
    youths = [make_youth("O1", current_unit_id="U1"), make_youth("Y1", care_type="gesloten")]
    out = peer(make_instance(LOCATIONS, units, youths), time_limit=10)
    assert out.status == "OPTIMAL"
    assert out.unit_of == {"O1": "U1", "Y1": None}
    assert out.objective == pytest.approx(1000.0)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_youths=6))
def test_exact_peers_find_the_exhaustive_optimum(inst):
    """On generated tiny instances the plain MIP's and CP-SAT's assignments pass the checker and
    cost exactly the brute-force optimum (CP-SAT to the rounding of its integer costs); greedy
    never beats it."""
    optimum, _ = brute_force(inst)
    for out, tolerance in ((plain_mip(inst, time_limit=20), 1e-6), (cpsat(inst, time_limit=20, threads=1), 1e-5)):
        assert out.status == "OPTIMAL"
        report = check(inst, out.unit_of)
        assert report.ok, report.violations
        assert report.objective == pytest.approx(optimum, rel=1e-9, abs=tolerance)
        assert out.bound <= optimum + tolerance
    assert check(inst, greedy(inst)).objective >= optimum - 1e-6


# --- measuring a run ---------------------------------------------------------------------------


def test_run_measured_reports_wall_time_peak_memory_and_exit_code():
    """A child that holds about 60 MB and exits with 3: the measurement sees all three."""
    code = "import time; b = bytearray(60_000_000); time.sleep(0.2); raise SystemExit(3)"
    run = run_measured([sys.executable, "-c", code], timeout=60)
    assert run.returncode == 3
    assert run.wall_seconds >= 0.2
    assert 60 <= run.peak_mb < 400


# --- the benchmark's own instances and one tier end to end ---------------------------------------


def test_weekly_case_has_the_size_of_the_speed_target():
    """The week tier: 100 new requests, 3,000 occupants, 1,000 units; sibling groups whole and
    contra-indications only between youths that are in it."""
    inst = weekly_case(seed=1)
    new = [y for y in inst.youths if y.current_unit_id is None]
    assert len(new) == 100
    assert len(inst.youths) - len(new) == 3000
    assert len(inst.units) == 1000
    full = generate("stress", 1, youths=6000, units=1000)
    group_size = Counter(y.sibling_group for y in full.youths if y.sibling_group)
    kept_size = Counter(y.sibling_group for y in inst.youths if y.sibling_group)
    assert all(kept_size[g] == group_size[g] for g in kept_size)
    ids = {y.youth_id for y in inst.youths}
    assert all(a in ids and b in ids for a, b in inst.conflicts)


def test_one_tier_end_to_end_checks_every_method(tmp_path):
    """The S tier through the runner: four rows, every answer accepted by the checker, matcher,
    the plain MIP and CP-SAT at the same proven optimum, greedy no better, bound never above it;
    the ratios name matcher's speed-up over both exact peers."""
    rows = run_tier("S", "quick", 1, tmp_path)
    by = {r["method"]: r for r in rows}
    assert set(by) == {"matcher", "greedy", "plain_mip", "cpsat"}
    assert all(r["check_ok"] is True for r in rows)
    assert by["matcher"]["status"] == by["plain_mip"]["status"] == by["cpsat"]["status"] == "OPTIMAL"
    assert by["matcher"]["objective"] == pytest.approx(by["plain_mip"]["objective"], rel=1e-9)
    assert by["matcher"]["objective"] == pytest.approx(by["cpsat"]["objective"], rel=1e-9)
    q = ratios(rows)[0]
    assert q["speedup"] > 0 and q["cpsat_speedup"] > 0 and q["cpsat_reached_matcher_gap"] is True
    assert by["greedy"]["objective"] >= by["matcher"]["objective"] - 1e-6
    assert by["matcher"]["best_bound"] <= by["matcher"]["objective"] + 1e-6
    assert all(r["peak_mb"] > 0 and r["wall_s"] > 0 for r in rows)


def test_a_seed_without_the_plain_mip_says_so_and_is_left_out_of_the_medians(tmp_path):
    """The S tier with the plain MIP skipped: its row says NOT_RUN, the summary has no plain-MIP
    line, the per-seed ratios name no speed-up, and the in-process timing of the week is sane."""
    rows = run_tier("S", "quick", 2, tmp_path, with_mip=False)
    by = {r["method"]: r for r in rows}
    assert by["plain_mip"]["status"] == by["cpsat"]["status"] == "NOT_RUN" and by["matcher"]["check_ok"] is True
    assert {s["method"] for s in summarise([r for r in rows if r["status"] != "NOT_RUN"])} == {"matcher", "greedy"}
    assert ratios(rows)[0].get("speedup", "") == ratios(rows)[0].get("cpsat_speedup", "") == ""
    timed = measure_in_process("nl-week", SHIPPED / "nl-week", tmp_path / "t.json", repeats=2, time_limit=10, seed=0)
    assert timed["repeats"] == 2 and timed["optimal"] == 2
    assert 0 < timed["solve_s_median"] <= timed["solve_s_worst"] < 10
