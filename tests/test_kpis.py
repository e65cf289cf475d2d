"""Key figures recounted by hand on a tiny instance with a fixed assignment: cost of the care
given, waiting of the unplaced, units and group sizes, cost per care type and setting, occupancy
per bovenregio."""

from __future__ import annotations

import pytest

from matcher.analysis.check import check
from matcher.analysis.kpis import DAYS_PER_YEAR, kpis
from strategies import make_instance, make_location, make_unit, make_youth


@pytest.fixture(scope="module")
def case():
    """Groningen (Noord-Nederland) and Amsterdam (Noord-Holland); 3 residents, 3 youths without a place."""
    locations = [make_location("L1", "GM0014"), make_location("L2", "GM0363")]
    units = [
        make_unit("U1", "L1", "driemilieu", "residentieel", 4, cost_per_day=400.0),
        make_unit("U2", "L1", "driemilieu", "kleinschalig", 2, cost_per_day=600.0),
        make_unit("U3", "L2", "driemilieu", "kleinschalig", 4),
        make_unit("U4", "L2", "gesloten", "gesloten", 6, age_min=12, age_max=18, cost_per_day=700.0),
    ]
    youths = [
        make_youth("Y1", "GM0014", current_unit_id="U1"),
        make_youth("Y2", "GM0014", min_setting="kleinschalig"),
        make_youth("Y3", "GM0363", min_setting="kleinschalig"),
        make_youth("Y4", "GM0363", "gesloten", "gesloten", waiting_weeks=3),  # no machtiging: no place
        make_youth("Y5", "GM0014", "eetstoornis", "residentieel", waiting_weeks=5),  # no such unit
        make_youth("Y6", "GM0935", "driemilieu", "residentieel", waiting_weeks=0),  # too far
    ]
    instance = make_instance(locations, units, youths)
    unit_of = {"Y1": "U1", "Y2": "U2", "Y3": "U3", "Y4": None, "Y5": None, "Y6": None}
    report = check(instance, unit_of)
    assert report.ok, report.violations
    return instance, report.outcomes


def test_cost_of_care_given_stands_beside_the_care_not_given(case):
    """3 residents at 400 + 600 + 0 a day; 3 youths without a place are 3 x 365 youth-days without care."""
    k = kpis(*case)
    assert k["residents"] == 3
    assert k["cost_per_day_total"] == 1000.0
    assert k["cost_per_year_total"] == 1000.0 * DAYS_PER_YEAR
    assert k["mean_price_per_day"] == pytest.approx(1000 / 3, abs=0.01)
    assert k["cost_per_resident_per_year"] == round(1000 * DAYS_PER_YEAR / 3)
    assert k["youth_days_without_care_per_year"] == 3 * DAYS_PER_YEAR


def test_waiting_of_the_unplaced(case):
    """Waiting weeks 3, 5 and 0 of the three unplaced: sum 8, mean 2.67."""
    assert kpis(*case)["waiting"] == {"unplaced_waiting_weeks_sum": 8, "unplaced_waiting_weeks_mean": 2.67}


def test_units_and_group_size_per_care_type_and_setting(case):
    """Two kleinschalig driemilieu units of 2 and 4 places have mean group size 3."""
    units = kpis(*case)["units_by_care_type_setting"]
    assert units["driemilieu"]["kleinschalig"] == {"units": 2, "places": 6, "mean_group_size": 3.0}
    assert units["driemilieu"]["residentieel"] == {"units": 1, "places": 4, "mean_group_size": 4.0}
    assert units["gesloten"] == {"gesloten": {"units": 1, "places": 6, "mean_group_size": 6.0}}
    assert "eetstoornis" not in units


def test_cost_per_care_type_and_setting(case):
    """Cost per year splits by the unit's care type and setting; units without a price count 0."""
    k = kpis(*case)
    assert k["cost_per_year_by_care_type"] == {"driemilieu": 1000.0 * DAYS_PER_YEAR}
    assert k["cost_per_year_by_setting"] == {"kleinschalig": 600.0 * DAYS_PER_YEAR, "residentieel": 400.0 * DAYS_PER_YEAR}
    assert k["places_by_care_type"] == {"gesloten": 6, "driemilieu": 10}


def test_occupancy_per_bovenregio(case):
    """Groningen's units hold 2 of 6 places, Amsterdam's 1 of 10, by the bovenregio of the location."""
    by = kpis(*case)["occupancy_by_bovenregio"]
    assert by == {
        "Noord-Holland": {"residents": 1, "places": 10, "occupancy": 0.1},
        "Noord-Nederland": {"residents": 2, "places": 6, "occupancy": 0.3333},
    }
