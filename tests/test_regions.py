"""The shipped region map and ``matcher regions``: every gemeente in one jeugdregio, every
jeugdregio in exactly one bovenregio, and the map in use printed as CSV."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest
from click.testing import CliRunner

from matcher.cli import main
from matcher.errors import InputError
from matcher.geography.regions import DATA, region_csv, shipped_region_map
from matcher.input.source import region_map_in_use

#: The messages asserted here are English (Dutch is the default; tests/test_i18n.py checks it).
MATCHER_LANG = "en"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def bovenregio_rows():
    return _rows("bovenregios.csv")


def test_shipped_map_covers_342_gemeenten_in_42_jeugdregios():
    """The CBS 2024 map: 342 gemeenten, 42 jeugdregio's, each gemeente once."""
    rows = _rows("gemeente_jeugdregio.csv")
    assert len(rows) == 342
    assert len({r["gemeentecode"] for r in rows}) == 342
    assert len({r["jeugdregio_code"] for r in rows}) == 42
    regions = shipped_region_map()
    assert len(regions.jeugdregio_of) == 342 and len(set(regions.jeugdregio_of.values())) == 42


def test_every_jeugdregio_in_exactly_one_bovenregio(bovenregio_rows):
    """bovenregios.csv names each of the 42 jeugdregio's once, and only those."""
    codes = Counter(r["jeugdregio_code"] for r in bovenregio_rows)
    assert len(bovenregio_rows) == 42 and max(codes.values()) == 1
    used = {r["jeugdregio_code"] for r in _rows("gemeente_jeugdregio.csv")}
    assert set(codes) == used
    assert all(r["bovenregio"].strip() for r in bovenregio_rows)


def test_every_gemeente_reaches_a_bovenregio():
    """Every gemeente's jeugdregio exists in bovenregios.csv, so every gemeente has a bovenregio."""
    regions = shipped_region_map()
    boven = {r["jeugdregio_code"] for r in _rows("bovenregios.csv")}
    assert all(j in boven for j in regions.jeugdregio_of.values())
    assert all(regions.bovenregio_of_gemeente(g) for g in regions.jeugdregio_of)


def test_eight_bovenregios_with_names_and_basis(bovenregio_rows):
    """Eight bovenregio's (as the eight expertisenetwerken), jeugdregio names as CBS spells them,
    and a stated basis for each grouping."""
    assert len({r["bovenregio"] for r in bovenregio_rows}) == 8
    names = {r["jeugdregio_code"]: r["jeugdregio_naam"] for r in _rows("gemeente_jeugdregio.csv")}
    assert all(names[r["jeugdregio_code"]] == r["jeugdregio_naam"] for r in bovenregio_rows)
    assert all(r["basis"].strip() for r in bovenregio_rows)


def test_each_bovenregio_is_one_connected_area(bovenregio_rows):
    """The grouping follows neighbourhood: a bovenregio's jeugdregio's border each other."""
    from matcher.geography.geo import jeugdregios

    shapes = jeugdregios().to_crs(28992)
    groups: dict[str, list[str]] = {}
    for r in bovenregio_rows:
        groups.setdefault(r["bovenregio"], []).append(r["jeugdregio_code"])
    for bovenregio, members in groups.items():
        reached, frontier = {members[0]}, [members[0]]
        while frontier:
            here = shapes.loc[frontier.pop()].geometry.buffer(500)
            for other in members:
                if other not in reached and here.intersects(shapes.loc[other].geometry):
                    reached.add(other)
                    frontier.append(other)
        assert reached == set(members), f"{bovenregio} is not connected"


# --- matcher regions -----------------------------------------------------------------------


def test_regions_command_prints_shipped_map_sorted():
    """Without an instance the shipped map comes out: header plus 342 rows sorted by gemeente."""
    result = CliRunner().invoke(main, ["regions"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0] == ["gemeente", "jeugdregio", "bovenregio"]
    body = rows[1:]
    assert len(body) == 342 and [r[0] for r in body] == sorted(r[0] for r in body)
    regions = shipped_region_map()
    assert all(regions.jeugdregio_of[g] == j and regions.bovenregio_of[j] == b for g, j, b in body)


def test_regions_command_uses_the_instance_regions_csv(tmp_path):
    """An instance's regions.csv replaces the shipped map, and is printed sorted by gemeente."""
    (tmp_path / "regions.csv").write_text(
        "gemeente,jeugdregio,bovenregio\nGM0363,JZ13,Metropool\nGM0014,JZ01,Noord\nGM0362,JZ13,Metropool\n",
        encoding="utf-8")
    result = CliRunner().invoke(main, ["regions", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.output == ("gemeente,jeugdregio,bovenregio\nGM0014,JZ01,Noord\n"
                             "GM0362,JZ13,Metropool\nGM0363,JZ13,Metropool\n")


def test_instance_without_regions_csv_uses_shipped_map(tmp_path):
    """An instance folder without regions.csv is matched on the shipped map."""
    assert region_map_in_use(tmp_path) == shipped_region_map()
    assert CliRunner().invoke(main, ["regions", str(tmp_path)]).output == region_csv(shipped_region_map())


def test_bad_regions_csv_gives_a_clean_message_and_exit_2(tmp_path):
    """A jeugdregio in two bovenregio's is named with file and line; no traceback, exit code 2."""
    (tmp_path / "regions.csv").write_text(
        "gemeente,jeugdregio,bovenregio\nGM0363,JZ13,Metropool\nGM0362,JZ13,Elders\nGM0014,JZ01,\n",
        encoding="utf-8")
    result = CliRunner().invoke(main, ["regions", str(tmp_path)])
    assert result.exit_code == 2
    assert "regions.csv, line 3, column bovenregio" in result.output
    assert "regions.csv, line 4, column bovenregio" in result.output
    assert "Traceback" not in result.output
    with pytest.raises(InputError):
        region_map_in_use(tmp_path)


def test_missing_instance_folder_exits_2(tmp_path):
    """Naming a folder that does not exist is an input error, not a crash."""
    result = CliRunner().invoke(main, ["regions", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_regions_names_prints_the_names_beside_the_codes():
    """``matcher regions --names``: gemeente and jeugdregio names right after their codes."""
    result = CliRunner().invoke(main, ["regions", "--names"])
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0] == ["gemeente", "gemeente_name", "jeugdregio", "jeugdregio_name", "bovenregio"]
    assert ["GM0518", "'s-Gravenhage", "JZ24", "Haaglanden"] == next(r for r in rows if r[0] == "GM0518")[:4]
    assert len(rows) == 343 and all(r[1] and r[3] for r in rows[1:])
    plain = list(csv.reader(io.StringIO(CliRunner().invoke(main, ["regions"]).output)))
    assert [(r[0], r[2], r[4]) for r in rows] == [tuple(r) for r in plain]
