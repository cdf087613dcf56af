"""Labelled bad actors injected into the simulated world's activity (issue 8).

Pure and seeded. The honest side comes from what the living simulation really produced (orders,
offers, sellers, brands: :class:`WorldFacts`, read by an adapter), completed by honest
counterparts drawn here from the same distributions (reviews of delivered orders, new offers
from authorised and unauthorised genuine resellers, FBA receiving with valid unit codes, sellers
with valid tax registrations, customs declarations of cross-border parcels), so false positives
are measurable. The bad side: brushing rings, review farms (this module), hijackers,
counterfeiters, VAT fraudsters and undervaluers (``fraud_sellers.py``, ``fraud_tax.py``).

Every record carries ``label`` (a :class:`FraudKind` or ``None`` for honest) and the time it
becomes known to the platform. Modelling choices are documented next to each draw and in
``docs/governance.md`` ("Simulated fraud"); none of them uses ids, times or amounts that
only bad actors could have.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from datetime import datetime, timedelta

from tradewind_bench.fraud.records import (
    Activity,
    FraudKind,
    FraudParams,
    OrderRec,
    ReviewRec,
    SimOrder,
    WorldFacts,
)


def bad_count(honest: int, rate: float) -> int:
    """Bad items so that bad / (bad + honest) is ``rate`` (at least one, to be measurable)."""
    return max(1, round(honest * rate / (1.0 - rate)))


def honest_time(orders: list[SimOrder], rng: random.Random) -> datetime:
    """A time drawn from the honest order-time distribution (same daily shape) plus jitter."""
    base = rng.choice(orders).placed_at
    return base + timedelta(minutes=rng.uniform(-20, 20))


def _addresses(facts: WorldFacts, p: FraudParams, rng: random.Random) -> dict[str, str]:
    """Home address key per customer; some households share one (families, flat shares)."""
    by_site: dict[str, list[str]] = defaultdict(list)
    for cid, site in sorted(facts.customer_site.items()):
        by_site[site].append(cid)
    home: dict[str, str] = {}
    for site, ids in sorted(by_site.items()):
        for cid in ids:
            if cid in home:
                continue
            home[cid] = f"addr:{cid}"
            if rng.random() < p.household_share:
                for other in rng.sample(ids, k=min(len(ids), rng.randint(1, 2))):
                    home.setdefault(other, home[cid])
        _ = site
    return home


def _lockers(site: str, rng: random.Random) -> str:
    return f"locker:{site}:{rng.randrange(6)}"  # a handful of busy lockers per site


def honest_orders(facts: WorldFacts, rng: random.Random, act: Activity) -> dict[str, str]:
    """One record per (order, seller) of the real orders; returns the home address map."""
    home = _addresses(facts, act.params, rng)
    for o in sorted(facts.orders, key=lambda x: x.order_id):
        locker = rng.random() < act.params.locker_share
        ship_to = _lockers(o.site_id, rng) if locker else home.get(o.customer_id, o.customer_id)
        for seller in sorted({ln.seller_id for ln in o.lines}):
            act.orders.append(
                OrderRec(o.order_id, o.customer_id, seller, ship_to, o.placed_at, site_id=o.site_id)
            )
    return home


def _text_p(machine: bool, p: FraudParams, rng: random.Random) -> float:
    """The text classifier's probability: flagged (>= 0.8) at its measured TPR / FPR."""
    flagged = rng.random() < (p.text_tpr if machine else p.text_fpr)
    return rng.uniform(0.8, 1.0) if flagged else rng.uniform(0.0, 0.8)


def _rating(rng: random.Random) -> int:
    return rng.choices((5, 4, 3, 2, 1), weights=(58, 20, 9, 5, 8))[0]


def honest_reviews(facts: WorldFacts, rng: random.Random, act: Activity) -> None:
    """Reviews of delivered lines (lag: log-normal, median ~3 days) and a few unverified."""
    p = act.params
    products = sorted(facts.product_brand)
    n = 0
    for o in sorted(facts.orders, key=lambda x: x.order_id):
        for ln in o.lines:
            if o.delivered_at is None or rng.random() >= p.honest_review_rate:
                continue
            at = o.delivered_at + timedelta(days=rng.lognormvariate(math.log(3.0), 0.8))
            if at > act.end:
                continue
            # Some honest reviews are machine-written too (assistants): 5 %.
            tp = _text_p(rng.random() < 0.05, p, rng)
            n += 1
            act.reviews.append(
                ReviewRec(
                    f"rev-{n:07d}",
                    o.customer_id,
                    ln.product_id,
                    o.order_id,
                    at,
                    _rating(rng),
                    tp,
                    delivered_at=o.delivered_at,
                )
            )
    verified = n
    customers = sorted(facts.customer_site)
    for _ in range(round(verified * p.honest_unverified_share / (1 - p.honest_unverified_share))):
        n += 1
        at = act.start + (act.end - act.start) * rng.random()
        act.reviews.append(
            ReviewRec(
                f"rev-{n:07d}",
                rng.choice(customers),
                rng.choice(products),
                None,
                at,
                _rating(rng),
                _text_p(rng.random() < 0.05, p, rng),
            )
        )


