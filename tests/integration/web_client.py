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
