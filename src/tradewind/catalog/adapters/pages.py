"""Storefront pages: search with facets, product page with the explained buy box, login."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from tradewind.catalog.search import (
    BAND_KEYS,
    MAX_QUERY_CHARS,
    PRICE_BANDS_USD,
    RATING_FLOORS,
    SearchQuery,
    SearchResult,
    SortOrder,
)
from tradewind.economics.rates import convert_minor
from tradewind.platform.locale_data import exponent_of, format_money
from tradewind.platform.web import reads
from tradewind.platform.web.pages_common import (
    DEFAULT_SITE,
    SHOPPER_COOKIE,
    container,
    current_shopper,
    error_page,
    log_in,
    log_out,
    render,
    site_languages,
)

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20
DEMO_CREDENTIALS = Path("var") / "demo_credentials.json"


def band_labels(currency: str, language: str) -> dict[str, str]:
    """Price-band labels in the site currency (bands are USD-based; edges are converted)."""
    exp = exponent_of(currency)

    def local(usd_cents: int) -> str:
        minor = convert_minor(usd_cents, "USD", currency)
        whole = round(minor / 10**exp) * 10**exp
        return format_money(whole, currency, language).replace(".00", "").replace(",00", "")

    out = {}
    for key, lo, hi in PRICE_BANDS_USD:
        if not lo:
            out[key] = f"Under {local(hi or 0)}"
        elif hi is None:
            out[key] = f"{local(lo)} and up"
        else:
            out[key] = f"{local(lo)} to {local(hi)}"
    return out


def _site(request: Request, site: str | None) -> str:
    langs = site_languages(container(request), site.upper() if site else None)
    if site and site.upper() in langs:
        return site.upper()
    shopper = current_shopper(request)
    return shopper.site_id if shopper else DEFAULT_SITE


def _currency(request: Request, site_id: str) -> str:
    found = [s["currency"] for s in container(request).views.sites() if s["site_id"] == site_id]
    return found[0] if found else "USD"


@router.get("/", response_class=HTMLResponse)
def storefront(
    request: Request,
    site: str | None = None,
    q: str = "",  # longer than MAX_QUERY_CHARS: a message on the page, never a JSON 422
    category: str = "",
    brand: str = "",
    band: str = "",
    member: str = "",
    stars: str = "",
    sort: str = "relevance",
    page: Annotated[int, Query(ge=1, le=500)] = 1,
) -> HTMLResponse:
    """Search the site's catalog; HTMX requests get only the results partial.

    A search text over ``MAX_QUERY_CHARS`` finds nothing and says why, in the results area of
    an HTMX request (200, so that htmx swaps it in) and on the whole page of a plain request
    (400)."""
    c = container(request)
    site_id = _site(request, site)
    too_long = len(q) > MAX_QUERY_CHARS
    query = SearchQuery(
        site_id=site_id,
        text="" if too_long else q,
        category=category or None,
        brand=brand or None,
        price_band=band if band in BAND_KEYS else None,
        member_only=member == "1",
        min_stars=int(stars) if stars in {str(n) for n in RATING_FLOORS} else None,
        sort=SortOrder(sort) if sort in SortOrder._value2member_map_ else SortOrder.RELEVANCE,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    result = SearchResult(hits=(), total=0) if too_long else c.search().search(query)
    fresh = reads.lowest_prices(c.engine, site_id, [h.product_id for h in result.hits])
    params = {
        "site": site_id, "q": q, "category": category, "brand": brand, "band": band,
        "member": member, "stars": stars, "sort": sort,
    }  # fmt: skip

    def link(**change: Any) -> str:
        merged = {**params, "page": 1, **change}
        return "/?" + urlencode({k: v for k, v in merged.items() if v not in ("", None, 1)})

    pages = max(1, -(-result.total // PAGE_SIZE))
    is_htmx = bool(request.headers.get("HX-Request"))
    template = "shop/_results.html" if is_htmx else "shop/index.html"
    return render(
        request,
        template,
        status_code=400 if too_long and not is_htmx else 200,
        site=site_id,
        shopper=current_shopper(request),
        result=result,
        fresh=fresh,
        params=params,
        page=page,
        pages=pages,
        link=link,
        band_labels=band_labels(
            result.hits[0].currency if result.hits else _currency(request, site_id),
            site_languages(c).get(site_id, "en-US"),
        ),
        sorts=[s.value for s in SortOrder],
        query_error=(
            f"Your search is too long ({len(q)} characters): use at most {MAX_QUERY_CHARS}."
            if too_long
            else ""
        ),
    )


def delivery_promise(
    offer: dict[str, Any], member: bool, now: Any, city: str | None
) -> dict[str, Any]:
    """A heuristic promise until transport exposes one: FBA 2 days for members (free) or 4
    days with standard shipping, FBM the handling days plus 4 days in transit."""
    to = f" to {city}" if city else ""
    if offer["channel"] == "fba":
        days = 2 if member else 4
        text = ("FREE membership delivery" if member else "Delivery") + to
        return {"text": text, "by": (now + timedelta(days=days)).date(), "member": member}
    days = offer["handling_days"] + 4
    return {"text": f"Ships from the seller{to}", "by": (now + timedelta(days=days)).date()}


_LANDED = re.compile(r"landed price (\d+) ([A-Z]{3}) \(lowest (\d+)\)")


def shopper_reason(text: str, language: str) -> str:
    """A buy-box reason as a shopper reads it: the core (and the API) give prices in minor
    units ("landed price 2855 USD (lowest 2500)"); the page shows them as money in the site's
    language ("landed price $28.55 (lowest $25.00)")."""

    def money(m: re.Match[str]) -> str:
        currency = m.group(2)
        landed = format_money(int(m.group(1)), currency, language)
        lowest = format_money(int(m.group(3)), currency, language)
        return f"landed price {landed} (lowest {lowest})"

    return _LANDED.sub(money, text)


@router.get("/p/{site_id}/{product_id}", response_class=HTMLResponse)
def product(request: Request, site_id: str, product_id: str) -> HTMLResponse:
    c = container(request)
    shopper = current_shopper(request)
    member = bool(shopper and shopper.is_member(c.clock.now()))
    page = c.views.product_page(product_id, site_id.upper(), member=member)
    if page is None:
        return error_page(request, 404, "not_found", f"no product {product_id} on {site_id}")
    winner_id = page["buy_box"]["winner_offer_id"]
    winner = next((o for o in page["offers"] if o["offer_id"] == winner_id), None)
    others = [o for o in page["offers"] if o["offer_id"] != winner_id]
    promise = None
    if winner is not None:
        city = shopper.city if shopper else None
        promise = delivery_promise(winner, member, c.clock.now(), city)
    language = site_languages(c).get(site_id.upper(), "en-US")
    for offer in page["offers"]:
        offer["reasons"] = [shopper_reason(r, language) for r in offer["reasons"]]
    explain = {
        line.split(" ", 1)[0]: shopper_reason(line, language) for line in page["buy_box"]["explain"]
    }
    rating_x10, review_count = reads.product_rating(c.engine, product_id)
    return render(
        request,
        "shop/product.html",
        site=site_id.upper(),
        shopper=shopper,
        member=member,
        p=page,
        winner=winner,
        others=others,
        promise=promise,
        explain=explain,
        rating_x10=rating_x10,
        review_count=review_count,
    )


def _demo_customers(request: Request) -> list[tuple[str, str]]:
    """(customer id, token) pairs from a local demo world, offered only to loopback clients
    of a server started by ``tradewind demo`` (never by ``tradewind serve``)."""
    host = request.client.host if request.client else ""
    if not container(request).settings.demo:
        return []
    if host not in ("127.0.0.1", "::1", "testclient") or not DEMO_CREDENTIALS.exists():
        return []
    creds = json.loads(DEMO_CREDENTIALS.read_text())
    picks: dict[str, list[tuple[str, str]]] = {}
    for who, token in creds.items():
        if who.startswith("cus-"):
            picks.setdefault(who.split("-")[1], []).append((who, token))
    return [x for site in sorted(picks) for x in picks[site][:3]]


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, error: str = "") -> HTMLResponse:
    return render(
        request,
        "shop/login.html",
        shopper=current_shopper(request),
        demo=_demo_customers(request),
        error=error,
    )


@router.post("/login")
def login(request: Request, token: Annotated[str, Form(max_length=200)]) -> Response:
    return log_in(request, token, "customer", SHOPPER_COOKIE, "/", "/login")


@router.post("/logout")
def logout() -> Response:
    return log_out(SHOPPER_COOKIE, "/")
