"""Cart pricing: item prices plus the shipping a shopper pays (members ship eligible offers
free)."""

from __future__ import annotations

from dataclasses import dataclass

from tradewind.marketplace.model import Offer, Site
from tradewind.shared.money import Money


@dataclass(frozen=True, slots=True)
class PricedLine:
    offer_id: str
    quantity: int
    unit_price: Money
    shipping: Money

    @property
    def total(self) -> Money:
        return self.unit_price * self.quantity + self.shipping


@dataclass(frozen=True, slots=True)
class PricedCart:
    lines: tuple[PricedLine, ...]
    items: Money
    shipping: Money
    total: Money
    member: bool


def line_shipping(offer: Offer, site: Site, quantity: int, *, member: bool) -> Money:
    if offer.membership_eligible:
        return Money.zero(site.currency) if member else site.shipping_fee() * quantity
    return offer.shipping_fee * quantity


def price_cart(items: list[tuple[Offer, int]], site: Site, *, member: bool) -> PricedCart:
    lines = tuple(
        PricedLine(o.offer_id, q, o.price, line_shipping(o, site, q, member=member))
        for o, q in items
    )
    zero = Money.zero(site.currency)
    item_sum = sum((ln.unit_price * ln.quantity for ln in lines), zero)
    ship_sum = sum((ln.shipping for ln in lines), zero)
    return PricedCart(lines, item_sum, ship_sum, item_sum + ship_sum, member)
