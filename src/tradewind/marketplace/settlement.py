"""Turn a sale into balanced ledger postings: what the shopper paid, what each seller is owed,
and the platform's referral and FBA fees."""

from __future__ import annotations

from dataclasses import dataclass

from tradewind.marketplace.fees import FeeSchedule
from tradewind.marketplace.ledger import (
    FBA_FEES,
    PSP_CLEARING,
    REFERRAL_FEES,
    SHIPPING_REVENUE,
    Posting,
    assert_balanced,
    retail_sales,
    seller_payable,
)
from tradewind.marketplace.model import Channel, SellerKind
from tradewind.shared.money import Money


@dataclass(frozen=True, slots=True)
class SaleLine:
    seller_id: str
    seller_kind: SellerKind
    category: str
    size_tier: str
    channel: Channel
    quantity: int
    items: Money  # unit price x quantity
    shipping: Money  # shipping the shopper paid for this line


def sale_postings(lines: list[SaleLine], site_id: str, fees: FeeSchedule) -> list[Posting]:
    """Postings for one order. The shopper's payment lands in PSP clearing (debit); sellers'
    payables and platform revenue are credited; fees move from seller payable to platform."""
    postings: list[Posting] = []
    for ln in lines:
        charged = ln.items + ln.shipping
        postings.append(Posting(PSP_CLEARING, charged, None, "shopper payment"))
        if ln.seller_kind == SellerKind.RETAIL_1P:
            postings.append(Posting(retail_sales(site_id), -charged, ln.seller_id, "1P sale"))
            continue
        payable = seller_payable(ln.seller_id)
        # FBA shipping is the network's revenue; FBM shipping belongs to the seller who ships.
        if ln.channel == Channel.FBA:
            postings.append(Posting(payable, -ln.items, ln.seller_id, "item sale"))
            if ln.shipping.amount:
                postings.append(Posting(SHIPPING_REVENUE, -ln.shipping, None, "FBA shipping"))
            fba = fees.fba_fee(ln.size_tier, ln.quantity)
            postings.append(Posting(payable, fba, ln.seller_id, f"FBA fee {ln.size_tier}"))
            postings.append(Posting(FBA_FEES, -fba, ln.seller_id, "FBA fee"))
        else:
            postings.append(Posting(payable, -charged, ln.seller_id, "item sale + shipping"))
        referral = fees.referral_fee(ln.category, ln.items)
        postings.append(Posting(payable, referral, ln.seller_id, f"referral fee {ln.category}"))
        postings.append(Posting(REFERRAL_FEES, -referral, ln.seller_id, "referral fee"))
    assert_balanced(postings)
    return postings
