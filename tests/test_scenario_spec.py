"""Reading scenario files: the shipped examples work on nl-week, and every kind of mistake is
reported with file, line and ``step[n].key``, all of them at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from matcher.generator import generate
from matcher.scenario import apply_scenario, load_scenario, parse_scenario
from matcher.scenario.operations import youths_per_gemeente
from matcher.scenario.run import prepare
from matcher.scenario.spec import ScenarioError
from test_scenario_ops import tiny_instance

#: The messages asserted here are English (Dutch is the default; tests/test_i18n.py checks it).
MATCHER_LANG = "en"

EXAMPLES = Path(__file__).resolve().parents[1] / "instances" / "scenarios"


def problems_of(text: str, instance=None) -> list[str]:
    """Every problem (as printed) of a scenario text, parsed and applied to the tiny instance."""
    try:
        apply_scenario(instance or tiny_instance(), parse_scenario(text, "s.toml"))
    except ScenarioError as err:
        return [str(p) for p in err.problems]
    return []


# --- the shipped examples ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def nl_week():
    """The national week instance (generated: the same as instances/nl-week)."""
    return generate("nl-week", 2025)


def test_shipped_examples_are_there_with_a_readme():
    """Three example scenarios and a README that names each of them."""
    names = sorted(p.stem for p in EXAMPLES.glob("*.toml"))
    assert names == ["afbouw-gesloten", "kleinschalig-2030", "regio-fusie"]
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    assert all(name in readme for name in names)


def test_kleinschalig_2030_leaves_no_large_group(nl_week):
    """No residentieel or gesloten unit above 3 places remains from the large ones; places unchanged; dearer."""
    applied = apply_scenario(nl_week, load_scenario(EXAMPLES / "kleinschalig-2030.toml"))
    new = applied.instance
    assert all(u.capacity <= 6 for u in new.units if u.setting in ("residentieel", "gesloten"))
    assert sum(u.capacity for u in new.units) == sum(u.capacity for u in nl_week.units)
    split = [u for u in new.units if "-" in u.unit_id]
    assert split and all(u.capacity <= 3 for u in split)
    assert {u.setting for u in split} == {"kleinschalig", "gesloten"}
    old = nl_week.unit_by_id
    assert all(u.cost_per_day > old[u.unit_id.rsplit("-", 1)[0]].cost_per_day for u in split)
    assert sum(y.is_occupant for y in new.youths) == sum(y.is_occupant for y in nl_week.youths)


def test_afbouw_gesloten_closes_a_quarter_and_adds_home_teams(nl_week):
    """A quarter of the closed units close, 8 home-based teams of 15 slots appear, part of the need goes thuis."""
    applied = apply_scenario(nl_week, load_scenario(EXAMPLES / "afbouw-gesloten.toml"))
    new = applied.instance
    closed_before = [u for u in nl_week.units if u.care_type == "gesloten" and u.setting == "gesloten"]
    closed_after = [u for u in new.units if u.care_type == "gesloten" and u.setting == "gesloten"]
    assert len(closed_before) - len(closed_after) == round(0.25 * len(closed_before))
    teams = [u for u in new.units if u.unit_id.startswith("THUIS-")]
    assert len(teams) == 8 and {(u.setting, u.capacity) for u in teams} == {("thuis", 15)}
    assert any(y.care_type == "gesloten" and y.min_setting == "thuis" for y in new.youths)


def test_regio_fusie_leaves_no_small_region_that_could_merge(nl_week):
    """After regio-fusie every jeugdregio has at least 50,000 youths or no partner left in its bovenregio."""
    applied = apply_scenario(nl_week, load_scenario(EXAMPLES / "regio-fusie.toml"))
    regions = applied.instance.regions
    size: dict[str, float] = {}
    for g, j in regions.jeugdregio_of.items():
        size[j] = size.get(j, 0.0) + youths_per_gemeente().get(g, 0.0)
    for j, n in size.items():
        if n < 50000:
            assert [o for o in size if o != j and regions.bovenregio_of[o] == regions.bovenregio_of[j]] == []
    assert regions.jeugdregio_of["GM0405"] == "JZ05"  # Den Helder (Kop van Noord-Holland) with West-Friesland
    assert len(size) < 42


# --- mistakes ---------------------------------------------------------------------------------


def test_toml_syntax_error_names_the_line():
    """A broken TOML file gives one problem with its line."""
    problems = problems_of('name = "x"\n[[step]]\nop = "close\n')
    assert len(problems) == 1 and problems[0].startswith("s.toml, line 3: is not valid TOML")


def test_unknown_op_and_unknown_key_with_a_suggestion():
    """A misspelt op and key are named with the step, the line and what was probably meant."""
    problems = problems_of('[[step]]\nop = "clsoe"\n\n[[step]]\nop = "split"\ninto = 2\nwhere = {}\ncapasity = 3\n')
    assert problems == [
        "s.toml, line 2, key step[1].op: unknown op 'clsoe' (did you mean 'close'?) "
        "(one of: close, split, convert, add, set_cost, demand, regions, settings)",
        "s.toml, line 8, key step[2].capasity: unknown key 'capasity' (did you mean 'capacity'?)",
    ]


def test_bad_values_are_named_by_their_key():
    """A setting that does not exist, a negative cost and a share above 1, each with its key and line."""
    text = """
