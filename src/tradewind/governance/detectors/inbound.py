"""Counterfeit risk of inbound units that unit codes cannot decide.

Unit codes prove a unit genuine only for enrolled products, and an accepted code may be a
first-come copy. Around the scan, the platform knows who sends the goods: a seller that is not
authorised by the registered brand, that has no offer for the product it ships in (stock with
nothing to sell it through), or whose account the platform has no record of. Each is weak
alone (unauthorised resale of genuine goods is legal), so the policy needs two.
"""

from __future__ import annotations

from dataclasses import dataclass

from tradewind.governance.detectors.follow_sell import BrandRegistration, unauthorised
from tradewind.governance.scores import (
    Detector,
    DetectorScore,
    Evidence,
    Subject,
    SubjectKind,
    score_from_evidence,
)


@dataclass(frozen=True, slots=True)
class InboundFacts:
    unit_id: str
    seller_id: str
    product_id: str
    brand_id: str | None
    seller_has_offer: bool  # the seller lists this product (on any site)
    seller_known: bool  # the platform has an account record for the seller


@dataclass(frozen=True, slots=True)
class InboundParams:
    w_unauthorised: float = 0.4
    w_no_offer: float = 0.6
    w_unknown_seller: float = 0.5


def score_inbound(
    unit: InboundFacts,
    registry: dict[str, BrandRegistration],
    params: InboundParams | None = None,
) -> DetectorScore:
    """Score one inbound unit of a brand-registered product; other products score 0."""
    p = params or InboundParams()
    subject = Subject(SubjectKind.UNIT, unit.unit_id)
    first = unauthorised(
        registry, unit.brand_id, unit.seller_id, "unauthorised_inbound", p.w_unauthorised
    )
    if first is None:
        return DetectorScore(Detector.COUNTERFEIT, subject, 0.0)
    ev = [first]
    if not unit.seller_has_offer:
        ev.append(
            Evidence(
                "inbound_without_offer",
                f"seller {unit.seller_id} has no offer for {unit.product_id}",
                p.w_no_offer,
            )
        )
    if not unit.seller_known:
        ev.append(
            Evidence(
                "unknown_seller_account",
                f"no account record for {unit.seller_id}",
                p.w_unknown_seller,
            )
        )
    return score_from_evidence(Detector.COUNTERFEIT, subject, ev)
