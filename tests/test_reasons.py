"""The reasons the solver gives for unplaced youths: what narrowed the choice first, then what
closed the rest, in the run's language — and the very sentence ``matcher explain`` gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from matcher.analysis.explain import explain
from matcher.i18n import use_language
from matcher.solver.solve import solve
from strategies import instances, make_instance, make_location, make_unit, make_youth

L_AMS = make_location("L1", "GM0363", lat=52.40, lon=4.90)
L_ZAAN = make_location("L3", "GM0479")
L_MAAS = make_location("L4", "GM0935")


def reasons_of(units, youths, lang: str, **settings) -> dict[str, str]:
    """Solve a tiny week on the three locations above in ``lang`` and return the reasons."""
    with use_language(lang):
        return solve(make_instance((L_AMS, L_ZAAN, L_MAAS), units, youths, **settings), time_limit=10.0).reasons


def test_own_distance_limit_is_named_before_full():
    """Within the youth's own 3 km only U1, which a crisis youth holds: the limit first, then full."""
    units = [make_unit("U1", "L1"), make_unit("U2", "L3")]
    youths = [make_youth("H1", urgency=3, current_unit_id="U1"), make_youth("Y1", home_lat=52.40, home_lon=4.91, max_km=3.0)]
    assert reasons_of(units, youths, "nl") == {"Y1": "binnen de eigen afstandsgrens van 3 km alleen U1; 1 passende unit is vol"}
    assert reasons_of(units, youths, "en") == {"Y1": "within the youth's own limit of 3 km only U1; 1 fitting unit is full"}


def test_age_and_setting_that_left_few_units_are_named():
    """Of three 3-milieu units only one fits setting and age; it is full: both narrowings named, plural right."""
    units = [make_unit("U1", "L1"), make_unit("U2", "L1", age_min=16), make_unit("U3", "L1", setting="kleinschalig"),
             make_unit("U4", "L1")]
    youths = [make_youth("H1", current_unit_id="U1"), make_youth("H2", current_unit_id="U4"), make_youth("Y1", age=14)]
    assert reasons_of(units, youths, "nl") == {
        "Y1": "slechts 2 van de 4 units voor 3-milieuvoorziening passen bij setting residentieel en leeftijd 14; "
              "alle 2 passende units zijn vol"}


@pytest.mark.parametrize(
    ("units", "youth", "en", "nl"),
    [
        ([make_unit("U1", "L1")], make_youth("Y1", care_type="eetstoornis"),
         "no compatible unit: there is no unit for eetstoornis-expertisezorg at all",
         "geen passende unit: er is helemaal geen unit voor eetstoornis-expertisezorg"),
        ([make_unit("U1", "L1", "gesloten", "gesloten")], make_youth("Y1", care_type="gesloten", min_setting="gesloten"),
         "no compatible unit: only a gesloten setting meets the need, and there is no machtiging",
         "geen passende unit: alleen een gesloten setting past bij de zorgvraag, en er is geen machtiging"),
        ([make_unit("U1", "L4")], make_youth("Y1"),
         "no compatible unit: no unit for 3-milieuvoorziening within 150 km takes age 14 with a suitable setting"
         " (nearest at 178 km)",
         "geen passende unit: geen enkele unit voor 3-milieuvoorziening binnen 150 km met een passende setting"
         " neemt jongeren van 14 jaar op (de dichtstbijzijnde op 178 km)"),
    ],
    ids=["care type", "machtiging", "distance"],
)
def test_no_unit_at_all_names_the_rule_in_both_languages(units, youth, en, nl):
    """With no unit left by the rules, the reason names the rule that removed the last one."""
    assert reasons_of(units, [youth], "en") == {"Y1": en}
    assert reasons_of(units, [youth], "nl") == {"Y1": nl}


@settings(max_examples=40)
@given(instances())
def test_solver_and_explain_give_the_same_reason(instance):
    """For every unplaced youth of a generated instance, the solver's reason is explain's reason."""
    with use_language("en"):
        result = solve(instance, time_limit=5.0)
        for youth_id, reason in result.reasons.items():
            assert explain(instance, result.unit_of, youth_id).reason == reason
