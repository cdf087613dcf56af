"""Tax registrations of the world's sellers, account ages, and a few labelled bad actors.

Pure: this module decides *which* tax registrations a seller holds and which are flawed; the
numbers themselves come through a ``TaxNumberSource`` (python-stdnum, in the adapter
``tradewind.simulation.adapters.world_taxids``).

Registration rule. Every seller holds a tax ID of its establishment country. A third-party
seller also holds a VAT number for every EU/GB site country where it stores FBA stock: goods
held in a warehouse there are a taxable presence, and marketplaces ask for that VAT number
before they accept inbound stock. Selling from abroad without stock there (FBM) goes through
the OSS/IOSS schemes of the home registration, so it adds no number. The 1P retail account of
a site is registered in the site's country only.

Account ages. World sellers' accounts are 6 months to 8 years old, drawn per (seed, seller) as
the fraud process does (``fraud_sellers._established``): the database otherwise stamps the load
time, and every seller would look brand new to the follow-sell detector.

Bad actors (``WorldParams.bad_actors``, default 0, so benchmark and test worlds stay as they
were). They cycle through three kinds, drawn with their own seeded stream so the honest world
is the same with or without them:

* ``hijacker`` - a new third-party account (3 to 25 days old, origin drawn like other sellers,
  same naming as honest sellers) that attaches FBM offers with free shipping to two or three
  offers of a brand's registered owner, at 38-48 % of the owner's price (below what a genuine
  unit costs) or 60-78 % (an undercut that wins the buy box); nothing else about it is odd.
* ``tax_id_checksum`` - an established seller whose home tax ID has one digit wrong, so the
  checksum fails: a number that was never issued.
* ``tax_id_foreign`` - an established seller that declares an EU/GB VAT registration but gives
  another country's (valid) VAT number, prefix and all, e.g. its UK number for Germany.

Tax bad actors are drawn among sellers from countries whose numbers carry a check digit (a US
EIN or a Korean BRN has none, so a wrong one cannot be told from a right one).
"""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from tradewind.marketplace.model import Channel, Condition, KycStatus, Offer, Seller, SellerKind
from tradewind.shared.money import Money
from tradewind.simulation.markets import SELLER_ORIGIN_SHARES
from tradewind.simulation.world_model import BadActor as BadActor
from tradewind.simulation.world_model import BadActorKind as BadActorKind

if TYPE_CHECKING:
    from tradewind.simulation.catalog_draw import CatalogBatch
    from tradewind.simulation.world_model import World

# Site countries where stock held in an FC requires a local VAT number.
EU_VAT_SITES = ("DE", "ES", "FR", "GB", "IT", "NL")
# Origin countries whose business tax numbers carry a check digit python-stdnum verifies.
CHECK_DIGIT_ORIGINS = frozenset({"CN", "DE", "FR", "GB", "IN", "JP", "TR", "VN"})
HIJACK_BELOW_COST_BPS = (3_800, 4_800)
HIJACK_UNDERCUT_BPS = (6_000, 7_800)


_CYCLE = (
    BadActorKind.HIJACKER,
    BadActorKind.TAX_ID_CHECKSUM,
    BadActorKind.HIJACKER,
    BadActorKind.TAX_ID_FOREIGN,
)


class TaxFlaw(StrEnum):
    CHECKSUM = "checksum"  # one digit wrong: the checksum fails
    FOREIGN = "foreign"  # a valid number of another country


@dataclass(frozen=True, slots=True)
class TaxRegistration:
    seller_id: str
    country: str  # the country the seller declares the number for
    number_country: str  # whose rules the number follows (the same unless flawed)
    flaw: TaxFlaw | None = None


class TaxNumberSource(Protocol):
    """Writes the number of a registration (deterministic per seed and registration)."""

    def __call__(self, reg: TaxRegistration) -> str: ...


def add_bad_actors(w: World) -> None:
    """Append ``w.params.bad_actors`` labelled bad actors (and the hijackers' accounts)."""
    n = w.params.bad_actors
    if n <= 0:
        return
    rng = random.Random(f"{w.params.seed}:bad-actors")
    third = [s for s in w.sellers if s.kind == SellerKind.THIRD_PARTY]
    checkable = [s for s in third if s.country in CHECK_DIGIT_ORIGINS]
    kinds = [_CYCLE[i % len(_CYCLE)] for i in range(n)]
    wanted = sum(k is not BadActorKind.HIJACKER for k in kinds)
    taxed = rng.sample(checkable, k=min(len(checkable), wanted))
    next_id = len(third) + 1
    for kind in kinds:
        if kind is BadActorKind.HIJACKER:
            seller, actor = _hijacker(next_id, third, rng)
            next_id += 1
            w.sellers.append(seller)
            w.bad_actors.append(actor)
        elif taxed:
            w.bad_actors.append(_tax_actor(kind, taxed.pop(0), rng))


