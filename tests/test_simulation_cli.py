"""`matcher simulate` on the command line and on a real Dask LocalCluster: bad input is refused
with every problem at once, and the files are byte-identical for one and two workers."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from matcher.cli import main
from matcher.input.source import read_instance
from matcher.simulation.parameters import SimParams
from matcher.simulation.plan import Plan
from matcher.simulation.runner import cluster_client, workers_of
from matcher.simulation.scenarios import week_zero
from matcher.simulation.simfile import load_params, parse_grid
from matcher.simulation.simulate import simulate

BAD_SIM = """\
[rules]
escalate_after_weeks = -2
leave_afer_weeks = 4

[arrivals]
gesloten = "veel"

[stay.gesloten]
distribution = "weibull"

[factor.kleinschalig]
stay = { distribution = "triangular", low = 1.0, mode = 1.4, high = 0.6 }
"""


def test_bad_sim_toml_and_grid_every_problem_at_once(tmp_path):
    """Bad SIM.toml and --grid: every problem with file, line and key, exit 2, nothing written."""
    sim = tmp_path / "SIM.toml"
    sim.write_text(BAD_SIM, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["simulate", "instances/voorbeeld", "--out", str(out), "--params", str(sim),
                                       "--grid", "kleinschalig.stay=0.6:1.0", "--grid", "kleinschalg.inflow=0.6:1:3",
                                       "--lang", "en"])
    assert result.exit_code == 2, result.output
    text = result.output
    for expected in ("line 2, key rules.escalate_after_weeks", "line 3, key rules.leave_afer_weeks",
                     "did you mean 'leave_after_weeks'", "line 6, key arrivals.gesloten",
                     "line 9, key stay.gesloten.distribution", "key factor.kleinschalig.stay.high",
                     "key factor.kleinschalig.stay.mode", "--grid kleinschalig.stay=0.6:1.0:",
                     "'kleinschalg' is not a care type or a setting (did you mean 'kleinschalig'?)"):
        assert expected in text, expected
    assert "8 problems" in text
    assert not out.exists()
    assert "Traceback" not in text


def test_bad_scenario_and_messages_in_dutch(tmp_path):
    """A bad scenario file is refused too (exit 2, nothing written); by default the words are Dutch."""
    scenario = tmp_path / "x.toml"
    scenario.write_text('name = "x"\n[[step]]\nop = "sluit"\n', encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["simulate", "instances/voorbeeld", str(scenario), "--out", str(out),
                                       "--grid", "stay=1:2:2"])
    assert result.exit_code == 2
    assert "x.toml" in result.output and "--grid" in result.output
    assert "problemen, niets gesimuleerd of geschreven" in result.output
    assert not out.exists()


def test_shipped_parameters_read():
    """The shipped SIM.toml reads without problems and keeps the NJi stay of gesloten jeugdhulp."""
    params = load_params("instances/simulation/SIM.toml")
    assert params.stays["gesloten"].mean_weeks == pytest.approx(27.18)
    assert [f.name for f in params.factors] == ["kleinschalig"]


def test_grid_values():
    """--grid NAME=LO:HI:STEPS gives STEPS evenly spaced values from LO to HI."""
    (axis,) = parse_grid(["kleinschalig.stay=0.6:1.0:5"])
    assert axis.values == (0.6, 0.7, 0.8, 0.9, 1.0) and axis.factor == "kleinschalig"


@pytest.fixture(scope="module")
def small_plan():
    stock = read_instance("instances/nl-stock")
    runs = week_zero(stock, ["instances/scenarios/kleinschalig-2030.toml"])
    return Plan(runs, SimParams(), seed=3, replications=2, weeks=3, grid=parse_grid(["kleinschalig.stay=0.7:0.7:1"]))


FILES = ("weeks.csv", "episodes.parquet", "summary.csv", "report.md")


def test_local_cluster_one_and_two_workers_byte_identical(small_plan, tmp_path):
    """A real LocalCluster of 2 worker processes (reached as --scheduler does) gives the same files,
    byte for byte, as the command's own LocalCluster with 1 worker."""
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            cluster_client(scheduler=cluster.scheduler_address) as client:
        assert workers_of(client) == 2
        assert len(set(client.run(os.getpid).values())) == 2  # two separate processes
        simulate(small_plan, tmp_path / "two", client, instance_name="nl-stock")
    with cluster_client(workers=1) as client:
        simulate(small_plan, tmp_path / "one", client, instance_name="nl-stock")
    for name in FILES:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    assert (tmp_path / "one" / "baseline" / "instance" / "youths.csv").exists()
    assert (tmp_path / "one" / "break_even_kleinschalig-2030.png").exists()


def test_every_simulation_text_has_a_dutch_translation():
    """Every message id of matcher/simulation and the command is in the Dutch catalog."""
    from pathlib import Path

    from babel.messages.extract import extract_from_file

    from matcher.i18n import catalog_messages

    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog_messages("nl") if m.string}
    files = sorted(Path("matcher/simulation").glob("*.py")) + [Path("matcher/commands/simulate.py")]
    missing = []
    for f in files:
        for _line, message, _comments, _context in extract_from_file(
                "python", str(f), keywords={"_": None, "N_": None, "ngettext": (1, 2)}):
            first = message if isinstance(message, str) else message[0]
            if first not in translated:
                missing.append(f"{f}: {first}")
    assert missing == []


def test_an_inflow_trend_is_read_and_lowers_the_weekly_rate():
    """[trend] gesloten = 0.866: a year on, the weekly rate is 0.866 times week 0's; other care
    types keep theirs; a trend out of range or for an unknown care type is refused with its key."""
    from matcher.simulation.simfile import ParamsError, parse_params

    params = parse_params("[arrivals]\ngesloten = 17.13\n[trend]\ngesloten = 0.866\n")
    assert params.arrival_rate("gesloten", 0) == pytest.approx(17.13)
    assert params.arrival_rate("gesloten", 52) == pytest.approx(17.13 * 0.866)
    assert params.arrival_rate("gesloten", 26) == pytest.approx(17.13 * 0.866 ** 0.5)
    assert params.arrival_rate("driemilieu", 52) == pytest.approx(params.arrivals["driemilieu"])
    with pytest.raises(ParamsError) as refused:
        parse_params("[trend]\ngesloten = 3\ngeslotn = 0.9\n")
    where = [(p.line, p.column) for p in refused.value.problems]
    assert where == [(2, "trend.gesloten"), (3, "trend.geslotn")]


def test_a_falling_trend_thins_the_arrivals_of_a_run():
    """Over two years with a trend of 0.6 a year, the second year brings fewer arrivals than
    without it, by about that factor; the first year's week 1 is nearly the same."""
    from matcher.simulation.engine import arrivals_of
    from matcher.simulation.world import RunSpec, World

    instance = read_instance("instances/voorbeeld")

    def per_year(params: SimParams) -> list[int]:
        spec = RunSpec("baseline", 0, instance, (), params, seed=5, replication=0, weeks=104)
        world = World(spec, {})
        return [sum(len(arrivals_of(world, w)) for w in range(y * 52 + 1, y * 52 + 53)) for y in (0, 1)]

    flat = per_year(SimParams())
    falling = per_year(SimParams(trend={"gesloten": 0.6, "driemilieu": 0.6, "intensieve_ggz": 0.6, "eetstoornis": 0.6}))
    assert falling[0] < flat[0] and falling[1] < flat[1]
    assert 0.6 * 0.6 < falling[1] / flat[1] < 0.6 ** 0.9  # the second year's mean factor is 0.6 ** 1.5
