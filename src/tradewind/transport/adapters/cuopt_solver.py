"""Optional NVIDIA cuOpt adapter for :class:`tradewind.transport.ports.RouteSolver`.

Used only when a GPU and the ``cuopt`` package (with ``cudf``) are present; nothing imports
cuOpt until :meth:`CuOptSolver.create` is called, and no test needs it. It has not been run in
this repository's CI (no GPU there): treat its figures as unverified until benchmarked.

cuOpt works in float32, so travel times are padded by ``time_pad`` to keep a schedule it accepts
feasible under the exact checker; as everywhere, the checker has the last word.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from tradewind.transport.routing import (
    NoSolutionFound,
    Objective,
    Problem,
    Route,
    RoutingError,
    Solution,
)

_HORIZON_CAP = 1e9


class SolverUnavailable(RoutingError):
    """The optional solver's package (or its GPU) is not available here."""


@dataclass
class CuOptSolver:
    """cuOpt routing (GPU). Build it with :meth:`create`, which checks the import."""

    modules: tuple[Any, Any]
    time_pad: float = 1e-3
    name: str = "cuopt"

    @classmethod
    def create(cls) -> CuOptSolver:
        """Import cuOpt lazily; raise :class:`SolverUnavailable` with a clear reason if absent."""
        try:
            import cudf
            from cuopt import routing
        except ImportError as exc:
            raise SolverUnavailable(
                "the cuOpt solver needs the 'cuopt' and 'cudf' packages and an NVIDIA GPU "
                f"({exc}); use the default PyVRP solver instead"
            ) from None
        return cls(modules=(cudf, routing))

    def solve(
        self,
        problem: Problem,
        *,
        time_limit_s: float,
        seed: int = 0,
        objective: Objective = Objective.DISTANCE,
    ) -> Solution:
        """Best solution cuOpt finds in ``time_limit_s``; cuOpt exposes no seed (unused)."""
        started = time.perf_counter()
        cudf, routing = self.modules
        n = problem.num_clients + 1
        cost = [[problem.distance(a, b) for b in range(n)] for a in range(n)]
        travel = [
            [d + self.time_pad if a != b else 0.0 for b, d in enumerate(row)]
            for a, row in enumerate(cost)
        ]
        model = routing.DataModel(n, problem.fleet_size, problem.num_clients)
        model.add_cost_matrix(cudf.DataFrame(cost, dtype="float32"))
        model.add_transit_time_matrix(cudf.DataFrame(travel, dtype="float32"))
        model.set_order_locations(cudf.Series(list(range(1, n)), dtype="int32"))
        model.add_capacity_dimension(
            "demand",
            cudf.Series([c.demand for c in problem.clients], dtype="int32"),
            cudf.Series([problem.vehicle_capacity] * problem.fleet_size, dtype="int32"),
        )
        model.set_order_time_windows(
            cudf.Series([_cap(c.ready) for c in problem.clients], dtype="float32"),
            cudf.Series([_cap(c.due) for c in problem.clients], dtype="float32"),
        )
        model.set_order_service_times(
            cudf.Series([c.service for c in problem.clients], dtype="float32")
        )
        depot = problem.depot
        model.set_vehicle_time_windows(
            cudf.Series([_cap(depot.ready)] * problem.fleet_size, dtype="float32"),
            cudf.Series([_cap(depot.due)] * problem.fleet_size, dtype="float32"),
        )
        if objective is Objective.VEHICLES_THEN_DISTANCE:
            model.set_min_vehicles(1)  # cuOpt minimises the fleet first by default
        settings = routing.SolverSettings()
        settings.set_time_limit(time_limit_s)
        result = routing.Solve(model, settings)
        if result.get_status() != 0:
            raise NoSolutionFound(f"cuOpt: {result.get_error_message()}")
        return Solution(
            _routes(result.get_route().to_pandas()),
            solver=self.name,
            runtime_s=time.perf_counter() - started,
        )


def _cap(value: float) -> float:
    return _HORIZON_CAP if math.isinf(value) else value


def _routes(frame: Any) -> tuple[Route, ...]:
    """Group cuOpt's route table (``truck_id``, ``route`` location, ``type``) into routes."""
    visits: dict[int, list[int]] = {}
    for truck, location, kind in zip(frame["truck_id"], frame["route"], frame["type"], strict=True):
        if str(kind).lower() not in {"depot", "start", "end"} and int(location) != 0:
            visits.setdefault(int(truck), []).append(int(location))
    return tuple(Route(tuple(v)) for _, v in sorted(visits.items()))
