"""``CatalogSearch`` on tantivy (a Rust search library, through the ``tantivy`` package), for
large catalogs.

Same semantics as the FTS5 adapter (``fts5.py``): every query word must match
the title, brand or category, the last word also as a prefix (search-as-you-type); site,
category, brand, price band, membership and rating ("N stars & up") are exact filters; sorts by
relevance, price or title; drill-down facet counts. The difference is that nothing is capped:
totals and facet counts are **exact over the whole match set** (``SearchResult.exact`` is
always true), counted by tantivy's terms aggregations over columnar fast fields.

Ordering details: relevance is BM25 over title + brand + category (a word matched whole scores
above one matched only as a prefix); browsing without text orders "relevance" by offer count
(most offers first, as the FTS5 static rank). Ties (same score, price or title) are broken by
index order, not by product id, because a tantivy top-k sorts by one fast field only.

The index is a directory (``catalog_index.index_path_for(url, "tantivy")``: ``shop.db`` ->
``shop.search.tantivy/``). Writes take tantivy's single-writer lock per call and release it
after the commit (retrying while another process holds it), so several server processes can
share one index. Every search checks ``meta.json``; when another process has committed, the
reader reloads before answering. Facets and totals of queries without text are cached until
the next commit, as in the FTS5 adapter.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import tantivy
from tenacity import Retrying, retry_if_exception, stop_after_delay, wait_fixed

from tradewind.catalog.search import (
    BAND_KEYS,
    FacetCount,
    SearchDoc,
    SearchQuery,
    SearchResult,
    SortOrder,
    normalise_query,
    rating_facet,
    stars_floor,
)

_BAND_ORDER = {key: i for i, key in enumerate(BAND_KEYS)}
_MAX_TERMS = 8
_TOP_BRANDS = 20
_BRAND_BUCKETS = 100
"""Brands asked of the aggregation before the (count desc, name) top-20 cut; when the 100th
still ties with the 20th, the facet is asked again without a limit, so the top 20 stay exact."""
_ALL_BUCKETS = 1_000_000
_CACHE_SIZE = 512
_TOKENIZER = "tw_text"
_SEP = "\x1f"
_ALNUM = re.compile(r"[^\W_]")
_Facets = dict[str, tuple[FacetCount, ...]]
_LOCK_WAIT_S = 30.0
_WRITE_HEAP = 64_000_000
_REBUILD_HEAP = 512_000_000


def _lock_busy(exc: BaseException) -> bool:
    """tantivy-py raises every index error as ``ValueError``; the held writer lock is the one
    whose text names tantivy's ``LockBusy`` error variant (no type or code to test instead)."""
    return isinstance(exc, ValueError) and "LockBusy" in str(exc)


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("key", tokenizer_name="raw", index_option="basic")
    for name in ("site", "category", "brand", "band"):  # filters and facets
        sb.add_text_field(name, stored=True, fast=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("product_id", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("title", stored=True, tokenizer_name=_TOKENIZER, index_option="basic")
    sb.add_text_field("title_sort", fast=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("text", tokenizer_name=_TOKENIZER, index_option="freq")
    sb.add_text_field("currency", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_integer_field("price", stored=True, fast=True)
    sb.add_unsigned_field("member", stored=True, indexed=True, fast=True)
    sb.add_unsigned_field("offers", stored=True, fast=True)
    sb.add_unsigned_field("rating", stored=True)  # rating_x10, 0 while there are no reviews
    sb.add_unsigned_field("reviews", stored=True)
    sb.add_unsigned_field("stars", indexed=True, fast=True)  # whole stars, 0: no reviews
    return sb.build()


def _analyzer() -> tantivy.TextAnalyzer:
    """Split on non-alphanumerics, lowercase, fold accents (FTS5's ``unicode61
    remove_diacritics 2`` equivalent)."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


def _value(key: Any) -> str:
    """A bucket key as the port spells facet values (``member``: "0"/"1")."""
    return str(int(key)) if isinstance(key, int | float) else str(key)


def _key(site_id: str, product_id: str) -> str:
    return f"{site_id}{_SEP}{product_id}"


def _fields(d: SearchDoc) -> dict[str, Any]:
    return {
        "key": _key(d.site_id, d.product_id), "site": d.site_id, "product_id": d.product_id,
        "title": d.title, "title_sort": d.title, "brand": d.brand, "category": d.category,
        "text": f"{d.title}\n{d.brand}\n{d.category}", "price": d.price_minor,
        "currency": d.currency, "band": d.price_band, "member": int(d.member_eligible),
        "offers": d.offers, "rating": d.rating_x10 or 0, "reviews": d.review_count,
        "stars": stars_floor(d.rating_x10),
    }  # fmt: skip


def _count(found: Any) -> int:
    """The match count of a ``searcher.search(..., count=True)`` result (untyped in the stub)."""
    return int(getattr(found, "count", None) or 0)


def _terms(field: str, size: int) -> dict[str, Any]:
    return {"terms": {"field": field, "size": size, "segment_size": _ALL_BUCKETS}}


class TantivyCatalogSearch:
    """tantivy catalog index in the directory ``path`` (created when missing; an index with
    another schema is derived data, so it is replaced by an empty one)."""

    name = "tantivy"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self._schema = _schema()
        self._analyzer = _analyzer()
        try:
            self._index = self._open()
        except ValueError:  # another schema or damaged: derived data, so start empty
            if not (self.path / "meta.json").is_file():
                raise  # not an index we may wipe
            shutil.rmtree(self.path)
            self.path.mkdir(parents=True)
            self._index = self._open()
        self._write_lock = threading.Lock()
        self._read_lock = threading.Lock()
        self._seen: tuple[int, int] | None = self._meta_stamp()
        self._generation = 0
        self._cache: OrderedDict[tuple[Any, ...], tuple[int, _Facets]] = OrderedDict()

    def _open(self) -> tantivy.Index:
        index = tantivy.Index(self._schema, path=str(self.path), reuse=True)
        index.register_tokenizer(_TOKENIZER, self._analyzer)
        return index

    # --- writes ----------------------------------------------------------------------------

    def _writer(self, heap: int, threads: int) -> tantivy.IndexWriter:
        """The index's single writer; waits while another process holds it."""
        retrying = Retrying(
            retry=retry_if_exception(_lock_busy),
            stop=stop_after_delay(_LOCK_WAIT_S),
            wait=wait_fixed(0.05),
            reraise=True,
        )
        return retrying(self._index.writer, heap_size=heap, num_threads=threads)

    @contextmanager
    def _writing(self, heap: int, threads: int) -> Iterator[tantivy.IndexWriter]:
        """A writer committed on success, rolled back on error; released either way."""
        writer = self._writer(heap, threads)
        try:
            yield writer
        except BaseException:
            writer.rollback()
            writer.wait_merging_threads()
            raise
        writer.commit()
        writer.wait_merging_threads()  # finishes merges and releases the writer lock
        self._refresh(force=True)

    def upsert(self, docs: Iterable[SearchDoc]) -> int:
        batch = list(docs)
        if not batch:
            return 0
        with self._write_lock, self._writing(_WRITE_HEAP, 1) as writer:
            for d in batch:  # a delete only affects documents added before it
                writer.delete_documents_by_term("key", _key(d.site_id, d.product_id))
                writer.add_document(tantivy.Document.from_dict(_fields(d), self._schema))
        return len(batch)

    def remove(self, keys: Sequence[tuple[str, str]]) -> int:
        if not keys:
            return 0
        terms = [_key(s, p) for s, p in keys]
        with self._write_lock:
            self._refresh(force=True)
            present = tantivy.Query.term_set_query(self._schema, "key", terms)
            removed = _count(self._index.searcher().search(present, 1, count=True))
            if removed:
                with self._writing(_WRITE_HEAP, 1) as writer:
                    for term in terms:
                        writer.delete_documents_by_term("key", term)
        return int(removed)

    def rebuild(self, docs: Iterable[SearchDoc]) -> int:
        """Replace every document in one commit (readers see the old index until then)."""
        threads = max(1, min(4, os.cpu_count() or 1))
        n = 0
        with self._write_lock, self._writing(_REBUILD_HEAP, threads) as writer:
            writer.delete_all_documents()
            from_dict, schema = tantivy.Document.from_dict, self._schema
            for d in docs:
                writer.add_document(from_dict(_fields(d), schema))
                n += 1
        return n

    # --- reads -----------------------------------------------------------------------------

    def _meta_stamp(self) -> tuple[int, int] | None:
        try:
            st = (self.path / "meta.json").stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns)

    def _refresh(self, *, force: bool = False) -> None:
        """Reload the reader (and drop cached facets) when the index changed since last seen,
        in this process or another one."""
        stamp = self._meta_stamp()
        if force or stamp != self._seen:
            self._index.reload()
            with self._read_lock:
                self._seen = stamp
                self._generation += 1
                self._cache.clear()

    def count(self) -> int:
        self._refresh()
        return int(self._index.searcher().num_docs)

    def search(self, query: SearchQuery) -> SearchResult:
        self._refresh()
        generation = self._generation
        searcher = self._index.searcher()
        q, has_text = self._query(query)
        if has_text and query.sort is SortOrder.RELEVANCE:
            found = searcher.search(q, query.limit, count=True, offset=query.offset)
        else:
            field, order = {
                SortOrder.RELEVANCE: ("offers", tantivy.Order.Desc),
                SortOrder.PRICE_ASC: ("price", tantivy.Order.Asc),
                SortOrder.PRICE_DESC: ("price", tantivy.Order.Desc),
                SortOrder.TITLE: ("title_sort", tantivy.Order.Asc),
            }[query.sort]
            found = searcher.search(
                q, query.limit, count=True, order_by_field=field, offset=query.offset, order=order
            )
        hits = tuple(self._doc(searcher.doc(address)) for _, address in found.hits)
        facets = self._facets(searcher, query, q, has_text, generation)
        return SearchResult(hits, _count(found), facets)

    def _doc(self, doc: tantivy.Document) -> SearchDoc:
        f = doc.to_dict()
        return SearchDoc(
            product_id=f["product_id"][0], site_id=f["site"][0], title=f["title"][0],
            brand=f["brand"][0], category=f["category"][0], price_minor=int(f["price"][0]),
            currency=f["currency"][0], price_band=f["band"][0],
            member_eligible=bool(f["member"][0]), offers=int(f["offers"][0]),
            rating_x10=int(f["rating"][0]) or None, review_count=int(f["reviews"][0]),
        )  # fmt: skip

    def words(self, text: str) -> list[str]:
        """The query's index terms (at most eight), as the index tokenizer makes them."""
        return self._analyzer.analyze(normalise_query(text))[:_MAX_TERMS]

    def _query(self, q: SearchQuery) -> tuple[tantivy.Query, bool]:
        s, Q, must = self._schema, tantivy.Query, tantivy.Occur.Must
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
        words = self.words(q.text)
        if not words and _ALNUM.search(q.text):  # only over-long words: FTS5 finds nothing too
            return Q.empty_query(), True
        for word in words[:-1]:
            clauses.append((must, Q.term_query(s, "text", word)))
        if words:  # the last word whole (scored) or as a prefix (constant score)
            last = words[-1]
            prefix = Q.regex_query(s, "text", re.escape(last) + ".*")
            either = Q.boolean_query(
                [(tantivy.Occur.Should, Q.term_query(s, "text", last)),
                 (tantivy.Occur.Should, Q.const_score_query(prefix, 0.5))]
            )  # fmt: skip
            clauses.append((must, either))
        filters = [("site", q.site_id), ("category", q.category), ("brand", q.brand)]
        filters.append(("band", q.price_band))
        for field, value in filters:
            if value:
                clauses.append((must, Q.const_score_query(Q.term_query(s, field, value), 0.0)))
        if q.member_only:
            clauses.append((must, Q.const_score_query(Q.term_query(s, "member", 1), 0.0)))
        if q.min_stars is not None:  # "N stars & up": rating >= N x 10, i.e. whole stars >= N
            at_least = Q.range_query(s, "stars", tantivy.FieldType.Unsigned, q.min_stars, 5)
            clauses.append((must, Q.const_score_query(at_least, 0.0)))
        return Q.boolean_query(clauses), bool(words)

    def _facets(
        self,
        searcher: tantivy.Searcher,
        q: SearchQuery,
        query: tantivy.Query,
        has_text: bool,
        generation: int,
    ) -> _Facets:
        key = (q.site_id, q.category, q.brand, q.price_band, q.member_only, q.min_stars)
        if not has_text:
            with self._read_lock:
                hit = self._cache.get(key)
            if hit is not None and hit[0] == generation:
                return hit[1]
        aggs = {
            "category": _terms("category", _ALL_BUCKETS),
            "brand": _terms("brand", _BRAND_BUCKETS),
            "price_band": _terms("band", len(BAND_KEYS) + 1),
            "member": _terms("member", 2),
            "rating": _terms("stars", 6),
        }
        res = searcher.aggregate(query, aggs)
        brands = res["brand"]["buckets"]
        if len(brands) == _BRAND_BUCKETS:
            top = sorted((b["doc_count"] for b in brands), reverse=True)
            if top[_TOP_BRANDS - 1] == top[-1]:  # the 20th ties beyond the cut: count all
                res["brand"] = searcher.aggregate(query, {"b": _terms("brand", _ALL_BUCKETS)})["b"]

        def counts(name: str) -> list[FacetCount]:
            return [
                FacetCount(_value(b["key"]), int(b["doc_count"]))
                for b in res[name]["buckets"]
                if b["doc_count"] > 0
            ]

        facets = {
            "category": tuple(sorted(counts("category"), key=lambda f: f.value)),
            "brand": tuple(sorted(counts("brand"), key=lambda f: (-f.count, f.value)))[
                :_TOP_BRANDS
            ],
            "price_band": tuple(
                sorted(counts("price_band"), key=lambda f: _BAND_ORDER.get(f.value, 99))
            ),
            "member": tuple(sorted(counts("member"), key=lambda f: f.value)),
            "rating": rating_facet(
                {int(b["key"]): int(b["doc_count"]) for b in res["rating"]["buckets"]}
            ),
        }
        if not has_text:
            with self._read_lock:
                if generation == self._generation:
                    self._cache[key] = (generation, facets)
                while len(self._cache) > _CACHE_SIZE:
                    self._cache.popitem(last=False)
        return facets
