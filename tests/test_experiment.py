"""Designed experiments: the design, the replications from a precision, the fitted surface and its
band, the chance that a scenario pays off — against a synthetic response with a known zero line,
against a brute-force answer on a small instance, and byte for byte with one and two workers."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest
from click.testing import CliRunner
from test_experiment_bruteforce import DATA, FACTOR, small_experiment

from matcher.cli import main
from matcher.simulation.design import design, parse_explore, unit_design
from matcher.simulation.experiment import Precision, replications_needed, run_experiment
from matcher.simulation.metamodel import Observed, band, fit_surface
from matcher.simulation.parameters import Factor, Range
from matcher.simulation.payoff import chance_pays_off

MATCHER_LANG = "en"


def test_design_fills_the_ranges_and_repeats_for_a_seed():
    """A Sobol design of 32 points over two ranges: every point inside, each eighth of a range
    holds 4 points (a (t, m, s)-net), and the same seed gives the same design."""
    explored, problems = parse_explore(["kleinschalig.stay=0.6:1.0", "kleinschalig.inflow=0.7:1.0"], 32)
    assert problems == []
    d = design(explored, 32, seed=5)
    assert d.shape == (32, 2)
    assert (d[:, 0] >= 0.6).all() and (d[:, 0] <= 1.0).all() and (d[:, 1] >= 0.7).all() and (d[:, 1] <= 1.0).all()
    eighths = np.floor((d[:, 0] - 0.6) / 0.4 * 8).astype(int)
    assert np.bincount(eighths, minlength=8).tolist() == [4] * 8
    assert np.array_equal(d, design(explored, 32, seed=5))
    assert not np.array_equal(d, design(explored, 32, seed=6))
    lhs = unit_design(2, 12, seed=5, kind="lhs")
    assert sorted(np.floor(lhs[:, 1] * 12).astype(int)) == list(range(12))  # one point per stratum


def test_replications_from_the_precision():
    """n = ceil((t s / h)^2), at least the pilot, at most the cap."""
    pilot = np.array([10.0, 14.0, 6.0])  # s = 4, t(0.975, 2) = 4.303
    precision = Precision(pilot=3, cap=50, half_width=0.0)
    assert replications_needed(pilot, 8.0, precision) == math.ceil((4.302653 * 4 / 8) ** 2)  # 5
    assert replications_needed(pilot, 100.0, precision) == 3
    assert replications_needed(pilot, 1.0, precision) == 50


def test_bad_explore_and_points_refused(tmp_path):
    """Ranges and --points that make no sense: every problem at once, exit 2, nothing simulated or written."""
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [
        "simulate", "instances/voorbeeld", str(DATA / "kleinschalig-voorbeeld.toml"), "--out", str(out),
        "--explore", "kleinschalig.cost=1.0:0.6", "--explore", "kleinschalig.inflow=0.7",
        "--explore", "kleinschalig.stay=0.5:0.9", "--explore", "kleinschalig.stay=0.6:1.0",
        "--points", "24", "--pilot", "1", "--lang", "en"])
    assert result.exit_code == 2, result.output
    for expected in ("--explore kleinschalig.cost=1.0:0.6: needs 0 < LO < HI",
                     "--explore kleinschalig.inflow=0.7: write NAME=LO:HI",
                     "'kleinschalig.stay' is explored twice",
                     "--points 24: a Sobol design has a power of 2 points (e.g. 16 or 32)",
                     "--pilot 1: must be at least 2"):
        assert expected in result.output, expected
    assert "Traceback" not in result.output and not out.exists()
    few = CliRunner().invoke(main, ["simulate", "instances/voorbeeld", str(DATA / "kleinschalig-voorbeeld.toml"),
                                    "--out", str(out), "--explore", "kleinschalig.stay=0.6:1", "--explore",
                                    "kleinschalig.inflow=0.7:1", "--points", "8", "--design", "lhs"])
    assert few.exit_code == 2 and "--points 8" in few.output and not out.exists()


def synthetic(x: np.ndarray) -> np.ndarray:
    """A known response: zero on the curve stay^2 + 0.8 inflow = 0.7 (unit cube)."""
    return 3.0 * (x[:, 0] ** 2 + 0.8 * x[:, 1] - 0.7)


def synthetic_observed(seed: int, replications: int = 5, sd: float = 0.3) -> Observed:
    """The synthetic response at a 32-point Sobol design, with replication noise (a test double of
    the simulation's paired differences)."""
    x = unit_design(2, 32, seed)
    rng = np.random.default_rng(seed)
    reps = synthetic(x)[:, None] + rng.normal(0.0, sd, (len(x), replications))
    return Observed(x, reps.mean(axis=1), reps.var(axis=1, ddof=1) / replications, np.full(len(x), replications))


def test_synthetic_zero_line_recovered_within_the_band():
    """Over six noisy copies of the response, the band holds the true zero line (a pointwise 95 %
    band: on average at least 85 % of the line), and the fitted zero line lies near it."""
    xs = np.linspace(0.0, 1.0, 201)
    ys = (0.7 - xs ** 2) / 0.8
    line = np.column_stack([xs, ys])[(ys >= 0) & (ys <= 1)]
    covered = []
    for seed in range(6):
        surface = fit_surface("cost", synthetic_observed(seed))
        covered.append(float(np.mean(band(surface, line))))
        mean, _sd = surface.predict(line)
        assert np.max(np.abs(mean)) < 0.5  # the truth rises 2.4 per unit of inflow: the fitted zero is within 0.2
        assert surface.chosen.suspect == 0
    assert np.mean(covered) >= 0.85, covered


def test_chance_under_a_belief_matches_the_truth():
    """Cost falls below zero for stay < 0.5 (uniform belief: half of it), waiting is shorter
    everywhere: the chance that it pays off is 50 %, inside its interval."""
    explored, _ = parse_explore(["kleinschalig.stay=0.6:1.0", "kleinschalig.inflow=0.7:1.0"], 32)
    x = unit_design(2, 32, 4)
    rng = np.random.default_rng(4)
    cost = 2.0 * (x[:, 0] - 0.5)[:, None] + rng.normal(0, 0.1, (32, 5))
    wait = -1.0 + 0 * x[:, :1] + rng.normal(0, 0.1, (32, 5))
    fit = {name: fit_surface(name, Observed(x, r.mean(axis=1), r.var(axis=1, ddof=1) / 5, np.full(32, 5)))
           for name, r in (("cost", cost), ("wait", wait))}
    uniform = (Factor("kleinschalig", None, "kleinschalig", {"stay": Range("uniform", 0.6, 1.0)}),)
    chance = chance_pays_off(fit["cost"], fit["wait"], explored, uniform, seed=1)
    assert chance.low <= 0.5 <= chance.high and chance.high - chance.low < 0.2
    assert chance.belief_from_sim == (True, False)
    assert chance == chance_pays_off(fit["cost"], fit["wait"], explored, uniform, seed=1)


@pytest.fixture(scope="module")
def brute_force() -> list[dict]:
    with (DATA / "experiment_bruteforce.csv").open(encoding="utf-8") as fh:
        return [{k: float(v) for k, v in row.items()} for row in csv.DictReader(fh)]


def zero_of(xs: np.ndarray, ys: np.ndarray) -> float:
    """The first value where ``ys`` crosses zero, interpolated linearly."""
    i = int(np.flatnonzero(np.sign(ys[:-1]) != np.sign(ys[1:]))[0])
    return float(xs[i] - ys[i] * (xs[i + 1] - xs[i]) / (ys[i + 1] - ys[i]))


def test_small_instance_zero_within_its_band_of_brute_force(brute_force):
    """On instances/voorbeeld, 16 design points with replications from the precision: the fitted
    band of the break-even stay factor overlaps the brute-force band (17 values x 40
    replications; where the 95 % interval of the brute-force mean contains 0), and the fitted
    break-even lies within 0.1 of the brute-force one."""
    from matcher.simulation.answer import analyse

    explored, _ = parse_explore([FACTOR], 16)
    points = tuple(tuple(row) for row in design(explored, 16, seed=9))
    exp = small_experiment(points, 9, Precision(pilot=3, cap=8, half_width=0.03))
    answer = analyse(exp, run_experiment(exp))
    grid = np.linspace(0.2, 1.0, 161)
    stays = np.array([r["stay"] for r in brute_force])
    mean = np.interp(grid, stays, [r["cost_diff_mean"] for r in brute_force])
    half = np.interp(grid, stays, [r["cost_diff_half_width"] for r in brute_force])
    brute_band = (mean - half <= 0) & (0 <= mean + half)
    cost = answer.surfaces["cost_per_year_eur"]
    fitted = zero_of(grid, cost.predict(answer.unit(grid[:, None]))[0])
    fitted_band = band(cost, answer.unit(grid[:, None]))
    assert (fitted_band & brute_band).any(), (grid[fitted_band], grid[brute_band])
    assert abs(fitted - zero_of(grid, mean)) < 0.1, (fitted, zero_of(grid, mean))
    assert 0.5 < zero_of(grid, mean) < 0.7  # the brute-force answer itself: break-even near 0.6


def test_common_numbers_within_a_point_independent_between_points():
    """At one design point the scenario sees the baseline's arrivals (a part of them: its lower
    inflow of small-scale need thins them); another point draws its own."""
    from matcher.simulation.runner import run_here

    exp = small_experiment(((0.5,), (0.9,)), 4, Precision(pilot=2, cap=2, half_width=0.01))
    outputs = run_here(exp.specs(0, range(1)) + exp.specs(1, range(1)))

    def arrivals(o):
        return sorted((e[0], e[2], e[5]) for e in o.episodes if not e[1] and e[5] > 0)
    base0, scen0, base1, _scen1 = outputs
    assert arrivals(scen0) and set(arrivals(scen0)) <= set(arrivals(base0))
    assert arrivals(base0) != arrivals(base1)


EXPERIMENT_FILES = ("design.csv", "responses.csv", "report.md", "surface_kleinschalig.png")


def test_one_and_two_workers_byte_identical(tmp_path):
    """The design, the fit and the chance are the same, byte for byte, on a real LocalCluster of
    one and of two worker processes."""
    from dask.distributed import LocalCluster

    from matcher.simulation.explore import explore
    from matcher.simulation.runner import cluster_client, workers_of

    explored, _ = parse_explore([FACTOR], 8)
    points = tuple(tuple(row) for row in design(explored, 8, seed=2))
    exp = small_experiment(points, 2, Precision(pilot=2, cap=3, half_width=0.01))
    exp = exp.__class__(**{**exp.__dict__, "weeks": 6})
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            cluster_client(scheduler=cluster.scheduler_address) as client:
        assert workers_of(client) == 2
        two = explore(exp, tmp_path / "two", client, instance_name="voorbeeld")
    with cluster_client(workers=1) as client:
        explore(exp, tmp_path / "one", client, instance_name="voorbeeld")
    for name in EXPERIMENT_FILES:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    assert {r.replications for r in two.answer.results} <= {2, 3}
    report = (tmp_path / "one" / "report.md").read_text(encoding="utf-8")
    assert "## The answer" in report and "The chance that kleinschalig pays for itself" in report
    assert "length of stay kleinschalig, x today" in report  # the factor as a quantity, not kleinschalig.stay


def test_refinement_adds_points_along_the_zero_line():
    """The points added where the break-even is least certain lie near the true zero line, apart
    from the design and from each other."""
    from matcher.simulation.refine import uncertain_points

    observed = synthetic_observed(seed=2)
    surface = fit_surface("cost", observed)
    new = uncertain_points(surface, seed=7, count=4, taken=observed.x)
    assert new.shape == (4, 2)
    assert np.all(np.abs(synthetic(new)) < 0.6)  # |truth| < 0.6 of a range of 4.5 over the plane
    together = np.vstack([observed.x, new])
    gaps = [np.min(np.linalg.norm(np.delete(together, i, axis=0) - together[i], axis=1)) for i in range(32, 36)]
    assert min(gaps) >= 0.3 / 36 ** 0.5
