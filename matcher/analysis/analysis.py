"""The analysis of one checked solve: everything a writer shows, computed once.

The run reads as its stages: read -> solve -> check -> **analyse** -> write. ``analyse`` takes the
solver's ``Result`` and the independent checker's ``CheckReport`` and computes, once, every figure
the solution folder, the report, the workbook and the map show: one row per youth with the reason
of every unplaced youth, the counts, the key figures and the value of one more place. The writers
(``matcher.output``, ``matcher.maps``) render an ``Analysis``; none of them solves.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from matcher.analysis.kpis import counts, kpis
from matcher.analysis.marginal import marginal_capacity
from matcher.i18n import _
from matcher.instance import Instance
from matcher.result import CheckReport, Result, YouthOutcome, relative_gap


@dataclass(frozen=True)
class Analysis:
    """One checked solve, analysed. Frozen: built once by ``analyse`` and handed to every writer.

    ``result`` is the solve without its relaxation; ``report`` the checker's verdict, whose
    objective is the one shown. ``outcomes`` has one row per youth, in the instance's order, with
    the reason of every unplaced youth. ``counts`` and ``kpis`` are as in summary.json;
    ``marginal_capacity`` is summary.json's key of that name (None without a valid solution, or
    when the analysis was asked to leave it out). ``run`` records the options of the solve.
    """

    instance: Instance
    result: Result
    report: CheckReport
    outcomes: tuple[YouthOutcome, ...]
    counts: dict
    kpis: dict
    marginal_capacity: dict | None
    run: dict = field(default_factory=dict)
    instance_path: str | None = None

    @property
    def status(self) -> str:
        return self.result.status

    @property
    def objective(self) -> float:
        """The objective as the independent checker recomputed it."""
        return self.report.objective

    @property
    def best_bound(self) -> float:
        """The proven lower bound, never above the objective shown."""
        return min(self.result.best_bound, self.report.objective)

    @property
    def gap(self) -> float:
        return relative_gap(self.objective, self.best_bound)


def with_reasons(report: CheckReport, result: Result,
                 reason_prefix: Mapping[str, str] | None = None) -> list[YouthOutcome]:
    """The checker's rows, with the solver's reason for every unplaced youth (``reason_prefix``:
    words put before it, per youth)."""
    prefix = reason_prefix or {}
    rows = []
    for o in report.outcomes:
        if o.status == "unplaced":
            reason = result.reasons.get(o.youth_id) or _("no reason recorded")
            o = dataclasses.replace(o, reason=f"{prefix[o.youth_id]}; {reason}" if o.youth_id in prefix else reason)
        rows.append(o)
    return rows


def analyse(instance: Instance, result: Result, report: CheckReport, *, run: Mapping[str, Any] | None = None,
            instance_path: str | None = None, reason_prefix: Mapping[str, str] | None = None,
            with_marginal: bool = True) -> Analysis:
    """Analyse a solve that the checker has seen: rows with reasons, counts, key figures and the
    value of one more place (``with_marginal``; it re-solves a few trial instances).

    ``run`` (seed, time limit, threads) is recorded as given; its ``seed`` also seeds the re-solves.
    """
    run = dict(run or {})
    outcomes = tuple(with_reasons(report, result, reason_prefix))
    marginal = None
    if with_marginal:
        marginal = marginal_capacity(instance, result.unit_of, report.objective, result.status,
                                     seed=run.get("seed", 0), known=result.relaxation)
    return Analysis(
        instance=instance,
        result=dataclasses.replace(result, relaxation=None),  # its pairs are not needed after this
        report=report,
        outcomes=outcomes,
        counts=counts(instance, outcomes),
        kpis=kpis(instance, outcomes),
        marginal_capacity=marginal,
        run=run,
        instance_path=instance_path,
    )
