"""The cart quote as JSON for the API and the cart page (money as minor units + currency)."""

from __future__ import annotations

from typing import Any

from tradewind.orders.cart_quote import CartQuote
from tradewind.platform.db.views import money
from tradewind.shared.money import Money


def _m(value: Money) -> dict[str, Any]:
    return money(value.amount, value.currency)


def cart_quote_dict(q: CartQuote) -> dict[str, Any]:
    return {
        "items": _m(q.items),
        "shipping": _m(q.shipping),
        "import_charges": {
            "duty": _m(q.duty),
            "vat": _m(q.vat),
            "fees": _m(q.fees),
            "total": _m(q.import_charges),
        },
        "parcels": [
            {
                "seller_id": p.shipment.origin.removeprefix("seller:"),
                "ships_from": p.ships_from,
                "duty": _m(p.charges.duty),
                "vat": _m(p.charges.vat),
                "fees": _m(p.charges.fees),
                "rules": list(p.charges.rules),
            }
            for p in q.parcels
        ],
        "total": _m(q.total),
        "member": q.member,
        "unavailable_offers": list(q.unavailable),
    }
