"""Clearance risk scoring: undervaluation, HS vs description, sender history, screening.

Each signal adds points with a stable reason ``code``; the total maps to a recommended
outcome. Thresholds are module constants so a policy change is one reviewed diff.

Undervaluation is measured here and only here (:func:`value_ratio`: declared value over the
marketplace price of the same goods). Customs publishes it with its score as
``DeclarationRiskScored`` (:func:`risk_scored`, :func:`score_declared_value`); governance's
undervaluation detector reads the ratio from that event and judges the sender's pattern.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache
from importlib import resources

from tradewind.customs.declarations import Declaration
from tradewind.customs.events import DeclarationRiskScored
from tradewind.customs.screening import ScreeningList
from tradewind.shared.money import Money

INSPECT_AT = 40  # score from which a consignment is held for inspection
REFUSE_AT = 100  # score from which it is refused (a confirmed denied party alone reaches it)
SEVERE_BELOW = Fraction(1, 2)  # declared under this share of the price: undervalued_severe
UNDERVALUED_BELOW = Fraction(4, 5)  # under this share: undervalued
_WORD = re.compile(r"[a-z0-9\-]+")


class RiskReason(StrEnum):
    UNDERVALUED_SEVERE = "undervalued_severe"  # declared < 50% of the catalog price
    UNDERVALUED = "undervalued"  # declared < 80% of the catalog price
    HS_DESCRIPTION_MISMATCH = "hs_description_mismatch"
    NEW_SENDER = "new_sender"
    SENDER_HISTORY = "sender_history"  # past holds/seizures
    DENIED_PARTY_MATCH = "denied_party_match"  # strong fuzzy match
    DENIED_PARTY_POSSIBLE = "denied_party_possible"  # weaker match, needs review
    RANDOM_SELECTION = "random_selection"  # customs also inspect a random share of low risk


class Recommendation(StrEnum):
    RELEASE = "release"
    INSPECT = "inspect"
    REFUSE = "refuse"


@dataclass(frozen=True, slots=True)
class SenderHistory:
    shipments: int = 0
    holds: int = 0
    seizures: int = 0


@dataclass(frozen=True, slots=True)
class RiskFinding:
    reason: RiskReason
    points: int
    detail: str


@dataclass(frozen=True, slots=True)
class RiskAssessment:
    score: int
    findings: tuple[RiskFinding, ...]
    recommendation: Recommendation

    def reasons(self) -> list[str]:
        return [str(f.reason) for f in self.findings]


@lru_cache(maxsize=1)
def _keywords() -> Mapping[str, frozenset[str]]:
    raw = resources.files("tradewind.customs.data").joinpath("hs_keywords.json")
    doc = json.loads(raw.read_text("utf-8"))
    return {ch: frozenset(words) for ch, words in doc["chapters"].items()}


def chapters_for_description(description: str) -> frozenset[str]:
    """HS chapters whose keywords appear in the description (empty: no opinion)."""
    words = set(_WORD.findall(description.casefold()))
    return frozenset(ch for ch, keys in _keywords().items() if words & keys)


def value_ratio(declared: Money, reference: Money) -> Fraction | None:
    """Declared value over the marketplace price of the same goods, exact; None where there
    is no comparable price (none, zero, or in another currency)."""
    if reference.currency != declared.currency or reference.amount <= 0:
        return None
    return Fraction(declared.amount, reference.amount)


def _value_finding(ratio: Fraction, label: str) -> RiskFinding | None:
    if ratio < SEVERE_BELOW:
        return RiskFinding(RiskReason.UNDERVALUED_SEVERE, 40, f"{label}: {float(ratio):.0%}")
    if ratio < UNDERVALUED_BELOW:
        return RiskFinding(RiskReason.UNDERVALUED, 15, f"{label}: {float(ratio):.0%}")
    return None


def _undervaluation(decl: Declaration, catalog: Mapping[int, Money]) -> list[RiskFinding]:
    out: list[RiskFinding] = []
    for n, item in enumerate(decl.items):
        price = catalog.get(n)
        ratio = None if price is None else value_ratio(item.value, price * item.quantity)
        finding = None if ratio is None else _value_finding(ratio, f"item {n}")
        if finding is not None:
            out.append(finding)
    return out


def _hs_mismatch(decl: Declaration) -> list[RiskFinding]:
    out: list[RiskFinding] = []
    for n, item in enumerate(decl.items):
        expected = chapters_for_description(item.description)
        if expected and item.hs_code[:2] not in expected:
            detail = f"item {n}: HS chapter {item.hs_code[:2]}, text suggests {sorted(expected)}"
            out.append(RiskFinding(RiskReason.HS_DESCRIPTION_MISMATCH, 25, detail))
    return out


def _history(history: SenderHistory) -> list[RiskFinding]:
    if history.shipments < 5:
        return [RiskFinding(RiskReason.NEW_SENDER, 5, f"{history.shipments} past shipments")]
    bad = history.holds + 3 * history.seizures
    if bad == 0:
        return []
    points = min(30, (60 * bad) // history.shipments + 5 * history.seizures)
    detail = f"{history.holds} holds, {history.seizures} seizures in {history.shipments}"
    return [RiskFinding(RiskReason.SENDER_HISTORY, points, detail)] if points else []


def _screening(decl: Declaration, screening: ScreeningList) -> list[RiskFinding]:
    out: list[RiskFinding] = []
    for role, party in (("sender", decl.sender), ("receiver", decl.receiver)):
        hits = screening.screen(party.name, threshold=0.8)
        if not hits:
            continue
        top = hits[0]
        detail = f"{role} ~ {top.matched_name!r} ({top.party.source}) score {top.score}"
        if top.score >= 0.92:
            out.append(RiskFinding(RiskReason.DENIED_PARTY_MATCH, REFUSE_AT, detail))
        else:
            out.append(RiskFinding(RiskReason.DENIED_PARTY_POSSIBLE, INSPECT_AT, detail))
    return out


def assess_risk(
    decl: Declaration,
    *,
    catalog_prices: Mapping[int, Money],
    history: SenderHistory,
    screening: ScreeningList,
) -> RiskAssessment:
    """Score one declaration; ``catalog_prices`` maps item index -> unit catalog price."""
    findings = (
        _undervaluation(decl, catalog_prices)
        + _hs_mismatch(decl)
        + _history(history)
        + _screening(decl, screening)
    )
    return _assessment(findings)


def _assessment(findings: list[RiskFinding]) -> RiskAssessment:
    score = sum(f.points for f in findings)
    if score >= REFUSE_AT:
        rec = Recommendation.REFUSE
    elif score >= INSPECT_AT:
        rec = Recommendation.INSPECT
    else:
        rec = Recommendation.RELEASE
    return RiskAssessment(score, tuple(findings), rec)


def risk_scored(
    decl: Declaration,
    sender_id: str,
    catalog_prices: Mapping[int, Money],
    assessment: RiskAssessment,
) -> DeclarationRiskScored:
    """The event of ``assessment`` (from :func:`assess_risk` on the same inputs): the
    declaration's value and the price of its goods are the totals over the items with a
    comparable catalog price."""
    currency = decl.total_value.currency
    declared, reference = Money.zero(currency), Money.zero(currency)
    for n, item in enumerate(decl.items):
        price = catalog_prices.get(n)
        if price is None or value_ratio(item.value, price * item.quantity) is None:
            continue
        declared += item.value
        reference += price * item.quantity
    return _event(decl.reference, sender_id, declared, reference, assessment)


def score_declared_value(
    shipment_id: str, sender_id: str, declared: Money, reference: Money
) -> DeclarationRiskScored:
    """The event of a declaration known only by its totals (a clearance record): the value
    ratio and its undervaluation finding, with no HS, history or screening signals."""
    ratio = value_ratio(declared, reference)
    finding = None if ratio is None else _value_finding(ratio, "declaration")
    assessment = _assessment([finding] if finding else [])
    return _event(shipment_id, sender_id, declared, reference, assessment)


def _event(
    shipment_id: str,
    sender_id: str,
    declared: Money,
    reference: Money,
    assessment: RiskAssessment,
) -> DeclarationRiskScored:
    ratio = value_ratio(declared, reference)
    return DeclarationRiskScored(
        shipment_id=shipment_id,
        sender_id=sender_id,
        declared=declared,
        reference=reference,
        value_ratio=1.0 if ratio is None else float(ratio),
        score=assessment.score,
        recommendation=str(assessment.recommendation),
        reasons=tuple(assessment.reasons()),
    )


def select_for_inspection(assessment: RiskAssessment) -> RiskAssessment:
    """The same assessment, routed to inspection by random selection (the caller draws:
    customs services inspect a small random share of low-risk consignments too)."""
    finding = RiskFinding(RiskReason.RANDOM_SELECTION, 0, "random selection")
    return RiskAssessment(assessment.score, (*assessment.findings, finding), Recommendation.INSPECT)
