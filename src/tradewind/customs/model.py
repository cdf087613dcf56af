"""Customs value objects: rules with effective dates and citations, quote requests, quotes.

Pure: stdlib and ``tradewind.shared`` only. Rules are data (see ``data/rules.json``); the
engine in :mod:`tradewind.customs.landed_cost` interprets a small fixed vocabulary of kinds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from tradewind.shared.money import Money


class RuleKind(StrEnum):
    """The vocabulary of rule rows the engine understands."""

    VALUATION = "valuation"  # customs value basis: FOB or CIF
    ROUNDING = "rounding"  # how bases and taxes are rounded
    DUTY_EXEMPTION = "duty_exemption"  # de minimis for customs duty
    TAX_EXEMPTION = "tax_exemption"  # de minimis for import VAT/GST
    COLLECT_AT_SALE = "collect_at_sale"  # marketplace is deemed supplier, VAT at sale
    FLAT_DUTY_PER_LINE = "flat_duty_per_line"  # EU EUR 3 per distinct tariff line
    SIMPLIFIED_REGIME = "simplified_regime"  # BR Remessa Conforme, MX courier global rate
    SURCHARGE = "surcharge"  # extra ad valorem duty (US temporary tariffs)
    DUTY_ON_DUTY = "duty_on_duty"  # surcharge computed on the duty (IN social welfare)
    VAT = "vat"  # import VAT / GST / consumption tax / ICMS
    FEE = "fee"  # fixed fees per consignment or per tariff line


class Basis(StrEnum):
    FOB = "FOB"  # goods only; international freight excluded from the customs value
    CIF = "CIF"  # goods + freight (+ insurance) to the border


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a rule comes from; ``verified`` is false when no official page was checked."""

    title: str
    url: str
    verified: bool = True
    note: str = ""


@dataclass(frozen=True, slots=True)
class Rule:
    """One effective-dated row of a rule table.

    ``valid_to`` is inclusive; ``None`` means open-ended. ``params`` holds kind-specific,
    already-validated values (amounts as ``Money``, rates in basis points).
    """

    id: str
    country: str
    kind: RuleKind
    valid_from: date
    valid_to: date | None
    params: Mapping[str, Any]
    citation: Citation

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def applies_to_origin(self, origin: str) -> bool:
        """Honour optional ``origins`` (allow list) and ``origins_exclude`` params."""
        allow = self.params.get("origins")
        deny = self.params.get("origins_exclude", ())
        if allow is not None and origin not in allow:
            return False
        return origin not in deny


@dataclass(frozen=True, slots=True)
class QuoteLine:
    """One item line: HS code (6 digits or more), quantity and the line's sale value."""

    hs_code: str
    value: Money
    quantity: int = 1
    description: str = ""


@dataclass(frozen=True, slots=True)
class QuoteRequest:
    """What checkout knows about a cross-border consignment before payment."""

    origin: str
    destination: str
    lines: tuple[QuoteLine, ...]
    shipping: Money
    on: date
    region: str | None = None  # province/state where the tax rate depends on it (CA, BR)
    insurance: Money | None = None


@dataclass(frozen=True, slots=True)
class AppliedRule:
    """A rule that shaped the quote, with its citation, for audit and display."""

    id: str
    kind: str
    citation: Citation
    detail: str = ""


@dataclass(frozen=True, slots=True)
class LandedCostQuote:
    """The landed-cost quote in the destination currency; ``total_landed`` is exact."""

    currency: str
    goods: Money
    shipping: Money
    customs_value: Money
    duty: Money
    vat: Money
    fees: Money
    collected_at_sale: bool
    rules: tuple[AppliedRule, ...] = field(default=())

    @property
    def total_taxes(self) -> Money:
        return self.duty + self.vat + self.fees

    @property
    def total_landed(self) -> Money:
        return self.goods + self.shipping + self.duty + self.vat + self.fees

    def rule_ids(self) -> list[str]:
        return [r.id for r in self.rules]
