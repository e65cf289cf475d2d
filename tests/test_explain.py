"""``matcher explain``: the units a youth could have had, ranked by cost and split into the
objective's terms, and why every cheaper one was not used — on the hand-made voorbeeld week (its
README tells the story youth by youth) and on tiny hand-built assignments, in both languages."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings

from matcher.analysis.check import check
from matcher.cli import main
from matcher.analysis.explain import (
    AgeSpread, ContraIndication, Full, SiblingsElsewhere, SiblingsWaiting, SolutionMismatch, UnknownYouth, explain,
)
from matcher.i18n import use_language
from matcher.input.source import read_instance
from matcher.solver.solve import solve
from strategies import instances, make_instance, make_location, make_unit, make_youth

ROOT = Path(__file__).resolve().parent.parent
VOORBEELD = ROOT / "instances" / "voorbeeld"

#: Amsterdam (jeugdregio JZ13), Amstelveen (same jeugdregio), Zaanstad (same bovenregio) and
#: Maastricht (Limburg, about 178 km from Amsterdam).
L_AMS = make_location("L1", "GM0363", lat=52.40, lon=4.90)
L_AMV = make_location("L2", "GM0362")
L_ZAAN = make_location("L3", "GM0479")
L_MAAS = make_location("L4", "GM0935")
LOCATIONS = (L_AMS, L_AMV, L_ZAAN, L_MAAS)


def scene(units, youths, conflicts=(), **settings):
    """An instance on the four locations above."""
    return make_instance(LOCATIONS, units, youths, conflicts, **settings)


@pytest.fixture(scope="module")
def voorbeeld_solution(tmp_path_factory) -> Path:
    """The voorbeeld week solved once by ``matcher solve`` into a solution folder."""
    out = tmp_path_factory.mktemp("voorbeeld") / "solution"
    result = CliRunner().invoke(main, ["solve", str(VOORBEELD), "--out", str(out), "--no-map", "--quiet"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def voorbeeld(voorbeeld_solution):
    """The voorbeeld instance, its assignment and its assignments.csv rows by youth id."""
    with (voorbeeld_solution / "assignments.csv").open(encoding="utf-8") as f:
        rows = {r["youth_id"]: r for r in csv.DictReader(f)}
    unit_of = {y: (r["unit_id"] or None) for y, r in rows.items()}
    return read_instance(VOORBEELD), unit_of, rows


def explain_cli(*args: str):
    """Run ``matcher explain`` in-process."""
    return CliRunner().invoke(main, ["explain", *args])


# --- costs and ranking -----------------------------------------------------------------------


def test_terms_add_up_to_the_cost_in_assignments_csv(voorbeeld):
    """For every youth of the voorbeeld week the chosen unit's terms (or the unplaced cost) add up
    to its cost in assignments.csv, and the explanation's cost is that cost."""
    instance, unit_of, rows = voorbeeld
    for youth_id, row in rows.items():
        e = explain(instance, unit_of, youth_id)
        expected = float(row["cost"])
        assert math.isclose(e.cost, expected, abs_tol=1e-6)
        shown = e.unplaced.total if e.chosen is None else e.chosen.terms.total
        assert math.isclose(shown, expected, abs_tol=1e-6), youth_id


def test_options_are_ranked_by_cost_with_the_known_costs(voorbeeld):
    """J03 could go to AMS-3M (59.111) or UTR-3M (116.2, the README's next best): cheapest first,
    AMS-3M chosen, and nothing cheaper to explain."""
    instance, unit_of, _ = voorbeeld
    e = explain(instance, unit_of, "J03")
    assert [o.unit_id for o in e.options] == ["AMS-3M", "UTR-3M"]
    assert [round(o.cost, 3) for o in e.options] == [59.111, 116.245]
    assert e.chosen.unit_id == "AMS-3M" and e.cheaper == ()
    assert e.options[0].terms.setting_steps == 50.0
    assert e.options[1].terms.outside_jeugdregio == 30.0 and e.options[1].terms.outside_bovenregio == 60.0


def test_every_term_is_priced_by_the_instance_weights():
    """An alternative care type in another bovenregio pays km, setting steps, both region terms and
    the alternative's position, each with the instance's own weight."""
    unit = make_unit("U1", "L4", care_type="intensieve_ggz", setting="residentieel")
    youth = make_youth("Y1", care_type="driemilieu", alt_care_types=("eetstoornis", "intensieve_ggz"),
                       min_setting="kleinschalig", max_km=300.0)
    inst = scene([unit], [youth], weights={"km": 2.0, "setting_step": 10.0, "outside_jeugdregio": 3.0,
                                           "outside_bovenregio": 5.0, "alt_care_type": 7.0})
    e = explain(inst, {"Y1": "U1"}, "Y1")
    t = e.chosen.terms
    assert math.isclose(t.km, 2.0 * e.chosen.distance_km)
    assert (t.setting_steps, t.outside_jeugdregio, t.outside_bovenregio, t.alt_care_type, t.move) == (10.0, 3.0, 5.0, 14.0, 0.0)
    assert math.isclose(t.total, check(inst, {"Y1": "U1"}).objective)


