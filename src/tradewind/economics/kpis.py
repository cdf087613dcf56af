"""KPIs of a simulated period, from plain aggregates (what `simulate --json` prints)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Aggregates:
    orders: int
    units: int
    gmv_usd_cents: int
    gmv_3p_usd_cents: int
    shipments: int
    split_orders: int
    delivered: int
    delivered_on_time: int
    fba_units_3p: int
    units_3p: int
    fulfillment_cost_usd_cents: int


def kpis(a: Aggregates) -> dict[str, float | int]:
    def ratio(num: float, den: float) -> float:
        return round(num / den, 4) if den else 0.0

    return {
        "orders": a.orders,
        "units": a.units,
        "gmv_usd": round(a.gmv_usd_cents / 100, 2),
        "shipments": a.shipments,
        "delivered": a.delivered,
        "on_time_rate": ratio(a.delivered_on_time, a.delivered),
        "split_rate": ratio(a.split_orders, a.orders),
        "fulfillment_cost_share": ratio(a.fulfillment_cost_usd_cents, a.gmv_usd_cents),
        "cost_per_order_usd": round(a.fulfillment_cost_usd_cents / a.orders / 100, 2)
        if a.orders
        else 0.0,
        "share_3p_gmv": ratio(a.gmv_3p_usd_cents, a.gmv_usd_cents),
        "share_fba_units_3p": ratio(a.fba_units_3p, a.units_3p),
    }
