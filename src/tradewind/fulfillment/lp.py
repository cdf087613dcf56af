"""A linear (or mixed-integer) program as plain data, and what a solver gives back.

Pure and solver-agnostic: the sourcing formulations build a ``LinearProgram``; an ``LpSolver``
adapter (HiGHS) maps it to its own types. Minimisation only. Rows are ``lower <= a.x <= upper``
with the matrix stored as (row, column, value) triples.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

INF = math.inf


class LpStatus(StrEnum):
    OPTIMAL = "optimal"
    TIME_LIMIT = "time_limit"
    INFEASIBLE = "infeasible"
    ERROR = "error"


@dataclass(slots=True)
class LinearProgram:
    """Minimise ``cost . x`` subject to row and column bounds; built column by column."""

    cost: list[float] = field(default_factory=list)
    col_lower: list[float] = field(default_factory=list)
    col_upper: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    row_lower: list[float] = field(default_factory=list)
    row_upper: list[float] = field(default_factory=list)
    entries: list[tuple[int, int, float]] = field(default_factory=list)
    offset: float = 0.0

    @property
    def num_cols(self) -> int:
        return len(self.cost)

    @property
    def num_rows(self) -> int:
        return len(self.row_lower)

    def add_col(
        self, cost: float, lower: float = 0.0, upper: float = INF, *, integer: bool = False
    ) -> int:
        """Append a column and return its index."""
        self.cost.append(cost)
        self.col_lower.append(lower)
        self.col_upper.append(upper)
        self.integer.append(integer)
        return len(self.cost) - 1

    def add_row(self, terms: list[tuple[int, float]], lower: float, upper: float) -> int:
        """Append a row ``lower <= sum(coef * x[col]) <= upper`` and return its index."""
        row = len(self.row_lower)
        self.row_lower.append(lower)
        self.row_upper.append(upper)
        self.entries.extend((row, col, coef) for col, coef in terms)
        return row

    @property
    def is_mip(self) -> bool:
        return any(self.integer)


@dataclass(frozen=True, slots=True)
class LpSolution:
    """``row_duals`` follow the usual sign for minimisation: a binding ``<=`` row has dual <= 0.

    MIPs return no duals (empty tuple). ``values`` is empty unless a solution was found.
    """

    status: LpStatus
    objective: float = INF
    values: tuple[float, ...] = ()
    row_duals: tuple[float, ...] = ()
    message: str = ""
    solve_ms: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status is LpStatus.OPTIMAL and bool(self.values)
