"""The tantivy ``CatalogSearch`` adapter: the FTS5 adapter's behaviours, exact counts beyond the
FTS5 scan cap, agreement with FTS5 on a small catalog, and the wiring that picks it."""

from __future__ import annotations

import pytest

pytest.importorskip(
    "tantivy",
    reason="the tantivy adapter needs the optional `tantivy` package (pip install tantivy)",
)

import random
from dataclasses import replace

from fastapi.testclient import TestClient

from tests.integration.search_docs import make_doc as _doc
from tests.integration.seed import make_shop
from tradewind.bootstrap import bootstrap
from tradewind.catalog.adapters.search import wiring
from tradewind.catalog.adapters.search.catalog_index import (
    index_path_for,
    rebuild_index,
    reindex_products,
)
from tradewind.catalog.adapters.search.fts5 import Fts5CatalogSearch
from tradewind.catalog.adapters.search.tantivy_index import TantivyCatalogSearch
from tradewind.catalog.search import SearchQuery, SortOrder
from tradewind.platform.settings import Settings
from tradewind.platform.web.app import create_app
from tradewind_bench.search import synthetic_docs, workload


def _rated(docs, seed=7):
    """Seeded ratings on documents (a quarter without reviews), to exercise the rating facet."""
    rng = random.Random(seed)
    out = []
    for d in docs:
        if rng.random() < 0.25:
            out.append(d)
        else:
            out.append(replace(d, rating_x10=rng.randint(10, 50), review_count=rng.randint(1, 900)))
    return out


def test_tantivy_ignores_unindexable_tokens_and_folds_accents(tmp_path):
    """Beyond the shared contract (test_search_contract.py): a token too long to index matches
    nothing, and accented text matches only what was indexed."""
    index = TantivyCatalogSearch(tmp_path / "i.tantivy")
    index.rebuild([_doc("p1"), _doc("p2", title="Blue Kettle", brand="Bolt", price=4000)])
    assert index.search(SearchQuery("XX", "x" * 60)).total == 0  # too long to index: no match
    assert index.search(SearchQuery("XX", "crème")).total == 0 and index.count() == 2


def test_tantivy_counts_exactly_past_the_fts5_scan_cap(tmp_path, monkeypatch):
    """Where FTS5 stops at SCAN_CAP and says so, tantivy counts every match; pages are stable."""
    from tradewind.catalog.adapters.search import fts5

    monkeypatch.setattr(fts5, "SCAN_CAP", 3)
    docs = [_doc(f"p{i}", price=1000 + i, brand=f"B{i % 2}") for i in range(10)]
    capped = fts5.Fts5CatalogSearch(tmp_path / "i.sqlite")
    capped.rebuild(docs)
    assert not capped.search(SearchQuery("XX", "mug")).exact
    index = TantivyCatalogSearch(tmp_path / "i.tantivy")
    index.rebuild(docs)
    result = index.search(SearchQuery("XX", "mug", limit=3))
    assert result.exact and result.total == 10 and len(result.hits) == 3
    assert {f.value: f.count for f in result.facets["brand"]} == {"B0": 5, "B1": 5}
    pages = [
        index.search(SearchQuery("XX", "mu", sort=SortOrder.PRICE_DESC, limit=4, offset=o)).hits
        for o in (0, 4, 8)
    ]
    assert [h.product_id for page in pages for h in page] == [f"p{i}" for i in range(9, -1, -1)]


