"""Line-haul planning: cheapest (or lowest-CO2) path over scheduled departures (stdlib only).

A time-dependent shortest path: a shipment of ``kg`` is ready at ``origin`` at ``ready`` and must
reach ``destination`` by ``deadline``. Every departure is a scheduled trip on a lane (a weekly
vessel, a daily truck ...) that can be boarded if the shipment is at the lane's origin at least
``min_connection`` before it leaves and the departure has ``kg`` of capacity left.

The search is a connection scan: departures sorted by departure time, each one relaxed from the
best label already at its origin. As every departure arrives after it leaves, a label that can
board a departure was created by an earlier one, so one pass is exact. Costs are additive, so
keeping, per node, every label (arrival, value) is enough; dominated labels are dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from tradewind.shared.errors import CommonError, TradewindError


class LinehaulError(TradewindError):
    """A lane, departure or request was malformed."""

    code = CommonError.VALIDATION_FAILED
    status = 422


class BudgetErrorCode(StrEnum):
    BUDGET_EXCEEDED = "planning_budget_exceeded"


class PlanningBudgetExceeded(TradewindError):
    """The caller's ``stop`` said the search ran out of time: no answer, nothing half-done.

    503: the request was valid, the service could not finish it in time; retrying with a
    nearer deadline or a smaller shipment set does less work."""

    code = BudgetErrorCode.BUDGET_EXCEEDED
    status = 503


Stop = Callable[[], bool]
"""Asked every :data:`CHECK_EVERY` departures; ``True`` aborts the search (a time budget)."""

CHECK_EVERY = 512


def check_stop(stop: Stop | None, what: str) -> None:
    """Raise :class:`PlanningBudgetExceeded` when ``stop`` says so."""
    if stop is not None and stop():
        raise PlanningBudgetExceeded(f"line-haul planning ran out of time ({what})")


class Mode(StrEnum):
    SEA = "sea"
    AIR = "air"
    RAIL = "rail"
    TRUCK = "truck"


class Criterion(StrEnum):
    """What the planner minimises among paths that meet the deadline."""

    COST = "cost"
    CO2 = "co2"


@dataclass(frozen=True, slots=True)
class Lane:
    """A transport link between two nodes; money in minor units per kg and per shipment."""

    origin: str
    destination: str
    mode: Mode
    distance_km: float
    cost_per_kg_minor: int
    cost_per_shipment_minor: int
    co2_g_per_tonne_km: float

    def __post_init__(self) -> None:
        if self.origin == self.destination:
            raise LinehaulError(f"lane {self.origin}->{self.destination} is a loop")
        if self.distance_km < 0 or self.cost_per_kg_minor < 0 or self.cost_per_shipment_minor < 0:
            raise LinehaulError(f"lane {self.origin}->{self.destination} has a negative value")

    def cost_minor(self, kg: float) -> int:
        return self.cost_per_shipment_minor + round(self.cost_per_kg_minor * kg)

    def co2_kg(self, kg: float) -> float:
        return self.co2_g_per_tonne_km * self.distance_km * (kg / 1000.0) / 1000.0


@dataclass(frozen=True, slots=True)
class Departure:
    """One scheduled trip on a lane, with the capacity still free on it."""

    lane: Lane
    depart: datetime
    arrive: datetime
    capacity_kg: float = float("inf")

    def __post_init__(self) -> None:
        if self.depart.tzinfo is None or self.arrive.tzinfo is None:
            raise LinehaulError("departure times must be timezone-aware")
        if self.arrive <= self.depart:
            raise LinehaulError(
                f"{self.lane.origin}->{self.lane.destination} arrives before it departs"
            )


@dataclass(frozen=True, slots=True)
class Plan:
    """The chosen departures in order, with totals."""

    legs: tuple[Departure, ...]
    cost_minor: int
    co2_kg: float

    @property
    def arrival(self) -> datetime:
        return self.legs[-1].arrive

    @property
    def nodes(self) -> tuple[str, ...]:
        return (self.legs[0].lane.origin, *(leg.lane.destination for leg in self.legs))


@dataclass(frozen=True, slots=True)
class _Label:
    arrival: datetime
    cost_minor: int
    co2_kg: float
    via: Departure | None
    parent: _Label | None


def _key(label: _Label, criterion: Criterion) -> tuple[float, float]:
    primary = label.cost_minor if criterion is Criterion.COST else label.co2_kg
    secondary = label.co2_kg if criterion is Criterion.COST else label.cost_minor
    return (primary, secondary)


def _best_before(
    labels: list[_Label], depart: datetime, connection: timedelta, criterion: Criterion
) -> _Label | None:
    """Best label that can board at ``depart``; transfers (not the start) need ``connection``."""
    usable = [
        lb for lb in labels if lb.arrival + (connection if lb.via else timedelta(0)) <= depart
    ]
    return min(usable, key=lambda lb: (*_key(lb, criterion), lb.arrival)) if usable else None


def _add(labels: list[_Label], new: _Label, criterion: Criterion) -> None:
    """Insert ``new`` unless an existing label arrives no later and is no worse."""
    new_key = _key(new, criterion)
    for old in labels:
        if old.arrival <= new.arrival and _key(old, criterion) <= new_key:
            return
    labels[:] = [
        old
        for old in labels
        if not (new.arrival <= old.arrival and new_key <= _key(old, criterion))
    ]
    labels.append(new)


@dataclass(frozen=True, slots=True)
class Request:
    """Move ``kg`` from ``origin`` (ready at ``ready``) to ``destination`` by ``deadline``."""

    origin: str
    destination: str
    kg: float
    ready: datetime
    deadline: datetime
    criterion: Criterion = Criterion.COST
    min_connection: timedelta = timedelta(0)

    def __post_init__(self) -> None:
        if self.kg <= 0:
            raise LinehaulError(f"shipment weight must be positive, got {self.kg}")
        if self.deadline < self.ready:
            raise LinehaulError("the deadline is before the shipment is ready")


def plan_path(
    departures: Iterable[Departure], request: Request, *, stop: Stop | None = None
) -> Plan | None:
    """Cheapest (or lowest-CO2) sequence of departures meeting the deadline, or ``None``.

    Ties on the criterion are broken by the other measure, then by earlier arrival. ``stop``
    (a time budget) is asked every :data:`CHECK_EVERY` departures; when it says so the search
    raises :class:`PlanningBudgetExceeded`.
    """
    if request.origin == request.destination:
        raise LinehaulError("origin and destination are the same node")
    labels: dict[str, list[_Label]] = {request.origin: [_Label(request.ready, 0, 0.0, None, None)]}
    for n, dep in enumerate(sorted(departures, key=lambda d: (d.depart, d.arrive))):
        if n % CHECK_EVERY == 0:
            check_stop(stop, f"{request.origin} -> {request.destination}")
        if dep.arrive > request.deadline or dep.capacity_kg < request.kg:
            continue
        at_origin = labels.get(dep.lane.origin)
        if not at_origin:
            continue
        parent = _best_before(at_origin, dep.depart, request.min_connection, request.criterion)
        if parent is None:
            continue
        label = _Label(
            arrival=dep.arrive,
            cost_minor=parent.cost_minor + dep.lane.cost_minor(request.kg),
            co2_kg=parent.co2_kg + dep.lane.co2_kg(request.kg),
            via=dep,
            parent=parent,
        )
        _add(labels.setdefault(dep.lane.destination, []), label, request.criterion)
    arrived = [lb for lb in labels.get(request.destination, []) if lb.via is not None]
    best = _best_before(arrived, request.deadline, timedelta(0), request.criterion)
    if best is None:
        return None
    legs: list[Departure] = []
    node: _Label | None = best
    while node is not None and node.via is not None:
        legs.append(node.via)
        node = node.parent
    return Plan(tuple(reversed(legs)), best.cost_minor, best.co2_kg)
