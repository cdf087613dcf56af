"""The CatalogSearch contract, checked the same way on every adapter."""

import pytest

from tests.integration.search_docs import make_doc as _doc
from tradewind.catalog.search import SearchQuery


def _open(adapter, tmp_path):
    if adapter == "tantivy":
        pytest.importorskip("tantivy", reason="the tantivy adapter needs the `tantivy` package")
        from tradewind.catalog.adapters.search.tantivy_index import TantivyCatalogSearch

        return TantivyCatalogSearch(tmp_path / "i.tantivy")
    from tradewind.catalog.adapters.search.fts5 import Fts5CatalogSearch

    return Fts5CatalogSearch(tmp_path / "i.sqlite")


@pytest.mark.parametrize("adapter", ["fts5", "tantivy"])
def test_index_keeps_facets_exact_through_upserts_and_removals(adapter, tmp_path):
    """Upsert, update and removal keep hits and browse facets in step; hostile text is inert."""
    index = _open(adapter, tmp_path)
    index.rebuild([_doc("p1"), _doc("p2", title="Blue Kettle", brand="Bolt", price=4000)])
    assert index.search(SearchQuery("XX", "mug")).total == 1
    assert index.search(SearchQuery("XX", "ket")).hits[0].product_id == "p2"  # prefix
    index.upsert([_doc("p1", title="Green Mug", price=30000, fba=False), _doc("p3")])
    browse = index.search(SearchQuery("XX"))
    assert browse.total == 3 and browse.exact
    assert {f.value: f.count for f in browse.facets["price_band"]} == {
        "10-25": 1,
        "25-50": 1,
        "250-up": 1,
    }
    assert {f.value: f.count for f in browse.facets["member"]} == {"0": 1, "1": 2}
    assert index.remove([("XX", "p3"), ("XX", "nope")]) == 1
    member_only = index.search(SearchQuery("XX", member_only=True))
    assert [h.product_id for h in member_only.hits] == ["p2"]
    assert index.search(SearchQuery("XX", "green mug")).hits[0].price_minor == 30000
    assert index.search(SearchQuery("XX", '"); DROP TABLE docs; --')).total == 0
    assert index.count() == 2
