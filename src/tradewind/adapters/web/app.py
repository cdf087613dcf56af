"""The FastAPI application factory."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from tradewind import __version__
from tradewind.adapters.web import pages, problems
from tradewind.adapters.web.routes import governance, inbound, orders, seller, shop, tracking
from tradewind.bootstrap import Container, bootstrap


def create_app(container: Container | None = None) -> FastAPI:
    app = FastAPI(
        title="Tradewind API",
        version=__version__,
        description="Marketplace, fulfillment network and simulated world. "
        "Errors are RFC 9457 problem+json with a stable `code`.",
        docs_url="/docs",
    )
    app.state.container = container or bootstrap()
    problems.install(app)
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

    @app.get("/healthz", tags=["ops"])
    def healthz() -> dict[str, Any]:
        from sqlalchemy import text

        with app.state.container.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return {"status": "ok", "version": __version__}

    return app
