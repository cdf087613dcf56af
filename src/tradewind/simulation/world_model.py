"""The world's types (its inputs, parameters and the built world) and the one price rule that
the catalog draw shares with the world builder; apart from ``world`` so that ``catalog_draw``
needs no import of the module that calls it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

from tradewind.catalog.model import Brand
from tradewind.fulfillment.model import FulfillmentCenter
from tradewind.marketplace.fees import FeeSchedule
from tradewind.marketplace.model import Seller, Site
from tradewind.orders.model import Customer, MembershipPlan
from tradewind.simulation.network import NetworkNode


class BadActorKind(StrEnum):
    HIJACKER = "hijacker"
    TAX_ID_CHECKSUM = "tax_id_checksum"
    TAX_ID_FOREIGN = "tax_id_foreign"


@dataclass(frozen=True, slots=True)
class BadActor:
    """A labelled bad actor: ``story`` says what it did, for the demo and its tests."""

    seller_id: str
    kind: BadActorKind
    story: str
    account_age_days: int | None = None  # hijackers: a new account
    price_bps: int = 0  # hijackers: offer price as a share of the owner's
    declared_country: str = ""  # tax bad actors: the registration that is wrong
    number_country: str = ""  # tax_id_foreign: whose number it really is


@dataclass(frozen=True, slots=True)
class CityInput:
    name: str
    lat: float
    lon: float
    population: int


@dataclass(frozen=True, slots=True)
class SiteInput:
    site_id: str
    country: str
    currency: str
    language: str
    usd_cents_to_minor: Fraction  # multiply a USD-cent amount to get this currency's minor units
    cities: tuple[CityInput, ...]
    fc_count: int
    market_weight: int = 1
    gateways: tuple[tuple[str, str, CityInput], ...] = ()


@dataclass(frozen=True, slots=True)
class WorldParams:
    seed: int
    products: int = 2_000
    customers: int = 3_000
    third_party_sellers: int = 120
    scale: str = "demo"  # "large" lists each product on fewer sites to keep 1M products lean
    # Labelled bad actors for the demo (world_bad_actors); 0 keeps the world as it always was.
    bad_actors: int = 0


@dataclass
class World:
    params: WorldParams
    sites: list[tuple[Site, FeeSchedule]] = field(default_factory=list)
    plans: list[MembershipPlan] = field(default_factory=list)
    nodes: list[NetworkNode] = field(default_factory=list)
    centers: list[FulfillmentCenter] = field(default_factory=list)
    sellers: list[Seller] = field(default_factory=list)
    brands: list[Brand] = field(default_factory=list)
    customers: list[Customer] = field(default_factory=list)
    site_inputs: list[SiteInput] = field(default_factory=list)
    bad_actors: list[BadActor] = field(default_factory=list)

    @property
    def sellers_by_id(self) -> dict[str, Seller]:
        if len(self._sellers_by_id) != len(self.sellers):
            self._sellers_by_id = {s.seller_id: s for s in self.sellers}
        return self._sellers_by_id

    _sellers_by_id: dict[str, Seller] = field(default_factory=dict, repr=False)


def scaled(usd_cents: int, s: SiteInput) -> int:
    """USD cents to the site's minor units at the fixed rate, rounded half up (integers only:
    Fraction arithmetic is the slowest step of a million-product build)."""
    num, den = s.usd_cents_to_minor.numerator, s.usd_cents_to_minor.denominator
    return max(1, (2 * usd_cents * num + den) // (2 * den))
