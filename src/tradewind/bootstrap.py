"""The one composition root: settings -> adapters -> services -> message bus."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import Connection, Engine

from tradewind.catalog import services as catalog
from tradewind.catalog.adapters.search.catalog_index import reindex_products
from tradewind.catalog.adapters.search.wiring import open_catalog_search, subscribe_search_indexer
from tradewind.catalog.commands import CreateBrand, CreateProduct
from tradewind.catalog.search import CatalogSearch
from tradewind.customs.adapters.quoter import CustomsImportQuoter
from tradewind.fulfillment import services as fulfillment
from tradewind.fulfillment.adapters.inbound_wiring import wire_inbound
from tradewind.fulfillment.adapters.linehaul_planner import load_linehaul_network
from tradewind.fulfillment.api import LpSourcingPolicy, SourcingPolicy, nearest_fc_with_stock
from tradewind.governance import services as governance
from tradewind.marketplace import services as marketplace
from tradewind.marketplace.commands import CreateOffer, RegisterSeller, UpdateOffer
from tradewind.orders import checkout
from tradewind.orders import services as orders
from tradewind.orders.adapters.payments import FakePaymentGateway
from tradewind.orders.cart_quote import CartQuote
from tradewind.orders.commands import (
    CancelOrder,
    PlaceOrder,
    RefundShipment,
    StartMembership,
    SweepPendingOrders,
)
from tradewind.orders.ports import PaymentGateway
from tradewind.orders.refunds import refund_shipment
from tradewind.orders.sweep import sweep_pending_orders
from tradewind.platform.bus.consumers import Consumer
from tradewind.platform.bus.envelope import Envelope
from tradewind.platform.bus.inprocess import MessageBus
from tradewind.platform.db.engine import make_engine
from tradewind.platform.db.uow import SqlUnitOfWork
from tradewind.platform.db.views import Views
from tradewind.platform.lazy import Lazy
from tradewind.platform.settings import Settings, get_settings
from tradewind.platform.taxids import StdnumTaxIdValidator
from tradewind.shared.clock import Clock, SystemClock
from tradewind.tracking.adapters.wiring import tracking_service
from tradewind.tracking.services import TrackingService
from tradewind.transport.network import Network


@dataclass
class Container:
    """Everything an entry point (web, CLI, worker, simulation) needs, wired once."""

    settings: Settings
    engine: Engine
    bus: MessageBus
    views: Views
    psp: PaymentGateway
    clock: Clock
    tracking: TrackingService
    search: Lazy[CatalogSearch]  # the catalog index, opened (and filled) on first use
    linehaul_network: Lazy[Network]  # the world's line-haul network, read on first use

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)

    def read_uow(self) -> SqlUnitOfWork:
        """A unit of work for reads only: no writer's lock, a deferred transaction."""
        return SqlUnitOfWork(self.engine, read_only=True)

    def reindex_products(self, product_ids: Iterable[str]) -> None:
        """Refresh the search documents of these products (after a commit that changed what
        they show: the index is outside the transaction and drops a product whose last live
        offer was suppressed)."""
        ids = sorted(set(product_ids))
        if ids:
            reindex_products(self.engine, self.search(), ids)

    def quote_cart(self, customer_id: str) -> CartQuote:
        """The cart priced as checkout will price it, with DDP import charges."""
        return orders.quote_customer_cart(customer_id, self.read_uow(), self.clock, IMPORTER)


def bootstrap(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    psp: PaymentGateway | None = None,
    clock: Clock | None = None,
) -> Container:
    settings = settings or get_settings()
    engine = engine or make_engine(
        settings.database_url, pool_size=settings.db_pool_size, echo=settings.db_echo
    )
    psp = psp or FakePaymentGateway(timeout_s=settings.payment_timeout_s)
    clock = clock or SystemClock()
    tax = StdnumTaxIdValidator()
    handlers: dict[type, Any] = {
        PlaceOrder: partial(_place_order, psp=psp, clock=clock, sourcing=sourcing_policy(settings)),
        CancelOrder: partial(orders.cancel_order, psp=psp),
        RefundShipment: partial(refund_shipment, psp=psp),
        StartMembership: partial(orders.start_membership, clock=clock),
        SweepPendingOrders: sweep_pending_orders,
        RegisterSeller: partial(marketplace.register_seller, tax=tax, clock=clock),
        CreateOffer: marketplace.create_offer,
        UpdateOffer: marketplace.update_offer,
        CreateBrand: catalog.create_brand,
        CreateProduct: catalog.create_product,
        fulfillment.ReceiveStock: fulfillment.receive_stock,
        fulfillment.DispatchUnits: fulfillment.dispatch_units,
    }

    bus = MessageBus(lambda: SqlUnitOfWork(engine), handlers)
    container = Container(
        settings,
        engine,
        bus,
        Views(engine, clock, IMPORTER),
        psp,
        clock,
        tracking=tracking_service(engine, clock=clock),
        search=Lazy(lambda: open_catalog_search(settings, engine)),
        linehaul_network=Lazy(lambda: load_linehaul_network(engine)),
    )
    for command, use_case in (
        (governance.TakeAction, governance.take_action),
        (governance.DismissCase, governance.dismiss_case),
        (governance.FileAppeal, governance.file_appeal),
        (governance.DecideAppeal, governance.decide_appeal),
    ):
        bus.handlers[command] = partial(
            _governance, use_case, clock=clock, reindex=container.reindex_products
        )
    wire_inbound(container)
    subscribe_search_indexer(container)
    return container


IMPORTER = CustomsImportQuoter()


def _place_order(
    cmd: PlaceOrder,
    uow: SqlUnitOfWork,
    *,
    psp: PaymentGateway,
    clock: Clock,
    sourcing: SourcingPolicy,
) -> checkout.CheckoutResult:
    return checkout.place_order(cmd, uow, psp, clock, sourcing, importer=IMPORTER)


def _governance(
    use_case: Callable[..., governance.Outcome],
    cmd: Any,
    uow: SqlUnitOfWork,
    *,
    clock: Clock,
    reindex: Callable[[Iterable[str]], None],
) -> governance.Outcome:
    """A governance use case, then the search documents of the products it changed."""
    out = use_case(cmd, uow, clock)
    reindex(out.products)
    return out


def event_consumers(container: Container) -> list[Consumer]:
    """The consumers ``tradewind worker`` runs on relayed events (idempotent by event id)."""
    from tradewind.catalog.adapters.search.catalog_index import SearchIndexer

    def reindex(envelope: Envelope, conn: Connection) -> None:
        SearchIndexer(container.engine, container.search())(envelope)

    return [Consumer("search", frozenset(e.__name__ for e in SearchIndexer.handles), reindex)]


def sourcing_policy(settings: Settings) -> SourcingPolicy:
    """Greedy nearest-FC (default) or the HiGHS MIP, which falls back to greedy on failure."""
    if settings.sourcing == "lp":
        from tradewind.fulfillment.adapters.highs_lp import HighsLpSolver

        return LpSourcingPolicy(HighsLpSolver())
    return nearest_fc_with_stock
