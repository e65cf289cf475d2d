"""Small valid instances: hand builders for tiny cases and hypothesis strategies for many.

Regions are the shipped map; places are real gemeenten with a point inside them, so distances
and jeugdregio/bovenregio scopes behave as in the Netherlands.
"""

from __future__ import annotations

from hypothesis import strategies as st

from matcher.domain import CARE_TYPES, SETTINGS
from matcher.instance import Instance, Location, Settings, Unit, Weights, Youth
from matcher.geography.regions import shipped_region_map

#: gemeente code -> a point inside it (lat, lon). Chosen to give pairs in one jeugdregio
#: (Amsterdam/Amstelveen, Groningen/Stadskanaal), in one bovenregio (Groningen/Leeuwarden,
#: Eindhoven/Tilburg) and across the country (Groningen/Maastricht is about 270 km).
GEMEENTE_POINTS: dict[str, tuple[float, float]] = {
    "GM0014": (53.2100, 6.5746),  # Groningen, JZ01
    "GM0037": (52.9986, 6.9997),  # Stadskanaal, JZ01
    "GM0080": (53.1707, 5.8035),  # Leeuwarden, JZ02
    "GM0363": (52.3743, 4.8636),  # Amsterdam, JZ13
    "GM0362": (52.2866, 4.8531),  # Amstelveen, JZ13
    "GM0479": (52.4689, 4.7736),  # Zaanstad, JZ09
    "GM0344": (52.0824, 5.0984),  # Utrecht, JZ22
    "GM0307": (52.1638, 5.4120),  # Amersfoort, JZ20
    "GM0599": (51.9224, 4.4882),  # Rotterdam, JZ29
    "GM0772": (51.4482, 5.4499),  # Eindhoven, JZ39
    "GM0855": (51.5860, 5.0663),  # Tilburg, JZ35
    "GM0935": (50.8580, 5.6971),  # Maastricht, JZ41
    "GM0202": (52.0053, 5.8762),  # Arnhem, JZ28
}
GEMEENTEN = tuple(GEMEENTE_POINTS)
#: Age bands of units, as (age_min, age_max).
AGE_BANDS = ((12, 18), (0, 23), (12, 17), (8, 14), (15, 23))


# --- hand builders: every field has a plain default, tests name only what matters ----------


def make_location(location_id: str = "L1", gemeente: str = "GM0363", lat: float | None = None,
                  lon: float | None = None, provider: str = "Zorgaanbieder A") -> Location:
    """A location in ``gemeente``, at the gemeente's point unless lat/lon are given."""
    glat, glon = GEMEENTE_POINTS.get(gemeente, (52.0, 5.0))
    return Location(location_id=location_id, provider=provider, gemeente=gemeente,
                    lat=glat if lat is None else lat, lon=glon if lon is None else lon)


def make_unit(unit_id: str = "U1", location_id: str = "L1", care_type: str = "driemilieu",
              setting: str = "residentieel", capacity: int = 1, **fields) -> Unit:
    """A unit; other Unit fields (age_min, gender, max_age_spread, ...) by keyword."""
    return Unit(unit_id=unit_id, location_id=location_id, care_type=care_type, setting=setting,
                capacity=capacity, **fields)


def make_youth(youth_id: str = "Y1", home_gemeente: str = "GM0363", care_type: str = "driemilieu",
               min_setting: str = "residentieel", age: int = 14, gender: str = "m",
               home_lat: float | None = None, home_lon: float | None = None, **fields) -> Youth:
    """A youth at the home gemeente's point unless home_lat/home_lon are given."""
    glat, glon = GEMEENTE_POINTS.get(home_gemeente, (52.0, 5.0))
    return Youth(youth_id=youth_id, home_gemeente=home_gemeente,
                 home_lat=glat if home_lat is None else home_lat,
                 home_lon=glon if home_lon is None else home_lon,
                 care_type=care_type, min_setting=min_setting, age=age, gender=gender, **fields)


def make_instance(locations=(), units=(), youths=(), conflicts=(), **settings) -> Instance:
    """An instance on the shipped region map; keyword arguments go to Settings."""
    return Instance(settings=Settings(**settings), locations=tuple(locations), units=tuple(units),
                    youths=tuple(youths), conflicts=tuple(conflicts), regions=shipped_region_map())


# --- hypothesis strategies -------------------------------------------------------------------


@st.composite
def _locations(draw, area: tuple[str, ...]) -> tuple[Location, ...]:
    n = draw(st.integers(1, 4))
    out = []
    for i in range(n):
        gemeente = draw(st.sampled_from(area))
        lat, lon = GEMEENTE_POINTS[gemeente]
        out.append(Location(
            location_id=f"L{i + 1}", provider=draw(st.sampled_from(("Zorgaanbieder A", "Zorgaanbieder B"))),
            gemeente=gemeente,
            lat=round(lat + draw(st.floats(-0.03, 0.03)), 4), lon=round(lon + draw(st.floats(-0.03, 0.03)), 4),
        ))
    return tuple(out)


@st.composite
def _units(draw, locations: tuple[Location, ...], care_types: tuple[str, ...]) -> tuple[Unit, ...]:
    n = draw(st.integers(1, 6))
    out = []
    for i in range(n):
        age_min, age_max = draw(st.sampled_from(AGE_BANDS))
        out.append(Unit(
            unit_id=f"U{i + 1}",
            location_id=draw(st.sampled_from(locations)).location_id,
            care_type=draw(st.sampled_from(care_types)),
            setting=draw(st.sampled_from(SETTINGS[1:]) | st.sampled_from(SETTINGS[2:4])),
            capacity=draw(st.integers(1, 3)),
            age_min=age_min,
            age_max=age_max,
            gender="gemengd" if draw(st.integers(0, 3)) else draw(st.sampled_from(("jongens", "meisjes"))),
            max_age_spread=draw(st.none() | st.none() | st.integers(0, 4)),
            cost_per_day=draw(st.none() | st.sampled_from((450.0, 800.0))),
        ))
    return tuple(out)


