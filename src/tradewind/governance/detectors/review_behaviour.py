"""Behavioural signals of fake reviews: bursts on a product and reviewer co-review groups.

The text model (adapter) says whether a review *reads* generated; these say whether reviews
*arrive* like a campaign: many reviews on one product in a short window compared with its usual
rate, from unverified purchases, by reviewers who keep reviewing the same products together,
or on a product with far more reviews than its sales make likely (a campaign on a product few
people bought: the platform's own review rate per unit sold, plus a background of reviews of
items bought elsewhere, gives the expected count; a Poisson tail says how unlikely the rest is).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import combinations
from math import exp, lgamma, log

from tradewind.governance.scores import (
    Detector,
    DetectorScore,
    Evidence,
    Subject,
    SubjectKind,
    score_from_evidence,
)


@dataclass(frozen=True, slots=True)
class ReviewFact:
    review_id: str
    reviewer_id: str
    product_id: str
    at: datetime
    rating: int
    verified_purchase: bool
    text_fake_probability: float | None = None  # from the text classifier, if scored


@dataclass(frozen=True, slots=True)
class BehaviourParams:
    window: timedelta = timedelta(days=2)
    burst_min_reviews: int = 5
    burst_ratio: float = 5.0  # window count vs. the product's average per window
    min_common_products: int = 3
    text_threshold: float = 0.8
    w_burst: float = 0.4
    w_unverified: float = 0.3
    w_group: float = 0.5
    w_text: float = 0.5
    # Reviews beyond sales: long-run reviews per unit sold, background reviews per product,
    # and the Poisson tail below which a count is excess (strict: ~2,000 products, hourly).
    review_rate: float = 0.1
    review_background: float = 0.05
    sales_alpha: float = 0.001
    w_sales: float = 0.6


def burst_reviews(reviews: list[ReviewFact], p: BehaviourParams) -> set[str]:
    """Ids of reviews that fall in a window holding an unusual share of a product's reviews."""
    by_product: dict[str, list[ReviewFact]] = defaultdict(list)
    for r in reviews:
        by_product[r.product_id].append(r)
    flagged: set[str] = set()
    for items in by_product.values():
        items.sort(key=lambda r: r.at)
        span = max(items[-1].at - items[0].at, p.window)
        per_window = len(items) * (p.window / span)
        lo = 0
        for hi, r in enumerate(items):
            while r.at - items[lo].at > p.window:
                lo += 1
            count = hi - lo + 1
            if count >= p.burst_min_reviews and count >= p.burst_ratio * per_window:
                flagged.update(x.review_id for x in items[lo : hi + 1])
    return flagged


def co_review_groups(reviews: list[ReviewFact]) -> dict[str, int]:
    """For each reviewer, the most products they share with any single other reviewer."""
    products: dict[str, set[str]] = defaultdict(set)
    for r in reviews:
        products[r.reviewer_id].add(r.product_id)
    reviewers_of: dict[str, set[str]] = defaultdict(set)
    for reviewer, prods in products.items():
        for prod in prods:
            reviewers_of[prod].add(reviewer)
    common: dict[tuple[str, str], int] = defaultdict(int)
    for group in reviewers_of.values():
        for a, b in combinations(sorted(group), 2):
            common[(a, b)] += 1
    best: dict[str, int] = defaultdict(int)
    for (a, b), n in common.items():
        best[a] = max(best[a], n)
        best[b] = max(best[b], n)
    return dict(best)


def poisson_tail(k: int, lam: float) -> float:
    """P(X >= k) for X ~ Poisson(lam)."""
    if k <= 0:
        return 1.0
    if lam <= 0.0:
        return 0.0
    below = sum(exp(i * log(lam) - lam - lgamma(i + 1)) for i in range(k))
    return max(0.0, 1.0 - below)


def reviews_beyond_sales(
    reviews: list[ReviewFact], sales: Mapping[str, int], p: BehaviourParams
) -> dict[str, float]:
    """Products whose review count is improbable given units sold: product -> tail P.

    Expected reviews: the platform's long-run review rate per unit sold (a verified review
    counts as a sale: its purchase happened) plus a background of reviews of items bought
    elsewhere. Long-run figures, not the window's: reviews lag sales by days.
    """
    count: dict[str, int] = defaultdict(int)
    verified: dict[str, int] = defaultdict(int)
    for r in reviews:
        count[r.product_id] += 1
        verified[r.product_id] += r.verified_purchase
    out: dict[str, float] = {}
    for prod, k in count.items():
        lam = p.review_rate * max(sales.get(prod, 0), verified[prod]) + p.review_background
        tail = poisson_tail(k, lam)
        if tail < p.sales_alpha:
            out[prod] = tail
    return out


def score_reviews(
    reviews: list[ReviewFact],
    params: BehaviourParams | None = None,
    *,
    sales: Mapping[str, int] | None = None,
) -> list[DetectorScore]:
    """One score per review, combining text, burst, verification, co-review evidence and,
    given ``sales`` (units sold per product so far), reviews beyond what sales explain."""
    p = params or BehaviourParams()
    bursts = burst_reviews(reviews, p)
    groups = co_review_groups(reviews)
    excess = reviews_beyond_sales(reviews, sales, p) if sales is not None else {}
    out: list[DetectorScore] = []
    for r in sorted(reviews, key=lambda x: x.review_id):
        ev: list[Evidence] = []
        if r.text_fake_probability is not None and r.text_fake_probability >= p.text_threshold:
            ev.append(Evidence("text_generated", f"p={r.text_fake_probability:.2f}", p.w_text))
        if r.review_id in bursts:
            ev.append(Evidence("review_burst", f"burst on {r.product_id}", p.w_burst))
        if not r.verified_purchase:
            ev.append(Evidence("unverified_purchase", "no matching order", p.w_unverified))
        if r.product_id in excess:
            ev.append(
                Evidence(
                    "reviews_beyond_sales",
                    f"{r.product_id}: review count has P = {excess[r.product_id]:.4f} "
                    "given its sales",
                    p.w_sales,
                )
            )
        shared = groups.get(r.reviewer_id, 0)
        if shared >= p.min_common_products:
            ev.append(
                Evidence(
                    "co_review_group", f"shares {shared} products with one reviewer", p.w_group
                )
            )
        out.append(
            score_from_evidence(Detector.FAKE_REVIEW, Subject(SubjectKind.REVIEW, r.review_id), ev)
        )
    return out