def _hijacker(n: int, third: list[Seller], rng: random.Random) -> tuple[Seller, BadActor]:
    seller_id = f"sel-{n:05d}"  # numbered on from the honest sellers, named like them
    origins = sorted(SELLER_ORIGIN_SHARES)
    origin = rng.choices(origins, weights=[SELLER_ORIGIN_SHARES[o] for o in origins])[0]
    home = next((s for s in third if s.country == origin), third[0] if third else None)
    age = rng.randint(3, 25)
    low, high = HIJACK_BELOW_COST_BPS if rng.random() < 0.5 else HIJACK_UNDERCUT_BPS
    bps = rng.randint(low, high)
    seller = Seller(
        seller_id,
        f"Seller {n} ({origin})",
        SellerKind.THIRD_PARTY,
        origin,
        KycStatus.VERIFIED,
        health_permille=rng.randint(900, 1000),  # no history yet: nothing has gone wrong
        lat=home.lat if home else 0.0,
        lon=home.lon if home else 0.0,
    )
    story = (
        f"new {origin} account ({age} days) listing a registered brand's products "
        f"at {bps / 100:.0f} % of the brand owner's price, shipped from abroad"
    )
    return seller, BadActor(seller_id, BadActorKind.HIJACKER, story, age, price_bps=bps)


def _tax_actor(kind: BadActorKind, s: Seller, rng: random.Random) -> BadActor:
    if kind is BadActorKind.TAX_ID_CHECKSUM:
        story = f"home ({s.country}) tax ID has a wrong digit: its checksum fails"
        return BadActor(s.seller_id, kind, story, declared_country=s.country)
    declared = rng.choice([c for c in EU_VAT_SITES if c not in ("GB", s.country)])
    other = "GB" if s.country != "GB" else rng.choice([c for c in EU_VAT_SITES if c != declared])
    story = f"declares a {declared} VAT registration but gives its {other} VAT number"
    return BadActor(s.seller_id, kind, story, declared_country=declared, number_country=other)


def account_age_days(w: World, seller_id: str) -> float:
    """How old a seller's account is when the world is loaded (see the module docstring)."""
    for a in w.bad_actors:
        if a.seller_id == seller_id and a.account_age_days is not None:
            return float(a.account_age_days)
    return random.Random(f"{w.params.seed}:age:{seller_id}").uniform(180, 8 * 365)


def hijacker_ids(w: World) -> frozenset[str]:
    return frozenset(a.seller_id for a in w.bad_actors if a.kind is BadActorKind.HIJACKER)


def hijack_offers(w: World, batch: CatalogBatch) -> list[Offer]:
    """The hijackers' offers on the brand owners' offers of ``batch`` (the first batch)."""
    hijackers = [a for a in w.bad_actors if a.kind is BadActorKind.HIJACKER]
    if not hijackers:
        return []
    owner_of = {b.brand_id: b.owner_seller_id for b in w.brands if b.owner_seller_id}
    brand_of = {p.product_id: p.brand_id for p in batch.products}
    by_brand: dict[str, list[Offer]] = {}
    for o in batch.offers:
        brand = brand_of.get(o.product_id, "")
        if owner_of.get(brand) == o.seller_id:
            by_brand.setdefault(brand, []).append(o)
    if not by_brand:
        return []
    rng = random.Random(f"{w.params.seed}:hijack")
    out: list[Offer] = []
    for a in hijackers:
        targets = by_brand[rng.choice(sorted(by_brand))]
        for base in rng.sample(targets, k=min(len(targets), rng.randint(2, 3))):
            out.append(_copy_offer(base, a, rng))
    return out


def _copy_offer(base: Offer, a: BadActor, rng: random.Random) -> Offer:
    price = max(1, base.price.amount * a.price_bps // 10_000)
    return Offer(
        f"off-{base.product_id[4:]}-{a.seller_id}-{base.site_id.lower()}",
        a.seller_id,
        base.product_id,
        base.site_id,
        Money(price, base.price.currency),
        Money(0, base.price.currency),  # "free shipping" helps win the buy box
        Condition.NEW,
        Channel.FBM,
        rng.randint(3, 7),
        rng.randint(20, 200),
    )


def tax_registrations(
    w: World, stock_countries: Mapping[str, Collection[str]]
) -> list[TaxRegistration]:
    """Every seller's registrations; ``stock_countries``: seller -> countries holding its
    FBA stock. Bad actors' flawed registrations replace (or add to) the honest ones."""
    flawed = {a.seller_id: a for a in w.bad_actors if a.kind is not BadActorKind.HIJACKER}
    out: list[TaxRegistration] = []
    for s in w.sellers:
        countries = [s.country]
        if s.kind == SellerKind.THIRD_PARTY:
            stock = stock_countries.get(s.seller_id, ())
            countries += sorted(c for c in set(stock) if c in EU_VAT_SITES and c != s.country)
        regs = {c: TaxRegistration(s.seller_id, c, c) for c in countries}
        a = flawed.get(s.seller_id)
        if a is not None and a.kind is BadActorKind.TAX_ID_CHECKSUM:
            regs[a.declared_country] = TaxRegistration(
                s.seller_id, a.declared_country, a.declared_country, TaxFlaw.CHECKSUM
            )
        elif a is not None:
            regs[a.declared_country] = TaxRegistration(
                s.seller_id, a.declared_country, a.number_country, TaxFlaw.FOREIGN
            )
        out.extend(regs.values())
    return out
