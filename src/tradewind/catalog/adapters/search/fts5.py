"""``CatalogSearch`` on SQLite FTS5, in its own index file.

Work per query is bounded: documents get ids in static-rank order (most offers first) when the
index is rebuilt, and a query looks at no more than ``SCAN_CAP`` matches in that order (the
most popular ones) to rank, sort and count facets; when there are more, the result says so
(``exact=False``, "2,000+ results"). This is the classic early-termination trade-off; it is what
keeps p95 bounded at a million products (see ``tradewind bench search``).

The index is a separate SQLite database (it works the same when the main database is
PostgreSQL): a ``docs`` table of search documents and an external-content FTS5 table over
title, brand and category, kept in step by triggers. A search is two statements: the page of
hits, and all facet counts from one materialised match set. Facets and totals of queries
without text (browsing a category at a million products) are cached per index generation,
which every write bumps.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from tradewind.catalog.search import (
    BAND_KEYS,
    FacetCount,
    SearchDoc,
    SearchQuery,
    SearchResult,
    SortOrder,
    query_terms,
    rating_facet,
    stars_floor,
)

_BAND_ORDER = {key: i for i, key in enumerate(BAND_KEYS)}
_TOP_BRANDS = 20
_CACHE_SIZE = 512
SCAN_CAP = 2_000
"""Queries matching more documents rank, sort and count facets over the first ``SCAN_CAP``
matches in static-rank order, and report ``exact=False`` with ``total = SCAN_CAP + 1``."""
_COLUMNS = (
    "site_id, product_id, title, brand, category, price_minor, currency, band, member, offers, "
    "rating, reviews, stars"
)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL);
INSERT OR IGNORE INTO meta VALUES ('generation', 0);
CREATE TABLE IF NOT EXISTS docs (
    id INTEGER PRIMARY KEY,
    site_id TEXT NOT NULL, product_id TEXT NOT NULL, title TEXT NOT NULL, brand TEXT NOT NULL,
    category TEXT NOT NULL, price_minor INTEGER NOT NULL, currency TEXT NOT NULL,
    band TEXT NOT NULL, member INTEGER NOT NULL, offers INTEGER NOT NULL,
    rating INTEGER, reviews INTEGER NOT NULL, stars INTEGER NOT NULL,
    UNIQUE (site_id, product_id)
);
CREATE TABLE IF NOT EXISTS facet_cube (
    site_id TEXT NOT NULL, category TEXT NOT NULL, brand TEXT NOT NULL, band TEXT NOT NULL,
    member INTEGER NOT NULL, stars INTEGER NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (site_id, category, brand, band, member, stars)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS docs_fts USING fts5(
    title, brand, category, content='docs', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
"""
_TRIGGERS_AND_INDEXES = """
CREATE TRIGGER IF NOT EXISTS docs_ai AFTER INSERT ON docs BEGIN
  INSERT INTO docs_fts(rowid, title, brand, category)
  VALUES (new.id, new.title, new.brand, new.category);
  INSERT INTO facet_cube
  VALUES (new.site_id, new.category, new.brand, new.band, new.member, new.stars, 1)
  ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS docs_ad AFTER DELETE ON docs BEGIN
  INSERT INTO docs_fts(docs_fts, rowid, title, brand, category)
  VALUES ('delete', old.id, old.title, old.brand, old.category);
  UPDATE facet_cube SET n = n - 1 WHERE site_id = old.site_id AND category = old.category
    AND brand = old.brand AND band = old.band AND member = old.member AND stars = old.stars;
END;
CREATE TRIGGER IF NOT EXISTS docs_au AFTER UPDATE ON docs BEGIN
  INSERT INTO docs_fts(docs_fts, rowid, title, brand, category)
  VALUES ('delete', old.id, old.title, old.brand, old.category);
  INSERT INTO docs_fts(rowid, title, brand, category)
  VALUES (new.id, new.title, new.brand, new.category);
  UPDATE facet_cube SET n = n - 1 WHERE site_id = old.site_id AND category = old.category
    AND brand = old.brand AND band = old.band AND member = old.member AND stars = old.stars;
  INSERT INTO facet_cube
  VALUES (new.site_id, new.category, new.brand, new.band, new.member, new.stars, 1)
  ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE INDEX IF NOT EXISTS ix_docs_site_category ON docs (site_id, category);
CREATE INDEX IF NOT EXISTS ix_docs_site_price ON docs (site_id, price_minor);
CREATE INDEX IF NOT EXISTS ix_docs_site_title ON docs (site_id, title);
CREATE INDEX IF NOT EXISTS ix_docs_site_category_price ON docs (site_id, category, price_minor);
CREATE INDEX IF NOT EXISTS ix_docs_product ON docs (product_id);
"""
_UPSERT = f"""
INSERT INTO docs ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (site_id, product_id) DO UPDATE SET
  title = excluded.title, brand = excluded.brand, category = excluded.category,
  price_minor = excluded.price_minor, currency = excluded.currency, band = excluded.band,
  member = excluded.member, offers = excluded.offers, rating = excluded.rating,
  reviews = excluded.reviews, stars = excluded.stars
"""
_ORDER = {
    SortOrder.PRICE_ASC: "d.price_minor ASC, d.product_id",
    SortOrder.PRICE_DESC: "d.price_minor DESC, d.product_id",
    SortOrder.TITLE: "d.title, d.product_id",
}


