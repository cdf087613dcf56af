"""Marketplace use cases: seller registration and the seller's own offers."""

from __future__ import annotations

from tradewind.marketplace.commands import CreateOffer, RegisterSeller, UpdateOffer
from tradewind.marketplace.errors import (
    InvalidOffer,
    InvalidTaxId,
    OfferExists,
    OfferNotFound,
    SellerNotFound,
    SiteNotFound,
    StaleOffer,
)
from tradewind.marketplace.model import KycStatus, Offer, Seller, TaxId
from tradewind.marketplace.ports import MarketplaceUnitOfWork, TaxIdValidator
from tradewind.shared.clock import Clock
from tradewind.shared.errors import NotFound
from tradewind.shared.ids import new_id
from tradewind.shared.money import Money
from tradewind.shared.taxids import TaxIdStatus


def register_seller(
    cmd: RegisterSeller,
    uow: MarketplaceUnitOfWork,
    tax: TaxIdValidator,
    clock: Clock,
    token_hash: str | None = None,
) -> str:
    """Register a seller; tax IDs are checked and normalised first. KYC starts pending
    unless every tax ID validated, in which case the seller is verified (a stand-in for a
    real KYC provider behind a port)."""
    tax_ids = tuple(checked_tax_id(x, tax) for x in cmd.tax_ids)
    status = KycStatus.VERIFIED if tax_ids else KycStatus.PENDING
    seller = Seller(
        cmd.seller_id,
        cmd.name,
        cmd.kind,
        cmd.country,
        status,
        tax_ids,
        lat=cmd.lat,
        lon=cmd.lon,
        created_at=clock.now(),
    )
    with uow:
        uow.sellers.add(seller, token_hash)
        uow.commit()
    return seller.seller_id


def checked_tax_id(tax_id: TaxId, tax: TaxIdValidator) -> TaxId:
    """The number in the validator's compact form, or ``InvalidTaxId`` with the reason. A
    country the validator has no rules for is refused rather than waved through (a stricter
    default for a platform fighting tax fraud; the governance scan only gives no opinion)."""
    country = tax_id.country.upper()
    verdict = tax.validate(country, tax_id.number)
    if verdict.status is TaxIdStatus.UNSUPPORTED_COUNTRY:
        raise InvalidTaxId(
            f"no tax-ID validator for country {tax_id.country}",
            errors=[{"field": "tax_ids", "country": tax_id.country}],
        )
    if not verdict.valid:
        raise InvalidTaxId(
            f"{tax_id.country} tax ID {tax_id.number!r} is invalid: {verdict.detail}",
            errors=[{"field": "tax_ids", "country": tax_id.country, "reason": verdict.detail}],
        )
    return TaxId(country, verdict.compact)


def create_offer(cmd: CreateOffer, uow: MarketplaceUnitOfWork) -> str:
    """Attach an offer to an existing canonical product: the only way to sell a product."""
    with uow:
        seller = uow.sellers.get(cmd.seller_id)
        if seller is None:
            raise SellerNotFound(f"no seller {cmd.seller_id}")
        seller.require_active()
        site = uow.sites.get(cmd.site_id)
        if site is None:
            raise SiteNotFound(f"no site {cmd.site_id}")
        if uow.products.get(cmd.product_id) is None:
            raise NotFound(f"no product {cmd.product_id}: offers attach to existing products")
        existing = uow.offers.exists(cmd.seller_id, cmd.product_id, cmd.site_id, cmd.condition)
        if existing:
            raise OfferExists(
                f"seller already has offer {existing} for this product, site and condition; "
                "update it instead",
                errors=[{"field": "product_id", "existing_offer_id": existing}],
            )
        if cmd.channel.value == "fba" and cmd.quantity:
            raise InvalidOffer("FBA stock arrives through inbound shipments; quantity is FBM-only")
        offer = Offer.create(
            offer_id=new_id("off"),
            seller_id=cmd.seller_id,
            product_id=cmd.product_id,
            site_id=cmd.site_id,
            price=Money(cmd.price_minor, site.currency),
            shipping_fee=Money(cmd.shipping_minor, site.currency),
            condition=cmd.condition,
            channel=cmd.channel,
            handling_days=cmd.handling_days,
            fbm_quantity=cmd.quantity,
        )
        uow.offers.add(offer)
        for e in offer.events:
            uow.record(e)
        uow.commit()
    return offer.offer_id


def update_offer(cmd: UpdateOffer, uow: MarketplaceUnitOfWork) -> int:
    """Change the seller's own offer; returns the new version. Another seller's offer is
    reported as not found, so ids cannot be probed."""
    with uow:
        offer = uow.offers.get(cmd.offer_id)
        if offer is None or offer.seller_id != cmd.seller_id:
            raise OfferNotFound(f"no offer {cmd.offer_id} for this seller")
        read_version = offer.version
        if cmd.expected_version is not None and cmd.expected_version != read_version:
            raise StaleOffer(f"offer is at version {read_version}, not {cmd.expected_version}")
        if cmd.price_minor is not None or cmd.shipping_minor is not None:
            price = (
                Money(cmd.price_minor, offer.price.currency)
                if cmd.price_minor is not None
                else offer.price
            )
            ship = (
                Money(cmd.shipping_minor, offer.price.currency)
                if cmd.shipping_minor is not None
                else None
            )
            offer.change_price(price, ship)
        if cmd.quantity is not None:
            offer.set_fbm_quantity(cmd.quantity)
        if cmd.active is False:
            offer.deactivate()
        elif cmd.active is True and not offer.active:
            offer.activate()
        if not uow.offers.save(offer, read_version):
            raise StaleOffer("the offer changed while it was being updated; read it again")
        for e in offer.events:
            uow.record(e)
        uow.commit()
    return offer.version


def new_seller_id() -> str:
    return new_id("sel")
