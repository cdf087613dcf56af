"""Server-rendered pages (Jinja2 + HTMX): storefront at ``/``, Seller Central at ``/seller``,
operations console at ``/ops``; vendored static files at ``/static``."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from tradewind.adapters.web.pages import (
    ops,
    ops_cases,
    ops_test_buys,
    orders,
    seller,
    seller_enforcement,
    shop,
)
from tradewind.adapters.web.pages.common import WEB_DIR, LoginRequired, login_redirect


def install(app: FastAPI) -> None:
    """Mount ``/static`` and include the page routers (call after the API routers)."""
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    app.add_exception_handler(LoginRequired, login_redirect)
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
