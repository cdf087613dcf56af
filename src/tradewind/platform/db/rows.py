"""Row <-> domain object conversion, shared by repositories and views."""

from __future__ import annotations

from typing import Any

from tradewind.catalog.model import Product, Variant
from tradewind.fulfillment.model import FulfillmentCenter
from tradewind.marketplace.fees import FeeSchedule
from tradewind.marketplace.model import (
    Channel,
    Condition,
    KycStatus,
    Offer,
    Seller,
    SellerKind,
    Site,
)
from tradewind.orders.model import Customer, MembershipPlan
from tradewind.shared.money import Money


def site_from(r: Any) -> Site:
    return Site(
        r.site_id,
        r.country,
        r.currency,
        r.language,
        r.tax_regime,
        Money(r.standard_shipping_minor, r.currency),
    )


def fees_from(r: Any) -> FeeSchedule:
    return FeeSchedule(r.currency, dict(r.referral_bps), dict(r.fba_fee_minor))


def plan_from(r: Any) -> MembershipPlan:
    return MembershipPlan(r.plan_id, r.site_id, Money(r.fee_minor, r.currency), r.period_days)


def seller_from(r: Any) -> Seller:
    return Seller(
        r.seller_id,
        r.name,
        SellerKind(r.kind),
        r.country,
        KycStatus(r.kyc_status),
        (),
        r.health_permille,
        r.lat,
        r.lon,
        r.created_at,
    )


def offer_from(r: Any) -> Offer:
    return Offer(
        offer_id=r.offer_id,
        seller_id=r.seller_id,
        product_id=r.product_id,
        site_id=r.site_id,
        price=Money(r.price_minor, r.currency),
        shipping_fee=Money(r.shipping_minor, r.currency),
        condition=Condition(r.condition),
        channel=Channel(r.channel),
        handling_days=r.handling_days,
        fbm_quantity=r.fbm_quantity,
        active=bool(r.active),
        version=r.version,
    )


def offer_values(o: Offer) -> dict[str, Any]:
    return {
        "offer_id": o.offer_id,
        "seller_id": o.seller_id,
        "product_id": o.product_id,
        "site_id": o.site_id,
        "price_minor": o.price.amount,
        "shipping_minor": o.shipping_fee.amount,
        "currency": o.price.currency,
        "condition": o.condition.value,
        "channel": o.channel.value,
        "handling_days": o.handling_days,
        "fbm_quantity": o.fbm_quantity,
        "active": o.active,
        "version": o.version,
    }


def product_from(r: Any) -> Product:
    variants = tuple(
        Variant(v["variant_id"], tuple((k, val) for k, val in v.get("attributes", [])))
        for v in (r.variants or [])
    )
    return Product(
        r.product_id,
        r.gtin,
        r.title,
        r.category,
        r.brand_id,
        r.weight_g,
        r.longest_side_mm,
        r.hs_code,
        variants,
        r.created_by,
        r.version,
        r.rating_x10,
        r.review_count,
    )


def product_values(p: Product) -> dict[str, Any]:
    return {
        "product_id": p.product_id,
        "gtin": p.gtin,
        "title": p.title,
        "category": p.category,
        "brand_id": p.brand_id,
        "weight_g": p.weight_g,
        "longest_side_mm": p.longest_side_mm,
        "hs_code": p.hs_code,
        "created_by": p.created_by,
        "version": p.version,
        "rating_x10": p.rating_x10,
        "review_count": p.review_count,
        "variants": [
            {"variant_id": v.variant_id, "attributes": [list(a) for a in v.attributes]}
            for v in p.variants
        ],
    }


def fc_from(r: Any) -> FulfillmentCenter:
    return FulfillmentCenter(
        r.fc_id, r.name, r.city, r.site_id, r.lat, r.lon, r.capacity_units, r.region
    )


def customer_from(r: Any) -> Customer:
    return Customer(r.customer_id, r.site_id, r.name, r.city, r.lat, r.lon, r.member_until)
