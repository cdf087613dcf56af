"""Ports of the transport context: what it needs from solver adapters."""

from __future__ import annotations

from typing import Protocol

from tradewind.transport.routing import Objective, Problem, Solution


class RouteSolver(Protocol):
    """Solves a last-mile VRPTW within a wall-clock budget.

    Implementations must be deterministic for a given ``seed`` (up to the time limit cutting
    the search at a different point) and must return the best solution they found; feasibility
    is re-checked by :func:`tradewind.transport.feasibility.check`, not trusted.
    """

    name: str

    def solve(
        self,
        problem: Problem,
        *,
        time_limit_s: float,
        seed: int = 0,
        objective: Objective = Objective.DISTANCE,
    ) -> Solution:
        """Return the best solution found within ``time_limit_s`` seconds.

        Raises
        ------
        NoSolutionFound
            When the search found no feasible solution in the budget.
        """
        ...
