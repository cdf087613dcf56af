"""The checkout's import quoter over the customs context's landed-cost engine."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from tradewind.customs.api import QuoteLine, QuoteRequest, hs_for_category, quote_landed_cost
from tradewind.orders.ports import ImportCharges, ImportItem
from tradewind.shared.money import Money


class CustomsImportQuoter:
    """Quotes with the vendored 2026 rule tables; a seller's HS code wins over the category's
    default heading."""

    def quote(
        self, origin: str, destination: str, items: Sequence[ImportItem], shipping: Money, on: date
    ) -> ImportCharges:
        lines = tuple(
            QuoteLine(item.hs_code or hs_for_category(item.category), item.value, item.quantity)
            for item in items
        )
        q = quote_landed_cost(QuoteRequest(origin, destination, lines, shipping, on))
        if q.currency != shipping.currency:  # pragma: no cover - the engine quotes in the
            raise ValueError(f"quote in {q.currency}, expected {shipping.currency}")  # site's
        return ImportCharges(q.duty, q.vat, q.fees, tuple(q.rule_ids()))
