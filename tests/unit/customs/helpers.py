"""Small builders shared by the customs tests."""

from __future__ import annotations

from datetime import date

from tradewind.customs.fx import default_fx_book
from tradewind.customs.landed_cost import quote_landed_cost
from tradewind.customs.model import LandedCostQuote, QuoteLine, QuoteRequest

TODAY = date(2026, 11, 26)


def quote(
    origin: str,
    dest: str,
    lines: list[tuple[str, str]],
    currency: str,
    shipping: str = "0",
    on: date = TODAY,
    region: str | None = None,
) -> LandedCostQuote:
    """Quote from decimal strings, e.g. ``quote("CN", "DE", [("640411", "45.00")], "EUR")``."""
    fx = default_fx_book()
    return quote_landed_cost(
        QuoteRequest(
            origin=origin,
            destination=dest,
            lines=tuple(QuoteLine(hs, fx.parse(v, currency)) for hs, v in lines),
            shipping=fx.parse(shipping, currency),
            on=on,
            region=region,
        )
    )


def major(q: LandedCostQuote) -> dict[str, str]:
    """The quote's amounts as decimal strings in its currency."""
    fx = default_fx_book()
    return {
        "duty": fx.format(q.duty),
        "vat": fx.format(q.vat),
        "fees": fx.format(q.fees),
        "total": fx.format(q.total_landed),
    }