def match_expression(text: str) -> str | None:
    """A safe FTS5 query for free text: every word must match; the last one as a prefix."""
    words = query_terms(text)
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " AND ".join(quoted)


def _doc_row(d: SearchDoc) -> tuple[Any, ...]:
    return (
        d.site_id, d.product_id, d.title, d.brand, d.category, d.price_minor, d.currency,
        d.price_band, int(d.member_eligible), d.offers, d.rating_x10, d.review_count,
        stars_floor(d.rating_x10),
    )  # fmt: skip


class Fts5CatalogSearch:
    """SQLite FTS5 catalog index in the file ``path`` (``":memory:"`` is not supported:
    each thread opens its own connection)."""

    name = "sqlite-fts5"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._cache: OrderedDict[tuple[Any, ...], tuple[int, dict[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()
        with self._conn() as c:
            columns = {row[1] for row in c.execute("PRAGMA table_info(docs)")}
            if columns and "stars" not in columns:  # an older layout: derived data, start empty
                c.executescript(_DROP_ALL)
            c.executescript(_SCHEMA + _TRIGGERS_AND_INDEXES)

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA cache_size=-65536")
            conn.execute("PRAGMA temp_store=MEMORY")
            self._local.conn = conn
        return conn

    # --- writes ----------------------------------------------------------------------------

    def upsert(self, docs: Iterable[SearchDoc]) -> int:
        rows = [_doc_row(d) for d in docs]
        if rows:
            with self._conn() as c:
                c.executemany(_UPSERT, rows)
                self._bump(c)
        return len(rows)

    def remove(self, keys: Sequence[tuple[str, str]]) -> int:
        if not keys:
            return 0
        with self._conn() as c:
            removed = 0
            for site_id, product_id in keys:
                cur = c.execute(
                    "DELETE FROM docs WHERE site_id = ? AND product_id = ?", (site_id, product_id)
                )
                removed += cur.rowcount
            self._bump(c)
        return removed

    def rebuild(self, docs: Iterable[SearchDoc], *, batch: int = 20_000) -> int:
        """Drop and refill the index: bulk insert without triggers, then one FTS5 rebuild."""
        c = self._conn()
        with c:
            c.executescript(_DROP_ALL)
        c.executescript(_SCHEMA)
        n = 0
        c.execute(f"CREATE TEMP TABLE IF NOT EXISTS staging AS SELECT {_COLUMNS} FROM docs LIMIT 0")
        with c:
            c.execute("DELETE FROM staging")
            chunk: list[tuple[Any, ...]] = []
            for d in docs:
                chunk.append(_doc_row(d))
                if len(chunk) >= batch:
                    c.executemany(f"INSERT INTO staging VALUES ({_QMARKS})", chunk)
                    n += len(chunk)
                    chunk.clear()
            c.executemany(f"INSERT INTO staging VALUES ({_QMARKS})", chunk)
            n += len(chunk)
            # Static rank: ids follow popularity (offers per product), so the first matches
            # in id order, where a capped scan stops, are the most popular ones.
            c.execute(
                f"INSERT INTO docs ({_COLUMNS}) SELECT {_COLUMNS} FROM staging "
                "ORDER BY offers DESC, site_id, product_id"
            )
            c.execute("DELETE FROM staging")
            c.execute("INSERT INTO docs_fts(docs_fts) VALUES ('rebuild')")
            c.execute(
                "INSERT INTO facet_cube SELECT site_id, category, brand, band, member, stars, "
                "count(*) FROM docs GROUP BY site_id, category, brand, band, member, stars"
            )
            c.executescript(_TRIGGERS_AND_INDEXES)
            self._bump(c)
        c.execute("ANALYZE")
        return n

    def _bump(self, c: sqlite3.Connection) -> None:
        c.execute("UPDATE meta SET v = v + 1 WHERE k = 'generation'")
        with self._lock:
            self._cache.clear()

    # --- reads -----------------------------------------------------------------------------

    def count(self) -> int:
        return int(self._conn().execute("SELECT count(*) FROM docs").fetchone()[0])

    def search(self, query: SearchQuery) -> SearchResult:
        source, where, params = self._filtered(query)
        c = self._conn()
        total, facets = self._facets(c, query, source, where, params)
        fts = "docs_fts" in source
        cols = ", ".join(f"d.{x.strip()}" for x in _COLUMNS.split(","))
        if not fts:  # browsing: the indexes on (site, category, price) serve the order
            order = _ORDER.get(query.sort, "d.id")
            sql = f"SELECT {cols} FROM {source} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?"
        else:  # rank, sort and page within the first SCAN_CAP matches in static-rank order
            order = _ORDER.get(query.sort, "score, d.product_id").replace("d.", "")
            sql = (
                f"SELECT {_COLUMNS} FROM (SELECT {cols}, docs_fts.rank AS score "
                f"FROM {source} WHERE {where} LIMIT {SCAN_CAP}) "
                f"ORDER BY {order} LIMIT ? OFFSET ?"
            )
        rows = c.execute(sql, (*params, query.limit, query.offset)).fetchall()
        hits = tuple(
            SearchDoc(
                r[1], r[0], r[2], r[3], r[4], r[5], r[6], r[7], bool(r[8]), r[9], r[10], r[11]
            )
            for r in rows
        )
        return SearchResult(hits, total, facets, exact=not fts or total <= SCAN_CAP)

    def _filtered(self, q: SearchQuery) -> tuple[str, str, list[Any]]:
        where: list[str] = ["d.site_id = ?"]
        params: list[Any] = [q.site_id]
        source = "docs d"
        expr = match_expression(q.text)
        if expr is not None:
            # Category and brand are FTS columns too: intersecting their doclists inside FTS5
            # is much cheaper than joining every text match to check them.
            for column, value in (("category", q.category), ("brand", q.brand)):
                if value and (words := match_expression(value)):
                    expr += f" AND {column}:({words.removesuffix('*')})"
            source = "docs_fts JOIN docs d ON d.id = docs_fts.rowid"
            where.insert(0, "docs_fts MATCH ?")
            params.insert(0, expr)
        for column, value in (("category", q.category), ("brand", q.brand), ("band", q.price_band)):
            if value:
                where.append(f"d.{column} = ?")
                params.append(value)
        if q.member_only:
            where.append("d.member = 1")
        if q.min_stars is not None:  # "N stars & up": rating >= N x 10, i.e. whole stars >= N
            where.append("d.stars >= ?")
            params.append(q.min_stars)
        return source, " AND ".join(where), params

    def _facets(
        self, c: sqlite3.Connection, q: SearchQuery, source: str, where: str, params: list[Any]
    ) -> tuple[int, dict[str, tuple[FacetCount, ...]]]:
        cacheable = match_expression(q.text) is None
        key = (q.site_id, q.category, q.brand, q.price_band, q.member_only, q.min_stars)
        if cacheable:
            gen = c.execute("SELECT v FROM meta WHERE k = 'generation'").fetchone()[0]
            with self._lock:
                hit = self._cache.get(key)
            if hit is not None and hit[0] == gen:
                return hit[1]["total"], hit[1]["facets"]
        if cacheable:  # browsing: exact counts from the cube the triggers maintain
            m_sql = (
                "SELECT category, brand, band, member, stars, n FROM facet_cube "
                f"WHERE {where.replace('d.', '')} AND n > 0"
            )
        else:
            m_sql = (
                f"SELECT d.category, d.brand, d.band, d.member, d.stars, 1 AS n FROM {source} "
                f"WHERE {where} LIMIT {SCAN_CAP + 1}"
            )
        rows = c.execute(
            f"""WITH m AS MATERIALIZED ({m_sql})
                SELECT 'category', category, sum(n) FROM m GROUP BY category
                UNION ALL SELECT 'brand', brand, s FROM (
                  SELECT brand, sum(n) AS s FROM m GROUP BY brand
                  ORDER BY s DESC, brand LIMIT {_TOP_BRANDS})
                UNION ALL SELECT 'price_band', band, sum(n) FROM m GROUP BY band
                UNION ALL SELECT 'member', member, sum(n) FROM m GROUP BY member
                UNION ALL SELECT 'rating', stars, sum(n) FROM m GROUP BY stars""",
            params,
        ).fetchall()
        grouped: dict[str, list[FacetCount]] = {
            "category": [], "brand": [], "price_band": [], "member": [],
        }  # fmt: skip
        per_stars: dict[int, int] = {}
        for facet, value, n in rows:
            if facet == "rating":
                per_stars[int(value)] = int(n)
            else:
                grouped[facet].append(FacetCount(str(value), int(n)))
        total = sum(f.count for f in grouped["category"])
        facets = {
            "category": tuple(sorted(grouped["category"], key=lambda f: f.value)),
            "brand": tuple(sorted(grouped["brand"], key=lambda f: (-f.count, f.value))),
            "price_band": tuple(
                sorted(grouped["price_band"], key=lambda f: _BAND_ORDER.get(f.value, 99))
            ),
            "member": tuple(grouped["member"]),
            "rating": rating_facet(per_stars),
        }
        if cacheable:
            with self._lock:
                self._cache[key] = (gen, {"total": total, "facets": facets})
                while len(self._cache) > _CACHE_SIZE:
                    self._cache.popitem(last=False)
        return total, facets


_QMARKS = ", ".join("?" for _ in _COLUMNS.split(","))
_DROP_ALL = (
    "DROP TRIGGER IF EXISTS docs_ai; DROP TRIGGER IF EXISTS docs_ad;"
    "DROP TRIGGER IF EXISTS docs_au; DROP TABLE IF EXISTS docs_fts;"
    "DROP TABLE IF EXISTS facet_cube;"
    "DROP TABLE IF EXISTS docs;"
)
