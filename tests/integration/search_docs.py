"""Search documents for adapter tests (both adapters take the same documents)."""

from __future__ import annotations

from tradewind.catalog.search import SearchDoc, price_band


def make_doc(
    pid, site="XX", title="Red Mug", brand="Acme", category="kitchen", price=1500, fba=True,
    rating=None, reviews=0,
):  # fmt: skip
    return SearchDoc(
        pid, site, title, brand, category, price, "USD", price_band(price), fba, 1, rating, reviews
    )
