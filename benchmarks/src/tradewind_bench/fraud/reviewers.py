"""Reviewer accounts' history and refunds of reviewed purchases (issue 8, second injection).

A review farm is hard to see from its reviews in one day: about ten reviews, mostly one per
account. What gives it away on a real platform is the account behind the review: how old it is,
what it bought, what it reviewed before, whether its purchases were refunded after the review,
whether it keeps reviewing the same products as other accounts, and how soon after delivery it
posts. This module draws that history for **every** account that reviews in the window, honest
ones and farm accounts alike, from the profiles below, plus the refunds of in-window reviewed
purchases. It runs on its own random stream after every review exists, so the reviews are the
same as without it.

Honest reviewers (an account with only honest reviews in the window) are one of:

* ``regular`` (78 %): account 60 days to 11 years old (log-uniform: most accounts are years
  old), 0.5-5 verified purchases a month (log-normal, median 1.5), reviews 2-20 % of them, plus
  0-20 % reviews of items bought elsewhere.
* ``new`` (10 %): 1-45 days old, 0-3 purchases, at most one past review. The hard case for an
  age signal: honest new accounts do review their first purchases.
* ``prolific`` (5 %): 1-11 years old, 100-600 purchases, reviews 30-70 % of them and 20-50 %
  more without a purchase (samples, early-reviewer programmes). Hard case for volume and for
  co-reviewing: they review the same popular products as each other.
* ``gift`` (7 %): people who review what they were given: 0-10 purchases, 2-12 reviews
  without a purchase on record. Hard case for the unverified share.

An account whose window reviews are all unverified is more likely a gift reviewer or prolific:
the mix is then 55 / 10 / 10 / 25 %.

Past honest reviews fall uniformly over the account's life on products weighted by popularity
(1 / (sales rank + 20)): honest reviewers share best sellers by chance. 3 % of past reviewed
purchases were refunded after the review (defective items reviewed, then returned). In the
window, an honest reviewed purchase is refunded 1-10 days after the review with probability
8 % for 1-2 stars and 1.5 % otherwise.

Farm accounts (an account with a farm review in the window) are one of:

* ``fresh`` (45 %): 2-90 days old, 0-4 purchases, 0-4 past farm reviews: farms burn new
  accounts, so most have little history to show, good or bad.
* ``bought`` (30 %): an aged account (1-8 years) bought or taken over, with a genuine
  ``regular`` history from its first owner, then 0-6 farm reviews in the last 90 days.
* ``veteran`` (25 %): 90-900 days old, 5-40 purchases, 8-40 past farm reviews and 2-10
  camouflage reviews of popular products.

Past farm reviews are on the farm's earlier targets: a pool of 5-30 products drawn uniformly
(pushed products are mostly not best sellers), so accounts of one farm share products more than
chance predicts, the more so the longer they have worked. 35 % of farm reviews have a purchase,
and half of those are refunded after the review on the platform (the rest are reimbursed off it,
invisible); camouflage reviews: 50 % with a purchase, 10 % of those refunded. In the window a farm
review with a purchase is posted 1 hour to 1.5 days after delivery (paid per review, posted on
arrival; honest lag is log-normal with median 3 days, so an honest review lands within 12 hours
of delivery ~1 % of the time and within 1.5 days ~19 %) and the purchase is refunded on the
platform with probability 0.5, 0.5-6 days after the review. Brushing-ring accounts get a
``fresh`` history without a farm pool.

None of this uses ids: farm account ids have the same format as customers'.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import replace
from datetime import datetime, timedelta

from tradewind_bench.fraud.records import (
    Activity,
    FraudKind,
    PastReviewRec,
    RefundRec,
    ReviewerRec,
    ReviewRec,
    WorldFacts,
)

HONEST_MIX = (("regular", 0.78), ("new", 0.10), ("prolific", 0.05), ("gift", 0.07))
UNVERIFIED_MIX = (("regular", 0.55), ("new", 0.10), ("prolific", 0.10), ("gift", 0.25))
FARM_MIX = (("fresh", 0.45), ("bought", 0.30), ("veteran", 0.25))
DAY = timedelta(days=1)


class _Catalogue:
    """Products by popularity (sales rank) for past reviews."""

    def __init__(self, facts: WorldFacts) -> None:
        sold: dict[str, int] = defaultdict(int)
        for o in facts.orders:
            for ln in o.lines:
                sold[ln.product_id] += ln.quantity
        self.products = sorted(facts.product_brand, key=lambda p: (-sold.get(p, 0), p))
        acc, cum = 0.0, []
        for rank in range(len(self.products)):
            acc += 1.0 / (rank + 20)
            cum.append(acc)
        self.cum = cum

    def popular(self, rng: random.Random) -> str:
        return rng.choices(self.products, cum_weights=self.cum)[0]


def _pick(mix: tuple[tuple[str, float], ...], rng: random.Random) -> str:
    return rng.choices([m for m, _ in mix], weights=[w for _, w in mix])[0]


def _log_uniform(lo: float, hi: float, rng: random.Random) -> float:
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


def _binom(n: int, p: float, rng: random.Random) -> int:
    return sum(rng.random() < p for _ in range(n))


def _honest_counts(profile: str, age: float, rng: random.Random) -> tuple[int, int, int]:
    """(purchases, verified past reviews, unverified past reviews) for an honest profile."""
    if profile == "new":
        purchases = rng.randint(0, 3)
        return purchases, min(1, _binom(purchases, 0.3, rng)), int(rng.random() < 0.1)
    if profile == "prolific":
        purchases = rng.randint(100, 600)
        nv = round(purchases * rng.uniform(0.3, 0.7))
        u = rng.uniform(0.2, 0.5)
        return purchases, nv, round(nv * u / (1 - u))
    if profile == "gift":
        purchases = rng.randint(0, 10)
        return purchases, _binom(purchases, 0.2, rng), rng.randint(2, 12)
    per_month = rng.lognormvariate(math.log(1.5), 0.7)
    purchases = min(2_000, round(age / 30 * per_month))
    nv = _binom(purchases, rng.uniform(0.02, 0.2), rng)
    u = rng.uniform(0.0, 0.2)
    return purchases, nv, round(nv * u / (1 - u)) + int(rng.random() < 0.1)


def _honest_age(profile: str, rng: random.Random) -> float:
    if profile == "new":
        return rng.uniform(1, 45)
    if profile == "prolific":
        return _log_uniform(365, 4_000, rng)
    if profile == "gift":
        return _log_uniform(30, 3_000, rng)
    return _log_uniform(60, 4_000, rng)


def _past(
    rng: random.Random, span: tuple[datetime, datetime], product: str, verified: bool, p_ref: float
) -> PastReviewRec:
    lo, hi = span
    at = lo + (hi - lo) * rng.random()
    return PastReviewRec(product, at, verified, verified and rng.random() < p_ref)


def _honest_history(
    cat: _Catalogue, profile: str, start: datetime, rng: random.Random
) -> tuple[datetime, int, list[PastReviewRec]]:
    created = start - DAY * _honest_age(profile, rng)
    purchases, nv, nu = _honest_counts(profile, (start - created) / DAY, rng)
    span = (created, start)
    past = [_past(rng, span, cat.popular(rng), True, 0.03) for _ in range(nv)]
    past += [_past(rng, span, cat.popular(rng), False, 0.0) for _ in range(nu)]
    return created, max(purchases, nv), past


def _farm_history(
    cat: _Catalogue, pool: list[str], profile: str, start: datetime, rng: random.Random
) -> tuple[datetime, int, list[PastReviewRec]]:
    if profile == "bought":
        created, purchases, past = _honest_history(cat, "regular", start, rng)
        created = min(created, start - DAY * rng.uniform(365, 2_900))
        n_farm, n_camo, recent = rng.randint(0, 6), 0, start - DAY * 90
    elif profile == "veteran":
        created = start - DAY * rng.uniform(90, 900)
        purchases, past = rng.randint(5, 40), []
        n_farm, n_camo, recent = rng.randint(8, 40), rng.randint(2, 10), created
    else:
        created = start - DAY * rng.uniform(2, 90)
        purchases, past = rng.randint(0, 4), []
        n_farm, n_camo, recent = rng.randint(0, 4), 0, created
    span = (max(recent, created), start)
    targets = rng.sample(pool, k=min(len(pool), n_farm)) if pool else []
    past += [_past(rng, span, p, rng.random() < 0.35, 0.5) for p in targets]
    past += [_past(rng, span, cat.popular(rng), rng.random() < 0.5, 0.1) for _ in range(n_camo)]
    return created, max(purchases, sum(r.verified for r in past)), past


def _accounts(act: Activity) -> dict[str, tuple[FraudKind | None, str, bool]]:
    """Reviewer -> (label, farm, all its window reviews unverified)."""
    out: dict[str, tuple[FraudKind | None, str, bool]] = {}
    for r in act.reviews:
        label, farm, unverified = out.get(r.reviewer_id, (None, "", True))
        if r.label is not None:
            label, farm = r.label, r.actor
        out[r.reviewer_id] = (label, farm, unverified and r.order_id is None)
    return out


def _window(act: Activity, rng: random.Random) -> None:
    """Delivery times of farm purchases and refunds of reviewed purchases in the window."""
    reviews = []
    for r in act.reviews:
        if r.label is FraudKind.REVIEW_FARM and r.order_id is not None:
            r = replace(r, delivered_at=r.at - DAY * rng.uniform(1 / 24, 1.5))
        reviews.append(r)
        _refund(act, r, rng)
    act.reviews = reviews


def _refund(act: Activity, r: ReviewRec, rng: random.Random) -> None:
    if r.order_id is None or r.label is FraudKind.BRUSHING_RING:
        return
    if r.label is FraudKind.REVIEW_FARM:
        p, lag = 0.5, rng.uniform(0.5, 6.0)
    else:
        p, lag = (0.08 if r.rating <= 2 else 0.015), rng.uniform(1.0, 10.0)
    at = r.at + DAY * lag
    if rng.random() < p and at <= act.end:
        act.refunds.append(RefundRec(r.order_id, r.reviewer_id, at, r.label, r.actor))


def reviewer_histories(facts: WorldFacts, rng: random.Random, act: Activity) -> None:
    """Every reviewing account's history (``act.reviewers``) and in-window refunds."""
    cat = _Catalogue(facts)
    pools: dict[str, list[str]] = {}
    for reviewer, (label, farm, unverified) in sorted(_accounts(act).items()):
        if label is FraudKind.REVIEW_FARM:
            if farm not in pools:
                pools[farm] = rng.sample(cat.products, k=min(len(cat.products), rng.randint(5, 30)))
            profile = _pick(FARM_MIX, rng)
            created, purchases, past = _farm_history(cat, pools[farm], profile, act.start, rng)
        elif label is FraudKind.BRUSHING_RING:
            profile = "fresh"
            created, purchases, past = _farm_history(cat, [], profile, act.start, rng)
        else:
            profile = _pick(UNVERIFIED_MIX if unverified else HONEST_MIX, rng)
            created, purchases, past = _honest_history(cat, profile, act.start, rng)
        past.sort(key=lambda x: (x.at, x.product_id))
        act.reviewers[reviewer] = ReviewerRec(
            reviewer, created, purchases, tuple(past), label, f"{farm}:{profile}".lstrip(":")
        )
    _window(act, rng)
