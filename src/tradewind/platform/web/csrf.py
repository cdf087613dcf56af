"""CSRF protection for every cookie-authenticated write (the pages; not the bearer-token API).

A signed double-submit token tied to the session. Every browser gets a random nonce in an
HttpOnly ``tw_csrf`` cookie; pages render ``csrf_token`` = HMAC-SHA256(key = nonce, message =
the values of the session cookies it carries) into each form (a hidden ``csrf_token`` field)
and into ``<meta name="csrf-token">``, from which ``static/js/app.js`` sends it as the
``X-CSRF-Token`` header on every HTMX request. An unsafe request (POST, PUT, PATCH, DELETE)
outside ``/api/`` must carry the token of its own cookies, in the header or the form field, or
it is refused before any route runs: 403 ``csrf_failed`` (an error page for a plain form post,
problem+json otherwise), and nothing changes.

Why this holds: another site can make the browser send our cookies, but cannot read them (nor
our pages), so it cannot know the nonce or the session token the HMAC is keyed by. Tying the
token to the session cookies means a nonce planted from elsewhere (cookie tossing) is useless
without the victim's session token, which is itself the secret. A login, a logout or another
session cookie changes the expected token: a form rendered before it is refused ("reload the
page"). Login forms are covered too (no login CSRF): a cross-site POST carries no ``SameSite``
cookie, so no nonce. ``/api/v1`` reads no cookie (``Authorization: Bearer`` only), so it needs no
token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tradewind.platform.web import refusals
from tradewind.platform.web.guards import replay_body
from tradewind.platform.web.pages_common import (
    OPERATOR_COOKIE,
    SELLER_COOKIE,
    SHOPPER_COOKIE,
    cookie_flags,
)
from tradewind.platform.web.problems import problem

CSRF_COOKIE = "tw_csrf"
FIELD = "csrf_token"
HEADER = "x-csrf-token"
SESSION_COOKIES = (SHOPPER_COOKIE, SELLER_COOKIE, OPERATOR_COOKIE)
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
EXEMPT_PREFIXES = ("/api/",)  # bearer tokens only: no cookie is ever read there


def token_for(nonce: str, cookies: dict[str, str]) -> str:
    """The token a browser holding ``nonce`` and these ``cookies`` must send back."""
    session = "\x00".join(cookies.get(name, "").strip() for name in SESSION_COOKIES)
    return hmac.new(nonce.encode(), session.encode(), hashlib.sha256).hexdigest()


def _cookies(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for key, value in scope.get("headers", ()):
        if key == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header carries no token
                return {}
    return {k: m.value for k, m in jar.items()}


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


class CsrfGuard:
    """ASGI middleware: issues the nonce cookie and checks the token (module docstring)."""

    def __init__(self, app: ASGIApp, exempt: Sequence[str] = EXEMPT_PREFIXES) -> None:
        self.app, self.exempt = app, tuple(exempt)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if scope["type"] != "http" or path.startswith(self.exempt):
            await self.app(scope, receive, send)
            return
        cookies = _cookies(scope)
        nonce = cookies.get(CSRF_COOKIE, "")
        fresh = len(nonce) < 32
        if fresh:
            nonce = secrets.token_urlsafe(32)
        expected = token_for(nonce, cookies)
        state = scope.setdefault("state", {})
        state["csrf_token"] = expected
        if scope["method"] in UNSAFE:
            try:
                sent, body = await self._sent_token(scope, receive)
            except HTTPException as exc:  # the body passed the size limit while read here:
                # answered as the input guard answers it (problem+json, forms included)
                code = refusals.CODES.get(exc.status_code, "bad_request")
                response = problem(exc.status_code, code, str(exc.detail), path)
                await response(scope, receive, send)
                return
            if fresh or not hmac.compare_digest(sent.encode(), expected.encode()):
                detail = "the form is missing its CSRF token or it has expired; reload the page"
                await refusals.refuse(scope, receive, send, 403, detail, code="csrf_failed")
                return
            receive = replay_body(body, receive) if body is not None else receive
        if fresh:
            send = self._issuing(scope, send, nonce)
        await self.app(scope, receive, send)

    async def _sent_token(self, scope: Scope, receive: Receive) -> tuple[str, bytes | None]:
        """The token from the header, else from the form body (which is then replayed)."""
        headers = _headers(scope)
        if headers.get(HEADER):
            return headers[HEADER], None
        content_type = headers.get("content-type", "")
        if not content_type.startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            return "", None
        body = await _read(receive)
        if content_type.startswith("application/x-www-form-urlencoded"):
            fields = parse_qsl(body.decode("latin-1"), keep_blank_values=True)
            return next((v for k, v in fields if k == FIELD), ""), body
        form = await Request(scope, replay_body(body, _nothing)).form(
            max_files=100, max_fields=1000
        )
        try:
            value = form.get(FIELD)
            return (value if isinstance(value, str) else ""), body
        finally:
            await form.close()

    @staticmethod
    def _issuing(scope: Scope, send: Send, nonce: str) -> Send:
        secure, samesite = cookie_flags(Request(scope))
        cookie = f"{CSRF_COOKIE}={nonce}; Path=/; Max-Age={14 * 86400}; HttpOnly"
        cookie += f"; SameSite={samesite}" + ("; Secure" if secure else "")

        async def issuing(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("set-cookie", cookie)
            await send(message)

        return issuing


async def _read(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _nothing() -> Message:
    return {"type": "http.disconnect"}


def install(app: FastAPI) -> None:
    """Add the guard (call before the input guard, so that size and text limits run first)."""
    app.add_middleware(CsrfGuard)
