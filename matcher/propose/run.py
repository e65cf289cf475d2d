"""``run_proposal``: every file of ``matcher propose`` — plans, map, chart, verification, report.

Layout::

    DIR/plans/<name>-<k>.toml   the proposed plans, best first, in the scenario format
    DIR/report.md               the plan in words, budget, model, SAA gap, trade-off, verification
    DIR/map.html                the best plan on the map
    DIR/tradeoff.png            budget against mean waiting and mean km
    DIR/proposal.json           the figures of report.md, for other tools
    DIR/verification/           the simulation of the baseline, the plans and the planner's scenarios

Every input is read and checked first; bad input writes nothing.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path

from matcher.i18n import _
from matcher.instance import Instance
from matcher.propose.chart import write_tradeoff_chart
from matcher.propose.options import Options
from matcher.propose.plan_map import write_plan_map
from matcher.propose.propose import Estimate, Proposal, propose
from matcher.propose.report import budget_lines, estimate_rows, model_lines, plan_in_words, tradeoff_lines, verification_lines
from matcher.propose.scenario_file import plan_toml
from matcher.propose.verify import Verification, verify
from matcher.scenario.apply import apply_scenario
from matcher.scenario.spec import parse_scenario
from matcher.simulation.parameters import SimParams


@dataclass(frozen=True)
class VerifyOptions:
    """The seed of the whole run, and how the plans are simulated (``replications`` 0 skips it)."""

    seed: int = 0
    weeks: int = 104
    replications: int = 10
    plans: int = 3
    scenarios: tuple[Path, ...] = ()


@dataclass(frozen=True)
class RunResult:
    proposal: Proposal
    plan_files: tuple[Path, ...]
    verification: Verification | None
    out: Path


def plan_name(options: Options, k: int) -> str:
    return f"{options.name}-{k}"


def write_plans(instance: Instance, options: Options, proposal: Proposal, out: Path) -> list[Path]:
    """One scenario file per proposed plan, best first."""
    folder = out / "plans"
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for k, e in enumerate(proposal.plans, start=1):
        text = plan_toml(instance, options, proposal.levers, e.plan, plan_name(options, k), _(
            "Plan {k} proposed by matcher propose from {file} (budget {budget} euro a year); see report.md.").format(
            k=k, file=Path(options.file).name, budget=f"{options.budget.per_year:.0f}"))
        path = folder / f"{plan_name(options, k)}.toml"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


def run_proposal(instance: Instance, options: Options, params: SimParams, out: Path,
                 checks: VerifyOptions = VerifyOptions(), cluster=None, say=None) -> RunResult:
    """Propose, write the plans, map and chart, verify by simulation, write the report.

    ``cluster()`` gives a context manager of a Dask client for the verification (started only
    when the model part is done, so that no worker waits idle); without it the runs go one by one
    in this process."""
    seed = checks.seed
    proposal = propose(instance, options, params, seed, say=say)
    out.mkdir(parents=True, exist_ok=True)
    files = write_plans(instance, options, proposal, out)
    best = proposal.plans[0]
    planned = apply_scenario(instance, parse_scenario(files[0].read_text(encoding="utf-8"), str(files[0])), seed).instance
    write_plan_map(plan_name(options, 1), instance, planned, (proposal.today, best), out / "map.html")
    write_tradeoff_chart(proposal.tradeoff, proposal.today, out / "tradeoff.png")
    verification = None
    if checks.replications:
        chosen = [*files[: checks.plans], *checks.scenarios]
        with cluster() if cluster else contextlib.nullcontext() as client:
            verification = verify(instance, chosen, params, (checks.weeks, checks.replications, seed),
                                  out / "verification", client, say)
        if say:
            say(_("verification: {seconds} s").format(seconds=f"{verification.seconds:.0f}"))
    (out / "report.md").write_text(report_md(instance, options, proposal, verification), encoding="utf-8")
    (out / "proposal.json").write_text(json.dumps(figures(options, proposal, verification), indent=1, default=str),
                                       encoding="utf-8")
    return RunResult(proposal, tuple(files), verification, out)


def report_md(instance: Instance, options: Options, proposal: Proposal, verification: Verification | None) -> str:
    best = proposal.plans[0]
    named = {plan_name(options, k): e for k, e in enumerate(proposal.plans, start=1)}
    lines = [f"# {_('Proposal {name}').format(name=options.name)}", "", options.description, "",
             _("Instance `{instance}`, options `{file}`; {seconds} s for the model part.").format(
                 instance=instance.name, file=Path(options.file).name, seconds=f"{proposal.seconds:.0f}"), "",
             f"## {_('The plan: {name}').format(name=plan_name(options, 1))}", "",
             *budget_lines(options, proposal.levers, best), "",
             *plan_in_words(instance, proposal.levers, best, proposal.today), "",
             f"## {_('Plans and today, valued by the model')}", "",
             *_estimate_table(proposal, named, options), "",
             f"## {_('The model')}", "", *model_lines(proposal, options), "",
             f"## {_('Trade-off: budget against waiting and distance')}", "",
             *tradeoff_lines(proposal.tradeoff), "", "![](tradeoff.png)", ""]
    if verification is not None:
        lines += [f"## {_('Verification by simulation')}", "",
                  *verification_lines(verification, {**named, "baseline": proposal.today}), ""]
    lines += [f"## {_('Assumptions')}", "", *_assumptions()]
    return "\n".join(lines) + "\n"


def _estimate_table(proposal: Proposal, named: dict[str, Estimate], options: Options) -> list[str]:
    return estimate_rows([(_("today"), proposal.today), *named.items()], options.model.evaluation_samples)


def _assumptions() -> list[str]:
    return [
        _("- Demand: the youths who need a place at a random week of the simulation's steady state (inflow x mean stay "
          "per care type, each with an arrival's profile), the uncertain factors drawn per state as the simulation "
          "draws them per replication; the stay factor of a setting is the share of a place a youth uses there."),
        _("- The second stage is the transportation relaxation of the matching: age, gender, age spread, siblings, "
          "contra-indications and alternative care types are left out; the simulation checks them."),
        _("- A youth left without a place costs the instance's unplaced weight of its urgency per week; waiting weeks "
          "are estimated from the youths waiting by Little's law (waiting / arrivals per week)."),
        _("- New sites lie at the representative point of a gemeente (the one with most youths aged 0-17 of its "
          "jeugdregio when the options say every_jeugdregio)."),
        _("- References: Baron, Berman & Krass (2008); Mestre, Oliveira & Barbosa-Povoa (2015); Nickel, Reuter-Oppermann "
          "& Saldanha-da-Gama (2016); Mak, Morton & Wood (1999); de Bruin et al. (2010); Litvak et al. (2008)."),
    ]


def figures(options: Options, proposal: Proposal, verification: Verification | None) -> dict:
    """The report's figures as plain data."""
    def est(e: Estimate) -> dict:
        return {k: getattr(e, k) for k in ("plan", "cost", "cost_interval", "unplaced", "mean_wait_weeks", "km",
                                           "own_jeugdregio", "setting_steps", "funded_per_year", "occupied_per_year",
                                           "one_off")}

    data = {"name": options.name, "budget_per_year": options.budget.per_year, "today": est(proposal.today),
            "plans": {plan_name(options, k): est(e) for k, e in enumerate(proposal.plans, start=1)},
            "saa": proposal.saa, "network": proposal.network_size,
            "replicates": [{"status": r.status, "objective": r.objective, "bound": r.bound, "gap": r.gap,
                            "seconds": r.seconds, "size": r.size} for r in proposal.replicates],
            "tradeoff": [{"budget": b, **(est(e) if e else {})} for b, e in proposal.tradeoff],
            "seconds": proposal.seconds}
    if verification is not None:
        data["verification"] = {"best": verification.best, "confident": verification.confident,
                                "replications": verification.replications, "weeks": verification.weeks,
                                "means": {f"{n}.{f}": v for (n, f), v in verification.means.items()},
                                "versus_baseline": {f"{n}.{f}": d for (n, f), d in verification.versus_baseline.items()},
                                "seconds": verification.seconds}
    return data