@settings(max_examples=25)
@given(instances())
def test_terms_add_up_on_generated_instances(instance):
    """On generated instances solved by matcher, every youth's explained cost is the checker's cost,
    and the chosen unit's terms add up to it."""
    unit_of = solve(instance, time_limit=5.0).unit_of
    costs = {o.youth_id: o.cost for o in check(instance, unit_of).outcomes}
    for youth in instance.youths:
        e = explain(instance, unit_of, youth.youth_id)
        assert math.isclose(e.cost, costs[youth.youth_id], abs_tol=1e-9)
        if e.chosen is not None:
            assert math.isclose(e.chosen.terms.total, e.cost, abs_tol=1e-9)
        if e.status == "unplaced":
            assert math.isclose(e.unplaced.total, e.cost, abs_tol=1e-9)


def test_moved_occupant_pays_the_move():
    """An occupant moved (moves allowed) pays the move weight; staying would cost nothing."""
    units = [make_unit("U1", "L1"), make_unit("U2", "L2")]
    inst = scene(units, [make_youth("Y1", current_unit_id="U1")], allow_moves=True)
    e = explain(inst, {"Y1": "U2"}, "Y1")
    assert e.status == "moved" and e.chosen.terms.move == 500.0
    assert [o.unit_id for o in e.cheaper] == ["U1"] and e.cheaper[0].cost == 0.0


# --- why not the cheaper unit ---------------------------------------------------------------------


def test_age_spread_names_who_sets_the_range(voorbeeld):
    """J11 (12) is not in AMS-3M: J02 (16), who lives there, would make the group span 4 years."""
    instance, unit_of, _ = voorbeeld
    e = explain(instance, unit_of, "J11")
    assert [o.unit_id for o in e.cheaper] == ["AMS-3M"]
    (spread,) = e.cheaper[0].obstacles
    assert isinstance(spread, AgeSpread) and (spread.span, spread.max_age_spread) == (4, 3)
    assert [(r.youth_id, r.age, r.stays) for r in spread.setters] == [("J02", 16, True)]


def test_contra_indication_names_the_partner(voorbeeld):
    """J06 is not in AMS-GGZ, next door: J04 lives there, and the two must not share a unit."""
    instance, unit_of, _ = voorbeeld
    e = explain(instance, unit_of, "J06")
    (cheaper,) = e.cheaper
    assert cheaper.unit_id == "AMS-GGZ"
    assert [type(x) for x in cheaper.obstacles] == [ContraIndication]
    assert [(r.youth_id, r.urgency) for r in cheaper.obstacles[0].partners] == [("J04", 2)]


def test_full_unit_names_its_residents_and_their_urgency():
    """The nearer unit is full, with the crisis youth who took its only place."""
    units = [make_unit("U1", "L1"), make_unit("U2", "L3")]
    youths = [make_youth("Y1", urgency=3), make_youth("Y2")]
    e = explain(scene(units, youths), {"Y1": "U1", "Y2": "U2"}, "Y2")
    (cheaper,) = e.cheaper
    assert cheaper.unit_id == "U1"
    (full,) = cheaper.obstacles
    assert isinstance(full, Full) and full.capacity == 1
    assert [(r.youth_id, r.urgency, r.stays) for r in full.residents] == [("Y1", 3, False)]


def test_sibling_group_says_where_the_siblings_went():
    """A nearer unit at another location would split the siblings: it says where they live."""
    units = [make_unit("U1", "L1"), make_unit("U2", "L3", capacity=2)]
    youths = [make_youth("Y1", sibling_group="S1"), make_youth("Y2", sibling_group="S1")]
    e = explain(scene(units, youths), {"Y1": "U2", "Y2": "U2"}, "Y1")
    (cheaper,) = e.cheaper
    assert cheaper.unit_id == "U1"
    assert cheaper.obstacles == (SiblingsElsewhere("S1", (("Y2", "U2", "L3"),)),)


def test_unplaced_siblings_wait_for_each_other():
    """Both siblings wait when only one place fits: placing one alone would split the group."""
    units = [make_unit("U1", "L1")]
    youths = [make_youth("Y1", sibling_group="S1"), make_youth("Y2", sibling_group="S1")]
    e = explain(scene(units, youths), {"Y1": None, "Y2": None}, "Y1")
    assert e.status == "unplaced"
    assert e.options[0].obstacles == (SiblingsWaiting("S1", ("Y2",)),)
    assert e.blockage.sibling_group == "S1"


