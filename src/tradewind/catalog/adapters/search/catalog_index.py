"""Keep a ``CatalogSearch`` index in step with the catalog in the main database.

* ``catalog_docs(engine)`` streams one ``SearchDoc`` per (product, site with an active offer);
* ``rebuild_index(engine, index)`` refills the index from it;
* ``reindex_products(engine, index, product_ids)`` refreshes just those products (call it after
  a write, or let ``SearchIndexer`` do it for marketplace events);
* ``index_path_for(database_url)`` is where the index file lives: next to a SQLite database
  (``shop.db`` -> ``shop.search.sqlite``), else ``var/search/<database>.fts5.sqlite``;
  ``index_path_for(database_url, "tantivy")`` is the tantivy index directory
  (``shop.search.tantivy``, else ``var/search/<database>.tantivy``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, case, func, select
from sqlalchemy.engine import make_url

from tradewind.catalog.search import CatalogSearch, SearchDoc, price_band
from tradewind.economics.rates import convert_minor
from tradewind.marketplace.events import (
    OfferActivationChanged,
    OfferCreated,
    OfferPriceChanged,
    OfferStockChanged,
)
from tradewind.platform.db import tables as t


def index_path_for(database_url: str, adapter: str = "fts5") -> Path:
    """Where the ``adapter``'s (``fts5`` or ``tantivy``) index lives for this database."""
    url = make_url(database_url)
    tantivy = adapter == "tantivy"
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        db = Path(url.database)
        return db.with_name(f"{db.stem}.search.{'tantivy' if tantivy else 'sqlite'}")
    name = "".join(ch if ch.isalnum() else "_" for ch in f"{url.host or 'local'}_{url.database}")
    return Path("var") / "search" / f"{name}.{'tantivy' if tantivy else 'fts5.sqlite'}"


def _usd_cents(amount_minor: int, currency: str) -> int:
    try:
        return convert_minor(amount_minor, currency, "USD")
    except KeyError:
        return amount_minor


def catalog_docs(
    engine: Engine, product_ids: Sequence[str] | None = None, *, chunk: int = 5_000
) -> Iterator[SearchDoc]:
    """Search documents for every product with an active offer (or just ``product_ids``)."""
    p, o, b = t.products.c, t.offers.c, t.brands.c
    q = (
        select(
            p.product_id,
            o.site_id,
            p.title,
            b.name,
            p.category,
            func.min(o.price_minor),
            o.currency,
            func.max(case((o.channel == "fba", 1), else_=0)),
            func.count(o.offer_id),
            p.rating_x10,
            p.review_count,
        )
        .join(t.offers, (o.product_id == p.product_id) & o.active & ~o.suppressed)
        .join(t.brands, b.brand_id == p.brand_id)
        .group_by(
            p.product_id,
            o.site_id,
            p.title,
            b.name,
            p.category,
            o.currency,
            p.rating_x10,
            p.review_count,
        )
    )
    if product_ids is not None:
        q = q.where(p.product_id.in_(list(product_ids)))
    with engine.connect() as c:
        result = c.execution_options(yield_per=chunk).execute(q)
        for pid, site, title, brand, category, price, cur, fba, n, rating, reviews in result:
            yield SearchDoc(
                product_id=pid,
                site_id=site,
                title=title,
                brand=brand,
                category=category,
                price_minor=int(price),
                currency=cur,
                price_band=price_band(_usd_cents(int(price), cur)),
                member_eligible=bool(fba),
                offers=int(n),
                rating_x10=None if rating is None else int(rating),
                review_count=int(reviews or 0),
            )


def rebuild_index(engine: Engine, index: CatalogSearch) -> int:
    """Refill ``index`` from the catalog; returns the document count."""
    return index.rebuild(catalog_docs(engine))


def reindex_products(engine: Engine, index: CatalogSearch, product_ids: Iterable[str]) -> int:
    """Refresh the documents of ``product_ids`` on every site (drops those with no active
    offer left); returns how many documents were written."""
    ids = sorted(set(product_ids))
    if not ids:
        return 0
    docs = list(catalog_docs(engine, ids))
    with engine.connect() as c:
        sites = [s for (s,) in c.execute(select(t.sites.c.site_id))]
    present = {(d.site_id, d.product_id) for d in docs}
    gone = [(s, pid) for s in sites for pid in ids if (s, pid) not in present]
    index.remove(gone)
    return index.upsert(docs)


def product_ids_of_offers(engine: Engine, offer_ids: Sequence[str]) -> list[str]:
    with engine.connect() as c:
        return list(
            c.execute(
                select(t.offers.c.product_id)
                .where(t.offers.c.offer_id.in_(list(offer_ids)))
                .distinct()
            ).scalars()
        )


class SearchIndexer:
    """Event handler that re-indexes the products that marketplace events touch.

    Register it for the offer events in ``handles``; it is idempotent, so at-least-once
    delivery from the outbox is fine.
    """

    handles = (OfferCreated, OfferPriceChanged, OfferStockChanged, OfferActivationChanged)

    def __init__(self, engine: Engine, index: CatalogSearch) -> None:
        self.engine = engine
        self.index = index

    def __call__(self, event: Any) -> None:
        pid = getattr(event, "product_id", None)
        ids = [pid] if pid else product_ids_of_offers(self.engine, [event.offer_id])
        reindex_products(self.engine, self.index, ids)
