"""The buy box: one winning offer per (product, site), from a documented score.

Score (0..100) of an eligible offer, for a shopper who is or is not a member:

* price, 60 points: ``60 * lowest_landed / landed`` where landed = price + shipping the
  shopper would pay (members ship free on membership-eligible offers) + the import duty and
  taxes of a cross-border offer (charged at checkout, delivered duty paid);
* delivery, 20 points: 20 for membership-eligible (FBA) offers, otherwise
  ``20 * max(0, 5 - handling_days) / 5`` for self-fulfilled ones;
* seller health, 20 points: ``20 * health_permille / 1000``.

An offer is eligible when it is active, new, in stock, and its seller is verified. Ties go to
the lower landed price, then to the lower offer id (deterministic). ``explain()`` returns why
each offer won, lost or was not eligible.
"""

from __future__ import annotations

from dataclasses import dataclass

from tradewind.marketplace.model import Condition, Offer, Seller, Site
from tradewind.shared.money import Money

PRICE_POINTS = 60
DELIVERY_POINTS = 20
HEALTH_POINTS = 20


@dataclass(frozen=True, slots=True)
class Contender:
    offer: Offer
    seller: Seller
    available_units: int  # FBA units sellable in the network, or FBM quantity
    # Import duty and taxes per unit a cross-border offer adds at checkout (DDP), if any.
    import_charges: Money | None = None


@dataclass(frozen=True, slots=True)
class OfferScore:
    offer_id: str
    eligible: bool
    landed_price: Money
    price_points: float
    delivery_points: float
    health_points: float
    reasons: tuple[str, ...]

    @property
    def total(self) -> float:
        return round(self.price_points + self.delivery_points + self.health_points, 3)


@dataclass(frozen=True, slots=True)
class BuyBoxResult:
    product_id: str
    site_id: str
    winner_offer_id: str | None
    scores: tuple[OfferScore, ...]

    def explain(self) -> list[str]:
        """Human-readable reasons, winner first."""
        lines = []
        for s in self.scores:
            head = (
                "WINNER"
                if s.offer_id == self.winner_offer_id
                else ("eligible" if s.eligible else "not eligible")
            )
            lines.append(f"{s.offer_id} [{head}] score={s.total}: " + "; ".join(s.reasons))
        return lines


def landed_price(offer: Offer, site: Site, *, member: bool) -> Money:
    """What one unit costs the shopper delivered: price plus the shipping they pay."""
    if offer.membership_eligible:
        shipping = Money.zero(offer.price.currency) if member else site.shipping_fee()
    else:
        shipping = offer.shipping_fee
    return offer.price + shipping


def _ineligibility(c: Contender) -> list[str]:
    why = []
    if not c.offer.active:
        why.append("offer inactive")
    if c.offer.condition != Condition.NEW:
        why.append(f"condition {c.offer.condition} competes only in 'other sellers'")
    if c.available_units <= 0:
        why.append("out of stock")
    if not c.seller.can_sell:
        why.append(f"seller KYC status {c.seller.kyc_status}")
    return why


def decide(
    product_id: str, site: Site, contenders: list[Contender], *, member: bool = False
) -> BuyBoxResult:
    """Score every contender and pick the winner (or none when nobody is eligible)."""
    landed = {
        c.offer.offer_id: landed_price(c.offer, site, member=member)
        + (c.import_charges or Money.zero(site.currency))
        for c in contenders
    }
    eligible = [c for c in contenders if not _ineligibility(c)]
    lowest = min((landed[c.offer.offer_id].amount for c in eligible), default=0)
    scores: list[OfferScore] = []
    for c in contenders:
        oid, price = c.offer.offer_id, landed[c.offer.offer_id]
        blockers = _ineligibility(c)
        if blockers:
            scores.append(OfferScore(oid, False, price, 0.0, 0.0, 0.0, tuple(blockers)))
            continue
        p = PRICE_POINTS * lowest / price.amount
        if c.offer.membership_eligible:
            d, d_why = float(DELIVERY_POINTS), "fast delivery (membership-eligible)"
        else:
            d = DELIVERY_POINTS * max(0, 5 - c.offer.handling_days) / 5
            d_why = f"self-fulfilled, {c.offer.handling_days} handling day(s)"
        h = HEALTH_POINTS * c.seller.health_permille / 1000
        reasons = (
            f"landed price {price.amount} {price.currency} (lowest {lowest})",
            d_why,
            f"seller health {c.seller.health_permille}/1000",
            f"{c.available_units} unit(s) in stock",
        )
        scores.append(OfferScore(oid, True, price, round(p, 3), round(d, 3), round(h, 3), reasons))
    ranked = sorted(
        (s for s in scores if s.eligible),
        key=lambda s: (-s.total, s.landed_price.amount, s.offer_id),
    )
    winner = ranked[0].offer_id if ranked else None
    ordered = tuple(ranked) + tuple(s for s in scores if not s.eligible)
    return BuyBoxResult(product_id, site.site_id, winner, ordered)
