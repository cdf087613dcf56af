"""Events the customs context publishes."""

from __future__ import annotations

from dataclasses import dataclass

from tradewind.shared.events import Event
from tradewind.shared.money import Money


@dataclass(frozen=True)
class DeclarationRiskScored(Event):
    """Customs scored a parcel's declaration. ``value_ratio`` is the declared value of the goods
    over their marketplace price (``risk.value_ratio``, 1.0 without a comparable price): the
    platform's one undervaluation measure, which governance's undervaluation detector reads
    instead of computing its own. ``score``, ``recommendation`` and ``reasons`` are customs'
    clearance risk (``risk.assess_risk``); for a declaration known only by its totals (a
    clearance record) they hold the undervaluation finding alone."""

    shipment_id: str
    sender_id: str
    declared: Money
    reference: Money  # the marketplace price of the declared goods
    value_ratio: float
    score: int
    recommendation: str
    reasons: tuple[str, ...]