def test_tantivy_agrees_with_fts5_on_a_small_catalog(tmp_path):
    """Totals, facet counts (rating included) and sorted pages match FTS5 for the bench's query
    mix, plus every fourth query with a "N stars & up" filter."""
    docs = _rated(synthetic_docs(3_000, seed=7))
    docs += [_doc(f"de-{i}", site="DE", title=f"Rote Tasse {i}") for i in range(5)]
    fts, tv = Fts5CatalogSearch(tmp_path / "f.sqlite"), TantivyCatalogSearch(tmp_path / "t")
    assert fts.rebuild(docs) == tv.rebuild(docs) == tv.count() == len(docs)
    compared = 0
    for i, q in enumerate(workload(300, 3_000, seed=7)):
        if i % 4 == 1:
            q = replace(q, min_stars=(4, 3, 2, 1)[i // 4 % 4])
        a, b = fts.search(q), tv.search(q)
        if not a.exact:  # FTS5 capped: tantivy counts at least as much
            assert b.total > a.total - 1
            continue
        compared += 1
        assert (b.total, b.facets) == (a.total, a.facets), q
        if q.sort in (SortOrder.PRICE_ASC, SortOrder.PRICE_DESC):
            assert [h.price_minor for h in b.hits] == [h.price_minor for h in a.hits], q
        elif q.sort is SortOrder.TITLE:
            assert b.hits == a.hits, q
        elif not q.text:  # browsing "relevance": most offers first
            assert [h.offers for h in b.hits] == [h.offers for h in a.hits], q
        elif q.offset == 0 and a.total <= q.limit:
            assert set(b.hits) == set(a.hits), q
    assert compared > 200
    de = tv.search(SearchQuery("DE", "tasse"))
    assert de.total == 5 and de.facets == fts.search(SearchQuery("DE", "tasse")).facets


def test_a_second_instance_sees_writes_of_the_first(tmp_path):
    """Another process's commit is picked up on the next search (meta.json changed)."""
    writer = TantivyCatalogSearch(tmp_path / "shared")
    reader = TantivyCatalogSearch(tmp_path / "shared")
    assert reader.search(SearchQuery("XX")).total == 0
    writer.rebuild([_doc("p1"), _doc("p2")])
    assert reader.search(SearchQuery("XX")).total == 2  # the browse cache was dropped too
    writer.remove([("XX", "p1")])
    assert reader.count() == 1 and reader.search(SearchQuery("XX", "mug")).total == 1

    def failing():
        yield _doc("p9")
        raise RuntimeError("catalog read failed")

    with pytest.raises(RuntimeError):  # a failed rebuild keeps the old index, lock released
        writer.rebuild(failing())
    assert reader.count() == 1 and writer.upsert([_doc("p3")]) == 1 and reader.count() == 2


def test_the_setting_picks_the_adapter_and_its_index_path(monkeypatch):
    monkeypatch.delenv("TRADEWIND_SEARCH", raising=False)
    assert wiring.search_adapter(Settings()) == "fts5"
    monkeypatch.setenv("TRADEWIND_SEARCH", "tantivy")
    assert wiring.search_adapter(Settings()) == "tantivy"
    monkeypatch.setenv("TRADEWIND_SEARCH", "lucene")
    with pytest.raises(ValueError, match="must be 'fts5' or 'tantivy'"):
        Settings()
    url = "sqlite:////data/shop.db"
    assert str(index_path_for(url)) == "/data/shop.search.sqlite"  # FTS5 path unchanged
    assert str(index_path_for(url, "tantivy")) == "/data/shop.search.tantivy"
    pg = "postgresql+psycopg://u@db:5432/shop"
    assert str(index_path_for(pg, "tantivy")) == "var/search/db_shop.tantivy"


def test_wiring_builds_a_tantivy_index_from_the_catalog_and_follows_events(
    db_url, engine, tmp_path, monkeypatch
):
    """TRADEWIND_SEARCH=tantivy: the container's index is tantivy, filled from the catalog,
    agrees with an FTS5 rebuild, serves the storefront and follows offer events."""
    from tradewind.marketplace.commands import UpdateOffer

    monkeypatch.setenv("TRADEWIND_SEARCH", "tantivy")
    monkeypatch.chdir(tmp_path)  # a PostgreSQL database's index goes under ./var/search
    shop = make_shop(engine)
    c = bootstrap(Settings(database_url=db_url), engine=engine)
    index = c.search()
    assert isinstance(index, TantivyCatalogSearch)
    assert index.path == index_path_for(db_url, "tantivy")
    fts = Fts5CatalogSearch(tmp_path / "check.sqlite")
    assert rebuild_index(engine, index) == rebuild_index(engine, fts) == index.count()
    q = SearchQuery(shop.site, f"widget {shop.tag}", sort=SortOrder.PRICE_ASC)
    assert index.search(q) == fts.search(q)

    page = TestClient(create_app(c)).get("/", params={"site": shop.site, "q": f"widget {shop.tag}"})
    assert page.status_code == 200 and "2 results" in page.text and "$5.00" in page.text

    wiring.subscribe_search_indexer(c)
    c.bus.handle(
        UpdateOffer(seller_id=shop.sellers[0], offer_id=shop.offers["a2"], price_minor=333)
    )
    hits = index.search(SearchQuery(shop.site, f"widget {shop.tag} 1")).hits
    assert [h.price_minor for h in hits if h.product_id == shop.products[1]] == [333]
    assert reindex_products(engine, index, shop.products) == 2


def test_an_index_with_another_schema_is_replaced_by_an_empty_one(tmp_path):
    """The index is derived data: an old layout is dropped (the wiring then rebuilds it)."""
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_text_field("x", stored=True)
    (tmp_path / "old").mkdir()
    old = tantivy.Index(sb.build(), path=str(tmp_path / "old"))
    writer = old.writer(heap_size=15_000_000, num_threads=1)
    writer.add_document(tantivy.Document(x="a"))
    writer.commit()
    writer.wait_merging_threads()
    index = TantivyCatalogSearch(tmp_path / "old")
    assert index.count() == 0
    index.upsert([_doc("p1")])
    assert index.search(SearchQuery("XX", "red")).total == 1


@pytest.mark.parametrize("adapter", ["fts5", "tantivy"])
def test_rating_filter_and_facet_counts(tmp_path, adapter):
    """ "N stars & up" keeps rating >= N x 10; the facet counts each choice cumulatively, over
    the matches of the text and every other filter (drill-down), and follows upserts."""
    make = Fts5CatalogSearch if adapter == "fts5" else TantivyCatalogSearch
    index = make(tmp_path / "i")
    index.rebuild(
        [
            _doc("p1", rating=47, reviews=1200),
            _doc("p2", rating=40, reviews=3),
            _doc("p3", rating=39, reviews=20, brand="Bolt"),
            _doc("p4", rating=10, reviews=1, title="Blue Kettle"),
            _doc("p5"),  # no reviews yet: in no rating choice
        ]
    )

    def facet(result):
        return {f.value: f.count for f in result.facets["rating"]}

    browse = index.search(SearchQuery("XX"))
    assert browse.total == 5 and facet(browse) == {"4": 2, "3": 3, "2": 3, "1": 4}
    assert [f.value for f in browse.facets["rating"]] == ["4", "3", "2", "1"]
    four = index.search(SearchQuery("XX", min_stars=4, sort=SortOrder.TITLE))
    assert {h.product_id for h in four.hits} == {"p1", "p2"} and four.total == 2
    assert {h.product_id: (h.rating_x10, h.review_count) for h in four.hits} == {
        "p1": (47, 1200),
        "p2": (40, 3),
    }
    assert facet(four) == {"4": 2, "3": 2, "2": 2, "1": 2}  # drill-down, like the others
    assert {f.value: f.count for f in four.facets["brand"]} == {"Acme": 2}
    mugs = index.search(SearchQuery("XX", "mug", min_stars=3))
    assert mugs.total == 3 and facet(index.search(SearchQuery("XX", "mug"))) == {
        "4": 2,
        "3": 3,
        "2": 3,
        "1": 3,
    }
    assert index.search(SearchQuery("XX", brand="Bolt", min_stars=4)).total == 0
    assert facet(index.search(SearchQuery("XX", brand="Bolt"))) == {"3": 1, "2": 1, "1": 1}
    unrated = index.search(SearchQuery("XX", "mug", limit=5))
    assert [(h.rating_x10, h.review_count) for h in unrated.hits if h.product_id == "p5"] == [
        (None, 0)
    ]
    index.upsert([_doc("p5", rating=50, reviews=2), _doc("p4", rating=20, reviews=2)])
    assert facet(index.search(SearchQuery("XX"))) == {"4": 3, "3": 4, "2": 5, "1": 5}
    index.remove([("XX", "p1")])
    assert index.search(SearchQuery("XX", min_stars=4)).total == 2
