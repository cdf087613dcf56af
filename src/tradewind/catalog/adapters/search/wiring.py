"""The container's catalog index: ``container.extras["search"]``, built on first use.

The adapter is chosen by the ``search`` setting (``TRADEWIND_SEARCH``): ``fts5`` (default,
SQLite FTS5, no extra dependency) or ``tantivy`` (needs the ``tantivy`` package; exact facet
counts over any match set, for large catalogs).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from tradewind.catalog.adapters.search.catalog_index import index_path_for, rebuild_index
from tradewind.catalog.search import CatalogSearch

_LOCK = threading.Lock()
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


def catalog_search(container: Any) -> CatalogSearch:
    """The configured index next to the container's database; filled from the catalog when
    empty."""
    found = container.extras.get("search")
    if found is not None:
        return found  # type: ignore[no-any-return]
    with _LOCK:
        found = container.extras.get("search")
        if found is None:
            adapter = search_adapter(container.settings)
            found = open_index(adapter, index_path_for(container.settings.database_url, adapter))
            if found.count() == 0:
                rebuild_index(container.engine, found)
            container.extras["search"] = found
    return found  # type: ignore[no-any-return]


def subscribe_search_indexer(container: Any) -> None:
    """Keep the index in step with marketplace events on the container's in-process bus.

    The index is opened lazily on the first event, so bootstrapping does no search I/O.
    """
    from tradewind.catalog.adapters.search.catalog_index import SearchIndexer

    def reindex(event: Any) -> None:
        SearchIndexer(container.engine, catalog_search(container))(event)

    for event_type in SearchIndexer.handles:
        container.bus.subscribers.setdefault(event_type, []).append(reindex)
