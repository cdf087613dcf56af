"""Security headers on every response: a Content-Security-Policy of 'self', nosniff, a
referrer policy and no framing.

Everything the pages load is vendored under ``/static`` (htmx, Leaflet, ECharts, our own JS and
CSS), so the policy allows only this origin: no inline script, no inline style, no eval, no
plugins, forms post only here, and no page may be framed (clickjacking). Data blocks
(``<script type="application/json">``) are not scripts and need no exception; htmx's own
indicator ``<style>`` is turned off in ``base.html`` (``htmx-config``) instead of allowing inline
styles. ``img-src`` also allows ``data:`` for the empty favicon (``<link rel="icon"
href="data:,">``).

``/docs`` (Swagger UI) and ``/redoc`` (ReDoc) are vendored and served by ``api_docs`` (Swagger
UI is started from a static file, not an inline script), so neither loads anything from another
origin. ``/docs`` runs under the same policy as every page. ``/redoc`` is the one exemption,
and only for styles: ReDoc styles itself with styled-components, which writes ``<style>``
elements at run time (it stops with an error without them), so its policy adds
``style-src 'unsafe-inline'``; scripts stay 'self' only.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
REDOC_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
REDOC_PATH = "/redoc"
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def policy_for(path: str) -> str:
    """The policy of a path: 'self' only everywhere (``/docs`` included); ``/redoc`` also
    allows inline styles."""
    return REDOC_CSP if path == REDOC_PATH else CSP


class SecurityHeaders:
    """ASGI middleware adding the headers above (a route's own value wins)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = policy_for(scope.get("path", ""))

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", csp)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, with_headers)


def install(app: FastAPI) -> None:
    """Add the middleware (call last, so that every response, refusals included, has them)."""
    app.add_middleware(SecurityHeaders)
