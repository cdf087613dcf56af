"""A TestClient that behaves like a browser showing our pages: it holds a CSRF nonce cookie
and sends the CSRF token of its current cookies on every write to a page (not the API)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tradewind.platform.web.csrf import CSRF_COOKIE, HEADER, UNSAFE, token_for

NONCE = "test-nonce-" + "0" * 40


class CsrfClient(TestClient):
    """``TestClient`` plus the CSRF token a rendered form would carry."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cookies.set(CSRF_COOKIE, NONCE)

    def csrf_token(self) -> str:
        jar = {cookie.name: cookie.value or "" for cookie in self.cookies.jar}
        return token_for(jar.get(CSRF_COOKIE, ""), jar)

    def request(self, method: str, url: Any, *args: Any, **kwargs: Any) -> Any:
        if method.upper() in UNSAFE and not str(url).startswith("/api/"):
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault(HEADER, self.csrf_token())
            kwargs["headers"] = headers
        return super().request(method, url, *args, **kwargs)


def web_app(db_url: str, engine: Any, index_dir: Any, **settings: Any) -> Any:
    """The app over the test database, with its catalog index in ``index_dir`` (a fresh FTS5
    file, so a test module's searches see only the products it indexes)."""
    from tradewind.bootstrap import bootstrap
    from tradewind.catalog.adapters.search.fts5 import Fts5CatalogSearch
    from tradewind.platform.settings import Settings
    from tradewind.platform.web.app import create_app

    container = bootstrap(Settings(database_url=db_url, **settings), engine=engine)
    container.search.set(Fts5CatalogSearch(index_dir / "index.fts5.sqlite"))
    return create_app(container)


def indexed_shop(app: Any, engine: Any) -> Any:
    """A fresh seeded shop (tests/integration/seed.py) whose products are in the app's index."""
    from tests.integration.seed import make_shop
    from tradewind.catalog.adapters.search.catalog_index import reindex_products

    shop = make_shop(engine)
    reindex_products(engine, app.state.container.search(), shop.products)
    return shop


def client_as(app: Any, cookie: str | None = None, token: str | None = None) -> CsrfClient:
    """A browser-like client that does not follow redirects, logged in by ``cookie``."""
    c = CsrfClient(app, follow_redirects=False)
    if cookie:
        c.cookies.set(cookie, token or "")
    return c