def test_free_cheaper_unit_is_reported_as_free():
    """A hand-made assignment that skips a free, nearer unit: no obstacle, and the text says so."""
    units = [make_unit("U1", "L1"), make_unit("U2", "L3")]
    inst = scene(units, [make_youth("Y1")])
    e = explain(inst, {"Y1": "U2"}, "Y1")
    assert [o.unit_id for o in e.cheaper] == ["U1"] and e.cheaper[0].obstacles == ()


def test_assignment_that_breaks_a_rule_shows_the_chosen_unit_with_the_rule():
    """A hand-made assignment into a unit the rules refuse: the unit is still the chosen one, and
    the rule that refuses it is named."""
    units = [make_unit("U1", "L1", age_min=16)]
    e = explain(scene(units, [make_youth("Y1", age=14)]), {"Y1": "U1"}, "Y1")
    assert e.chosen.unit_id == "U1" and e.chosen.refused_by == ("age_within_unit_range",)
    with use_language("en"):
        assert "breaks a rule: takes ages 16 to 23, the youth is 14" in explain_text_of(e)


# --- what the rules refuse --------------------------------------------------------------------


def test_rule_refusals_are_summarised_per_rule():
    """Units refused by the rules are counted under the first rule that refuses them, the distance
    limit with its limit and the nearest refused unit."""
    units = [
        make_unit("U1", "L1"),
        make_unit("U2", "L4"), make_unit("U3", "L4"),
        make_unit("U4", "L1", age_min=16),
        make_unit("U5", "L1", care_type="eetstoornis"),
    ]
    inst = scene(units, [make_youth("Y1", age=14)])
    e = explain(inst, {"Y1": "U1"}, "Y1")
    by_rule = {r.rule: r for r in e.refusals}
    assert set(by_rule) == {"care_type_is_offered", "age_within_unit_range", "within_distance_limit"}
    far = by_rule["within_distance_limit"]
    assert far.unit_ids == ("U2", "U3") and far.limits_km == (150.0,) and far.nearest_km > 150
    assert by_rule["age_within_unit_range"].unit_ids == ("U4",)
    with use_language("en"):
        result = explain_text_of(inst, {"Y1": "U1"}, "Y1")
    assert f"2 units refused because of the distance limit of 150 km, nearest at {round(far.nearest_km)} km" in result
    assert "1 unit does not take age 14 (U4)" in result


def test_cheaper_unit_refused_by_a_rule_says_which():
    """A unit next door would be cheaper, but it takes ages 16 to 23: shown with the rule, in words."""
    units = [make_unit("U1", "L1", age_min=16), make_unit("U2", "L3")]
    inst = scene(units, [make_youth("Y1", age=14)])
    e = explain(inst, {"Y1": "U2"}, "Y1")
    assert [(o.unit_id, o.refused_by) for o in e.refused_cheaper] == [("U1", ("age_within_unit_range",))]
    with use_language("nl"):
        assert "neemt jongeren van 16 tot en met 23 jaar op, de jongere is 14" in explain_text_of(inst, {"Y1": "U2"}, "Y1")


def test_occupant_who_stays_costs_nothing_and_moves_are_refused(voorbeeld):
    """J02 lives in AMS-3M and moves are not allowed: staying is the only option, at 0 points."""
    instance, unit_of, _ = voorbeeld
    e = explain(instance, unit_of, "J02")
    assert e.status == "stays" and e.cost == 0.0 and [o.unit_id for o in e.options] == ["AMS-3M"]
    assert [(r.rule, len(r.unit_ids)) for r in e.refusals] == [("occupant_moved_only_if_allowed", 5)]


# --- unplaced youths and their reasons ------------------------------------------------------------


def test_unplaced_youth_without_machtiging(voorbeeld):
    """J08 waits: 4000 for a crisis plus 10 for a week waited; the closed unit next door is refused."""
    instance, unit_of, _ = voorbeeld
    e = explain(instance, unit_of, "J08")
    assert e.status == "unplaced" and e.chosen is None and e.options == ()
    assert (e.unplaced.unplaced, e.unplaced.waiting, e.unplaced.total) == (4000.0, 10.0, 4010.0)
    assert [o.unit_id for o in e.refused_cheaper] == ["ZAA-GES"]
    with use_language("en"):
        assert e.reason == "no compatible unit: only a gesloten setting meets the need, and there is no machtiging"


