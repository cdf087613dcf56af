"""Low-value customs declaration data: UPU CN23 and the EU H7 super-reduced dataset.

The builder checks what a customs officer would reject outright (generic descriptions,
missing HS codes, weights, origin, an IOSS number in the wrong shape) and returns a
frozen record that adapters can serialise to a carrier or customs API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from tradewind.customs.errors import InvalidDeclaration, UnknownCountry, UnknownHsCode
from tradewind.customs.fx import FxBook, default_fx_book
from tradewind.customs.hs import Nomenclature, nomenclature
from tradewind.customs.tables import check_country
from tradewind.shared.countries import EU_MEMBER_STATES
from tradewind.shared.money import Money

_IOSS = re.compile(r"^IM\d{10}$")
# Descriptions customs services publish as unacceptable on their own.
_GENERIC = frozenset({"gift", "gifts", "sample", "samples", "parts", "spare parts", "goods",
                      "merchandise", "accessories", "stuff", "items", "clothes", "misc",
                      "miscellaneous", "various", "present", "other"})  # fmt: skip


class DeclarationKind(StrEnum):
    CN23 = "CN23"  # UPU postal customs declaration
    H7 = "H7"  # EU low-value (<= EUR 150) super-reduced dataset
    FULL = "FULL"  # above the low-value limit: a full declaration (H1 or national) is needed


class ItemCategory(StrEnum):
    SALE_OF_GOODS = "sale_of_goods"
    GIFT = "gift"
    COMMERCIAL_SAMPLE = "commercial_sample"
    RETURNED_GOODS = "returned_goods"
    DOCUMENTS = "documents"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Party:
    name: str
    address: str
    country: str
    tax_id: str = ""


@dataclass(frozen=True, slots=True)
class DeclarationItem:
    description: str
    hs_code: str
    quantity: int
    net_weight_g: int
    value: Money
    origin_country: str


@dataclass(frozen=True, slots=True)
class DeclarationInput:
    """Everything the builder needs; one consignment (parcel)."""

    reference: str
    sender: Party
    receiver: Party
    items: tuple[DeclarationItem, ...]
    shipping: Money
    gross_weight_g: int
    category: ItemCategory = ItemCategory.SALE_OF_GOODS
    ioss_number: str = ""
    postal: bool = False
    on: date | None = None  # date for the EUR conversion of the H7 limit; None: latest table


@dataclass(frozen=True, slots=True)
class Declaration:
    """A validated declaration record; ``total_value`` is the intrinsic value of the goods."""

    kind: DeclarationKind
    reference: str
    sender: Party
    receiver: Party
    items: tuple[DeclarationItem, ...]
    shipping: Money
    gross_weight_g: int
    category: ItemCategory
    total_value: Money
    ioss_number: str

    def to_record(self, fx: FxBook | None = None) -> dict[str, Any]:
        """Plain data, amounts as decimal strings, ready for a carrier or customs API."""
        book = fx or default_fx_book()
        return {
            "kind": str(self.kind),
            "reference": self.reference,
            "category": str(self.category),
            "ioss_number": self.ioss_number or None,
            "sender": _party(self.sender),
            "receiver": _party(self.receiver),
            "gross_weight_g": self.gross_weight_g,
            "currency": self.total_value.currency,
            "total_value": book.format(self.total_value),
            "shipping": book.format(self.shipping),
            "items": [
                {
                    "description": i.description,
                    "hs_code": i.hs_code,
                    "quantity": i.quantity,
                    "net_weight_g": i.net_weight_g,
                    "value": book.format(i.value),
                    "origin_country": i.origin_country,
                }
                for i in self.items
            ],
        }


def _party(p: Party) -> dict[str, str]:
    return {"name": p.name, "address": p.address, "country": p.country, "tax_id": p.tax_id}


def build_declaration(
    data: DeclarationInput, *, fx: FxBook | None = None, hs: Nomenclature | None = None
) -> Declaration:
    """Validate ``data`` and choose CN23 (postal), H7 (EU, <= EUR 150) or FULL."""
    book, nom = fx or default_fx_book(), hs or nomenclature()
    problems: list[dict[str, Any]] = []
    _check_parties(data, problems)
    items = tuple(_check_item(i, n, nom, problems) for n, i in enumerate(data.items))
    if not items:
        problems.append({"field": "items", "problem": "at least one item is required"})
    currencies = {i.value.currency for i in items} | {data.shipping.currency}
    if len(currencies) > 1:
        problems.append({"field": "items", "problem": "all values must share one currency"})
    if data.gross_weight_g <= 0 or data.gross_weight_g < sum(i.net_weight_g for i in items):
        problems.append({"field": "gross_weight_g", "problem": "must be >= the net weights"})
    if data.ioss_number and not _IOSS.match(data.ioss_number):
        problems.append({"field": "ioss_number", "problem": "expected IM followed by 10 digits"})
    if problems:
        raise InvalidDeclaration("declaration data is incomplete or invalid", errors=problems)
    currency = data.shipping.currency
    total = sum((i.value for i in items), Money.zero(currency))
    kind = _kind(data, total, book)
    return Declaration(
        kind=kind,
        reference=data.reference,
        sender=data.sender,
        receiver=data.receiver,
        items=items,
        shipping=data.shipping,
        gross_weight_g=data.gross_weight_g,
        category=data.category,
        total_value=total,
        ioss_number=data.ioss_number,
    )


def _kind(data: DeclarationInput, total: Money, fx: FxBook) -> DeclarationKind:
    if data.receiver.country in EU_MEMBER_STATES:
        limit = Money(15_000, "EUR")
        # The H7 limit is on the intrinsic value of the goods, in EUR.
        on = data.on or max(t.as_of for t in fx.tables)
        as_eur = fx.convert(total, "EUR", on)
        return DeclarationKind.H7 if as_eur <= limit else DeclarationKind.FULL
    return DeclarationKind.CN23 if data.postal else DeclarationKind.FULL


def _check_parties(data: DeclarationInput, problems: list[dict[str, Any]]) -> None:
    for role, party in (("sender", data.sender), ("receiver", data.receiver)):
        if not party.name.strip() or not party.address.strip():
            problems.append({"field": role, "problem": "name and address are required"})
        try:
            check_country(party.country)
        except UnknownCountry:
            problems.append({"field": f"{role}.country", "problem": "unknown country code"})


def _check_item(
    item: DeclarationItem, n: int, nom: Nomenclature, problems: list[dict[str, Any]]
) -> DeclarationItem:
    where = f"items[{n}]"
    desc = item.description.strip()
    if len(desc) < 3 or desc.casefold() in _GENERIC:
        problems.append({"field": f"{where}.description", "problem": "too vague for customs"})
    try:
        code = nom.normalize(item.hs_code)
    except UnknownHsCode:
        problems.append({"field": f"{where}.hs_code", "problem": "not an HS 2022 code"})
        code = item.hs_code
    if item.quantity < 1 or item.net_weight_g <= 0:
        problems.append({"field": where, "problem": "quantity and net weight must be positive"})
    if item.value.is_negative():
        problems.append({"field": f"{where}.value", "problem": "must not be negative"})
    try:
        check_country(item.origin_country)
    except UnknownCountry:
        problems.append({"field": f"{where}.origin_country", "problem": "unknown country code"})
    return DeclarationItem(
        desc, code, item.quantity, item.net_weight_g, item.value, item.origin_country
    )
