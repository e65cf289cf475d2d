"""The shared frame of the exact model: which youths are decided, which are pinned, and a
column/row builder that hands HiGHS the whole matrix at once.

A *sub-problem* decides the place of a set of free youths (x[p] = 1: the youth of candidate pair
p goes to its unit); every other youth is pinned where it is (occupants who cannot move, and,
in a neighbourhood search, youths whose place is kept). Pinned youths count as residents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from matcher.solver.candidates import Arrays, Candidates
from matcher.instance import Instance


def age_range_by_unit(units: np.ndarray, ages: np.ndarray, n_units: int) -> tuple[np.ndarray, np.ndarray]:
    """The youngest and oldest age per unit of youths at ``units`` (inf and -inf where none)."""
    youngest = np.full(n_units, np.inf)
    oldest = np.full(n_units, -np.inf)
    np.minimum.at(youngest, units, ages)
    np.maximum.at(oldest, units, ages)
    return youngest, oldest


def units_breaking_rules(a: Arrays, units: np.ndarray, among: np.ndarray | None = None) -> np.ndarray:
    """Per unit, whether the youths at ``units`` (a unit index per youth, -1 = none; ``a``: the
    instance's arrays) break its rules together: more youths than places, further apart in age
    than its spread, or two contra-indicated youths. With ``among`` (a mask over the units) only
    those units are judged, the others read False."""
    n_units = a.unit_capacity.size
    inside = units >= 0
    broken = np.bincount(units[inside], minlength=n_units) > a.unit_capacity
    spread = a.unit_spread >= 0 if among is None else (a.unit_spread >= 0) & among
    aged = inside.copy()
    aged[inside] = spread[units[inside]]
    youngest, oldest = age_range_by_unit(units[aged], a.youth_age[aged], n_units)
    broken |= spread & (oldest - youngest > a.unit_spread)
    ua, ub = units[a.conflict_a], units[a.conflict_b]
    broken[ua[(ua >= 0) & (ua == ub)]] = True
    return broken if among is None else broken & among


#: An empty list of candidate pairs.
NO_PAIRS = np.zeros(0, dtype=np.int64)

#: Pairs handled at a time where a pass over every candidate pair of a national model would
#: otherwise hold several arrays of that size at once.
PAIR_SLICE = 1_000_000


def pair_slices(n: int, size: int = PAIR_SLICE):
    """``(start, stop)`` of consecutive slices of ``range(n)``."""
    for start in range(0, n, size):
        yield start, min(n, start + size)


@dataclass
class MipBuilder:
    """Collects columns and rows as arrays; ``to_highs`` passes them to HiGHS in one go."""

    cost: list[np.ndarray] = field(default_factory=list)
    lower: list[np.ndarray] = field(default_factory=list)
    upper: list[np.ndarray] = field(default_factory=list)
    n_cols: int = 0
    row_lower: list[np.ndarray] = field(default_factory=list)
    row_upper: list[np.ndarray] = field(default_factory=list)
    coo_row: list[np.ndarray] = field(default_factory=list)
    coo_col: list[np.ndarray] = field(default_factory=list)
    coo_val: list[np.ndarray] = field(default_factory=list)
    n_rows: int = 0
    constant: float = 0.0

    def add_columns(self, cost, lower=0.0, upper=1.0) -> np.ndarray:
        """Binary columns with the given objective coefficients; returns their indices."""
        cost = np.asarray(cost, dtype=float)
        n = cost.size
        self.cost.append(cost)
        self.lower.append(np.broadcast_to(np.asarray(lower, dtype=float), (n,)).copy())
        self.upper.append(np.broadcast_to(np.asarray(upper, dtype=float), (n,)).copy())
        idx = np.arange(self.n_cols, self.n_cols + n)
        self.n_cols += n
        return idx

    def add_rows(self, lower, upper, rows, cols, vals) -> None:
        """Rows ``lower[r] <= sum vals * x[cols] <= upper[r]``; ``rows`` are 0-based local."""
        lower = np.asarray(lower, dtype=float)
        n = lower.size
        if n == 0:
            return
        self.row_lower.append(lower)
        self.row_upper.append(np.asarray(upper, dtype=float))
        self.coo_row.append(np.asarray(rows, dtype=np.int64) + self.n_rows)
        self.coo_col.append(np.asarray(cols, dtype=np.int64))
        self.coo_val.append(np.asarray(vals, dtype=float))
        self.n_rows += n

    def fix_zero(self, cols) -> None:
        """Forbid columns (upper bound 0)."""
        if len(cols) == 0:
            return
        upper = np.concatenate(self.upper)
        upper[np.asarray(cols, dtype=np.int64)] = 0.0
        self.upper = [upper]
        self.lower = [np.concatenate(self.lower)]
        self.cost = [np.concatenate(self.cost)]

    def matrix(self):
        """The constraint matrix (rows x columns, scipy CSR, duplicates summed)."""
        from scipy.sparse import csr_matrix

        if not self.n_rows:
            return csr_matrix((0, self.n_cols))
        mat = csr_matrix(
            (np.concatenate(self.coo_val), (np.concatenate(self.coo_row), np.concatenate(self.coo_col))),
            shape=(self.n_rows, self.n_cols),
        )
        mat.sum_duplicates()
        return mat

    def column_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Cost, lower and upper bound of every column."""
        if not self.cost:
            return np.zeros(0), np.zeros(0), np.zeros(0)
        return np.concatenate(self.cost), np.concatenate(self.lower), np.concatenate(self.upper)

    def to_highs(self):
        """The whole model as a HiGHS MIP."""
        import highspy

        lp = highspy.HighsLp()
        lp.num_col_ = self.n_cols
        lp.num_row_ = self.n_rows
        lp.col_cost_, lp.col_lower_, lp.col_upper_ = self.column_arrays()
        lp.offset_ = self.constant
        if self.n_rows:
            lp.row_lower_ = np.concatenate(self.row_lower)
            lp.row_upper_ = np.concatenate(self.row_upper)
            mat = self.matrix()
            lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
            lp.a_matrix_.start_ = mat.indptr.astype(np.int32)
            lp.a_matrix_.index_ = mat.indices.astype(np.int32)
            lp.a_matrix_.value_ = mat.data
        else:
            lp.a_matrix_.start_ = np.zeros(1, dtype=np.int32)
        lp.integrality_ = [highspy.HighsVarType.kInteger] * self.n_cols
        return lp

    def lp_over(self, columns: np.ndarray, by_column):
        """The LP relaxation restricted to ``columns`` (every row kept); ``by_column`` is
        ``matrix()`` in CSC form."""
        import highspy

        lp = highspy.HighsLp()
        cost, lower, upper = self.column_arrays()
        lp.num_col_ = columns.size
        lp.num_row_ = self.n_rows
        lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost[columns], lower[columns], upper[columns]
        lp.offset_ = self.constant
        sub = by_column[:, columns]
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = sub.indptr.astype(np.int32)
        lp.a_matrix_.index_ = sub.indices.astype(np.int32)
        lp.a_matrix_.value_ = sub.data
        if self.n_rows:
            lp.row_lower_ = np.concatenate(self.row_lower)
            lp.row_upper_ = np.concatenate(self.row_upper)
        return lp


@dataclass
class SubProblem:
    """What one exact solve decides.

    ``pairs``: candidate pair indices whose youth is free (column k of the model is pair
    ``pairs[k]``). ``pinned``: for every youth, the unit index it is held in (-1 = unplaced or
    free). ``free``: mask of youths decided here.
    """

    instance: Instance
    cand: Candidates
    free: np.ndarray
    pinned: np.ndarray
    pairs: np.ndarray
    x: np.ndarray = field(default=None)  # column index of each pair in ``pairs``
    relax: dict[int, int] = field(default_factory=dict)  # dirty unit -> column of z_u ("receives")
    binds: set[int] = field(default_factory=set)  # units whose resident rules always hold
    #: Functions that fill a rule's helper columns from the pair columns of an assignment, so a
    #: known assignment can be handed to the solver as a complete start.
    completions: list = field(default_factory=list)
    #: Pricing pairs outside the model with an LP's row duals (``matcher.solver.exact.outside_bound``):
    #: functions ``dual -> (per youth, per unit)`` of what the rows an outside pair of that youth
    #: and unit would enter contribute to ``A^T y`` (either may be None). A row may be left out
    #: only where that contribution cannot be positive (a <= row with coefficient +1), which
    #: makes the outside reduced costs lower, never higher.
    outside_duals: list = field(default_factory=list)
    #: Functions ``(dual, reduced, outside) -> (points <= 0, pairs)``, ``outside`` a mask over
    #: the candidate pairs: how much the rule's helper columns that outside pairs would add (or
    #: whose bounds they would widen) could lower the LP value at most, and the outside pairs
    #: that would bring those columns (to price in).
    outside_helpers: list = field(default_factory=list)

    def release(self) -> None:
        """Drop the rule families' functions once the model is solved: they refer back to the
        sub-problem, a cycle that would otherwise keep it, its arrays and the model until Python's
        cycle collector happens to run."""
        self.completions.clear()
        self.outside_duals.clear()
        self.outside_helpers.clear()

    def complete(self, values: np.ndarray) -> np.ndarray:
        """Set every helper column in ``values`` (pair columns already set) consistently."""
        for fill in self.completions:
            fill(values)
        return values

    def ruled_units(self) -> list[int]:
        """Units whose resident rules matter here (always, or when they receive)."""
        return sorted(self.binds | set(self.relax))

    def relax_terms(self, unit: int, big: float) -> tuple[float, list[int], list[float]]:
        """For a row ``lhs <= rhs``: the extra ``big * (1 - z_u)`` moved to the left side.

        Returns (rhs increase, extra columns, their coefficients): ``lhs + big*z_u <= rhs + big``.
        """
        z = self.relax.get(unit)
        if z is None:
            return 0.0, [], []
        return big, [z], [big]

    # Derived per pair (aligned with ``pairs``).
    @property
    def youth(self) -> np.ndarray:
        return self.cand.pair_youth[self.pairs]

    @property
    def unit(self) -> np.ndarray:
        return self.cand.pair_unit[self.pairs]

    @property
    def incoming(self) -> np.ndarray:
        """Pairs that bring someone new into a unit (everything but an occupant staying)."""
        return ~self.cand.pair_stay[self.pairs]

    @cached_property
    def pinned_count(self) -> np.ndarray:
        """How many youths are pinned in every unit."""
        held = self.pinned[self.pinned >= 0]
        return np.bincount(held, minlength=self.cand.arrays.unit_capacity.size)
