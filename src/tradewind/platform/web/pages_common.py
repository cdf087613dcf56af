"""What every page router shares: templates, money formatting, cookie sessions, errors.

Sessions: the shopper and the seller each log in by pasting their API token; it is kept in an
HttpOnly, SameSite=Lax cookie (``tw_shopper`` / ``tw_seller``) and resolved to a principal on
every request exactly as the API resolves a bearer token. SameSite=Lax keeps other sites from
posting forms with the cookie attached; the CSRF token (``csrf.py``) is the guard that does not
depend on the browser. Cookies are ``Secure`` over https or with ``TRADEWIND_SECURE_COOKIES``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlencode, urlsplit

from babel.dates import format_datetime
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from tradewind.bootstrap import Container
from tradewind.orders.model import Customer
from tradewind.platform.locale_data import exponent_of, format_money
from tradewind.platform.web.schemas import MAX_PRICE_MINOR
from tradewind.shared.errors import TradewindError
from tradewind.shared.tokens import token_hash

WEB_DIR = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
SHOPPER_COOKIE = "tw_shopper"
SELLER_COOKIE = "tw_seller"
OPERATOR_COOKIE = "tw_operator"
DEFAULT_SITE = "US"


def container(request: Request) -> Container:
    c: Container = request.app.state.container
    return c


def site_languages(c: Container, want: str | None = None) -> dict[str, str]:
    """site_id -> BCP 47 language (cached on the container; reloaded when ``want`` is a site
    the cache does not know yet)."""
    return c.views.site_languages(want)


def money(value: dict[str, Any] | None, language: str = "en-US") -> str:
    """Format ``{"amount": minor, "currency": "EUR"}`` for a locale with babel."""
    if not value:
        return ""
    return format_money(int(value["amount"]), str(value["currency"]), language)


_PRICE = re.compile(r"\d{1,15}(?:\.\d{1,6})?")


def to_minor(text: str, currency: str) -> int:
    """Parse a price typed in major units ('12.50' or '12,50') into minor units: plain digits
    only (no sign, exponent, ``Infinity`` or ``NaN``), at most ``MAX_PRICE_MINOR``."""
    from decimal import Decimal

    cleaned = text.strip().replace(" ", "").replace(",", ".")
    if not _PRICE.fullmatch(cleaned):
        raise ValueError(f"not a price: {text[:40]!r} (digits, and an optional decimal part)")
    minor = Decimal(cleaned).scaleb(exponent_of(currency))
    if minor != minor.to_integral_value():
        raise ValueError(f"{text!r} has too many decimals for {currency}")
    if minor > MAX_PRICE_MINOR:
        raise ValueError(f"{text!r} is above the largest price accepted")
    return int(minor)


def from_minor(amount: int, currency: str) -> str:
    exp = exponent_of(currency)
    return f"{amount / 10**exp:.{exp}f}"


def when(value: datetime | str | None, language: str = "en-US") -> str:
    """A timestamp for people: the locale's medium date and time, in UTC (said so)."""
    if value is None or value == "":
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    text = format_datetime(moment, format="medium", tzinfo=UTC, locale=language.replace("-", "_"))
    return f"{text} UTC"


templates.env.filters["money"] = money
templates.env.filters["when"] = when
templates.env.globals["from_minor"] = from_minor


def _principal(request: Request, cookie: str) -> tuple[str, str] | None:
    token = request.cookies.get(cookie)
    if not token:
        return None
    return container(request).views.principal(token_hash(token))


def principal_for_token(request: Request, token: str) -> tuple[str, str] | None:
    return container(request).views.principal(token_hash(token))


def current_seller(request: Request) -> str | None:
    found = _principal(request, SELLER_COOKIE)
    return found[1] if found and found[0] == "seller" else None


def current_shopper(request: Request) -> Customer | None:
    found = _principal(request, SHOPPER_COOKIE)
    if not found or found[0] != "customer":
        return None
    with container(request).read_uow() as uow:
        return uow.customers.get(found[1])


class LoginRequired(Exception):
    """A page that needs a session was opened without one; answered with a redirect (to the
    login page, which sends the visitor back to ``next`` once logged in)."""

    def __init__(self, login_url: str, message: str, next_url: str | None = None) -> None:
        super().__init__(message)
        self.login_url, self.message, self.next_url = login_url, message, next_url


def safe_next(value: str | None) -> str | None:
    """``value`` if it is a same-site relative path (``/ops/cases?status=open``), else None:
    never an absolute URL, a scheme-relative ``//host``, a backslash (browsers read ``/\\host``
    as ``//host``) or a control character (browsers drop tabs and newlines, so ``/\t/host``
    would become ``//host``). What a login may redirect to afterwards: no open redirect."""
    if not value or len(value) > 2000 or not value.startswith("/") or value.startswith("//"):
        return None
    if "\\" in value or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    return value


def _came_for(request: Request) -> str | None:
    """The page a visitor asked for (a GET of a full page; not a write or an HTMX partial)."""
    if request.method not in ("GET", "HEAD") or request.headers.get("HX-Request") == "true":
        return None
    query = request.url.query
    return safe_next(request.url.path + (f"?{query}" if query else ""))


