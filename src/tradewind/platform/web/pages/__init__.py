"""Server-rendered pages (Jinja2 + HTMX): storefront at ``/``, Seller Central at ``/seller``,
operations console at ``/ops``; vendored static files at ``/static``."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from tradewind.catalog.adapters import pages as shop
from tradewind.governance.adapters import pages_cases as ops_cases
from tradewind.governance.adapters import pages_seller as seller_enforcement
from tradewind.governance.adapters import pages_test_buys as ops_test_buys
from tradewind.marketplace.adapters import pages as seller
from tradewind.orders.adapters import pages as orders
from tradewind.platform.web import ops_pages as ops
from tradewind.platform.web.pages_common import WEB_DIR, LoginRequired, error_page, login_redirect


def install(app: FastAPI) -> None:
    """Mount ``/static`` and include the page routers (call after the API routers)."""
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    app.add_exception_handler(LoginRequired, login_redirect)
    app.state.page_error = error_page  # problems.py answers an unknown page path with it (404)
    for router in (
        shop.router,
        orders.router,
        seller_enforcement.router,
        seller.router,
        ops_cases.router,
        ops_cases.login_router,
        ops_test_buys.router,
        ops.router,
    ):
        app.include_router(router)
