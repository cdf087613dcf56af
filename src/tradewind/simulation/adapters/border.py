"""The simulation's border desk: declarations and risk checks of cross-border parcels.

Over the customs context: every parcel a foreign seller ships itself gets a declaration (CN23 or
EU H7 from the order's lines, at the value the seller declares), a risk assessment (against the
sale price, the HS code, the sender's history so far and the shipped denied-party sample list)
and the duty and VAT an under-declared value avoids. The sender history grows as clearance
steps are recorded, so a seller whose parcels get held is held more often.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import Engine, select

from tradewind.customs.adapters.name_similarity import sample_screening_list
from tradewind.customs.adapters.quoter import CustomsImportQuoter
from tradewind.customs.api import (
    Declaration,
    DeclarationInput,
    DeclarationItem,
    Party,
    ScreeningList,
    SenderHistory,
    assess_risk,
    build_declaration,
    hs_for_category,
)
from tradewind.customs.declarations import DeclarationKind
from tradewind.orders.ports import ImportItem
from tradewind.shared.money import Money
from tradewind.simulation.border import BorderCheck, declared_fraction
from tradewind.simulation.journey import Node
from tradewind.transport.adapters import network_tables as nt

PACKAGING_G = 150  # a parcel's gross weight over the goods' net weight
# The platform's IOSS number as deemed supplier for EU parcels <= EUR 150 (fictitious, in the
# IM + 10 digits shape the EU issues).
PLATFORM_IOSS = "IM2760000001"


@dataclass(frozen=True, slots=True)
class ParcelLine:
    """One order line in a cross-border parcel, as the border desk needs it."""

    title: str
    hs_code: str
    category: str
    quantity: int
    unit_price_minor: int
    shipping_minor: int
    currency: str
    weight_g: int


class BorderDesk:
    def __init__(self, engine: Engine, seed: int, screening: ScreeningList | None = None) -> None:
        self.seed = seed
        self.screening = screening or sample_screening_list()
        self.quoter = CustomsImportQuoter()
        self.history: dict[str, Counter[str]] = {}
        self.gateways: dict[str, Node] = {}
        with engine.connect() as conn:
            rows = conn.execute(
                select(nt.network_nodes)
                .where(nt.network_nodes.c.kind == "airport")
                .order_by(nt.network_nodes.c.node_id)
            ).all()
        for r in rows:
            self.gateways.setdefault(r.site_id, Node("gateway", r.node_id, r.lat, r.lon))

    def check(
        self,
        shipment_id: str,
        *,
        seller: tuple[str, str, str],  # id, name, country
        customer: tuple[str, str, str, str],  # site, name, city, country
        lines: Sequence[ParcelLine],
        on: date,
    ) -> tuple[BorderCheck, Node] | None:
        """The border check of a seller's parcel, or None when it does not cross a border."""
        seller_id, _, origin = seller
        site, _, _, country = customer
        gateway = self.gateways.get(site)
        if origin == country or gateway is None:
            return None
        fraction = declared_fraction(seller_id, self.seed)
        declaration = self.declare(shipment_id, seller, customer, lines, fraction, on)
        currency = lines[0].currency
        assessment = assess_risk(
            declaration,
            catalog_prices={
                n: Money(line.unit_price_minor, currency) for n, line in enumerate(lines)
            },
            history=self._history(seller_id),
            screening=self.screening,
        )
        gap = self._duty_gap(origin, country, lines, declaration.shipping, fraction, on)
        return BorderCheck(f"{country}:{gateway.node_id}", assessment, gap), gateway

    def declare(
        self,
        shipment_id: str,
        seller: tuple[str, str, str],
        customer: tuple[str, str, str, str],
        lines: Sequence[ParcelLine],
        fraction: float,
        on: date,
    ) -> Declaration:
        """The parcel's CN23 / H7 declaration at ``fraction`` of the sale value; an EU H7
        parcel carries the platform's IOSS number (its VAT was collected at sale)."""
        _, seller_name, origin = seller
        _, name, city, country = customer
        currency = lines[0].currency
        items = tuple(
            DeclarationItem(
                line.title,
                line.hs_code or hs_for_category(line.category),
                line.quantity,
                line.weight_g * line.quantity,
                Money(round(line.unit_price_minor * line.quantity * fraction), currency),
                origin,
            )
            for line in lines
        )
        data = DeclarationInput(
            reference=shipment_id,
            sender=Party(seller_name, f"dispatch warehouse, {origin}", origin),
            receiver=Party(name, city, country),
            items=items,
            shipping=Money(sum(line.shipping_minor for line in lines), currency),
            gross_weight_g=sum(i.net_weight_g for i in items) + PACKAGING_G,
            postal=True,
            on=on,
        )
        declaration = build_declaration(data)
        if declaration.kind == DeclarationKind.H7:
            declaration = build_declaration(replace(data, ioss_number=PLATFORM_IOSS))
        return declaration

    def observe(self, seller_id: str, step: str) -> None:
        """Count a clearance step of one of the seller's parcels into its history."""
        self.history.setdefault(seller_id, Counter())[step] += 1

    def _history(self, seller_id: str) -> SenderHistory:
        seen = self.history.get(seller_id, Counter())
        return SenderHistory(
            shipments=seen["customs_declared"],
            holds=seen["customs_held"],
            seizures=seen["customs_refused"],
        )

    def _duty_gap(
        self,
        origin: str,
        country: str,
        lines: Sequence[ParcelLine],
        shipping: Money,
        fraction: float,
        on: date,
    ) -> Money:
        if fraction >= 1.0:
            return Money.zero(shipping.currency)

        def charges(share: float) -> Money:
            items = [
                ImportItem(
                    line.hs_code,
                    line.category,
                    Money(round(line.unit_price_minor * line.quantity * share), line.currency),
                    line.quantity,
                )
                for line in lines
            ]
            return self.quoter.quote(origin, country, items, shipping, on).total

        gap = charges(1.0) - charges(fraction)
        return gap if not gap.is_negative() else Money.zero(shipping.currency)


def parcel_lines(rows: Sequence[Any]) -> list[ParcelLine]:
    """Parcel lines from the rows ``PlatformPorts._plans`` reads."""
    return [
        ParcelLine(
            r.title,
            r.hs_code,
            r.category,
            r.quantity,
            r.unit_price_minor,
            r.shipping_minor,
            r.currency,
            r.weight_g,
        )
        for r in rows
    ]