def require_seller(request: Request) -> str:
    """The logged-in seller's id (a page dependency), or a redirect to the seller login."""
    seller_id = current_seller(request)
    if seller_id is None:
        raise LoginRequired("/seller/login", "Log in with your seller token.")
    return seller_id


def require_shopper(request: Request) -> Customer:
    """The logged-in customer (a page dependency), or a redirect to the storefront login."""
    shopper = current_shopper(request)
    if shopper is None:
        raise LoginRequired("/login", "Log in to use the cart and see your orders.")
    return shopper


def require_operator(request: Request) -> str:
    """The logged-in operator's id (a page dependency), or a redirect to the ops login."""
    found = _principal(request, OPERATOR_COOKIE)
    if not found or found[0] != "operator":
        raise LoginRequired("/ops/login", "Log in with your operator token.", _came_for(request))
    return found[1]


SellerId = Annotated[str, Depends(require_seller)]
OperatorId = Annotated[str, Depends(require_operator)]
Shopper = Annotated[Customer, Depends(require_shopper)]


def login_redirect(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    return redirect(exc.login_url, error=exc.message, next=exc.next_url)


def cookie_flags(request: Request) -> tuple[bool, Literal["lax"]]:
    """(Secure, SameSite) for the cookies we set: Secure over https (as the server sees the
    scheme, e.g. uvicorn ``--proxy-headers`` behind a TLS proxy) or when the setting asks."""
    secure = request.url.scheme == "https" or container(request).settings.secure_cookies
    return secure, "lax"


def set_session(response: Response, cookie: str, token: str, request: Request) -> None:
    secure, samesite = cookie_flags(request)
    response.set_cookie(
        cookie,
        token.strip(),
        httponly=True,
        samesite=samesite,
        secure=secure,
        max_age=14 * 86400,
        path="/",
    )


def redirect(url: str, **params: Any) -> RedirectResponse:
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return RedirectResponse(f"{url}?{urlencode(clean)}" if clean else url, status_code=303)


AfterLogin = Callable[[Request, str, Response], None]
AFTER_LOGIN: dict[str, AfterLogin] = {}
"""Per principal kind, what a successful login also does before it redirects (inside the
login POST, so under its CSRF check): e.g. the orders pages complete an "Add to cart" that an
anonymous visitor started, and send the shopper back to that product. A hook may change the
response's ``location`` (to a path it built itself, never one taken from the request)."""


def log_in(
    request: Request,
    token: str,
    kind: str,
    cookie: str,
    home: str,
    login: str,
    next_url: str | None = None,
) -> Response:
    """Start a session for a ``kind`` ("seller", "customer", "operator") token and go to
    ``next_url`` (when it is a safe relative path, else ``home``), or send the visitor back to
    the login page saying the token is not of that kind."""
    back = safe_next(next_url)
    found = principal_for_token(request, token)
    if not found or found[0] != kind:
        return redirect(login, error=f"That is not a {kind} token.", next=back)
    response = redirect(back or home)
    set_session(response, cookie, token, request)
    hook = AFTER_LOGIN.get(kind)
    if hook is not None:
        hook(request, found[1], response)
    return response


def log_out(cookie: str, to: str) -> Response:
    response = redirect(to)
    response.delete_cookie(cookie, path="/")
    return response


def sessions(request: Request, shopper: Customer | None = None) -> dict[str, Any]:
    """Who this browser is logged in as, for the header: ``shopper`` (a Customer), ``seller``
    and ``operator`` (ids), each None without a valid session of that kind."""
    seller = _principal(request, SELLER_COOKIE) if request.cookies.get(SELLER_COOKIE) else None
    operator = (
        _principal(request, OPERATOR_COOKIE) if request.cookies.get(OPERATOR_COOKIE) else None
    )
    if shopper is None and request.cookies.get(SHOPPER_COOKIE):
        shopper = current_shopper(request)
    return {
        "shopper": shopper,
        "seller": seller[1] if seller and seller[0] == "seller" else None,
        "operator": operator[1] if operator and operator[0] == "operator" else None,
    }


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a template with what the layout needs (shopper, seller, site, language, and
    ``who``: the sessions the header shows)."""
    c = container(request)
    shopper = context.pop("shopper", None)
    partial = name.rsplit("/", 1)[-1].startswith("_") or name.endswith("_panel.html")
    if not partial:
        context.setdefault("who", sessions(request, shopper))
    site = context.get("site") or (shopper.site_id if shopper else DEFAULT_SITE)
    langs = site_languages(c, site)
    context.setdefault("site", site)
    context.setdefault("lang", langs.get(site, "en-US"))
    context.setdefault("sites", sorted(langs))
    context.setdefault("shopper", shopper)
    context.setdefault("is_htmx", request.headers.get("HX-Request") == "true")
    context.setdefault("csrf_token", getattr(request.state, "csrf_token", ""))
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def error_page(request: Request, status: int, title: str, detail: str) -> HTMLResponse:
    partial = request.headers.get("HX-Request") == "true"
    return render(
        request,
        "_error.html" if partial else "error.html",
        status_code=status,
        title=title,
        detail=detail,
    )


def domain_error(request: Request, exc: TradewindError) -> HTMLResponse:
    """A domain error as a page (or an HTMX partial) with its stable code."""
    return error_page(request, exc.status, str(exc.code), exc.detail)