[[step]]
op = "convert"
setting = "kleinschalg"
[step.where]
care_type = ["gesloten", "ggz"]

[[step]]
op = "set_cost"
cost_per_day = -5
where = {}

[[step]]
op = "demand"
to_thuis_share = 1.5
"""
    problems = problems_of(text)
    assert any(p.startswith("s.toml, line 4, key step[1].setting: 'kleinschalg' is not allowed") for p in problems)
    assert any(p.startswith("s.toml, line 6, key step[1].where.care_type: 'ggz' is not a care type") for p in problems)
    assert any(p.startswith("s.toml, line 10, key step[2].cost_per_day:") for p in problems)
    assert any(p.startswith("s.toml, line 15, key step[3].to_thuis_share:") for p in problems)
    assert len(problems) == 4


def test_conflicting_keys_are_refused():
    """Both into and max_capacity, or both cost keys, make no sense together."""
    problems = problems_of('[[step]]\nop = "split"\ninto = 2\nmax_capacity = 3\nwhere = {}\n')
    assert problems == ["s.toml, line 1, key step[1]: give either 'into' (with or without 'capacity') or 'max_capacity'"]


def test_filters_that_name_unknown_things_or_match_nothing():
    """An unknown unit, provider and jeugdregio, and a filter matching no unit, are all reported."""
    text = """
[[step]]
op = "close"
where = { units = ["U1", "U99"] }

[[step]]
op = "convert"
setting = "thuis"
[step.where]
provider = "Alfa"
jeugdregio = "JZ99"

[[step]]
op = "close"
[step.where]
care_type = "eetstoornis"
"""
    problems = problems_of(text)
    assert problems[0].startswith("s.toml, line 4, key step[1].where.units: unit 'U99' does not exist in this instance")
    assert problems[1] == "s.toml, line 10, key step[2].where.provider: provider 'Alfa' does not exist in this instance (did you mean 'Alpha'?)"
    assert problems[2].startswith("s.toml, line 11, key step[2].where.jeugdregio: jeugdregio 'JZ99' does not exist")
    assert problems[3].startswith("s.toml, line 15, key step[3].where: matches no unit of this instance")
    assert len(problems) == 4


def test_a_scenario_needs_steps_and_a_usable_name():
    """No [[step]] at all, and the reserved name 'baseline', are both mistakes."""
    problems = problems_of('name = "baseline"\n')
    assert any("key name: 'baseline' is the name of the unchanged instance" in p for p in problems)
    assert any("has no [[step]]" in p for p in problems)


def test_region_mistakes():
    """Merging an unknown region and moving one to an unknown bovenregio are both reported."""
    text = """
[[step]]
op = "regions"
merge = ["JZ01", "JZ77"]

[[step]]
op = "regions"
move = { JZ08 = "Atlantis" }
"""
    problems = problems_of(text)
    assert problems[0].startswith("s.toml, line 4, key step[1].merge: jeugdregio JZ77 does not exist")
    assert problems[1].startswith("s.toml, line 8, key step[2].move.JZ08: bovenregio 'Atlantis' does not exist")
    assert len(problems) == 2


def test_demand_mistakes():
    """A re-indication away from home, a factor with from_settings, and a filter with no youth."""
    problems = problems_of('[[step]]\nop = "demand"\nto_setting = "residentieel"\nfrom_settings = ["thuis"]\n')
    assert problems == ["s.toml, line 1, key step[1]: from_settings thuis is not less home-like than residentieel; "
                        "a re-indication only moves need closer to home"]
    problems = problems_of('[[step]]\nop = "demand"\nfactor = 2\nfrom_settings = ["gesloten"]\n')
    assert problems[0].startswith("s.toml, line 1, key step[1]: 'from_settings' and 'occupants' go with")
    problems = problems_of('[[step]]\nop = "demand"\nfactor = 2\nwhere = { care_type = "eetstoornis" }\n')
    assert problems == ["s.toml, line 4, key step[1].where: matches no new youth (care types eetstoornis-expertisezorg)"]


def test_missing_file_and_duplicate_names(tmp_path):
    """A file that does not exist, and two files with the same scenario name, are both reported."""
    a = tmp_path / "a.toml"
    b = tmp_path / "b.toml"
    for f in (a, b):
        f.write_text('name = "same"\n[[step]]\nop = "close"\nwhere = { unit = "U4" }\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        prepare(tiny_instance(), [a, b, tmp_path / "missing.toml"])
    text = [str(p) for p in err.value.problems]
    assert text[0] == f"{tmp_path / 'missing.toml'}: does not exist"
    assert text[1] == f"{b}, line 1, key name: the name 'same' is also used by {a}; each scenario needs its own name (it names its output folder)"
