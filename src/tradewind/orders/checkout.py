"""Checkout: validate, price, reserve stock across FCs, take payment, create the order.

Two short transactions around the payment call; no row lock is held while the PSP thinks:

1. reserve (here): lock the stock rows in one fixed order, reserve, write the order as
   ``pending_payment`` with its Idempotency-Key, commit;
2. authorise with the PSP, outside any transaction (checkout_settle.py);
3. settle (checkout_settle.py): confirm (order placed, ledger postings, outbox event) or
   release (stock back, order ``payment_failed``), once, whoever gets there first.

A retry with the same key finds the order: placed -> the same order; payment failed -> the
same failure; still pending (an attempt crashed between the two transactions, or is waiting
on the PSP) -> it authorises again with the same PSP idempotency key and settles. Never a
second order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from tradewind.fulfillment.api import (
    Allocation,
    InsufficientStock,
    LineDemand,
    SourcingPolicy,
    nearest_fc_with_stock,
)
from tradewind.marketplace.api import Channel, FeeSchedule, Posting, SaleLine, Site, sale_postings
from tradewind.orders.checkout_settle import CheckoutResult, Reserved, pay_and_settle, replay
from tradewind.orders.commands import PlaceOrder
from tradewind.orders.errors import (
    CustomerNotFound,
    EmptyCart,
    IdempotencyKeyRequired,
    IdempotencyKeyReused,
    InvalidCart,
    InvalidPaymentMethod,
    OfferUnavailable,
)
from tradewind.orders.import_charges import import_charges
from tradewind.orders.model import (
    MAX_ORDER_TOTAL_MINOR,
    MAX_PAYMENT_METHOD_LENGTH,
    CartLine,
    Customer,
    Order,
    OrderLine,
    OrderStatus,
    Shipment,
    ShipmentLine,
    delivery_promise,
    validate_cart_lines,
)
from tradewind.orders.ports import (
    CheckoutContext,
    CheckoutOffer,
    CheckoutUnitOfWork,
    DuplicateIdempotencyKey,
    ImportQuoter,
    PaymentGateway,
)
from tradewind.orders.pricing import line_shipping
from tradewind.shared.clock import Clock
from tradewind.shared.errors import NotFound
from tradewind.shared.geo import haversine_km
from tradewind.shared.ids import new_id
from tradewind.shared.money import Money

__all__ = ["CheckoutResult", "place_order", "request_hash"]


def request_hash(cmd: PlaceOrder) -> str:
    body = "|".join(
        f"{ln.offer_id}x{ln.quantity}" for ln in sorted(cmd.lines, key=lambda x: x.offer_id)
    )
    return hashlib.sha256(f"{cmd.customer_id}|{body}".encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class _Deps:
    clock: Clock
    sourcing: SourcingPolicy
    importer: ImportQuoter | None


def place_order(
    cmd: PlaceOrder,
    uow: CheckoutUnitOfWork,
    psp: PaymentGateway,
    clock: Clock,
    sourcing: SourcingPolicy = nearest_fc_with_stock,
    *,
    importer: ImportQuoter | None = None,
) -> CheckoutResult:
    """Place an order exactly once per (customer, idempotency key). With an ``importer``,
    parcels a foreign seller ships to the shopper carry their import charges (DDP)."""
    if not cmd.idempotency_key or len(cmd.idempotency_key) > 100:
        raise IdempotencyKeyRequired("an Idempotency-Key of 1..100 characters is required")
    if len(cmd.payment_method) > MAX_PAYMENT_METHOD_LENGTH or not psp.accepts(cmd.payment_method):
        # Never echoed back: it is the caller's input, of any length.
        raise InvalidPaymentMethod(
            "this payment method is not accepted",
            errors=[{"field": "payment_method", "reason": "not accepted"}],
        )
    if not cmd.lines:
        raise EmptyCart("the cart is empty")
    validate_cart_lines(cmd.lines)
    digest = request_hash(cmd)
    deps = _Deps(clock, sourcing, importer)
    try:
        step = _reserve(cmd, uow, deps, digest)
    except DuplicateIdempotencyKey:
        # A concurrent attempt with the same key wrote its order first: go on with that one.
        step = _reserve(cmd, uow, deps, digest)
    if isinstance(step, CheckoutResult):
        return step
    return pay_and_settle(cmd, uow, psp, step)


def _reserve(
    cmd: PlaceOrder, uow: CheckoutUnitOfWork, deps: _Deps, digest: str
) -> Reserved | CheckoutResult:
    """The first transaction: reserve stock and write the order as pending payment (or find
    the order an earlier attempt with this key wrote)."""
    with uow:
        ctx = uow.checkout_context.load(cmd.customer_id, cmd.idempotency_key)
        if ctx.existing is None:
            reserved = _build_order(cmd, uow, ctx, deps, digest)
            uow.orders.add(reserved.order)
            uow.commit()
            return reserved
        if ctx.existing.request_hash != digest:
            raise IdempotencyKeyReused(
                "this Idempotency-Key was already used for a different cart; use a new key"
            )
        if ctx.existing.status != OrderStatus.PENDING_PAYMENT:
            return replay(ctx.existing)
        return _resume(uow, ctx, deps.importer, ctx.existing.order_id)


def _resume(
    uow: CheckoutUnitOfWork, ctx: CheckoutContext, importer: ImportQuoter | None, order_id: str
) -> Reserved:
    """A pending order of an earlier attempt, with the postings its confirmation books
    (priced by the same function as a new order)."""
    order = uow.orders.get(order_id)
    if order is None or ctx.site is None or ctx.fees is None:  # pragma: no cover - FKs
        raise NotFound(f"no order {order_id}")
    offers = uow.offers.for_checkout(order.site_id, [ln.offer_id for ln in order.lines])
    _, postings = order_postings(
        list(order.lines),
        list(order.shipments),
        offers,
        (ctx.site, ctx.fees),
        importer,
        on=order.placed_at.date(),
    )
    return Reserved(order, postings, fresh=False)


def order_postings(
    lines: list[OrderLine],
    shipments: list[Shipment],
    offers: dict[str, CheckoutOffer],
    site_fees: tuple[Site, FeeSchedule],
    importer: ImportQuoter | None,
    *,
    on: date,
) -> tuple[Money, list[Posting]]:
    """Import charges of an order and the ledger postings its confirmation books."""
    site, fees = site_fees
    charges, import_postings = Money.zero(site.currency), list[Posting]()
    if importer is not None:
        charges, import_postings = import_charges(shipments, lines, offers, site, on, importer)
    sales = [sale_line(ln, offers[ln.offer_id]) for ln in lines]
    return charges, sale_postings(sales, site.site_id, fees) + import_postings


def _load_offers(
    cmd: PlaceOrder, uow: CheckoutUnitOfWork, customer: Customer
) -> dict[str, CheckoutOffer]:
    offers = uow.offers.for_checkout(customer.site_id, [ln.offer_id for ln in cmd.lines])
    problems = []
    for i, ln in enumerate(cmd.lines):
        co = offers.get(ln.offer_id)
        if co is None:
            problems.append(
                {"field": f"lines[{i}].offer_id", "reason": "no such offer on this site"}
            )
        elif not co.offer.active or not co.seller_can_sell:
            problems.append({"field": f"lines[{i}].offer_id", "reason": "offer is not available"})
    if problems:
        raise OfferUnavailable("some offers cannot be bought", errors=problems)
    return offers


def _build_order(
    cmd: PlaceOrder, uow: CheckoutUnitOfWork, ctx: CheckoutContext, deps: _Deps, digest: str
) -> Reserved:
    customer, site, fees = ctx.customer, ctx.site, ctx.fees
    if customer is None:
        raise CustomerNotFound(f"no customer {cmd.customer_id}")
    if site is None or fees is None:  # pragma: no cover - guarded by a foreign key
        raise NotFound(f"no site {customer.site_id}")
    offers = _load_offers(cmd, uow, customer)
    now = deps.clock.now()
    member = customer.is_member(now)
    order_id = new_id("ord")
    lines = priced_lines(cmd.lines, offers, site, member=member)
    if sum(ln.total.amount for ln in lines) > MAX_ORDER_TOTAL_MINOR:
        raise InvalidCart(
            "the order total is too large",
            errors=[{"field": "lines", "reason": f"at most {MAX_ORDER_TOTAL_MINOR} minor units"}],
        )
    shipments = _reserve_fba(order_id, lines, uow, customer, deps.sourcing)
    shipments += _reserve_fbm(order_id, lines, uow, customer, offers)
    handling = {ln.line_no: offers[ln.offer_id].offer.handling_days for ln in lines}
    shipments = [_promised(s, now, member, handling) for s in shipments]
    charges, postings = order_postings(
        lines, shipments, offers, (site, fees), deps.importer, on=now.date()
    )
    total = sum((ln.total for ln in lines), charges)
    order = Order(
        order_id,
        customer.customer_id,
        site.site_id,
        OrderStatus.PENDING_PAYMENT,
        tuple(lines),
        tuple(shipments),
        total,
        now,
        cmd.idempotency_key,
        digest,
    )
    return Reserved(order, postings, fresh=True)


def _promised(s: Shipment, now: datetime, member: bool, handling: dict[int, int]) -> Shipment:
    """The shipment with its delivery promise (self-fulfilled: the slowest line's handling)."""
    fba = not s.origin.startswith("seller:")
    days = max((handling[sl.line_no] for sl in s.lines), default=0)
    return replace(s, promised_by=delivery_promise(now, member=member, fba=fba, handling_days=days))


def sale_line(ln: OrderLine, co: CheckoutOffer) -> SaleLine:
    """What the ledger needs to know about a sold line (checkout and refunds post alike)."""
    return SaleLine(
        ln.seller_id,
        co.seller_kind,
        co.category,
        co.size_tier,
        Channel(ln.channel),
        ln.quantity,
        ln.unit_price * ln.quantity,
        ln.shipping,
    )


def _reserve_fba(
    order_id: str,
    lines: list[OrderLine],
    uow: CheckoutUnitOfWork,
    customer: Customer,
    sourcing: SourcingPolicy,
) -> list[Shipment]:
    fba = [ln for ln in lines if ln.channel == Channel.FBA.value]
    if not fba:
        return []
    positions, centers = uow.inventory.lock(sorted({ln.sku for ln in fba}))
    demand = [LineDemand(ln.line_no, ln.sku, ln.quantity) for ln in fba]
    allocations = sourcing(demand, positions, centers, (customer.lat, customer.lon))
    by_key = {(p.fc_id, p.sku): p for p in positions}
    for a in allocations:
        by_key[(a.fc_id, a.sku)].reserve(a.quantity)
    touched = sorted({(a.sku, a.fc_id) for a in allocations})
    uow.inventory.save_reserved([by_key[(fc_id, sku)] for sku, fc_id in touched])
    return _group_shipments(order_id, allocations)


def _group_shipments(order_id: str, allocations: list[Allocation]) -> list[Shipment]:
    by_fc: dict[str, list[Allocation]] = {}
    for a in allocations:
        by_fc.setdefault(a.fc_id, []).append(a)
    return [
        Shipment(
            new_id("shp"),
            order_id,
            fc_id,
            tuple(ShipmentLine(a.line_no, a.sku, a.quantity) for a in allocs),
            round(allocs[0].distance_km, 1),
        )
        for fc_id, allocs in sorted(by_fc.items())
    ]


def _reserve_fbm(
    order_id: str,
    lines: list[OrderLine],
    uow: CheckoutUnitOfWork,
    customer: Customer,
    offers: dict[str, CheckoutOffer],
) -> list[Shipment]:
    fbm = [ln for ln in lines if ln.channel == Channel.FBM.value]
    if not fbm:
        return []
    stock = uow.offers.lock_fbm_quantities(sorted(ln.offer_id for ln in fbm))
    short = [
        {"line": ln.line_no, "offer_id": ln.offer_id, "available": stock.get(ln.offer_id, 0)}
        for ln in fbm
        if stock.get(ln.offer_id, 0) < ln.quantity
    ]
    if short:
        raise InsufficientStock("not enough units from the seller", errors=short)
    uow.offers.save_fbm_quantities({ln.offer_id: stock[ln.offer_id] - ln.quantity for ln in fbm})
    shipments = []
    for seller_id, group in fbm_parcels(fbm):
        co = offers[group[0].offer_id]
        km = haversine_km(co.seller_lat, co.seller_lon, customer.lat, customer.lon)
        shipments.append(
            Shipment(
                new_id("shp"),
                order_id,
                f"seller:{seller_id}",
                tuple(ShipmentLine(g.line_no, g.sku, g.quantity) for g in group),
                round(km, 1),
            )
        )
    return shipments


def fbm_parcels(lines: Sequence[OrderLine]) -> list[tuple[str, list[OrderLine]]]:
    """Self-fulfilled lines grouped into one parcel per seller, in seller order."""
    by_seller: dict[str, list[OrderLine]] = {}
    for ln in lines:
        if ln.channel == Channel.FBM.value:
            by_seller.setdefault(ln.seller_id, []).append(ln)
    return sorted(by_seller.items())


def priced_lines(
    cart: Sequence[CartLine], offers: dict[str, CheckoutOffer], site: Site, *, member: bool
) -> list[OrderLine]:
    """Order lines at the offers' prices, with the shipping this shopper pays (checkout and the
    cart quote price the same way)."""
    return [
        OrderLine(
            no,
            o.offer_id,
            o.seller_id,
            o.product_id,
            o.sku,
            ln.quantity,
            o.price,
            line_shipping(o, site, ln.quantity, member=member),
            o.channel.value,
        )
        for no, ln in enumerate(cart, start=1)
        for o in (offers[ln.offer_id].offer,)
    ]
