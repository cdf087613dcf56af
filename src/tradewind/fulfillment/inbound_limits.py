"""Limits on every input of an inbound plan that drives work (pure).

A seller's request sets how much planning the server does: the promised arrival sets how many
scheduled departures the line-haul search expands (about a second of CPU per shipment per 30
days on the demo world), the units set how many container-sized shipments there are, and the
lines how big the placement LP is. Each is bounded here, checked before anything is written,
and refused with ``invalid_inbound_plan`` (422) naming the field and the limit. The time
budgets stop a search that is still too slow (a busy server): the request then fails with
``planning_budget_exceeded`` (503) and nothing is written.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tradewind.fulfillment.inbound import InvalidInboundPlan

MAX_PROMISE = timedelta(days=180)
"""Latest ``arrive_by``: 180 days after the plan is created (a slow vessel from Asia to
Europe or the US plus dwell is under 60; nobody books FBA inbound half a year ahead)."""

MAX_LINES = 500
"""Products per plan."""

MAX_LINE_UNITS = 1_000_000
"""Units of one product per plan."""

MAX_PLAN_UNITS = 2_000_000
"""Units per plan over all lines."""

MAX_SHIPMENTS = 200
"""Line-haul shipments per plan (one per destination FC, split into parts of at most 20 t):
at most 4,000 t a plan; heavier freight is split over several plans."""

LINEHAUL_BUDGET_S = 20.0
"""Wall-clock seconds the line-haul planning of one plan may take before it gives up."""

TRANSFER_BUDGET_S = 10.0
"""Wall-clock seconds the truck plans of one transfer report may take; proposals not planned
by then carry ``no_path`` with ``planning_budget_exceeded``."""

MIN_COVER_DAYS, MAX_COVER_DAYS = 0.1, 365.0
"""Range of the transfer report's ``cover_days`` (days of forecast demand a region holds)."""

MAX_TRANSFER_PROPOSALS = 1_000
"""Most proposals one transfer report returns (and plans trucks for); the rest are counted."""


def check_promise(arrive_by: datetime | None, ready: datetime, field: str = "arrive_by") -> None:
    """Raise ``InvalidInboundPlan`` when ``arrive_by`` is more than :data:`MAX_PROMISE` after
    ``ready`` (the plan's creation)."""
    if arrive_by is None or arrive_by - ready <= MAX_PROMISE:
        return
    latest = ready + MAX_PROMISE
    raise InvalidInboundPlan(
        f"{field} {arrive_by.isoformat()} is too far ahead: it may be at most "
        f"{MAX_PROMISE.days} days after the plan is created (latest {latest.isoformat()})",
        errors=[
            {
                "field": field,
                "value": arrive_by.isoformat(),
                "max_days": MAX_PROMISE.days,
                "latest": latest.isoformat(),
            }
        ],
    )


def check_size(lines: tuple[tuple[str, int], ...]) -> None:
    """Raise ``InvalidInboundPlan`` when the plan has too many lines or units."""
    errors: list[dict[str, object]] = []
    if len(lines) > MAX_LINES:
        errors.append({"field": "lines", "reason": f"at most {MAX_LINES} products per plan"})
    for n, (_, units) in enumerate(lines, start=1):
        if units > MAX_LINE_UNITS:
            errors.append(
                {"field": f"lines[{n}].units", "reason": f"at most {MAX_LINE_UNITS:,} units"}
            )
    total = sum(units for _, units in lines)
    if total > MAX_PLAN_UNITS:
        errors.append(
            {"field": "lines", "reason": f"{total:,} units; at most {MAX_PLAN_UNITS:,} per plan"}
        )
    if errors:
        raise InvalidInboundPlan("the inbound plan is too large; split it", errors=errors)


def check_shipments(count: int, kg: float) -> None:
    """Raise ``InvalidInboundPlan`` when the freight needs more than :data:`MAX_SHIPMENTS`."""
    if count > MAX_SHIPMENTS:
        raise InvalidInboundPlan(
            f"the plan's {kg:,.0f} kg need {count} line-haul shipments; at most "
            f"{MAX_SHIPMENTS} per plan: split it into several plans",
            errors=[{"field": "lines", "shipments": count, "max_shipments": MAX_SHIPMENTS}],
        )
