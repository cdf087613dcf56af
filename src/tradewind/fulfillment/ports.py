"""Ports the fulfillment context needs from the outside: an LP/MIP solver."""

from __future__ import annotations

from typing import Protocol

from tradewind.fulfillment.lp import LinearProgram, LpSolution


class LpSolver(Protocol):
    """Solves a ``LinearProgram`` within a wall-clock limit, deterministically.

    Adapters must not raise for solver trouble: they return ``LpStatus.ERROR`` or
    ``TIME_LIMIT`` with a message, and the caller falls back to a greedy policy.
    """

    def solve(self, program: LinearProgram, *, time_limit_s: float) -> LpSolution: ...