def _fake_accounts(facts: WorldFacts, site: str, k: int, tag: int) -> list[str]:
    """New account ids in the same format as real customers' (ids reveal nothing)."""
    base = 90_000 + 1_000 * tag
    return [f"cus-{site.lower()}-{base + i:05d}" for i in range(k)]


def inject_brushing(facts: WorldFacts, rng: random.Random, act: Activity) -> None:
    """Rings of 2-4 existing 3P sellers buying their own cheapest items through 6-20 shared
    fake accounts, 3-12 orders a day each, shipped 60 % to 2-4 drop addresses and 40 % to
    strangers' addresses (the classic unsolicited parcel; some strangers are real customers).
    70 % of fake orders get a 5-star verified review a day or two after "delivery"."""
    third = sorted(s.seller_id for s in facts.sellers if s.third_party)
    selling = {r.seller_id for r in act.orders}
    pool = [s for s in third if s in selling]
    n_bad = max(2, round(len(pool) * act.params.rate))
    chosen = rng.sample(pool, k=min(n_bad, len(pool)))
    cheapest: dict[str, tuple[int, str, str]] = {}
    for off in facts.offers:
        cur = cheapest.get(off.seller_id)
        if cur is None or off.price_minor < cur[0]:
            cheapest[off.seller_id] = (off.price_minor, off.product_id, off.site_id)
    homes = sorted({r.ship_to for r in act.orders if r.ship_to.startswith("addr:")})
    ring_no, k = 0, 0
    while k < len(chosen):
        size = min(len(chosen) - k, rng.randint(2, 4))
        ring = chosen[k : k + size]
        k += size
        ring_no += 1
        site = cheapest.get(ring[0], (0, "", "US"))[2]
        accounts = _fake_accounts(facts, site, rng.randint(6, 20), ring_no)
        drops = [f"addr:drop-{ring_no}-{i}" for i in range(rng.randint(2, 4))]
        for seller in ring:
            _brush_seller(
                facts,
                rng,
                act,
                (f"ring-{ring_no}", seller, accounts, drops, homes),
                cheapest.get(seller),
            )
    act.injected[FraudKind.BRUSHING_RING] = len(chosen)


def _brush_seller(
    facts: WorldFacts,
    rng: random.Random,
    act: Activity,
    ring: tuple[str, str, list[str], list[str], list[str]],
    cheap: tuple[int, str, str] | None,
) -> None:
    ring_id, seller, accounts, drops, homes = ring
    site = cheap[2] if cheap else ""  # the site of the item the ring buys
    per_day = rng.randint(3, 12)
    count = max(1, round(per_day * facts.days))
    for _ in range(count):
        at = honest_time(facts.orders, rng)
        if rng.random() < 0.6:
            ship_to = rng.choice(drops)
        elif homes and rng.random() < 0.3:
            ship_to = rng.choice(homes)
        else:
            ship_to = f"addr:stranger-{rng.randrange(10**9)}"
        buyer = rng.choice(accounts)
        oid = f"ord-b{rng.randrange(10**10):010d}"
        act.orders.append(
            OrderRec(oid, buyer, seller, ship_to, at, FraudKind.BRUSHING_RING, ring_id, site)
        )
        if cheap and rng.random() < 0.7:
            r_at = at + timedelta(days=rng.uniform(1.0, 3.0))
            if r_at <= act.end:
                act.reviews.append(
                    ReviewRec(
                        f"rev-b{rng.randrange(10**10):010d}",
                        buyer,
                        cheap[1],
                        oid,
                        r_at,
                        5,
                        _text_p(rng.random() < 0.5, act.params, rng),
                        FraudKind.BRUSHING_RING,
                        ring_id,
                    )
                )


