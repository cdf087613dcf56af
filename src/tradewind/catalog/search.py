"""Catalog search port: what the storefront asks of a search engine, and what it gets back.

A search document is one product *as offered on one site* (title, brand, category, the lowest
active price there, whether a membership-eligible offer exists, its star rating and review
count). Adapters live in
``tradewind.catalog.adapters.search`` (SQLite FTS5 by default). The index is derived data: it can be
rebuilt from the catalog at any time and is kept in step by re-indexing the products that
catalog/marketplace events name.

Facet counts are *drill-down* counts: each is computed over the hits that match the text and
every active filter (selecting a category narrows the brand and price-band counts too).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

# Price bands by USD-equivalent cents, so that one set of bands works on every site; the
# adapter converts each document's price to USD cents when it indexes it.
PRICE_BANDS_USD: tuple[tuple[str, int, int | None], ...] = (
    ("under-10", 0, 1_000),
    ("10-25", 1_000, 2_500),
    ("25-50", 2_500, 5_000),
    ("50-100", 5_000, 10_000),
    ("100-250", 10_000, 25_000),
    ("250-up", 25_000, None),
)
BAND_KEYS: tuple[str, ...] = tuple(key for key, _, _ in PRICE_BANDS_USD)


MAX_QUERY_CHARS = 200
"""The longest search text a shopper may send (the page shows a message, the API a 422)."""
MAX_QUERY_TERMS = 8
_WORD = re.compile(r"\w+", re.UNICODE)


def query_terms(text: str) -> tuple[str, ...]:
    """The one reading of a shopper's search text, shared by the storefront page, the API and
    every index adapter: runs of letters and digits (Unicode ``\\w``), lowercased, at most
    ``MAX_QUERY_TERMS``. Everything else (quotes, ``*``, brackets, ``-``, ``:``) separates
    words and is never query syntax, so ``kettle)`` means ``kettle`` and ``"`` or ``*`` alone
    mean no text at all (browse)."""
    return tuple(w.lower() for w in _WORD.findall(text))[:MAX_QUERY_TERMS]


def normalise_query(text: str) -> str:
    """``query_terms`` joined by single spaces: the text an adapter or a SQL filter reads."""
    return " ".join(query_terms(text))


RATING_FLOORS: tuple[int, ...] = (4, 3, 2, 1)
"""The rating filter's choices, "N stars & up": average rating (``rating_x10``) >= N x 10."""


def stars_floor(rating_x10: int | None) -> int:
    """Whole stars of an average rating (``rating_x10`` 10..50 -> 1..5); 0 without reviews."""
    return 0 if rating_x10 is None else max(0, min(5, rating_x10 // 10))


def rating_facet(per_stars: dict[int, int]) -> tuple[FacetCount, ...]:
    """The ``rating`` facet from match counts per whole-star floor (0..5): one cumulative count
    per "N stars & up" choice (4, 3, 2, 1), best first, zero counts left out."""
    out = []
    for floor in RATING_FLOORS:
        n = sum(count for stars, count in per_stars.items() if stars >= floor)
        if n > 0:
            out.append(FacetCount(str(floor), n))
    return tuple(out)


def price_band(usd_cents: int) -> str:
    """The key of the price band that holds a USD-equivalent price."""
    for key, lo, hi in PRICE_BANDS_USD:
        if usd_cents >= lo and (hi is None or usd_cents < hi):
            return key
    return BAND_KEYS[0]


class SortOrder(StrEnum):
    RELEVANCE = "relevance"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    TITLE = "title"


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """One product as offered on one site (only products with an active offer are indexed)."""

    product_id: str
    site_id: str
    title: str
    brand: str
    category: str
    price_minor: int
    currency: str
    price_band: str
    member_eligible: bool
    offers: int
    rating_x10: int | None = None
    """Average stars x 10 (10..50); None while the product has no reviews."""
    review_count: int = 0


@dataclass(frozen=True, slots=True)
class SearchQuery:
    site_id: str
    text: str = ""
    category: str | None = None
    brand: str | None = None
    price_band: str | None = None
    member_only: bool = False
    min_stars: int | None = None
    """"N stars & up" (one of ``RATING_FLOORS``): only products rated at least N on average."""
    sort: SortOrder = SortOrder.RELEVANCE
    limit: int = 20
    offset: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= 100:
            raise ValueError("limit must be within 1..100")
        if self.offset < 0:
            raise ValueError("offset must be >= 0")
        if self.price_band is not None and self.price_band not in BAND_KEYS:
            raise ValueError(f"unknown price band {self.price_band!r}")
        if self.min_stars is not None and self.min_stars not in RATING_FLOORS:
            raise ValueError(f"min_stars must be one of {RATING_FLOORS}")


@dataclass(frozen=True, slots=True)
class FacetCount:
    value: str
    count: int


@dataclass(frozen=True, slots=True)
class SearchResult:
    hits: tuple[SearchDoc, ...]
    total: int
    facets: dict[str, tuple[FacetCount, ...]] = field(default_factory=dict)
    """Keys: ``category``, ``brand`` (top 20), ``price_band``, ``member``, ``rating``
    (cumulative: value "4" counts the matches rated 4 stars & up, and so on)."""
    exact: bool = True
    """False when the engine stopped counting: ``total`` is then a lower bound and hits and
    facets come from the most popular matches (adapters document their cap)."""


class CatalogSearch(Protocol):
    """A full-text catalog index with facets, per site."""

    name: str

    def search(self, query: SearchQuery) -> SearchResult:
        """Hits for one page plus the total and facet counts of the whole match set."""
        ...

    def upsert(self, docs: Iterable[SearchDoc]) -> int:
        """Insert or replace documents (keyed by site and product); returns how many."""
        ...

    def remove(self, keys: Sequence[tuple[str, str]]) -> int:
        """Drop documents by (site_id, product_id); returns how many were there."""
        ...

    def rebuild(self, docs: Iterable[SearchDoc]) -> int:
        """Replace the whole index with ``docs``; returns the document count."""
        ...

    def count(self) -> int:
        """How many documents the index holds."""
        ...
