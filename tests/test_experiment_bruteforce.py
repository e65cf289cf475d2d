"""No tests here: the brute-force answer that tests/test_experiment.py compares with. A dense grid
of the length-of-stay factor of small-scale care on instances/voorbeeld, many replications per
value, stored in tests/data/experiment_bruteforce.csv. Regenerate it (about two minutes) with

    python -m tests.test_experiment_bruteforce
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from matcher.input.source import read_instance
from matcher.simulation.design import parse_explore
from matcher.simulation.experiment import Experiment, Precision, run_experiment
from matcher.simulation.scenarios import week_zero
from matcher.simulation.simfile import load_params

DATA = Path(__file__).parent / "data"
FACTOR = "kleinschalig.stay=0.2:1.0"
WEEKS = 20
VALUES = tuple(float(v) for v in np.round(np.linspace(0.2, 1.0, 17), 3))
REPLICATIONS = 40


def small_experiment(points: tuple, seed: int, precision: Precision) -> Experiment:
    """kleinschalig on instances/voorbeeld, the stay factor of small-scale care explored."""
    runs = week_zero(read_instance("instances/voorbeeld"), [DATA / "kleinschalig-voorbeeld.toml"])
    explored, problems = parse_explore([FACTOR], 8)
    assert not problems
    return Experiment(runs[0], runs[1], load_params(DATA / "SIM-voorbeeld.toml"), explored, points, seed, WEEKS,
                      precision)


def main() -> None:
    exp = small_experiment(tuple((v,) for v in VALUES), 2025, Precision(REPLICATIONS, REPLICATIONS, 0.0))
    with (DATA / "experiment_bruteforce.csv").open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["stay", "replications", "cost_diff_mean", "cost_diff_half_width"])
        for r in run_experiment(exp):
            d = r.differences("cost_per_year_eur")
            out.writerow([r.values[0], len(d), f"{d.mean():.2f}", f"{r.half_width('cost_per_year_eur'):.2f}"])


if __name__ == "__main__":
    main()
