"""The simulation's parameters estimated from the register's history, written as a SIM.toml.

Arrivals: the requests imported per week (the starting list is stock, not arrivals), per care
type, over the closed weeks. Stays: a lognormal fitted by maximum likelihood to the stays of the
youths placed through the register, those still in care counted as censored (their stay is at
least as long as it is now). Residents at the start of the register are left out: when their
stay began is unknown. Every figure says it is estimated from the register, with its numbers.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import tomli_w
from scipy import optimize, stats
from sqlalchemy import select

from matcher.domain import CARE_TYPES
from matcher.register import events as ev
from matcher.register.database import transaction
from matcher.register.schema import events, register, units, youths

#: Fewer completed stays than this: no stay law is estimated for the care type.
MIN_STAYS = 5


def _minus_loglik(theta, logs: np.ndarray, ended: np.ndarray) -> float:
    """Minus the log-likelihood of (mu, log sigma): density for ended stays, survival for the rest."""
    mu, sigma = theta[0], math.exp(theta[1])
    return -(stats.norm.logpdf(logs[ended], mu, sigma).sum() - logs[ended].sum()
             + stats.norm.logsf(logs[~ended], mu, sigma).sum())


def _logs(durations: np.ndarray) -> np.ndarray:
    return np.log(np.maximum(durations, 0.5))  # a stay that ended in its first week counts as half a week


def censored_lognormal(durations: np.ndarray, ended: np.ndarray) -> tuple[float, float]:
    """(mu, sigma) of a lognormal by maximum likelihood: density for ended stays, survival for
    stays still going on."""
    logs = _logs(durations)
    start = (logs.mean(), math.log(max(logs.std(), 0.1)))
    found = optimize.minimize(_minus_loglik, start, args=(logs, ended), method="Nelder-Mead",
                              options={"xatol": 1e-6, "fatol": 1e-9})
    return float(found.x[0]), float(math.exp(found.x[1]))


def mean_interval(durations: np.ndarray, ended: np.ndarray, mu: float, sigma: float) -> tuple[float, float]:
    """An approximate 95 % interval of the mean stay exp(mu + sigma²/2): the observed information
    (a finite-difference Hessian at the estimate) and the delta method on the log of the mean."""
    logs, theta, h = _logs(durations), np.array([mu, math.log(sigma)]), 1e-4
    hessian = np.empty((2, 2))
    for i in range(2):
        for j in range(2):
            steps = [np.eye(2)[i] * h * a + np.eye(2)[j] * h * b for a, b in ((1, 1), (1, -1), (-1, 1), (-1, -1))]
            f = [_minus_loglik(theta + d, logs, ended) for d in steps]
            hessian[i, j] = (f[0] - f[1] - f[2] + f[3]) / (4 * h * h)
    gradient = np.array([1.0, sigma ** 2])  # d log(mean) / d (mu, log sigma)
    se = math.sqrt(max(float(gradient @ np.linalg.solve(hessian, gradient)), 0.0))
    centre = mu + sigma ** 2 / 2
    return math.exp(centre - 1.96 * se), math.exp(centre + 1.96 * se)


def rate_interval(count: int, weeks: int) -> tuple[float, float]:
    """The exact 95 % interval of a Poisson rate per week from ``count`` arrivals in ``weeks``."""
    low = stats.chi2.ppf(0.025, 2 * count) / 2 if count else 0.0
    return low / weeks, stats.chi2.ppf(0.975, 2 * count + 2) / 2 / weeks


def _rows(connection):
    info = connection.execute(select(register)).one()
    log = connection.execute(select(events.c.week, events.c.kind, events.c.youth_id, events.c.unit_id)
                             .order_by(events.c.event_id)).fetchall()
    care_of_youth = dict(connection.execute(select(youths.c.youth_id, youths.c.care_type)).fetchall())
    care_of_unit = dict(connection.execute(select(units.c.unit_id, units.c.care_type)).fetchall())
    return info, log, care_of_youth, care_of_unit


def estimate(db) -> dict:
    """The SIM.toml contents estimated from the register ``db``."""
    with transaction(db, write=False) as connection:
        info, log, care_of_youth, care_of_unit = _rows(connection)
    closed = max(info.week - min(e.week for e in log), 1)
    arrivals = {c: 0 for c in CARE_TYPES}
    start, end = {}, {}
    for e in log:
        if e.kind == ev.REQUEST_RECEIVED and e.week < info.week:  # the list at the start is stock, not arrivals
            arrivals[care_of_youth[e.youth_id]] += 1
        elif e.kind == ev.PLACED:
            start[e.youth_id] = (e.week, care_of_unit[e.unit_id])
        elif e.kind == ev.DEPARTED and e.youth_id in start:
            end[e.youth_id] = e.week
    weeks = f"{info.week - closed}-{info.week - 1}"
    sim = {"description": f"estimated from the register '{info.name}', weeks {weeks}",
           "arrivals": {c: round(n / closed, 3) for c, n in arrivals.items()}, "stay": {}}
    for care_type in CARE_TYPES:
        mine = [y for y, (_w, c) in start.items() if c == care_type]
        ended = np.array([y in end for y in mine], dtype=bool)
        if ended.sum() < MIN_STAYS:
            continue
        durations = np.array([end.get(y, info.week) - start[y][0] for y in mine], dtype=float)
        mu, sigma = censored_lognormal(durations, ended)
        low, high = mean_interval(durations, ended, mu, sigma)
        sim["stay"][care_type] = {
            "distribution": "lognormal", "mean_weeks": round(math.exp(mu + sigma ** 2 / 2), 2), "sigma": round(sigma, 3),
            "source": f"estimated from the register: {int(ended.sum())} ended stays, {int((~ended).sum())} still "
                      f"in care (censored), weeks {weeks}; mean 95 % interval {low:.1f}-{high:.1f} weeks"}
    sim["arrival_intervals"] = {c: rate_interval(n, closed) for c, n in arrivals.items()}
    return sim


def write_sim_toml(db, path: str | Path) -> Path:
    """Write the estimated parameters as a SIM.toml that ``matcher simulate --params`` reads."""
    sim = estimate(db)
    intervals = sim.pop("arrival_intervals")
    head = ("# Simulation parameters estimated from the register (matcher monitor --fit-sim).\n"
            f"# Arrivals: requests per closed week ({sim['description']}), with the exact 95 % Poisson interval:\n"
            + "".join(f"#   {c}: {sim['arrivals'][c]} ({low:.2f}-{high:.2f})\n" for c, (low, high) in intervals.items())
            + "# Every stay law is estimated: its source says from how many stays, with an interval of the mean.\n"
            "# Care types without one keep the simulation's defaults.\n\n")
    path = Path(path)
    path.write_text(head + tomli_w.dumps(sim), encoding="utf-8")
    return path
