"""Rate limits on login and checkout: 429 problem+json with ``Retry-After``.

* Login (``POST /login``, ``/seller/login``, ``/ops/login``): per client IP, all three forms
  together (``TRADEWIND_LOGIN_RATE_LIMIT`` per ``TRADEWIND_LOGIN_RATE_WINDOW_S``; 10 a minute).
* Checkout (``POST /checkout`` page and ``POST /api/v1/checkout``): per customer token, the
  session cookie or the bearer token, so both paths share one budget
  (``TRADEWIND_CHECKOUT_RATE_LIMIT`` per ``..._WINDOW_S``; 20 a minute).

A sliding-window log per key, in process memory: exact (no burst at a window edge), and
``Retry-After`` is when the oldest counted request leaves the window. With several server
processes (``serve --workers N``) each process has its own budget, so the effective limit is up
to N times the setting; a shared store (Redis) would fix that but is not required to run.
The client IP is the ASGI client address: behind a proxy, run uvicorn with ``--proxy-headers``
and ``--forwarded-allow-ips`` so that it is the real client's.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from tradewind.platform.web import refusals
from tradewind.platform.web.pages_common import SHOPPER_COOKIE
from tradewind.shared.tokens import token_hash

LOGIN_PATHS = frozenset({"/login", "/seller/login", "/ops/login"})
CHECKOUT_PATHS = frozenset({"/checkout", "/api/v1/checkout"})
MAX_KEYS = 100_000  # bound memory under many distinct (e.g. made-up) keys


class SlidingWindowLimiter:
    """At most ``limit`` hits per ``window_s`` seconds per key (thread-safe)."""

    def __init__(
        self, limit: int, window_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit, self.window_s, self.clock = limit, window_s, clock
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, key: str) -> float:
        """Count a request for ``key``: 0 when allowed, else the seconds until one would be."""
        now = self.clock()
        with self._lock:
            hits = self._hits.pop(key, None) or deque()
            while hits and hits[0] <= now - self.window_s:
                hits.popleft()
            self._hits[key] = hits  # most recently used last
            if len(self._hits) > MAX_KEYS:
                self._hits.popitem(last=False)
            if len(hits) >= self.limit:
                return hits[0] + self.window_s - now
            hits.append(now)
            return 0.0


@dataclass(frozen=True)
class Rule:
    name: str
    limiter: SlidingWindowLimiter
    key: Callable[[Scope], str]


def client_ip(scope: Scope) -> str:
    client = scope.get("client")
    return f"ip:{client[0]}" if client else "ip:unknown"


def customer_token(scope: Scope) -> str:
    """The caller's token (bearer or shopper session cookie), hashed; the IP without one."""
    headers = {k.lower(): v.decode("latin-1") for k, v in scope.get("headers", ())}
    scheme, _, token = headers.get(b"authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        token = _cookie(headers.get(b"cookie", ""), SHOPPER_COOKIE)
    if not token.strip():
        return client_ip(scope)
    return "tok:" + token_hash(token)


def _cookie(header: str, name: str) -> str:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value.strip('"')
    return ""


class RateLimit:
    """ASGI middleware: applies the first rule whose paths match a POST."""

    def __init__(self, app: ASGIApp, rules: dict[frozenset[str], Rule]) -> None:
        self.app, self.rules = app, rules

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            path = scope.get("path", "").rstrip("/") or "/"
            rule = next((r for paths, r in self.rules.items() if path in paths), None)
            wait = rule.limiter.hit(rule.key(scope)) if rule else 0.0
            if rule and wait > 0:
                retry = max(1, math.ceil(wait))
                detail = (
                    f"too many {rule.name} requests; try again in {retry} s "
                    f"(at most {rule.limiter.limit} per {rule.limiter.window_s:g} s)"
                )
                headers = {"Retry-After": str(retry)}
                await refusals.refuse(scope, receive, send, 429, detail, headers=headers)
                return
        await self.app(scope, receive, send)


def install(app: FastAPI) -> None:
    """Add the limits configured in the settings (a limit of 0 is off)."""
    s = app.state.container.settings
    rules = {}
    if s.login_rate_limit:
        login = SlidingWindowLimiter(s.login_rate_limit, s.login_rate_window_s)
        rules[LOGIN_PATHS] = Rule("login", login, client_ip)
    if s.checkout_rate_limit:
        checkout = SlidingWindowLimiter(s.checkout_rate_limit, s.checkout_rate_window_s)
        rules[CHECKOUT_PATHS] = Rule("checkout", checkout, customer_token)
    app.add_middleware(RateLimit, rules=rules)
