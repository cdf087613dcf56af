"""The plain-JSON shape of an inbound plan (API, CLI and the stored fee options). Pure."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tradewind.fulfillment.inbound import FeeOption, InboundLine, InboundPlan
from tradewind.fulfillment.inbound_linehaul import InboundLinehaul
from tradewind.fulfillment.linehaul_port import ContainerLoad, ShipmentLinehaul


def line_json(line: InboundLine) -> dict[str, Any]:
    return {"sku": line.sku, "product_id": line.product_id, "units": line.units}


def option_json(o: FeeOption) -> dict[str, Any]:
    return {
        "max_fcs": o.max_fcs,
        # Whole US cents: the fee is money the seller pays; the network cost is the model's
        # estimate, shown in the same unit.
        "network_cost_cents": round(o.network_cost),
        "placement_fee_cents": round(o.seller_fee),
        "total_cents": round(o.network_cost) + round(o.seller_fee),
        "destinations": list(o.destinations),
        "fallback_reason": o.fallback_reason,
    }


def option_from(d: dict[str, Any]) -> FeeOption:
    return FeeOption(
        d["max_fcs"],
        d["network_cost_cents"],
        d["placement_fee_cents"],
        tuple(d["destinations"]),
        d.get("fallback_reason"),
    )


def plan_public(plan: InboundPlan) -> dict[str, Any]:
    """The JSON shape of a plan (API and CLI): lines, placement per FC, fee choice, options."""
    choice = plan.choice
    return {
        "plan_id": plan.plan_id,
        "seller_id": plan.seller_id,
        "site_id": plan.site_id,
        "status": plan.status.value,
        "origin": {
            "country": plan.origin.country,
            "city": plan.origin.city,
            "lat": plan.origin.lat,
            "lon": plan.origin.lon,
        },
        "units": plan.units,
        "lines": [{**line_json(line), "received": plan.arrived(line.sku)} for line in plan.lines],
        "placements": [
            {
                "fc_id": p.fc_id,
                "sku": p.sku,
                "units": p.units,
                "received": p.received,
                "over": p.over,
                "short": p.short,
            }
            for p in plan.placements
        ],
        "fee_choice": option_json(choice) if choice else None,
        "options": [option_json(o) for o in plan.options],
        "created_at": plan.created_at.isoformat(),
        "version": plan.version,
    }


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when else None


def shipment_linehaul_json(s: ShipmentLinehaul) -> dict[str, Any]:
    """One shipment's line-haul: legs and totals, or ``no_path`` with the earliest arrival."""
    r = s.request
    miss = s.no_path
    return {
        "shipment_id": r.shipment_id,
        "from": r.origin or None,
        "to": r.destination,
        "kg": round(r.kg, 3),
        "status": "planned" if miss is None else "no_path",
        "legs": [
            {
                "from": leg.origin,
                "to": leg.destination,
                "mode": leg.mode,
                "depart": leg.depart.isoformat(),
                "arrive": leg.arrive.isoformat(),
                "cost_cents": leg.cost_cents,
                "co2_kg": round(leg.co2_kg, 3),
            }
            for leg in s.legs
        ],
        "cost_cents": s.cost_cents if miss is None else None,
        "co2_kg": round(s.co2_kg, 3) if miss is None else None,
        "arrival": _iso(s.arrival),
        "no_path": None
        if miss is None
        else {
            "code": miss.code,
            "detail": miss.detail,
            "earliest_arrival": _iso(miss.earliest_arrival),
        },
    }


def load_json(load: ContainerLoad) -> dict[str, Any]:
    return {
        "unit_id": load.unit_id,
        "unit": load.unit_name,
        "mode": load.mode,
        "from": load.origin,
        "to": load.destination,
        "depart": load.depart.isoformat(),
        "arrive": load.arrive.isoformat(),
        "kg": round(load.kg, 3),
        "fill": round(load.kg / load.capacity_kg, 4),
        "shipments": [sid for sid, _ in load.parts],
    }


def linehaul_json(lh: InboundLinehaul) -> dict[str, Any]:
    """The JSON shape of an inbound plan's line-haul (API and CLI); money in US cents."""
    planned = [s for s in lh.outcome.shipments if s.no_path is None]
    return {
        "origin": lh.origin,
        "ready": lh.ready.isoformat(),
        "arrive_by": lh.deadline.isoformat(),
        "minimise": lh.criterion,
        "shipments": [shipment_linehaul_json(s) for s in lh.outcome.shipments],
        "containers": [load_json(x) for x in lh.outcome.loads],
        "cost_cents": sum(s.cost_cents for s in planned),
        "co2_kg": round(sum(s.co2_kg for s in planned), 3),
        "all_planned": len(planned) == len(lh.outcome.shipments),
    }
