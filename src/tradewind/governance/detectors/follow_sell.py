"""Follow-sell / listing hijacking on brand-registered products.

Signals: the seller is not authorised by the brand owner, the price is below a plausible cost
(a fraction of the brand's reference price, or the declared unit cost floor) or undercuts the
reference well beyond normal price spread, the account is new, or it is an old account with no
activity on the platform that suddenly lists a registered brand (a taken-over dormant account),
and the offer claims "new" condition. Authorised sellers and unregistered brands score 0:
brand-registry protection is what makes "unauthorised" meaningful.

Where these signals cannot tell a hijacker from a genuine reseller (a new account at a normal
price, an established reseller clearing stock cheaply), the policy asks for a **test buy**
instead of acting (``policy.offers_to_test_buy``): the platform orders the item and inspects
what arrives. Its result is a fact: goods that fail inspection (counterfeit, never shipped,
not as described) are ``test_buy_failed``; genuine goods clear the offer, since reselling
genuine goods is lawful whatever the brand owner thinks of the price.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from tradewind.governance.scores import (
    Detector,
    DetectorScore,
    Evidence,
    Subject,
    SubjectKind,
    score_from_evidence,
)
from tradewind.shared.money import Money


@dataclass(frozen=True, slots=True)
class BrandRegistration:
    brand_id: str
    owner_seller_id: str
    authorised_seller_ids: frozenset[str] = frozenset()

    def authorises(self, seller_id: str) -> bool:
        return seller_id == self.owner_seller_id or seller_id in self.authorised_seller_ids


class InspectionResult(StrEnum):
    """What inspection found in an item the platform bought from the offer."""

    GENUINE = "genuine"
    COUNTERFEIT = "counterfeit"
    NOT_RECEIVED = "not_received"
    NOT_AS_DESCRIBED = "not_as_described"


@dataclass(frozen=True, slots=True)
class OfferFacts:
    offer_id: str
    seller_id: str
    product_id: str
    brand_id: str | None
    price: Money
    reference_price: Money  # the brand owner's list price (or the product's median offer)
    seller_created_at: datetime
    condition_new: bool = True
    unit_cost_floor: Money | None = None  # a known lower bound on landed cost, if any
    # Offers and sales the account had on the platform before this offer (None: unknown).
    prior_activity: int | None = None
    test_buy: InspectionResult | None = None  # the inspected test buy, once it is back


@dataclass(frozen=True, slots=True)
class FollowSellParams:
    new_account_age: timedelta = timedelta(days=30)
    # Below this share of the reference price a genuine new unit is implausible.
    plausible_floor_bps: int = 5_000
    w_unauthorised: float = 0.5
    w_below_cost: float = 0.5
    w_new_account: float = 0.3
    w_new_condition: float = 0.1
    # Genuine resellers price around the reference (a few percent either way); a 15 % undercut
    # is what wins the buy box for goods that did not cost what genuine ones do.
    undercut_bps: int = 8_500
    w_undercut: float = 0.3
    dormant_age: timedelta = timedelta(days=180)
    w_dormant: float = 0.4
    w_test_buy_failed: float = 0.9


def unauthorised(
    registry: Mapping[str, BrandRegistration],
    brand_id: str | None,
    seller_id: str,
    code: str,
    weight: float,
) -> Evidence | None:
    """Evidence that ``seller_id`` is not authorised for the brand, or None when the brand is
    not registered or the seller is authorised (then nothing here concerns the brand owner)."""
    reg = registry.get(brand_id) if brand_id else None
    if reg is None or reg.authorises(seller_id):
        return None
    return Evidence(code, f"seller {seller_id} is not authorised for brand {reg.brand_id}", weight)


def score_follow_sell(
    offer: OfferFacts,
    registry: Mapping[str, BrandRegistration],
    now: datetime,
    params: FollowSellParams | None = None,
) -> DetectorScore:
    """Score one offer; ``registry`` maps brand id to its registration."""
    p = params or FollowSellParams()
    subject = Subject(SubjectKind.OFFER, offer.offer_id)
    first = unauthorised(
        registry, offer.brand_id, offer.seller_id, "unauthorised_seller", p.w_unauthorised
    )
    if first is None or offer.test_buy is InspectionResult.GENUINE:
        return DetectorScore(Detector.FOLLOW_SELL, subject, 0.0)
    evidence = [first]
    if offer.test_buy is not None:
        evidence.append(
            Evidence(
                "test_buy_failed",
                f"test buy of the offer came back {offer.test_buy.value.replace('_', ' ')}",
                p.w_test_buy_failed,
            )
        )
    floor = offer.reference_price.basis_points(p.plausible_floor_bps)
    if offer.unit_cost_floor is not None and offer.unit_cost_floor > floor:
        floor = offer.unit_cost_floor
    if offer.price < floor:
        evidence.append(
            Evidence(
                "below_plausible_cost",
                f"price {offer.price.amount} < plausible floor {floor.amount} {floor.currency}",
                p.w_below_cost,
            )
        )
    elif offer.price < offer.reference_price.basis_points(p.undercut_bps):
        evidence.append(
            Evidence(
                "undercuts_reference",
                f"price {offer.price.amount} is under {p.undercut_bps / 100:.0f} % of reference "
                f"{offer.reference_price.amount} {offer.reference_price.currency}",
                p.w_undercut,
            )
        )
    age = now - offer.seller_created_at
    if age >= p.dormant_age and offer.prior_activity == 0:
        evidence.append(
            Evidence(
                "dormant_account_reactivated",
                f"account is {age.days} days old with no earlier offers or sales",
                p.w_dormant,
            )
        )
    if age < p.new_account_age:
        evidence.append(Evidence("new_account", f"account is {age.days} days old", p.w_new_account))
    if offer.condition_new:
        evidence.append(
            Evidence("claims_new_condition", "offer claims new condition", p.w_new_condition)
        )
    return score_from_evidence(Detector.FOLLOW_SELL, subject, evidence)
