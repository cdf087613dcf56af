"""Repositories over one SQLAlchemy Connection (the unit of work's transaction)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from sqlalchemy import Connection, bindparam, insert, select, update

from tradewind.catalog.model import Brand, Product, size_tier_for
from tradewind.marketplace.fees import FeeSchedule
from tradewind.marketplace.model import KycStatus, Offer, Seller, SellerKind, Site, TaxId
from tradewind.orders.model import MembershipPlan
from tradewind.orders.ports import CheckoutOffer
from tradewind.platform.db import statements as st
from tradewind.platform.db import tables as t
from tradewind.platform.db.driver import fetch_all
from tradewind.platform.db.rows import (
    fees_from,
    offer_from,
    offer_values,
    plan_from,
    product_from,
    product_values,
    seller_from,
    site_from,
)


def _now() -> datetime:
    return datetime.now(UTC)


class SqlSiteRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, site_id: str) -> Site | None:
        row = self.conn.execute(st.SITE, {"site_id": site_id}).first()
        return site_from(row) if row else None

    def fees(self, site_id: str) -> FeeSchedule | None:
        row = self.conn.execute(st.SITE, {"site_id": site_id}).first()
        return fees_from(row) if row else None

    def plan(self, site_id: str) -> MembershipPlan | None:
        row = self.conn.execute(
            select(t.membership_plans).where(t.membership_plans.c.site_id == site_id)
        ).first()
        return plan_from(row) if row else None

    def all(self) -> list[Site]:
        return [
            site_from(r) for r in self.conn.execute(select(t.sites).order_by(t.sites.c.site_id))
        ]

    def add(self, site: Site, fees: FeeSchedule) -> None:
        self.conn.execute(
            insert(t.sites),
            [
                {
                    "site_id": site.site_id,
                    "country": site.country,
                    "currency": site.currency,
                    "language": site.language,
                    "tax_regime": site.tax_regime,
                    "standard_shipping_minor": site.shipping_fee().amount,
                    "referral_bps": fees.referral_bps,
                    "fba_fee_minor": fees.fba_fee_minor,
                }
            ],
        )

    def add_plan(self, plan: MembershipPlan) -> None:
        self.conn.execute(
            insert(t.membership_plans),
            [
                {
                    "plan_id": plan.plan_id,
                    "site_id": plan.site_id,
                    "fee_minor": plan.fee.amount,
                    "currency": plan.fee.currency,
                    "period_days": plan.period_days,
                }
            ],
        )


class SqlSellerRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, seller_id: str) -> Seller | None:
        row = self.conn.execute(select(t.sellers).where(t.sellers.c.seller_id == seller_id)).first()
        if row is None:
            return None
        seller = seller_from(row)
        seller.tax_ids = tuple(
            TaxId(r.country, r.number)
            for r in self.conn.execute(
                select(t.seller_tax_ids).where(t.seller_tax_ids.c.seller_id == seller_id)
            )
        )
        return seller

    def add(self, seller: Seller, token_hash: str | None = None) -> None:
        self.conn.execute(
            insert(t.sellers),
            [
                {
                    "seller_id": seller.seller_id,
                    "name": seller.name,
                    "kind": seller.kind.value,
                    "country": seller.country,
                    "kyc_status": seller.kyc_status.value,
                    "health_permille": seller.health_permille,
                    "lat": seller.lat,
                    "lon": seller.lon,
                    "token_hash": token_hash,
                    "created_at": seller.created_at or _now(),
                }
            ],
        )
        if seller.tax_ids:
            self.conn.execute(
                insert(t.seller_tax_ids),
                [
                    {"seller_id": seller.seller_id, "country": x.country, "number": x.number}
                    for x in seller.tax_ids
                ],
            )

    def set_kyc(self, seller_id: str, status: KycStatus) -> None:
        self.conn.execute(
            update(t.sellers)
            .where(t.sellers.c.seller_id == seller_id)
            .values(kyc_status=status.value)
        )


class SqlBrandRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, brand_id: str) -> Brand | None:
        r = self.conn.execute(select(t.brands).where(t.brands.c.brand_id == brand_id)).first()
        return Brand(r.brand_id, r.name, r.owner_seller_id) if r else None

    def add(self, brand: Brand) -> None:
        self.conn.execute(
            insert(t.brands),
            [
                {
                    "brand_id": brand.brand_id,
                    "name": brand.name,
                    "owner_seller_id": brand.owner_seller_id,
                }
            ],
        )


class SqlProductRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, product_id: str) -> Product | None:
        r = self.conn.execute(
            select(t.products).where(t.products.c.product_id == product_id)
        ).first()
        return product_from(r) if r else None

    def find_by_gtin(self, gtin: str) -> str | None:
        return self.conn.execute(
            select(t.products.c.product_id).where(t.products.c.gtin == gtin)
        ).scalar()

    def add(self, product: Product) -> None:
        self.conn.execute(insert(t.products), [{**product_values(product), "created_at": _now()}])


def _unless_suppressed(offer: Offer, suppressed: bool) -> Offer:
    """Checkout sees a suppressed offer (governance enforcement) as inactive."""
    if suppressed:
        offer.active = False
    return offer


class SqlOfferRepository:
    """Offers for sellers (CRUD) and the one-read view checkout needs."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, offer_id: str) -> Offer | None:
        r = self.conn.execute(select(t.offers).where(t.offers.c.offer_id == offer_id)).first()
        return offer_from(r) if r else None

    def exists(self, seller_id: str, product_id: str, site_id: str, condition: str) -> str | None:
        o = t.offers.c
        return self.conn.execute(
            select(o.offer_id).where(
                o.seller_id == seller_id,
                o.product_id == product_id,
                o.site_id == site_id,
                o.condition == condition,
            )
        ).scalar()

    def add(self, offer: Offer) -> None:
        self.conn.execute(insert(t.offers), [{**offer_values(offer), "created_at": _now()}])

    def save(self, offer: Offer, expected_version: int) -> bool:
        """Write the offer if nobody changed it since it was read (returns False if stale)."""
        values = offer_values(offer)
        values.pop("offer_id")
        res = self.conn.execute(
            update(t.offers)
            .where(t.offers.c.offer_id == offer.offer_id, t.offers.c.version == expected_version)
            .values(**values)
        )
        return res.rowcount == 1

    def for_checkout(self, site_id: str, offer_ids: Sequence[str]) -> dict[str, CheckoutOffer]:
        rows = fetch_all(
            self.conn,
            st.checkout_offers(len(offer_ids)),
            {"site_id": site_id, **st.in_params("o", offer_ids)},
        )
        return {
            r.offer_id: CheckoutOffer(
                _unless_suppressed(offer_from(r), r.suppressed),
                SellerKind(r.kind),
                r.kyc_status == KycStatus.VERIFIED.value,
                r.s_lat,
                r.s_lon,
                r.category,
                size_tier_for(r.weight_g, r.longest_side_mm).value,
                r.s_country,
                r.hs_code,
            )
            for r in rows
        }

    def lock_fbm_quantities(self, offer_ids: Sequence[str]) -> dict[str, int]:
        rows = self.conn.execute(st.LOCK_FBM, {"offer_ids": list(offer_ids)})
        return {r.offer_id: r.fbm_quantity for r in rows}

    def save_fbm_quantities(self, quantities: Mapping[str, int]) -> None:
        self.conn.execute(
            update(t.offers)
            .where(t.offers.c.offer_id == bindparam("b_offer_id"))
            .values(fbm_quantity=bindparam("b_qty"), version=t.offers.c.version + 1),
            [{"b_offer_id": k, "b_qty": v} for k, v in sorted(quantities.items())],
        )
