"""The plain-JSON shape of an inbound plan (API, CLI and the stored fee options). Pure."""

from __future__ import annotations

from typing import Any

from tradewind.fulfillment.inbound import FeeOption, InboundLine, InboundPlan


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
