"""Plain-data views of a quote for JSON output (CLI, checkout API); amounts as strings."""

from __future__ import annotations

from typing import Any

from tradewind.customs.fx import FxBook, default_fx_book
from tradewind.customs.model import LandedCostQuote


def quote_to_dict(quote: LandedCostQuote, fx: FxBook | None = None) -> dict[str, Any]:
    """Decimal strings in the destination currency (never floats) plus minor units."""
    book = fx or default_fx_book()
    amounts = {
        "duty": quote.duty,
        "vat": quote.vat,
        "fees": quote.fees,
        "total_landed": quote.total_landed,
    }
    out: dict[str, Any] = {k: book.format(v) for k, v in amounts.items()}
    out["currency"] = quote.currency
    out["collected_at_sale"] = quote.collected_at_sale
    out["goods"] = book.format(quote.goods)
    out["shipping"] = book.format(quote.shipping)
    out["customs_value"] = book.format(quote.customs_value)
    out["minor_units"] = {k: v.amount for k, v in amounts.items()}
    out["rules"] = [
        {
            "id": r.id,
            "kind": r.kind,
            "detail": r.detail,
            "citation": {
                "title": r.citation.title,
                "url": r.citation.url,
                "verified": r.citation.verified,
            },
        }
        for r in quote.rules
    ]
    return out