def inject_review_farms(facts: WorldFacts, rng: random.Random, act: Activity) -> None:
    """Farms of 8-25 accounts pushing 3-6 target products. Per target, a campaign of 5-15
    reviews: 70 % as a burst over 1-3 days, 30 % as a slow drip over the whole window; 35 %
    with a verified (refunded) purchase; half machine-written; 85 % five stars. Each account
    also posts 0-2 camouflage reviews on best sellers (labelled too: the account is bad). A
    farm's last campaign is cut so that farm reviews are ``rate`` of all non-brushing ones."""
    honest = sum(1 for r in act.reviews if r.label is None)
    target = bad_count(honest, act.params.rate)
    sold: dict[str, int] = defaultdict(int)
    for o in facts.orders:
        for ln in o.lines:
            sold[ln.product_id] += ln.quantity
    products = sorted(sold) or sorted(facts.product_brand)
    best = sorted(products, key=lambda x: (-sold.get(x, 0), x))[:50]
    made, farm = 0, 0
    while made < target:
        farm += 1
        name = f"farm-{farm}"
        site = rng.choice(sorted(facts.site_country))
        accounts = _fake_accounts(facts, site, rng.randint(8, 25), 50 + farm)
        planned: list[ReviewRec] = []
        for product in rng.sample(products, k=min(len(products), rng.randint(3, 6))):
            drip = rng.random() < 0.3
            span = (act.end - act.start) if drip else timedelta(days=rng.uniform(1, 3))
            t0 = act.start + (act.end - act.start - span) * rng.random()
            for acc in rng.sample(accounts, k=min(len(accounts), rng.randint(5, 15))):
                planned.append(_farm_review(rng, act, acc, product, t0 + span * rng.random(), name))
        for acc in accounts:
            for _ in range(rng.randint(0, 2)):
                at = act.start + (act.end - act.start) * rng.random()
                planned.append(
                    _farm_review(rng, act, acc, rng.choice(best), at, name, camouflage=True)
                )
        rng.shuffle(planned)
        act.reviews.extend(planned[: target - made])
        made += min(len(planned), target - made)
    act.injected[FraudKind.REVIEW_FARM] = farm


def _farm_review(
    rng: random.Random,
    act: Activity,
    acc: str,
    product: str,
    at: datetime,
    farm: str,
    *,
    camouflage: bool = False,
) -> ReviewRec:
    verified = rng.random() < (0.5 if camouflage else 0.35)
    machine = rng.random() < (0.2 if camouflage else 0.5)
    rating = _rating(rng) if camouflage else (5 if rng.random() < 0.85 else 4)
    return ReviewRec(
        f"rev-f{rng.randrange(10**10):010d}",
        acc,
        product,
        f"ord-f{rng.randrange(10**10):010d}" if verified else None,
        at,
        rating,
        _text_p(machine, act.params, rng),
        FraudKind.REVIEW_FARM,
        farm,
    )


def inject(facts: WorldFacts, params: FraudParams) -> Activity:
    """Honest counterparts and every injected type; deterministic per (facts, seed)."""
    from tradewind_bench.fraud import devices as fraud_devices
    from tradewind_bench.fraud import reviewers as fraud_reviewers
    from tradewind_bench.fraud import security as fraud_security
    from tradewind_bench.fraud import sellers as fraud_sellers

    demand_end = facts.start + timedelta(days=facts.days)
    act = Activity(params, facts.start, demand_end, demand_end + timedelta(days=params.review_days))
    act.brand_owner = dict(facts.brand_owner)
    # Each part draws from its own stream: changing one model never shifts the others.
    honest_orders(facts, random.Random(f"{params.seed}:fraud:orders"), act)
    honest_reviews(facts, random.Random(f"{params.seed}:fraud:reviews"), act)
    inject_brushing(facts, random.Random(f"{params.seed}:fraud:brushing"), act)
    inject_review_farms(facts, random.Random(f"{params.seed}:fraud:farms"), act)
    fraud_sellers.inject_sellers(facts, params.seed, act)
    # Reviewer accounts' history and in-window refunds: a separate stream drawn after every
    # review exists, so the reviews themselves are exactly those of the model without it.
    fraud_reviewers.reviewer_histories(facts, random.Random(f"{params.seed}:fraud:reviewers"), act)
    fraud_devices.draw_devices(act, random.Random(f"{params.seed}:fraud:devices"))
    fraud_security.draw_contact_changes(act, random.Random(f"{params.seed}:fraud:security"))
    act.orders.sort(key=lambda r: (r.at, r.order_id, r.seller_id))
    act.reviews.sort(key=lambda r: (r.at, r.review_id))
    act.refunds.sort(key=lambda r: (r.at, r.order_id))
    return act