def _own_limit_scene(n_near: int):
    """``n_near`` full units within the youth's own 3 km (each holding a crisis youth), one farther."""
    units = [make_unit(f"U{i}", "L1") for i in range(1, n_near + 1)] + [make_unit("U9", "L3")]
    holders = [make_youth(f"H{i}", urgency=3) for i in range(1, n_near + 1)]
    youths = [*holders, make_youth("Y1", home_lat=52.40, home_lon=4.91, max_km=3.0)]
    unit_of = {f"H{i}": f"U{i}" for i in range(1, n_near + 1)} | {"Y1": None}
    return scene(units, youths), unit_of


def test_reason_names_the_youths_own_limit_first():
    """The reason names the youth's own distance limit and the one unit within it, then that it is full."""
    inst, unit_of = _own_limit_scene(1)
    e = explain(inst, unit_of, "Y1")
    with use_language("en"):
        assert e.reason == "within the youth's own limit of 3 km only U1; 1 fitting unit is full"
    with use_language("nl"):
        assert e.reason == "binnen de eigen afstandsgrens van 3 km alleen U1; 1 passende unit is vol"


def test_reason_grammar_for_several_full_units():
    """Several full units take the plural in both languages."""
    inst, unit_of = _own_limit_scene(3)
    e = explain(inst, unit_of, "Y1")
    with use_language("nl"):
        assert e.reason.endswith("alle 3 passende units zijn vol")
    with use_language("en"):
        assert e.reason.endswith("all 3 fitting units are full")


def test_reason_names_the_age_and_setting_that_narrowed_the_choice():
    """Of three units only one takes the youth's age and setting; that one is full."""
    units = [make_unit("U1", "L1"), make_unit("U2", "L1", age_min=16), make_unit("U3", "L1", setting="kleinschalig")]
    youths = [make_youth("H1"), make_youth("Y1", age=14)]
    e = explain(scene(units, youths), {"H1": "U1", "Y1": None}, "Y1")
    with use_language("en"):
        assert e.reason == (
            "only 1 of the 3 units for 3-milieuvoorziening fits setting residentieel and age 14; 1 fitting unit is full"
        )
    with use_language("nl"):
        assert e.reason.startswith("slechts 1 van de 3 units voor 3-milieuvoorziening past bij setting residentieel")


# --- the command ---------------------------------------------------------------------------------


def explain_text_of(instance_or_explanation, unit_of=None, youth_id=None) -> str:
    """The command's text for one youth (an explanation, or instance, assignment and id)."""
    from matcher.output.explanation import explanation_text

    e = instance_or_explanation
    return explanation_text(e if unit_of is None else explain(e, unit_of, youth_id))


def test_command_speaks_dutch_by_default_and_english_on_request(voorbeeld_solution, monkeypatch):
    """The same explanation in Dutch (default) and in English (--lang en), with the residents by id."""
    monkeypatch.delenv("MATCHER_LANG", raising=False)
    nl = explain_cli(str(voorbeeld_solution), "J11")
    en = explain_cli(str(voorbeeld_solution), "J11", "--lang", "en")
    assert nl.exit_code == 0 and en.exit_code == 0
    assert "leeftijdsspreiding" in nl.output and "<- gekozen" in nl.output and "53,1" in nl.output
    assert "age spread" in en.output and "<- chosen" in en.output and "53.1" in en.output
    assert "J02" in nl.output and "J02" in en.output


def test_command_finds_the_instance_by_instance_option(voorbeeld_solution, tmp_path):
    """A copied solution folder still works with --instance."""
    for name in ("assignments.csv", "summary.json"):
        (tmp_path / name).write_text((voorbeeld_solution / name).read_text(encoding="utf-8"), encoding="utf-8")
    summary = tmp_path / "summary.json"
    summary.write_text(summary.read_text(encoding="utf-8").replace(str(VOORBEELD), "nowhere"), encoding="utf-8")
    result = explain_cli(str(tmp_path), "J06", "--instance", str(VOORBEELD), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "contra-indication with J04" in result.output


def test_unknown_youth_exits_2_with_a_hint(voorbeeld_solution):
    """An unknown youth id: exit code 2, one line, the nearest id offered."""
    result = explain_cli(str(voorbeeld_solution), "J99", "--lang", "en")
    assert result.exit_code == 2
    assert "no youth J99" in result.output and "J09" in result.output and "Traceback" not in result.output


def test_folder_that_is_not_a_solution_exits_2(tmp_path):
    """A folder without assignments.csv and summary.json is not a solution: exit code 2."""
    result = explain_cli(str(tmp_path), "J01")
    assert result.exit_code == 2 and "assignments.csv" in result.output


def test_library_refuses_unknown_youths_and_foreign_assignments(voorbeeld):
    """The library raises typed errors the command turns into exit code 2."""
    instance, unit_of, _ = voorbeeld
    with pytest.raises(UnknownYouth):
        explain(instance, unit_of, "J99")
    with pytest.raises(SolutionMismatch):
        explain(instance, {**unit_of, "J01": "NOWHERE"}, "J01")
