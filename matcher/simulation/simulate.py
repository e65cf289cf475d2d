"""``simulate(plan, out)``: run the plan and write every file of DIR (see docs/simulation.md).

Layout::

    DIR/<scenario>/instance/   the week-0 instance of the baseline and of every scenario
    DIR/weeks.csv  DIR/episodes.parquet  DIR/summary.csv  DIR/report.md  DIR/*.png
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from matcher.input.instance_writer import write_instance
from matcher.simulation.charts import break_even_charts, fan_charts
from matcher.simulation.document import report_md
from matcher.simulation.engine import RunOutput
from matcher.simulation.outputs import write_episodes, write_weeks
from matcher.simulation.plan import Plan
from matcher.simulation.runner import OnDone, run_here, run_on
from matcher.simulation.summary import summarise, write_summary


@dataclass(frozen=True)
class Outcome:
    """What a simulation produced."""

    plan: Plan
    outputs: list[RunOutput]
    summary: dict
    out: Path
    seconds: float


def simulate(plan: Plan, out: Path, client=None, on_done: OnDone | None = None, instance_name: str = "") -> Outcome:
    """Run every (scenario, grid point, replication) and write DIR; on ``client``'s cluster if given."""
    t0 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    for s in plan.scenarios:
        write_instance(s.instance, out / s.name / "instance",
                       extra_files={"README.md": f"# {s.name}\n\nWeek 0 of the simulation of `{instance_name}`.\n"})
    specs = plan.specs()
    outputs = run_on(client, specs, on_done) if client is not None else run_here(specs, on_done)
    write_weeks(out / "weeks.csv", plan, outputs)
    write_episodes(out / "episodes.parquet", outputs)
    summary = summarise(plan, outputs)
    write_summary(out / "summary.csv", plan, summary)
    charts = fan_charts(plan, outputs, out) + break_even_charts(plan, summary, out)
    info = {"instance": instance_name, "runs": len(specs), "unsure_weeks": sum(o.unsure_weeks for o in outputs)}
    (out / "report.md").write_text(report_md(plan, summary, charts, info), encoding="utf-8")
    return Outcome(plan, outputs, summary, out, time.perf_counter() - t0)
