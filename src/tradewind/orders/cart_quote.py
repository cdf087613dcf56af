"""What the shopper pays, shown before paying: items, shipping and the import duty, VAT/GST and
fees of every cross-border parcel (delivered duty paid), quoted by the same code checkout
charges with (``priced_lines``, ``fbm_parcels``, ``parcel_charges``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tradewind.marketplace.api import Site
from tradewind.orders.checkout import fbm_parcels, priced_lines
from tradewind.orders.import_charges import ParcelCharges, parcel_charges
from tradewind.orders.model import CartLine, OrderLine, Shipment, ShipmentLine
from tradewind.orders.ports import CheckoutOffer, ImportQuoter
from tradewind.shared.money import Money


@dataclass(frozen=True, slots=True)
class CartQuote:
    lines: tuple[OrderLine, ...]
    items: Money
    shipping: Money
    parcels: tuple[ParcelCharges, ...]  # cross-border parcels and their import charges
    import_charges: Money
    total: Money
    member: bool
    unavailable: tuple[str, ...]  # offer ids in the cart that cannot be bought now

    @property
    def duty(self) -> Money:
        return sum((p.charges.duty for p in self.parcels), Money.zero(self.total.currency))

    @property
    def vat(self) -> Money:
        return sum((p.charges.vat for p in self.parcels), Money.zero(self.total.currency))

    @property
    def fees(self) -> Money:
        return sum((p.charges.fees for p in self.parcels), Money.zero(self.total.currency))


def quote_cart(
    cart: list[CartLine],
    offers: dict[str, CheckoutOffer],
    site: Site,
    *,
    member: bool,
    on: date,
    quoter: ImportQuoter | None,
) -> CartQuote:
    """Price the cart's buyable lines the way checkout will; lines whose offer is gone or not
    available are listed in ``unavailable`` and left out of the total."""
    buyable = [
        ln
        for ln in cart
        if ln.offer_id in offers
        and offers[ln.offer_id].offer.active
        and offers[ln.offer_id].seller_can_sell
    ]
    lines = tuple(priced_lines(buyable, offers, site, member=member))
    parcels = [
        Shipment(
            f"quote-{seller_id}",
            "quote",
            f"seller:{seller_id}",
            tuple(ShipmentLine(g.line_no, g.sku, g.quantity) for g in group),
            0.0,
        )
        for seller_id, group in fbm_parcels(lines)
    ]
    zero = Money.zero(site.currency)
    charged = parcel_charges(parcels, lines, offers, site, on, quoter) if quoter else []
    items = sum((ln.unit_price * ln.quantity for ln in lines), zero)
    shipping = sum((ln.shipping for ln in lines), zero)
    charges = sum((p.charges.total for p in charged), zero)
    return CartQuote(
        lines,
        items,
        shipping,
        tuple(charged),
        charges,
        items + shipping + charges,
        member,
        tuple(ln.offer_id for ln in cart if ln not in buyable),
    )
