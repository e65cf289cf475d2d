"""The outcome of a solve: who goes where, how good it is, and why anyone is left out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

OPTIMAL = "OPTIMAL"
FEASIBLE = "FEASIBLE"
INFEASIBLE = "INFEASIBLE"
INVALID_INPUT = "INVALID_INPUT"


@dataclass(frozen=True)
class Result:
    """A solve's answer.

    ``unit_of`` maps EVERY youth id to the unit it is in afterwards (``None`` = unplaced);
    occupants who stay map to their current unit. ``reasons`` has an entry for every unplaced
    youth (none when ``SolveParams.unplaced_reasons`` is off). ``best_bound`` is a proven lower
    bound on the objective (never above it).
    """

    status: str
    objective: float
    best_bound: float
    wall_seconds: float
    unit_of: dict[str, str | None]
    reasons: dict[str, str] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)
    #: The search's starting relaxation (``matcher.solver.flow.Relaxation``) when the solve was asked to
    #: keep it, so that what comes after (the marginal value of capacity) need not build it again.
    relaxation: Any = field(default=None, compare=False, repr=False)

    @property
    def gap(self) -> float:
        """Relative gap (objective - bound) / max(|objective|, 1); 0 when optimal."""
        return relative_gap(self.objective, self.best_bound)

    def is_feasible(self) -> bool:
        return self.status in (OPTIMAL, FEASIBLE)


@dataclass(frozen=True)
class YouthOutcome:
    """One row of ``assignments.csv``: where a youth ends up and what that costs."""

    youth_id: str
    status: str  # placed | stays | moved | unplaced
    unit_id: str | None
    location_id: str | None
    provider: str | None
    distance_km: float | None
    setting_steps: int | None
    home_jeugdregio: str
    unit_jeugdregio: str | None
    scope: str | None  # jeugdregio | bovenregio | landelijk
    cost: float
    reason: str = ""


@dataclass(frozen=True)
class CheckReport:
    """The independent checker's verdict on an assignment (see ``matcher.analysis.check``)."""

    ok: bool
    violations: tuple[str, ...]
    objective: float
    outcomes: tuple[YouthOutcome, ...]  # in instance.youths order


def relative_gap(objective: float, bound: float) -> float:
    """How far from optimal an objective can at most be: (objective - bound) / max(|objective|, 1).

    The one definition of ``gap`` (summary.json, progress lines, benchmarks)."""
    return max(0.0, objective - bound) / max(abs(objective), 1.0)
