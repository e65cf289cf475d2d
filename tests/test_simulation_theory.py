"""The simulation against queueing theory: one care type, one unit of c places, no distance limit
or side rule, Poisson arrivals of rate l a week and exponential stays of mean S weeks.

Little's law: the long-run occupancy is min(l x S, c). Tolerance 5 %: over 5,000 weeks with an
autocorrelation time of about S weeks, the standard error of the mean occupancy is about
sqrt(l S x 2S / weeks), 2.4 % of 7 places; 5 % is two standard errors.

Erlang C: the share of arrivals who wait is C(c, a) for M/M/c with offered load a = l x S. The
simulation works in weeks: departures come first, at the start of the week, then all of the
week's arrivals. An arrival therefore sees the places freed during the past week already free,
as if every stay were shorter by the part of a week between its end and the next arrival: half
a week on average, at most one. So the share lies between C(c, l(S - 1)) and C(c, l S), and is
compared with C(c, l(S - 1/2)) within 0.04 (its Monte-Carlo standard error here is about 0.015).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from matcher.instance import Instance, Location, Settings, Unit
from matcher.geography.regions import shipped_region_map
from matcher.simulation.engine import run
from matcher.simulation.parameters import SimParams
from matcher.simulation.stays import StayLaw, gesloten_law, whole_weeks
from matcher.simulation.world import RunSpec

WARM_UP = 100


def erlang_c(c: int, a: float) -> float:
    """Probability that an arrival waits in M/M/c with offered load a < c."""
    top = a ** c / math.factorial(c) * c / (c - a)
    return top / (sum(a ** k / math.factorial(k) for k in range(c)) + top)


def one_unit(c: int) -> Instance:
    """One unit of c places for intensieve jeugd-GGZ that every arrival fits, no distance limit."""
    location = Location(location_id="L1", provider="P", gemeente="GM0344", lat=52.09, lon=5.12)
    unit = Unit(unit_id="U1", location_id="L1", care_type="intensieve_ggz", setting="residentieel", capacity=c)
    return Instance(settings=Settings(max_km={"intensieve_ggz": 1000.0}), locations=(location,), units=(unit,),
                    youths=(), regions=shipped_region_map())


def queue_run(rate: float, mean_stay: float, c: int, weeks: int, seed: int = 1):
    params = SimParams(arrivals={"intensieve_ggz": rate}, stays={"intensieve_ggz": StayLaw("exponential", mean_stay)},
                       siblings=False, escalate_after_weeks=0, check_every_weeks=0)
    return run(RunSpec("baseline", 0, one_unit(c), (), params, seed, 0, weeks))


@pytest.fixture(scope="module")
def stable_queue():
    return queue_run(rate=0.7, mean_stay=10.0, c=10, weeks=5000)


def test_littles_law_occupancy(stable_queue):
    """Long-run occupancy is l x S within 5 % when the places suffice."""
    occupied = np.mean([r[6] for r in stable_queue.weeks if r[0] >= WARM_UP and r[1] == "intensieve_ggz"])
    assert abs(occupied - 0.7 * 10.0) / (0.7 * 10.0) < 0.05


def test_littles_law_full_when_overloaded():
    """With l x S above c the unit is (nearly) always full: occupancy min(l S, c) = c."""
    out = queue_run(rate=1.5, mean_stay=10.0, c=10, weeks=400)
    occupied = np.mean([r[6] for r in out.weeks if r[0] >= WARM_UP and r[1] == "intensieve_ggz"])
    assert occupied == pytest.approx(10, rel=0.03)


def test_erlang_c_share_who_wait(stable_queue):
    """The share of arrivals who wait matches Erlang C within the weekly discretisation."""
    rate, stay, c, weeks = 0.7, 10.0, 10, 5000
    arrived = [e for e in stable_queue.episodes if WARM_UP <= e[5] < weeks - 100]
    waited = np.mean([e[6] is None or e[6] > e[5] for e in arrived])
    assert erlang_c(c, rate * (stay - 1)) - 0.03 <= waited <= erlang_c(c, rate * stay)
    assert waited == pytest.approx(erlang_c(c, rate * (stay - 0.5)), abs=0.04)


def test_whole_week_stays_keep_the_mean():
    """Rounding exponential stays to whole weeks (at least one) keeps their mean within 1 %."""
    law = StayLaw("exponential", 10.0)
    z = np.random.default_rng(0).standard_normal(200_000)
    assert whole_weeks(law.weeks(z)).mean() == pytest.approx(10.0, rel=0.01)


def test_gesloten_fit_reproduces_nji_figures():
    """The gesloten lognormal: mean 6.0-6.5 months, about 11 % under a month, 13 % over a year."""
    law = gesloten_law()
    months = 52 / 12
    assert 6.0 <= law.mean_weeks / months <= 6.5
    assert law.share_below(months) == pytest.approx(0.11, abs=0.01)
    assert 1 - law.share_below(12 * months) == pytest.approx(0.13, abs=0.01)


def test_residual_stay_is_length_biased():
    """The rest of a stay under way has mean E[S^2] / (2 E[S]) (renewal theory), not E[S]."""
    law = gesloten_law()
    rng = np.random.default_rng(1)
    z, u = rng.standard_normal(400_000), rng.random(400_000)
    expected = law.mean_weeks * math.exp(law.sigma ** 2) / 2
    assert law.residual_weeks(z, u).mean() == pytest.approx(expected, rel=0.02)
