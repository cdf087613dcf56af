"""The container's catalog index: ``container.extras["search"]``, built on first use."""

from __future__ import annotations

import threading
from typing import Any

from tradewind.adapters.search.catalog_index import index_path_for, rebuild_index
from tradewind.adapters.search.fts5 import Fts5CatalogSearch
from tradewind.catalog.search import CatalogSearch

_LOCK = threading.Lock()


def catalog_search(container: Any) -> CatalogSearch:
    """The FTS5 index next to the container's database; filled from the catalog when empty."""
    found = container.extras.get("search")
    if found is not None:
        return found  # type: ignore[no-any-return]
    with _LOCK:
        found = container.extras.get("search")
        if found is None:
            found = Fts5CatalogSearch(index_path_for(container.settings.database_url))
            if found.count() == 0:
                rebuild_index(container.engine, found)
            container.extras["search"] = found
    return found  # type: ignore[no-any-return]


def subscribe_search_indexer(container: Any) -> None:
    """Keep the index in step with marketplace events on the container's in-process bus.

    The index is opened lazily on the first event, so bootstrapping does no search I/O.
    """
    from tradewind.adapters.search.catalog_index import SearchIndexer

    def reindex(event: Any) -> None:
        SearchIndexer(container.engine, catalog_search(container))(event)

    for event_type in SearchIndexer.handles:
        container.bus.subscribers.setdefault(event_type, []).append(reindex)
