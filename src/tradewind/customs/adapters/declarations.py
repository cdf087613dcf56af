"""A stored parcel's customs declaration and risk assessment, rebuilt from the order.

The CLI's view of what the platform declares for a parcel a foreign seller ships itself: the
sale value (the simulation may have a seller declare less; see ``simulation/border.py``), the
platform's IOSS number on EU H7 parcels, and the risk score customs would compute with no
sender history.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from tradewind.customs.api import SenderHistory, assess_risk
from tradewind.platform.db import tables as t
from tradewind.shared.errors import NotFound
from tradewind.shared.money import Money
from tradewind.simulation.adapters.border import BorderDesk, parcel_lines


def declaration_for(engine: Engine, shipment_id: str) -> dict[str, Any]:
    """``{"declaration": ..., "risk": ...}`` of one cross-border seller parcel."""
    s, sl, ol, p, sel, c, o = (
        t.shipments, t.shipment_lines, t.order_lines, t.products, t.sellers, t.customers,
        t.orders,
    )  # fmt: skip
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                s.c.origin,
                sl.c.quantity,
                p.c.title,
                p.c.hs_code,
                p.c.category,
                p.c.weight_g,
                ol.c.unit_price_minor,
                ol.c.shipping_minor,
                ol.c.currency,
                sel.c.seller_id,
                sel.c.name.label("seller_name"),
                sel.c.country.label("seller_country"),
                c.c.site_id,
                c.c.name.label("customer_name"),
                c.c.city.label("customer_city"),
                t.sites.c.country.label("customer_country"),
                o.c.placed_at,
            )
            .join(sl, sl.c.shipment_id == s.c.shipment_id)
            .join(ol, (ol.c.order_id == s.c.order_id) & (ol.c.line_no == sl.c.line_no))
            .join(p, p.c.product_id == ol.c.product_id)
            .join(sel, sel.c.seller_id == ol.c.seller_id)
            .join(o, o.c.order_id == s.c.order_id)
            .join(c, c.c.customer_id == o.c.customer_id)
            .join(t.sites, t.sites.c.site_id == c.c.site_id)
            .where(s.c.shipment_id == shipment_id)
            .order_by(sl.c.line_no)
        ).all()
    if not rows:
        raise NotFound(f"no shipment {shipment_id}")
    r0 = rows[0]
    if not r0.origin.startswith("seller:") or r0.seller_country == r0.customer_country:
        raise NotFound(
            f"shipment {shipment_id} does not cross a border (ships from {r0.origin}, "
            f"seller in {r0.seller_country}, customer in {r0.customer_country})"
        )
    lines = parcel_lines(rows)
    desk = BorderDesk(engine, seed=0)
    declaration = desk.declare(
        shipment_id,
        (r0.seller_id, r0.seller_name, r0.seller_country),
        (r0.site_id, r0.customer_name, r0.customer_city, r0.customer_country),
        lines,
        1.0,
        r0.placed_at.date(),
    )
    risk = assess_risk(
        declaration,
        catalog_prices={n: Money(x.unit_price_minor, x.currency) for n, x in enumerate(lines)},
        history=SenderHistory(),
        screening=desk.screening,
    )
    return {
        "declaration": declaration.to_record(),
        "risk": {
            "score": risk.score,
            "recommendation": str(risk.recommendation),
            "findings": [
                {"reason": str(f.reason), "points": f.points, "detail": f.detail}
                for f in risk.findings
            ],
            "sender_history": "not used (no history outside a simulation run)",
        },
    }
