"""Benchmark of the register (issue 27): a year of weeks at the national scale, and the monitor
over five years of national history, on SQLite and on PostgreSQL.

``python -m benchmarks.register [--backend sqlite|postgresql|both] [--weeks 52] [--years 5]
[--time-limit 5] [--out FILE]``

1. The year: a register made from ``instances/nl-week`` (2,532 occupants, 406 units), then
   ``--weeks`` weekly cycles as ``matcher.register.rehearsal`` plays them: import the week's
   changes (the simulation's arrival model, departures at 1 / mean stay), propose (the whole
   pipeline: solve, independent check, solution folder and workbook, no map, ``--time-limit``
   seconds at most), the providers decline about 10 %, a second round, decide, close the week.
   Target: 52 cycles within 5 minutes.
2. The monitor: a register with ``--years`` x 52 weeks of national history written straight into
   the event log (synthetic: ~85 requests a week placed first come first served into free places
   of their care type, departures at 1 / mean stay, about one decline in ten proposals; no
   solver, so that five years take seconds to make), then ``compute_monitor`` timed, with the
   public variant and the written folder. Target: within 10 seconds.

PostgreSQL runs on a throwaway cluster on 127.0.0.1 (``tests/postgres_cluster.py``), unless
``--url`` names a database to use (it must be empty). The machine may be shared with other work.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
from sqlalchemy import insert, select

from matcher.register import events as ev
from matcher.register.database import transaction
from matcher.register.monitor import monitor_of
from matcher.register.monitor_report import write_monitor
from matcher.register.rehearsal import Rehearsal, rehearse_week
from matcher.register.schema import events, register, weeks, youths
from matcher.register.state import RESIDENT, load_state, youth_row
from matcher.register.week import init_register
from matcher.simulation.arrivals import week_arrivals
from matcher.simulation.simfile import load_params

ROOT = Path(__file__).resolve().parents[1]
NL_WEEK = ROOT / "instances" / "nl-week"
SIM = ROOT / "instances" / "simulation" / "SIM.toml"


def _cluster():
    """A throwaway PostgreSQL cluster (the tests' fixture, used as a plain generator)."""
    spec = importlib.util.spec_from_file_location("postgres_cluster", ROOT / "tests" / "postgres_cluster.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module.start_cluster()


def year_of_weeks(db: str, work: Path, n_weeks: int, time_limit: float) -> dict:
    """Init from nl-week and play ``n_weeks`` weekly cycles; the seconds they took."""
    params = load_params(SIM)
    started = time.perf_counter()
    init_register(db, NL_WEEK)
    made = time.perf_counter()
    per_week = []
    for week in range(n_weeks):
        t = time.perf_counter()
        rehearse_week(db, work / f"week-{week + 1:02d}", params, Rehearsal(seed=1, time_limit=time_limit))
        per_week.append(time.perf_counter() - t)
    return {"init_seconds": round(made - started, 2), "cycles": n_weeks, "cycles_seconds": round(sum(per_week), 1),
            "cycle_median_seconds": round(float(np.median(per_week)), 2), "cycle_max_seconds": round(max(per_week), 2)}


def _synthetic_week(connection, state, week: int, free: dict, queue: dict, rng, params) -> None:
    """One week of history written into the log (see the module docstring)."""
    log = ev.Log(week, "benchmark")
    arrivals = week_arrivals(1, 0, week, params.arrivals, siblings=False)
    connection.execute(insert(youths), [youth_row(a.youth.model_copy(update={"youth_id": f"H{week:04d}-{i}"}))
                                        for i, a in enumerate(arrivals)])
    for i, a in enumerate(arrivals):
        youth_id = f"H{week:04d}-{i}"
        log.add(ev.REQUEST_RECEIVED, youth_id=youth_id, waiting_weeks=0)
        queue[a.youth.care_type].append(youth_id)
    for youth_id, (unit, care_type) in list(state.items()):
        if rng.random() < 1 / params.stays[care_type].mean_weeks:
            log.add(ev.DEPARTED, youth_id=youth_id, unit_id=unit, reason="behandeling afgerond")
            free[care_type].append(unit)
            del state[youth_id]
    for care_type, waiting in queue.items():
        while waiting and free[care_type]:
            youth_id, unit = waiting.pop(0), free[care_type].pop(int(rng.integers(len(free[care_type]))))
            log.add(ev.PROPOSED, youth_id=youth_id, unit_id=unit, round=1)
            rounds = 1
            if rng.random() < 0.1:  # declined, then accepted in the second round (the same unit, for brevity)
                log.add(ev.DECLINED, youth_id=youth_id, unit_id=unit, round=1, reason="groep vol")
                log.add(ev.PROPOSED, youth_id=youth_id, unit_id=unit, round=2)
                rounds = 2
            log.add(ev.ACCEPTED, youth_id=youth_id, unit_id=unit, round=rounds)
            log.add(ev.PLACED, youth_id=youth_id, unit_id=unit)
            state[youth_id] = (unit, care_type)
    log.write(connection)
    connection.execute(insert(weeks).values(week=week, closed_at=log.at, closed_by="benchmark"))


def synthetic_history(db: str, n_weeks: int, seed: int = 1) -> int:
    """Init from nl-week and write ``n_weeks`` of synthetic history; the number of events."""
    init_register(db, NL_WEEK)
    params, rng = load_params(SIM), np.random.default_rng(seed)
    with transaction(db) as connection:
        now = load_state(connection)
        care = {u: r["care_type"] for u, r in now.unit_rows.items()}
        state = {y: (s.unit_id, care[s.unit_id]) for y, s in now.youths.items() if s.status == RESIDENT}
        free = {c: [] for c in params.arrivals}
        for unit, capacity in now.capacity.items():
            used = sum(1 for u, _c in state.values() if u == unit)
            free[care[unit]] += [unit] * max(capacity - used, 0)
        queue = {c: [] for c in params.arrivals}
        for week in range(1, n_weeks + 1):
            _synthetic_week(connection, state, week, free, queue, rng, params)
        connection.execute(register.update().values(week=n_weeks + 1))
        return len(connection.execute(select(events.c.event_id)).fetchall())


def monitor_speed(db: str, work: Path, years: int) -> dict:
    """Time the monitor (internal and public, and writing the folder) over ``years`` of history."""
    made = synthetic_history(db, 52 * years)
    timings = {}
    for public in (False, True):
        t = time.perf_counter()
        monitor = monitor_of(db, public=public)
        computed = time.perf_counter() - t
        write_monitor(monitor, work / ("public" if public else "monitor"))
        timings["public" if public else "internal"] = {"compute_seconds": round(computed, 2),
                                                       "with_folder_seconds": round(time.perf_counter() - t, 2)}
    return {"weeks": 52 * years, "events": made, **timings}


def _databases(backend: str, work: Path, url: str | None):
    """(name, a fresh-database maker) per backend; the PostgreSQL cluster is stopped afterwards."""
    if backend in ("sqlite", "both"):
        yield "sqlite", lambda tag: str(work / f"{tag}.sqlite")
    if backend in ("postgresql", "both"):
        if url:
            yield "postgresql", lambda tag: url
            return
        cluster_run = _cluster()
        cluster = next(cluster_run)
        try:
            yield "postgresql", lambda tag: cluster.url("register_owner", cluster.new_database(f"{tag}_{uuid.uuid4().hex[:6]}"))
        finally:
            next(cluster_run, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--time-limit", type=float, default=5.0)
    parser.add_argument("--url", default=None, help="an empty PostgreSQL database instead of a throwaway cluster")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / f"{dt.date.today()}-register.json")
    args = parser.parse_args()
    results = {"when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "machine": platform.node(),
               "cpus": os.cpu_count(), "python": platform.python_version(), "time_limit": args.time_limit, "runs": {}}
    with tempfile.TemporaryDirectory(prefix="register-bench-") as tmp:
        for name, fresh in _databases(args.backend, Path(tmp), args.url):
            work = Path(tmp) / name
            run = {}
            if args.weeks:
                run["year"] = year_of_weeks(fresh("year"), work / "year", args.weeks, args.time_limit)
                print(name, "year", run["year"], flush=True)
            if args.years:
                run["monitor"] = monitor_speed(fresh("history"), work, args.years)
                print(name, "monitor", run["monitor"], flush=True)
            results["runs"][name] = run
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
