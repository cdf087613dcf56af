"""Seller-side bad actors: hijackers and counterfeiters, each with its honest counterparts
drawn from the same distributions (see ``fraud.py``); VAT fraudsters and undervaluers are in
``fraud_tax.py``."""

from __future__ import annotations

import random
import statistics
from collections import defaultdict
from datetime import datetime, timedelta

from tradewind_bench.fraud.records import (
    Activity,
    FraudKind,
    InboundUnitRec,
    NewOfferRec,
    SimOffer,
    WorldFacts,
)
from tradewind_bench.fraud.tax import inject_tax, inject_undervaluation
from tradewind_bench.fraud.test_buys import draw_test_buys

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _bad(honest: int, rate: float) -> int:
    return max(1, round(honest * rate / (1.0 - rate)))


def _when(act: Activity, rng: random.Random) -> datetime:
    return act.start + (act.demand_end - act.start) * rng.random()


def _ratio(rng: random.Random, mode: float, spread: float, lo: float, hi: float) -> float:
    return min(hi, max(lo, rng.gauss(mode, spread)))


# -- hijackers ---------------------------------------------------------------------------------
def _references(facts: WorldFacts) -> dict[tuple[str, str], tuple[int, str]]:
    prices: dict[tuple[str, str], list[int]] = defaultdict(list)
    currency: dict[tuple[str, str], str] = {}
    for o in facts.offers:
        prices[(o.product_id, o.site_id)].append(o.price_minor)
        currency[(o.product_id, o.site_id)] = o.currency
    return {k: (int(statistics.median(v)), currency[k]) for k, v in sorted(prices.items())}


def _offer(
    rng: random.Random,
    base: SimOffer,
    ref: int,
    seller: tuple[str, datetime],
    price_ratio: float,
    at: datetime,
    brand: str,
) -> NewOfferRec:
    return NewOfferRec(
        f"off-n{rng.randrange(10**10):010d}",
        seller[0],
        seller[1],
        base.product_id,
        brand,
        base.site_id,
        max(1, round(ref * price_ratio)),
        ref,
        base.currency,
        rng.random() < 0.97,
        at,
    )


