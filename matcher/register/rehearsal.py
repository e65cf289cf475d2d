"""A rehearsal of weeks at the desk: the week's changes and the providers' answers made up from the
simulation's models, for the shipped example (``make register-demo``) and the benchmark.

Arrivals come from the simulation's arrival model (``matcher.simulation.arrivals``, Poisson per
care type at the SIM.toml rates). Each resident leaves in a week with chance 1 / mean stay of its
care type (assumption: memoryless stays with the SIM.toml's means, simpler than its lognormal
laws). A provider declines a proposal with chance ``decline_share`` (assumption), for one of
``DECLINE_REASONS``. The same seed gives the same weeks.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from matcher.input.instance_writer import YOUTH_HEADER, csv_text
from matcher.pipeline import RunOptions
from matcher.register.changes import DEPARTURES, REQUESTS, import_changes
from matcher.register.database import transaction
from matcher.register.decisions import decide
from matcher.register.state import RESIDENT, load_state
from matcher.register.week import PROPOSALS_FILE, close_week, propose
from matcher.simulation.arrivals import week_arrivals
from matcher.simulation.parameters import SimParams

#: Reasons a provider gives for a decline in the rehearsal (assumption: the words teams use).
DECLINE_REASONS = ("groep vol", "zorgzwaarte past niet", "groepssamenstelling")


@dataclass(frozen=True)
class Rehearsal:
    """How the made-up weeks go."""

    seed: int = 1
    decline_share: float = 0.1
    time_limit: float = 30.0
    with_map: bool = False


def write_week_changes(db, folder: Path, params: SimParams, plan: Rehearsal) -> Path:
    """The open week's changes as a change folder: new requests and departures."""
    with transaction(db, write=False) as connection:
        state = load_state(connection)
    arrivals = week_arrivals(plan.seed, 0, state.week, params.arrivals, siblings=False)
    requests = [a.youth.model_dump() for a in arrivals if a.youth.youth_id not in state.youth_rows]
    rng = np.random.default_rng([plan.seed, state.week, 17])
    residents = sorted(y for y, s in state.youths.items() if s.status == RESIDENT)
    leave = [y for y in residents
             if rng.random() < 1 / params.stays[state.unit_rows[state.youths[y].unit_id]["care_type"]].mean_weeks]
    folder.mkdir(parents=True, exist_ok=True)
    header = tuple(c for c in YOUTH_HEADER if c != "current_unit_id")
    (folder / REQUESTS).write_text(csv_text(header, requests), encoding="utf-8")
    (folder / DEPARTURES).write_text(csv_text(("youth_id", "reason"), ({"youth_id": y, "reason": "behandeling afgerond"}
                                                                       for y in leave)), encoding="utf-8")
    return folder


def answer(proposals: Path, out: Path, share: float, seed: int) -> Path:
    """The providers' answers to proposals.csv: each declined with chance ``share``, else accepted."""
    with proposals.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    rng = np.random.default_rng([seed, len(rows), 29])
    for row in rows:
        declined = rng.random() < share
        row["decision"] = "afgewezen" if declined else "geaccepteerd"
        row["reason"] = DECLINE_REASONS[int(rng.integers(len(DECLINE_REASONS)))] if declined else ""
    header = list(rows[0]) if rows else ["youth_id", "decision", "reason"]
    out.write_text(csv_text(tuple(header), rows), encoding="utf-8")
    return out


def rehearse_week(db, folder: Path, params: SimParams, plan: Rehearsal) -> dict:
    """One week: import its changes, propose, the providers answer (some decline), a second round
    for the declined youths (all accepted), close the week. Files go to ``folder``."""
    counts = import_changes(db, write_week_changes(db, folder / "changes", params, plan))
    options = RunOptions(time_limit=plan.time_limit, with_map=plan.with_map, seed=plan.seed)
    first = propose(db, folder / "round-1", options)
    decided = decide(db, answer(folder / "round-1" / PROPOSALS_FILE, folder / "decisions-1.csv",
                                plan.decline_share, plan.seed + first.week))
    second = propose(db, folder / "round-2", options)
    decide(db, answer(folder / "round-2" / PROPOSALS_FILE, folder / "decisions-2.csv", 0.0, plan.seed))
    closed = close_week(db, first.week)
    return {"week": first.week, **counts, "proposed": first.proposals, **decided,
            "second_round": second.proposals, "placed": closed.placed, "waiting": closed.still_waiting}


#: What the shipped example keeps of each round's solution folder (the rest is rebuilt by a run).
KEPT = {"summary.json", "report.md", PROPOSALS_FILE}


def _table(rows: list[dict]) -> str:
    head = ("week", "requests", "departures", "proposed", "accepted", "declined", "second_round", "placed", "waiting")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(r[k]) for k in head) + " |" for r in rows]
    return "\n".join(lines)


def demo(out: Path, weeks: int = 4, time_limit: float = 30.0) -> list[dict]:
    """The shipped example: a register made from nl-week, ``weeks`` rehearsed weeks, the monitor
    (internal and public) and the simulation's parameters estimated from it, in ``out``."""
    import shutil

    from matcher.register.fit import write_sim_toml
    from matcher.register.monitor import monitor_of
    from matcher.register.monitor_report import write_monitor
    from matcher.register.week import init_register
    from matcher.simulation.simfile import load_params

    root = Path(__file__).resolve().parents[2]
    out.mkdir(parents=True, exist_ok=True)
    db = out / "register.sqlite"
    db.unlink(missing_ok=True)
    init_register(db, root / "instances" / "nl-week")
    params, rows = load_params(root / "instances" / "simulation" / "SIM.toml"), []
    for week in range(1, weeks + 1):
        folder = out / f"week-{week}"
        shutil.rmtree(folder, ignore_errors=True)
        rows.append(rehearse_week(db, folder, params, Rehearsal(seed=1, time_limit=time_limit)))
        for round_folder in folder.glob("round-*"):
            for path in round_folder.iterdir():
                if path.name not in KEPT:
                    path.unlink()
    write_monitor(monitor_of(db), out / "monitor")
    write_monitor(monitor_of(db, public=True), out / "monitor-public")
    write_sim_toml(db, out / "SIM-estimated.toml")
    (out / "weeks.md").write_text(_table(rows) + "\n", encoding="utf-8")
    return rows


if __name__ == "__main__":
    import sys

    print(_table(demo(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("instances/register"))))
