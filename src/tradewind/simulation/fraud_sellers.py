"""Seller-side bad actors: hijackers, counterfeiters, VAT fraudsters and undervaluers, each
with its honest counterparts drawn from the same distributions (see ``fraud.py``)."""

from __future__ import annotations

import math
import random
import statistics
from collections import defaultdict
from datetime import datetime, timedelta

from tradewind.simulation.fraud_records import (
    Activity,
    DeclarationRec,
    FraudKind,
    InboundUnitRec,
    NewOfferRec,
    SimOffer,
    TaxProfileRec,
    WorldFacts,
)
from tradewind.simulation.fraud_test_buys import draw_test_buys

# Sites whose VAT register the simulation models, and their registration thresholds in local
# minor units (the EU distance-selling threshold; the UK registration threshold).
VAT_THRESHOLDS: dict[str, tuple[int, str]] = {
    "DE": (1_000_000, "EUR"),
    "FR": (1_000_000, "EUR"),
    "IT": (1_000_000, "EUR"),
    "ES": (1_000_000, "EUR"),
    "NL": (1_000_000, "EUR"),
    "GB": (9_000_000, "GBP"),
}
# Registers that confirm validity only and do not say who holds a number (Germany's answer
# to a VIES query carries no name); the others name the holder.
REGISTERS_WITHOUT_HOLDER = frozenset({"DE"})
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


# -- VAT fraud and undervaluation --------------------------------------------------------------
def _number(country: str, rng: random.Random) -> str:
    digits = "".join(str(rng.randrange(10)) for _ in range(9))
    return (
        f"{'EL' if country == 'GR' else country}{digits}" if country in VAT_THRESHOLDS else digits
    )


def inject_tax(
    facts: WorldFacts, rng: random.Random, act: Activity, lag_rng: random.Random
) -> None:
    """Every 3P seller declares a home tax id (registered where the simulation keeps a VAT
    register) and its trailing-12-month sales per VAT country where it has offers (log-normal,
    median 40 % of the threshold), accrued at a steady rate: sales of ``r`` times the
    threshold passed it ``365 * (1 - 1/r)`` days ago. Honest sellers register where over the
    threshold after a lag from crossing (log-normal, median 21 days, sigma 0.9: 5 % take
    more than 90 days, 1.5 % more than 150), so some are still unregistered now; elsewhere
    they register with probability 0.3. Fraudsters (``rate`` of 3P sellers) use one or two
    of: an unregistered number, another country's number, a number borrowed from another
    seller, or no registration where over the threshold (1.1-4 times it)."""
    act.thresholds_minor = dict(VAT_THRESHOLDS)
    countries: dict[str, set[str]] = defaultdict(set)
    for o in facts.offers:
        c = facts.site_country[o.site_id]
        if c in VAT_THRESHOLDS:
            countries[o.seller_id].add(c)
    third = sorted((s for s in facts.sellers if s.third_party), key=lambda s: s.seller_id)
    n_bad = min(len(third), max(1, round(len(third) * act.params.rate)))
    bad = set(rng.sample([s.seller_id for s in third], k=n_bad))
    registered_numbers: list[str] = []
    profiles: list[tuple[str, str, list[tuple[str, str]], list[tuple[str, int]]]] = []
    for s in third:
        ids = [(s.country, _number(s.country, rng))]
        sales = []
        for c in sorted(countries.get(s.seller_id, set())):
            limit = VAT_THRESHOLDS[c][0]
            amount = int(rng.lognormvariate(0, 1.1) * 0.4 * limit)
            sales.append((c, amount))
            # Drawn for every country as before; the registration numbers drawn after an
            # over-threshold country whose outcome the lag changed do shift.
            draw = rng.random()
            if amount > limit:
                lag = timedelta(days=lag_rng.lognormvariate(math.log(21), 0.9))
                registers = _crossed(act.start, amount, limit) + lag <= act.start
            else:
                registers = draw < 0.3
            if c != s.country and registers:
                ids.append((c, _number(c, rng)))
        for c, num in ids:
            if c in VAT_THRESHOLDS:
                act.tax_register.setdefault(c, set()).add(num)
                registered_numbers.append(num)
                if c not in REGISTERS_WITHOUT_HOLDER:
                    act.tax_holders[(c, num)] = s.seller_id
        profiles.append((s.seller_id, s.country, ids, sales))
    for seller_id, home, ids, sales in profiles:
        label = FraudKind.VAT_FRAUD if seller_id in bad else None
        if label:
            ids, sales = _defraud(rng, act, (home, ids, sales), registered_numbers)
        act.tax_profiles.append(
            TaxProfileRec(
                seller_id,
                home,
                tuple(ids),
                tuple(sales),
                act.start,
                label,
                seller_id if label else "",
                tuple(
                    (c, _crossed(act.start, v, VAT_THRESHOLDS[c][0]))
                    for c, v in sales
                    if v > VAT_THRESHOLDS[c][0]
                ),
            )
        )
    act.injected[FraudKind.VAT_FRAUD] = len(bad)