def inject_hijackers(facts: WorldFacts, rng: random.Random, act: Activity) -> None:
    """Honest new offers (2 % of offers a day): half on brand-registered products. On those,
    half come from resellers the brand authorises; the rest from genuine unauthorised
    resellers (legal resale of genuine goods), 30 % of them new accounts; prices ~ N(0.97,
    0.08) of the reference, 5 % clearance at 45-70 %. Hijackers: new accounts (70 %) or taken
    over dormant ones (30 %, 1-5 years old), offers on popular registered products priced at
    30-95 % of the reference (undercutting enough to win the buy box), nearly all "new"."""
    refs = _references(facts)
    registered: list[SimOffer] = []
    others: list[SimOffer] = []
    for o in facts.offers:
        owner = facts.brand_owner.get(facts.product_brand[o.product_id])
        (registered if owner else others).append(o)
    third = sorted((s for s in facts.sellers if s.third_party), key=lambda s: s.seller_id)
    if not registered or not third:
        act.injected[FraudKind.HIJACKER] = 0
        return
    honest_n = max(10, round(len(facts.offers) * act.params.new_offers_per_day * facts.days))
    new_id = 0
    for _ in range(honest_n):
        at = _when(act, rng)
        on_registered = rng.random() < 0.5 or not others
        base = rng.choice(registered if on_registered else others)
        ref = refs[(base.product_id, base.site_id)][0]
        brand = facts.product_brand[base.product_id]
        new_account = rng.random() < 0.3
        if new_account:
            new_id += 1
            seller = (f"sel-n{new_id:04d}", at - timedelta(days=rng.uniform(0, 29)))
        else:
            s = rng.choice(third)
            seller = (s.seller_id, _established(act, s.seller_id))
        if on_registered and rng.random() < 0.5:
            act.authorised.setdefault(brand, set()).add(seller[0])
        ratio = rng.uniform(0.45, 0.7) if rng.random() < 0.05 else _ratio(rng, 0.97, 0.08, 0.7, 1.2)
        act.new_offers.append(_offer(rng, base, ref, seller, ratio, at, brand))
    popular = sorted(registered, key=lambda o: o.price_minor)[len(registered) // 3 :] or registered
    bad = _bad(honest_n, act.params.rate)
    for i in range(bad):
        at = _when(act, rng)
        base = rng.choice(popular)
        ref = refs[(base.product_id, base.site_id)][0]
        age = rng.uniform(0, 20) if rng.random() < 0.7 else rng.uniform(365, 5 * 365)
        new_id += 1
        seller = (f"sel-n{new_id:04d}", at - timedelta(days=age))
        rec = _offer(
            rng, base, ref, seller, rng.uniform(0.3, 0.95), at, facts.product_brand[base.product_id]
        )
        act.new_offers.append(_relabel_offer(rec, f"hijacker-{i + 1}"))
    act.injected[FraudKind.HIJACKER] = bad


def _established(act: Activity, seller_id: str) -> datetime:
    """World sellers' accounts are 6 months to 8 years old (the DB stamps load time)."""
    days = random.Random(f"{act.params.seed}:age:{seller_id}").uniform(180, 8 * 365)
    return act.start - timedelta(days=days)


def _relabel_offer(r: NewOfferRec, actor: str) -> NewOfferRec:
    return NewOfferRec(
        r.offer_id,
        r.seller_id,
        r.seller_created_at,
        r.product_id,
        r.brand_id,
        r.site_id,
        r.price_minor,
        r.reference_minor,
        r.currency,
        r.condition_new,
        r.at,
        FraudKind.HIJACKER,
        actor,
    )


# -- counterfeiters ----------------------------------------------------------------------------
def _code(rng: random.Random) -> str:
    return "".join(rng.choice(_ALPHABET) for _ in range(12))


def inject_counterfeit(facts: WorldFacts, rng: random.Random, act: Activity) -> None:
    """Enrolment: 60 % of registered brands use unit codes. Honest receiving: 30 % of FBA
    lines sold by 3P sellers trigger a replenishment of 10-60 units within 2 days; genuine
    units carry fresh codes, 0.3 % with a torn or missing label. The brand also issues codes
    for units sold off-platform. Counterfeiters send shipments of 10-50 units of registered
    products (enrolled or not: they cannot tell); code strategy per shipment: fabricated
    (45 %), copied from genuine on-platform units (25 %: if the copy arrives first, the
    genuine unit is the one rejected), copied from off-platform units (20 %; a pool of 1..n
    codes, reuse within the pool shows), or no code (10 %)."""
    for brand, owner in sorted(facts.brand_owner.items()):
        if owner and rng.random() < 0.6:
            for product, b in sorted(facts.product_brand.items()):
                if b == brand:
                    act.enrolled[product] = brand
    sites = sorted(facts.fcs)
    honest_codes: dict[str, list[str]] = defaultdict(list)
    third = {s.seller_id for s in facts.sellers if s.third_party}
    shipments = 0
    for o in sorted(facts.orders, key=lambda x: x.order_id):
        for ln in o.lines:
            if not (ln.fba and ln.seller_id in third) or rng.random() >= 0.3:
                continue
            shipments += 1
            at = o.placed_at + timedelta(days=rng.uniform(0, 2))
            fc = rng.choice(facts.fcs.get(o.site_id) or facts.fcs[sites[0]])
            for u in range(rng.randint(10, 60)):
                code = None
                if ln.product_id in act.enrolled:
                    code = _code(rng)
                    act.issued[code] = ln.product_id
                    honest_codes[ln.product_id].append(code)
                    if rng.random() < 0.003:
                        code = None
                act.inbound.append(
                    InboundUnitRec(
                        f"unit-s{shipments:05d}-{u:03d}",
                        f"inb-{shipments:05d}",
                        ln.seller_id,
                        ln.product_id,
                        fc,
                        code,
                        at,
                    )
                )
    _counterfeits(facts, rng, act, _bad(shipments, act.params.rate), honest_codes)


def _counterfeits(
    facts: WorldFacts, rng: random.Random, act: Activity, n: int, honest: dict[str, list[str]]
) -> None:
    registered = sorted(p for p, b in facts.product_brand.items() if facts.brand_owner.get(b))
    third = sorted(s.seller_id for s in facts.sellers if s.third_party)
    sites = sorted(facts.fcs)
    for i in range(n):
        product = rng.choice(registered)
        seller = rng.choice(third) if rng.random() < 0.5 else f"sel-c{i + 1:04d}"
        # The brand's owner cannot counterfeit its own goods: another seller is drawn (a
        # redraw, so every draw that did not pick the owner stays as it was).
        owner = facts.brand_owner.get(facts.product_brand[product])
        while seller == owner and len(third) > 1:
            seller = rng.choice(third)
        fc = rng.choice(facts.fcs[rng.choice(sites)])
        units = rng.randint(10, 50)
        strategy = rng.choices(("fabricated", "copied", "offplatform", "none"), (45, 25, 20, 10))[0]
        pool: list[str] = []
        if strategy == "copied" and honest.get(product):
            pool = rng.sample(honest[product], k=min(len(honest[product]), rng.randint(1, units)))
        elif strategy in ("offplatform", "copied") and product in act.enrolled:
            pool = [_code(rng) for _ in range(rng.randint(1, units))]
            act.issued.update({c: product for c in pool})
        at = _when(act, rng)
        for u in range(units):
            code: str | None
            if strategy == "none":
                code = None
            elif pool:
                code = pool[u % len(pool)]
            else:
                code = _code(rng)
            act.inbound.append(
                InboundUnitRec(
                    f"unit-c{i + 1:04d}-{u:03d}",
                    f"inb-c{i + 1:04d}",
                    seller,
                    product,
                    fc,
                    code,
                    at,
                    FraudKind.COUNTERFEITER,
                    f"counterfeiter-{i + 1}",
                )
            )
    act.injected[FraudKind.COUNTERFEITER] = n


def inject_sellers(facts: WorldFacts, seed: int, act: Activity) -> None:
    inject_hijackers(facts, random.Random(f"{seed}:fraud:hijack"), act)
    inject_counterfeit(facts, random.Random(f"{seed}:fraud:counterfeit"), act)
    inject_tax(
        facts,
        random.Random(f"{seed}:fraud:tax"),
        act,
        random.Random(f"{seed}:fraud:tax-lag"),
        random.Random(f"{seed}:fraud:tax-notice"),
    )
    inject_undervaluation(
        facts,
        random.Random(f"{seed}:fraud:customs"),
        act,
        random.Random(f"{seed}:fraud:customs-history"),
    )
    draw_test_buys(act, random.Random(f"{seed}:fraud:test-buys"))
    act.new_offers.sort(key=lambda r: (r.at, r.offer_id))
    act.inbound.sort(key=lambda r: (r.at, r.unit_id))
    act.declarations.sort(key=lambda r: (r.at, r.shipment_id))
