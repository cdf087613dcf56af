"""Refusing a request from ASGI middleware (CSRF, rate limits) the way the app refuses it.

A plain browser form post (a page path, no ``HX-Request``) gets the HTML error page, so a
person sees why; the API and HTMX get RFC 9457 problem+json with the stable ``code``.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from tradewind.platform.web.problems import _HTTP_CODES, is_api_path, problem

CODES = {**_HTTP_CODES, 429: "rate_limited"}


def wants_page(scope: Scope) -> bool:
    """A browser navigation or form post to a page (not an API-like path, not HTMX)."""
    headers = {k.lower(): v for k, v in scope.get("headers", ())}
    return not is_api_path(scope.get("path", "")) and b"hx-request" not in headers


async def refuse(
    scope: Scope,
    receive: Receive,
    send: Send,
    status: int,
    detail: str,
    code: str | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    code = code or CODES.get(status, f"http_{status}")
    response: Response
    if wants_page(scope):
        from tradewind.platform.web.pages_common import error_page

        request = Request(scope, receive)
        response = await run_in_threadpool(error_page, request, status, code, detail)
        response.headers.update(headers or {})
    else:
        response = problem(status, code, detail, scope.get("path", ""), extra_headers=headers)
    await response(scope, receive, send)
