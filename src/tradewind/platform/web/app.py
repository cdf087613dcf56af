"""The FastAPI application factory."""

from __future__ import annotations

from fastapi import FastAPI

from tradewind import __version__
from tradewind.bootstrap import Container, bootstrap
from tradewind.catalog.adapters import routes as shop
from tradewind.fulfillment.adapters import routes as inbound
from tradewind.governance.adapters import routes as governance
from tradewind.marketplace.adapters import routes as seller
from tradewind.orders.adapters import routes as orders
from tradewind.platform.web import (
    api_docs,
    csrf,
    guards,
    health,
    observability,
    openapi_docs,
    pages,
    problems,
    rate_limit,
    security_headers,
)
from tradewind.tracking.adapters import routes as tracking


def create_app(container: Container | None = None) -> FastAPI:
    app = FastAPI(
        title="Tradewind API",
        version=__version__,
        description="Marketplace, fulfillment network and simulated world. "
        "Errors are RFC 9457 problem+json with a stable `code`.",
        docs_url=None,  # /docs and /redoc: api_docs, from the vendored copies
        redoc_url=None,
    )
    app.state.container = container or bootstrap()
    problems.install(app)
    csrf.install(app)  # inside the input guard: size and text limits run first
    rate_limit.install(app)
    app.add_middleware(guards.InputGuard, max_bytes=app.state.container.settings.max_request_bytes)
    for router in (
        shop.router,
        orders.router,
        seller.router,
        tracking.router,
        inbound.router,
        inbound.ops_router,
        governance.ops_router,
        governance.test_buy_router,
        governance.seller_router,
    ):
        app.include_router(router, prefix="/api/v1")
    pages.install(app)
    security_headers.install(app)  # CSP, nosniff, no framing on every answer

    app.include_router(health.router)  # /healthz (alive), /readyz (database reachable)
    openapi_docs.install(app)
    api_docs.install(app)
    observability.install(app)  # last: the outermost middleware sets the request id first
    return app