def _crossed(now: datetime, amount: int, limit: int) -> datetime:
    """When steady sales totalling ``amount`` over the trailing year passed ``limit``."""
    return now - timedelta(days=365 * (1 - limit / amount))


def _defraud(
    rng: random.Random,
    act: Activity,
    profile: tuple[str, list[tuple[str, str]], list[tuple[str, int]]],
    numbers: list[str],
) -> tuple[list[tuple[str, str]], list[tuple[str, int]]]:
    home, ids, sales = profile
    ids, sales = list(ids), list(sales)
    countries = sorted(VAT_THRESHOLDS)
    for mode in rng.sample(
        ("invalid", "mismatch", "borrowed", "unregistered"), k=rng.randint(1, 2)
    ):
        c = rng.choice(countries)
        ids = [x for x in ids if x[0] != c]
        if mode == "invalid":
            ids.append((c, _number(c, rng)))  # right format, never issued
        elif mode == "mismatch":
            other = rng.choice([x for x in countries if x != c])
            ids.append((c, _number(other, rng)))
        elif mode == "borrowed":
            ids.append((c, rng.choice(numbers)))
        else:
            limit = VAT_THRESHOLDS[c][0]
            sales = [x for x in sales if x[0] != c] + [(c, int(limit * rng.uniform(1.1, 4.0)))]
    _ = home, act
    return ids, sales


def inject_undervaluation(facts: WorldFacts, rng: random.Random, act: Activity) -> None:
    """Customs declarations for cross-border FBM lines (seller abroad, site elsewhere). Honest
    declared/price ratio: 92 % in 0.85-1.0, 6 % in 0.5-0.85 (discounts, shipping left out),
    2 % in 0.2-0.5 (gifts, replacements, mistakes). Undervaluers (``rate`` of those sellers)
    declare 15-55 % on every parcel."""
    country = {s.seller_id: s.country for s in facts.sellers}
    lines = [
        (o, ln)
        for o in sorted(facts.orders, key=lambda x: x.order_id)
        for ln in o.lines
        if not ln.fba and country.get(ln.seller_id, "") != facts.site_country.get(o.site_id)
    ]
    sellers = sorted({ln.seller_id for _, ln in lines})
    n_bad = min(len(sellers), max(1, round(len(sellers) * act.params.rate))) if sellers else 0
    bad = set(rng.sample(sellers, k=n_bad))
    for k, (o, ln) in enumerate(lines):
        value = ln.unit_price_minor * ln.quantity
        if ln.seller_id in bad:
            ratio, label = rng.uniform(0.15, 0.55), FraudKind.UNDERVALUATION
        else:
            ratio = rng.choices(
                (rng.uniform(0.85, 1.0), rng.uniform(0.5, 0.85), rng.uniform(0.2, 0.5)),
                (92, 6, 2),
            )[0]
            label = None
        act.declarations.append(
            DeclarationRec(
                f"dcl-{k + 1:06d}",
                ln.seller_id,
                max(1, round(value * ratio)),
                value,
                ln.currency,
                o.placed_at + timedelta(hours=rng.uniform(2, 30)),
                label,
                ln.seller_id if label else "",
            )
        )
    act.injected[FraudKind.UNDERVALUATION] = len(bad)


def inject_sellers(facts: WorldFacts, seed: int, act: Activity) -> None:
    inject_hijackers(facts, random.Random(f"{seed}:fraud:hijack"), act)
    inject_counterfeit(facts, random.Random(f"{seed}:fraud:counterfeit"), act)
    inject_tax(
        facts, random.Random(f"{seed}:fraud:tax"), act, random.Random(f"{seed}:fraud:tax-lag")
    )
    inject_undervaluation(facts, random.Random(f"{seed}:fraud:customs"), act)
    draw_test_buys(act, random.Random(f"{seed}:fraud:test-buys"))
    act.new_offers.sort(key=lambda r: (r.at, r.offer_id))
    act.inbound.sort(key=lambda r: (r.at, r.unit_id))
    act.declarations.sort(key=lambda r: (r.at, r.shipment_id))
