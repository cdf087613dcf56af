"""The FastAPI application factory."""

from __future__ import annotations

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict

from tradewind import __version__
from tradewind.bootstrap import Container, bootstrap
from tradewind.catalog.adapters import routes as shop
from tradewind.fulfillment.adapters import routes as inbound
from tradewind.governance.adapters import routes as governance
from tradewind.marketplace.adapters import routes as seller
from tradewind.orders.adapters import routes as orders
from tradewind.platform.web import guards, openapi_docs, pages, problems
from tradewind.tracking.adapters import routes as tracking


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

    @app.get("/healthz", tags=["ops"])
    def healthz() -> Health:
        from sqlalchemy import text

        with app.state.container.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return Health(status="ok", version=__version__)

    openapi_docs.install(app)
    return app


class Health(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: str
    version: str
