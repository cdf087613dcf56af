"""The container's catalog index (``Container.search``), built on first use.

The adapter is chosen by the ``search`` setting (``TRADEWIND_SEARCH``): ``fts5`` (default,
SQLite FTS5, no extra dependency) or ``tantivy`` (needs the ``tantivy`` package; exact facet
counts over any match set, for large catalogs).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from tradewind.catalog.adapters.search.catalog_index import index_path_for, rebuild_index
from tradewind.catalog.search import CatalogSearch

ADAPTERS = ("fts5", "tantivy")


def search_adapter(settings: Any) -> str:
    """The adapter named by ``settings.search`` (validated by ``Settings``)."""
    chosen = str(getattr(settings, "search", "fts5")).strip().lower()
    if chosen not in ADAPTERS:
        raise ValueError(f"unknown search adapter {chosen!r}: use one of {', '.join(ADAPTERS)}")
    return chosen


def open_index(adapter: str, path: str | Path) -> CatalogSearch:
    """A ``CatalogSearch`` of the named adapter on ``path`` (a file for fts5, a directory for
    tantivy)."""
    if adapter == "tantivy":
        from tradewind.catalog.adapters.search.tantivy_index import TantivyCatalogSearch

        return TantivyCatalogSearch(path)
    from tradewind.catalog.adapters.search.fts5 import Fts5CatalogSearch

    return Fts5CatalogSearch(path)


def open_catalog_search(settings: Any, engine: Engine) -> CatalogSearch:
    """The configured index next to the database; filled from the catalog when empty."""
    adapter = search_adapter(settings)
    found = open_index(adapter, index_path_for(settings.database_url, adapter))
    if found.count() == 0:
        rebuild_index(engine, found)
    return found


def subscribe_search_indexer(container: Any) -> None:
    """Keep the index in step with marketplace events on the container's in-process bus.

    The index is opened lazily on the first event, so bootstrapping does no search I/O.
    """
    from tradewind.catalog.adapters.search.catalog_index import SearchIndexer

    def reindex(event: Any) -> None:
        SearchIndexer(container.engine, container.search())(event)

    for event_type in SearchIndexer.handles:
        container.bus.subscribers.setdefault(event_type, []).append(reindex)
