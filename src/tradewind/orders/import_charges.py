"""Delivered duty paid: import duty, VAT/GST and fees of cross-border parcels are quoted and
charged at checkout, so the shopper pays the full landed cost before paying, and the
platform books what it owes each customs authority."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tradewind.marketplace.api import Posting, Site
from tradewind.orders.model import OrderLine, Shipment
from tradewind.orders.ports import CheckoutOffer, ImportCharges, ImportItem, ImportQuoter
from tradewind.shared.money import Money

PSP_CLEARING = "psp:clearing"


CUSTOMS = "customs:"


def customs_account(country: str, kind: str) -> str:
    return f"{CUSTOMS}{country}:{kind}"


def parcel_tag(shipment_id: str) -> str:
    """How a ledger memo names the parcel it is about (its last word)."""
    return f"({shipment_id})"


@dataclass(frozen=True, slots=True)
class ParcelCharges:
    """The import charges of one parcel a foreign seller ships straight to the shopper."""

    shipment: Shipment
    ships_from: str
    charges: ImportCharges


def parcel_charges(
    shipments: Sequence[Shipment],
    lines: Sequence[OrderLine],
    offers: dict[str, CheckoutOffer],
    site: Site,
    on: date,
    quoter: ImportQuoter,
) -> list[ParcelCharges]:
    """Charges of every parcel a foreign seller ships straight to the shopper (FBA stock was
    imported when it entered the network, so FBA parcels are domestic)."""
    by_no = {ln.line_no: ln for ln in lines}
    out = []
    for shipment in shipments:
        if not shipment.origin.startswith("seller:"):
            continue
        parcel = [by_no[sl.line_no] for sl in shipment.lines]
        origin = offers[parcel[0].offer_id].seller_country
        if not origin or origin == site.country:
            continue
        items = [
            ImportItem(
                offers[ln.offer_id].hs_code,
                offers[ln.offer_id].category,
                ln.unit_price * ln.quantity,
                ln.quantity,
            )
            for ln in parcel
        ]
        shipping = sum((ln.shipping for ln in parcel), Money.zero(site.currency))
        charges = quoter.quote(origin, site.country, items, shipping, on)
        out.append(ParcelCharges(shipment, origin, charges))
    return out


def import_charges(
    shipments: Sequence[Shipment],
    lines: Sequence[OrderLine],
    offers: dict[str, CheckoutOffer],
    site: Site,
    on: date,
    quoter: ImportQuoter,
) -> tuple[Money, list[Posting]]:
    """The parcels' charges in total, and the postings that book them as owed to customs."""
    total, postings = Money.zero(site.currency), list[Posting]()
    for parcel in parcel_charges(shipments, lines, offers, site, on, quoter):
        shipment, charges = parcel.shipment, parcel.charges
        for kind, amount in (("duty", charges.duty), ("vat", charges.vat), ("fees", charges.fees)):
            if amount.amount:
                postings.append(Posting(PSP_CLEARING, amount, None, f"import {kind} collected"))
                postings.append(
                    Posting(
                        customs_account(site.country, kind),
                        -amount,
                        None,
                        f"import {kind} owed {parcel_tag(shipment.shipment_id)}",
                    )
                )
        total = total + charges.total
    return total, postings
