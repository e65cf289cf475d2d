"""Every figure the generator is calibrated on, with its source or the assumption behind it.

Closed care (gesloten jeugdhulp / JeugdzorgPlus) is calibrated on published national figures.
For 3-milieuvoorzieningen, intensive youth mental health care and eating-disorder care no exact
national figure was available: the figures below are plausible assumptions, labelled as such,
and every one is a parameter (``CALIBRATION``, the constants) that a scenario may replace.
docs/netherlands.md explains each figure in a planner's words.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- closed care: published figures -------------------------------------------------------

#: Places in gesloten jeugdhulp (JeugdzorgPlus), national, on 30-06-2025. Source.
GESLOTEN_PLACES = 525
#: Of which occupied on that date (reported as 81 %; 421 / 525 = 80.2 %). Source.
GESLOTEN_OCCUPIED = 421
#: Placements in gesloten jeugdhulp in calendar year 2023. Source.
GESLOTEN_PLACEMENTS_PER_YEAR = 891
WEEKS_PER_YEAR = 52.0
#: Policy target: closed youth care phased out ("afgebouwd") by 2030. Source (policy).
GESLOTEN_PHASE_OUT_YEAR = 2030


@dataclass(frozen=True)
class CareTypeCalibration:
    """How one care type looks nationally: supply, occupancy, inflow and who asks for it.

    ``places`` and ``occupancy`` are by setting; ``weekly_inflow`` is new youths per week and
    ``backlog_weeks`` the waiting list in weeks of inflow. The shares are probabilities (they
    need not sum to exactly 1: they are normalised). ``basis`` says what is sourced.
    """

    care_type: str
    places: dict[str, int]
    occupancy: dict[str, float]
    weekly_inflow: float
    backlog_weeks: float
    demand_min_setting: dict[str, float]
    age_weights: dict[int, float]
    gender_shares: dict[str, float]
    urgency_shares: tuple[float, float, float]
    regular_waiting_weeks: float
    unit_age_ranges: tuple[tuple[int, int, float], ...]
    unit_gender_shares: dict[str, float]
    alternatives: tuple[tuple[tuple[str, ...], float], ...]
    providers: int
    units_per_location: tuple[int, int]
    cost_factor: float
    basis: str


GESLOTEN = CareTypeCalibration(
    care_type="gesloten",
    # 525 closed places (source); open small-scale and residential alternatives run by the same
    # providers for youths who no longer need a locked door: assumption.
    places={"gesloten": GESLOTEN_PLACES, "kleinschalig": 48, "residentieel": 24},
    occupancy={"gesloten": GESLOTEN_OCCUPIED / GESLOTEN_PLACES, "kleinschalig": 0.75, "residentieel": 0.75},
    weekly_inflow=GESLOTEN_PLACEMENTS_PER_YEAR / WEEKS_PER_YEAR,  # 17.1 a week (source)
    backlog_weeks=1.0,
    demand_min_setting={"gesloten": 0.80, "kleinschalig": 0.13, "residentieel": 0.07},
    age_weights={11: 1, 12: 3, 13: 7, 14: 13, 15: 20, 16: 25, 17: 24, 18: 7},
    gender_shares={"m": 0.58, "v": 0.40, "x": 0.02},
    urgency_shares=(0.30, 0.40, 0.30),
    regular_waiting_weeks=1.0,
    unit_age_ranges=((12, 17, 0.45), (12, 18, 0.35), (14, 18, 0.12), (10, 15, 0.08)),
    unit_gender_shares={"gemengd": 0.55, "jongens": 0.27, "meisjes": 0.18},
    alternatives=((("driemilieu",), 0.5),),
    providers=12,
    units_per_location=(2, 6),
    cost_factor=1.0,
    basis="places, occupancy and inflow sourced; everything else assumed",
)

DRIEMILIEU = CareTypeCalibration(
    care_type="driemilieu",
    places={"residentieel": 700, "kleinschalig": 350, "gezinsgericht": 150},
    occupancy={"residentieel": 0.88, "kleinschalig": 0.88, "gezinsgericht": 0.88},
    weekly_inflow=18.0,
    backlog_weeks=8.0,
    demand_min_setting={"residentieel": 0.55, "kleinschalig": 0.30, "gezinsgericht": 0.15},
    age_weights={6: 2, 7: 3, 8: 4, 9: 5, 10: 6, 11: 7, 12: 9, 13: 10, 14: 11, 15: 11, 16: 10, 17: 8, 18: 4},
    gender_shares={"m": 0.65, "v": 0.33, "x": 0.02},
    urgency_shares=(0.70, 0.25, 0.05),
    regular_waiting_weeks=6.0,
    unit_age_ranges=((6, 12, 0.20), (8, 14, 0.15), (12, 18, 0.45), (10, 17, 0.20)),
    unit_gender_shares={"gemengd": 0.75, "jongens": 0.15, "meisjes": 0.10},
    alternatives=((("intensieve_ggz",), 0.10),),
    providers=16,
    units_per_location=(2, 6),
    cost_factor=0.9,
    basis="assumption (no exact national figure available)",
)

INTENSIEVE_GGZ = CareTypeCalibration(
    care_type="intensieve_ggz",
    places={"residentieel": 420, "kleinschalig": 140, "thuis": 300},
    occupancy={"residentieel": 0.92, "kleinschalig": 0.90, "thuis": 0.85},
    weekly_inflow=40.0,
    backlog_weeks=10.0,
    demand_min_setting={"residentieel": 0.45, "kleinschalig": 0.20, "thuis": 0.35},
    age_weights={8: 1, 9: 1, 10: 2, 11: 2, 12: 4, 13: 7, 14: 10, 15: 12, 16: 13, 17: 12, 18: 9,
                 19: 7, 20: 6, 21: 5, 22: 4, 23: 3},
    gender_shares={"m": 0.40, "v": 0.56, "x": 0.04},
    urgency_shares=(0.60, 0.30, 0.10),
    regular_waiting_weeks=8.0,
    unit_age_ranges=((6, 12, 0.10), (12, 18, 0.50), (16, 23, 0.25), (12, 23, 0.15)),
    unit_gender_shares={"gemengd": 0.90, "jongens": 0.03, "meisjes": 0.07},
    alternatives=((("driemilieu",), 0.06),),
    providers=14,
    units_per_location=(1, 4),
    cost_factor=1.1,
    basis="assumption (no exact national figure available)",
)

EETSTOORNIS = CareTypeCalibration(
    care_type="eetstoornis",
    places={"residentieel": 90, "kleinschalig": 60, "thuis": 110},
    occupancy={"residentieel": 0.90, "kleinschalig": 0.90, "thuis": 0.90},
    weekly_inflow=10.0,
    backlog_weeks=8.0,
    demand_min_setting={"residentieel": 0.35, "kleinschalig": 0.25, "thuis": 0.40},
    age_weights={11: 2, 12: 5, 13: 9, 14: 13, 15: 15, 16: 15, 17: 13, 18: 9, 19: 7, 20: 5, 21: 3,
                 22: 2, 23: 2},
    gender_shares={"m": 0.08, "v": 0.89, "x": 0.03},
    urgency_shares=(0.55, 0.33, 0.12),
    regular_waiting_weeks=6.0,
    unit_age_ranges=((12, 18, 0.45), (16, 23, 0.30), (10, 23, 0.25)),
    unit_gender_shares={"gemengd": 0.60, "jongens": 0.0, "meisjes": 0.40},
    alternatives=((("intensieve_ggz",), 0.25), (("intensieve_ggz", "driemilieu"), 0.05)),
    providers=6,
    units_per_location=(1, 3),
    cost_factor=1.15,
    basis="assumption (no exact national figure available)",
)

#: The national calibration, by care type (order = CARE_TYPES).
CALIBRATION: dict[str, CareTypeCalibration] = {
    c.care_type: c for c in (GESLOTEN, DRIEMILIEU, INTENSIEVE_GGZ, EETSTOORNIS)
}

# --- units ----------------------------------------------------------------------------------

#: Unit sizes by setting: (smallest, largest, share). Large groups of 8-12 next to small-scale
#: units of 3-6 (the mix of today, while care moves to small scale); ``thuis`` = caseload slots
#: of a home-treatment team. Assumption.
UNIT_SIZES: dict[str, tuple[tuple[int, int, float], ...]] = {
    "gesloten": ((8, 12, 0.6), (4, 6, 0.4)),
    "residentieel": ((8, 12, 0.8), (6, 7, 0.2)),
    "kleinschalig": ((3, 6, 1.0),),
    "gezinsgericht": ((2, 4, 1.0),),
    "thuis": ((8, 20, 1.0),),
}
#: Share of residential units (not ``thuis``) that keep ages close together. Assumption.
MAX_AGE_SPREAD_SHARE = 0.25
MAX_AGE_SPREAD_CHOICES = (3, 4, 5)
#: Euro per etmaal per occupied place, by setting, before the care type's ``cost_factor`` and a
#: provider factor of 0.9-1.1. Assumption (order of magnitude of current day rates).
COST_PER_DAY: dict[str, float] = {
    "thuis": 180.0, "gezinsgericht": 250.0, "kleinschalig": 560.0, "residentieel": 480.0, "gesloten": 750.0,
}
PROVIDER_COST_SPREAD = 0.10

# --- youths ---------------------------------------------------------------------------------

#: Share of occupants whose min_setting equals their unit's setting; the others could do with
#: a more home-like setting (the room a re-optimisation can use). Assumption.
OCCUPANT_AT_MIN_SETTING = 0.70
#: Occupants come mostly from near the location: home weight ~ youth population * exp(-km/decay).
OCCUPANT_DISTANCE_DECAY_KM = 35.0
#: Occupants' homes lie at least this far inside the distance limit of their unit (jitter room).
OCCUPANT_DISTANCE_MARGIN_KM = 8.0
#: New sibling groups: share of new youths in a group, share of groups that are triples.
SIBLING_SHARE = 0.03
SIBLING_TRIPLE_SHARE = 0.2
#: Care type of a sibling group's first member (siblings mostly meet in 3-milieu care).
SIBLING_CARE_TYPE_WEIGHT = {"driemilieu": 4.0, "gesloten": 1.0, "intensieve_ggz": 1.0, "eetstoornis": 0.5}
#: Occupant sibling pairs (always at one location): share of occupants.
OCCUPANT_SIBLING_SHARE = 0.015
#: Chance that a youth has a contra-indicatie with a youth likely to meet (same care type and
#: bovenregio, age within 3 years).
CONFLICT_SHARE_NEW = 0.04
CONFLICT_SHARE_OCCUPANT = 0.005
CONFLICT_AGE_GAP = 3
#: Excluded locations (a nearby location that did not work out before): share, max count.
EXCLUDED_SHARE_NEW = 0.03
EXCLUDED_SHARE_OCCUPANT = 0.01
#: Personal distance limit (max_km): share of youths and the values used.
MAX_KM_SHARE = 0.04
MAX_KM_CHOICES = (50.0, 75.0, 100.0, 200.0)
#: Home points: a jittered point near the gemeente's representative point (PC4-like, never an
#: address), in degrees: standard deviation (lat, lon) and the largest offset.
HOME_JITTER_DEG = (0.008, 0.012)
LOCATION_JITTER_DEG = (0.006, 0.009)
JITTER_CLIP_DEG = 0.025
HOME_DECIMALS = 3
LOCATION_DECIMALS = 4

# --- presets ----------------------------------------------------------------------------------

#: nl-week: a care type's new requests are Poisson around its weekly inflow, kept within this
#: fraction of it.
WEEK_COUNT_CLIP = 0.4

#: stress: share of the capacity that occupants fill, and the most youths that are occupants.
STRESS_FILL = 0.6
STRESS_MAX_OCCUPANT_SHARE = 0.5
STRESS_DEFAULT_YOUTHS = 2000
STRESS_DEFAULT_UNITS = 800
