"""``tradewind bench search``: catalog search latency with facet counts.

Registered by the lead with ``bench_search.register(bench.app)``. A seeded synthetic catalog of
``N`` products on one site (the worst case for a per-site query) is indexed into a fresh index
file, then ``Q`` seeded queries run once each after a warm-up: one or two words, brand names,
prefixes (search-as-you-type), a share with category / price-band / membership filters and
other sort orders, and a share of text-less category browsing. Every query computes all facet
counts. Goal: p95 < 50 ms at 1,000,000 products. ``--adapter fts5|tantivy`` picks the index.
"""

from __future__ import annotations

import os
import platform
import random
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from tradewind.catalog.adapters.search.wiring import ADAPTERS, open_index
from tradewind.catalog.search import BAND_KEYS, SearchDoc, SearchQuery, SortOrder, price_band
from tradewind.platform.cli.output import emit

_NOUNS = {
    "electronics": "speaker headphones charger cable camera monitor keyboard mouse router tablet",
    "kitchen": "mug kettle pan knife blender toaster grater whisk skillet teapot",
    "books": "cookbook novel atlas guide journal planner dictionary anthology biography comic",
    "toys": "puzzle robot blocks doll kite yoyo train drone marbles plush",
    "sports": "ball racket helmet gloves bottle mat rope bike skates dumbbell",
    "home": "lamp clock rug pillow curtain vase frame shelf blanket candle",
    "tools": "drill hammer wrench saw level pliers ladder sander clamp screwdriver",
    "beauty": "serum lotion brush mirror shampoo perfume balm cream razor dryer",
    "fashion": "jacket scarf boots wallet belt hat sneakers dress watch backpack",
    "grocery": "coffee tea honey pasta rice olive oil spice granola chocolate",
}
_ADJECTIVES = [
    "premium",
    "smart",
    "classic",
    "ultra",
    "compact",
    "essential",
    "deluxe",
    "eco",
    "pro",
    "mini",
    "travel",
    "vintage",
    "wireless",
    "organic",
    "rugged",
    "modern",
    "portable",
    "heavy",
    "light",
    "silent",
]


def synthetic_docs(n: int, seed: int = 0, site_id: str = "US") -> Iterator[SearchDoc]:
    """``n`` seeded documents: 'Brand0123 Smart Mug 45' style titles, ~500 products a brand."""
    rng = random.Random(seed)
    categories = sorted(_NOUNS)
    brands = max(1, n // 500)
    for i in range(n):
        cat = categories[i % len(categories)]
        noun = rng.choice(_NOUNS[cat].split())
        brand = f"Brand{rng.randrange(brands):05d}"
        price = int(rng.lognormvariate(7.8, 1.0))  # cents, median ~ $24
        yield SearchDoc(
            product_id=f"prd-{i:08d}",
            site_id=site_id,
            title=f"{brand} {rng.choice(_ADJECTIVES).title()} {noun.title()} {i}",
            brand=brand,
            category=cat,
            price_minor=max(price, 99),
            currency="USD",
            price_band=price_band(max(price, 99)),
            member_eligible=rng.random() < 0.7,
            offers=rng.randint(1, 6),
        )


def workload(n_queries: int, n_products: int, seed: int = 0) -> list[SearchQuery]:
    """A seeded mix of shopper queries (see the module docstring)."""
    rng = random.Random(seed + 1)
    brands = max(1, n_products // 500)
    nouns = [w for ws in _NOUNS.values() for w in ws.split()]
    out = []
    for _ in range(n_queries):
        kind = rng.random()
        if kind < 0.3:
            text = rng.choice(nouns)
        elif kind < 0.55:
            text = f"{rng.choice(_ADJECTIVES)} {rng.choice(nouns)}"
        elif kind < 0.7:
            text = f"brand{rng.randrange(brands):05d} {rng.choice(nouns)}"
        elif kind < 0.8:
            text = f"{rng.choice(_ADJECTIVES)} {rng.choice(nouns)[:3]}"  # typing a prefix
        elif kind < 0.9:
            text = f"brand{rng.randrange(brands):05d}"
        else:
            text = ""  # browsing a category
        filtered = rng.random() < 0.3 or not text
        out.append(
            SearchQuery(
                site_id="US",
                text=text,
                category=rng.choice(sorted(_NOUNS)) if filtered else None,
                price_band=rng.choice(BAND_KEYS) if filtered and rng.random() < 0.5 else None,
                member_only=filtered and rng.random() < 0.5,
                sort=rng.choice(list(SortOrder)) if rng.random() < 0.3 else SortOrder.RELEVANCE,
                offset=rng.choice((0, 0, 0, 20, 40)),
            )
        )
    return out


def _pct(sorted_ns: list[int], q: int) -> float:
    return round(sorted_ns[min(len(sorted_ns) - 1, (len(sorted_ns) * q) // 100)] / 1e6, 3)


def _bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def run_bench(
    products: int,
    queries: int,
    *,
    seed: int = 0,
    index_dir: Path | None = None,
    adapter: str = "fts5",
) -> dict[str, Any]:
    """Build a fresh ``adapter`` index of ``products`` documents and time ``queries``
    searches."""
    if adapter not in ADAPTERS:
        raise ValueError(f"unknown search adapter {adapter!r}")
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(dir=index_dir) as tmp:
        path = Path(tmp) / ("bench.tantivy" if adapter == "tantivy" else "bench.fts5.sqlite")
        index = open_index(adapter, path)
        t0 = time.perf_counter()
        index.rebuild(synthetic_docs(products, seed))
        build_s = time.perf_counter() - t0
        size = _bytes(path)
        work = workload(queries, products, seed)
        for q in workload(min(50, queries), products, seed + 99):
            index.search(q)  # warm the page cache
        timings, hits = [], 0
        for q in work:
            s = time.perf_counter_ns()
            result = index.search(q)
            timings.append(time.perf_counter_ns() - s)
            hits += result.total
    timings.sort()
    return {
        "products": products,
        "queries": queries,
        "p50_ms": _pct(timings, 50),
        "p95_ms": _pct(timings, 95),
        "p99_ms": _pct(timings, 99),
        "max_ms": round(timings[-1] / 1e6, 3),
        "index_build_s": round(build_s, 2),
        "index_bytes": size,
        "mean_total_hits": round(hits / max(1, queries), 1),
        "adapter": index.name,
        "seed": seed,
        "facets": ["category", "brand", "price_band", "member"],
        "machine": {
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpu_count": os.cpu_count(),
            "load_avg_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        },
    }


def register(bench_app: typer.Typer) -> None:
    """Add the ``search`` command to the ``tradewind bench`` sub-app."""

    @bench_app.command("search")
    def bench_search(
        json_output: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
        products: Annotated[int, typer.Option("--products", min=1)] = 100_000,
        queries: Annotated[int, typer.Option("--queries", min=1)] = 1_000,
        seed: Annotated[int, typer.Option("--seed")] = 0,
        index_dir: Annotated[
            Path | None, typer.Option("--index-dir", help="where the temporary index goes")
        ] = None,
        adapter: Annotated[
            str, typer.Option("--adapter", help="index to measure: fts5 or tantivy")
        ] = "fts5",
    ) -> None:
        """Search latency p50/p95 with facet counts over a synthetic catalog (goal at 1M
        products: p95 < 50 ms)."""
        if adapter not in ADAPTERS:
            raise typer.BadParameter(f"use one of {', '.join(ADAPTERS)}", param_hint="--adapter")
        emit(
            run_bench(products, queries, seed=seed, index_dir=index_dir, adapter=adapter),
            as_json=json_output,
            title="bench search",
        )