@st.composite
def _youth(draw, i: int, units: tuple[Unit, ...], locations: tuple[Location, ...],
           care_types: tuple[str, ...], area: tuple[str, ...]) -> Youth:
    gemeente = draw(st.sampled_from(area)) if draw(st.integers(0, 4)) else draw(st.sampled_from(GEMEENTEN))
    lat, lon = GEMEENTE_POINTS[gemeente]
    current = draw(st.sampled_from(units)) if draw(st.integers(0, 2)) == 0 else None
    if current is not None and draw(st.booleans()):
        # A usual occupant: in the care type and age range of the unit it is in.
        care_type, age = current.care_type, draw(st.integers(current.age_min, current.age_max))
    else:
        offered = tuple(dict.fromkeys(u.care_type for u in units))
        care_type = draw(st.sampled_from(offered) | st.sampled_from(care_types))
        age = draw(st.integers(12, 17)) if draw(st.integers(0, 3)) else draw(st.integers(8, 23))
    others = [c for c in care_types if c != care_type]
    alt = draw(st.lists(st.sampled_from(others), unique=True, max_size=2)) if others and draw(st.booleans()) else []
    excluded = draw(st.lists(st.sampled_from([l.location_id for l in locations]), unique=True, max_size=1))
    return Youth(
        youth_id=f"Y{i + 1}",
        home_gemeente=gemeente,
        home_lat=round(lat + draw(st.floats(-0.03, 0.03)), 4),
        home_lon=round(lon + draw(st.floats(-0.03, 0.03)), 4),
        care_type=care_type,
        alt_care_types=tuple(alt),
        min_setting=draw(st.sampled_from(SETTINGS[:3]) | st.sampled_from(SETTINGS[:4])),
        machtiging=draw(st.booleans()),
        age=age,
        gender=draw(st.sampled_from(("m", "v", "m", "v", "x", "m", "v"))),
        urgency=draw(st.integers(1, 3)),
        waiting_weeks=draw(st.integers(0, 8)),
        max_km=draw(st.none() | st.none() | st.none() | st.floats(20.0, 250.0)),
        sibling_group=draw(st.none() | st.none() | st.sampled_from(("S1", "S2"))),
        excluded_locations=tuple(excluded) if draw(st.integers(0, 3)) == 0 else (),
        current_unit_id=None if current is None else current.unit_id,
    )


def _siblings_consistent(youths: list[Youth], units: tuple[Unit, ...]) -> list[Youth]:
    """Occupants of one sibling group at two locations are contradictory input: drop the
    later ones from the group (this keeps every generated instance valid and feasible)."""
    location_of = {u.unit_id: u.location_id for u in units}
    first_location: dict[str, str] = {}
    out = []
    for y in youths:
        if y.sibling_group is not None and y.current_unit_id is not None:
            loc = location_of[y.current_unit_id]
            if first_location.setdefault(y.sibling_group, loc) != loc:
                y = y.model_copy(update={"sibling_group": None})
        out.append(y)
    return out


@st.composite
def instances(draw, max_youths: int = 7) -> Instance:
    """A small valid instance in which keeping every occupant and placing nobody is allowed.

    1-4 locations, 1-6 units of at most three care types (so that youths and units meet),
    0-``max_youths`` youths with some occupants, sibling groups, conflicts, alternatives,
    exclusions, own distance limits and machtigingen; sometimes small care-type distance
    limits so that distance matters; moves allowed or not; weights default or varied.
    """
    care_types = tuple(draw(st.lists(st.sampled_from(CARE_TYPES), min_size=1, max_size=3, unique=True)))
    area = tuple(draw(st.lists(st.sampled_from(GEMEENTEN), min_size=1, max_size=2, unique=True)))
    locations = draw(_locations(area))
    units = draw(_units(locations, care_types))
    n = draw(st.integers(0, max_youths))
    youths = [draw(_youth(i, units, locations, care_types, area)) for i in range(n)]
    youths = _siblings_consistent(youths, units)
    ids = [y.youth_id for y in youths]
    conflicts = []
    if len(ids) >= 2:
        pairs = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=3))
        conflicts = [(a, b) for a, b in pairs if a != b]
    max_km = {}
    if draw(st.integers(0, 2)) == 0:
        max_km = {c: draw(st.sampled_from((30.0, 60.0, 120.0))) for c in care_types}
    weights = Weights()
    if draw(st.booleans()):
        weights = Weights(
            unplaced=(draw(st.sampled_from((100.0, 1000.0))), 2000.0, 4000.0),
            waiting_week=draw(st.sampled_from((0.0, 10.0, 50.0))),
            km=draw(st.sampled_from((0.5, 1.0, 3.0))),
            setting_step=draw(st.sampled_from((0.0, 50.0, 200.0))),
            alt_care_type=draw(st.sampled_from((0.0, 40.0, 300.0))),
            move=draw(st.sampled_from((0.0, 100.0, 500.0))),
        )
    settings = Settings(
        name="generated",
        allow_moves=draw(st.booleans()),
        road_factor=draw(st.sampled_from((1.0, 1.0, 1.3))),
        max_km=max_km,
        weights=weights,
    )
    return Instance(settings=settings, locations=locations, units=units, youths=tuple(youths),
                    conflicts=tuple(conflicts), regions=shipped_region_map())
