"""Seller Central: log in with a token, offers (list, create, edit, price/stock), inventory by
FC, ledger, CSV bulk upload. A seller only ever sees their own offers: another seller's offer
page is a 404, exactly like a missing one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from tradewind.marketplace.adapters import pages_csv as seller_csv
from tradewind.marketplace.adapters import seller_views
from tradewind.marketplace.commands import CreateOffer, UpdateOffer
from tradewind.marketplace.model import Channel, Condition
from tradewind.platform.web import reads
from tradewind.platform.web.csv_export import write_csv
from tradewind.platform.web.pages_common import (
    SELLER_COOKIE,
    SellerId,
    container,
    domain_error,
    error_page,
    from_minor,
    log_in,
    log_out,
    redirect,
    render,
    to_minor,
)
from tradewind.platform.web.schemas import MAX_STOCK
from tradewind.shared.errors import TradewindError, ValidationFailed

router = APIRouter(prefix="/seller", include_in_schema=False)


def _reindex(request: Request, product_ids: list[str]) -> None:
    c = container(request)
    c.reindex_products(product_ids)


def _page(request: Request, name: str, seller_id: str, **ctx: Any) -> HTMLResponse:
    c = container(request)
    return render(
        request,
        name,
        seller=reads.seller_summary(c.engine, seller_id),
        section=name.split("/")[-1].split(".")[0],
        **ctx,
    )


PAGE_SIZE = 25
LEDGER_PAGE_SIZE = 50


def _pager(total: int, page: int, size: int, q: str) -> dict[str, Any]:
    """What ``seller/_pager.html`` needs: the page shown (clamped), the page count, the filter."""
    pages = max(1, -(-total // size))
    page = min(max(1, page), pages)
    return {"page": page, "pages": pages, "total": total, "q": q, "size": size}


def _filtered(
    rows: list[dict[str, Any]], q: str, page: int, fields: tuple[str, ...]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Rows whose ``fields`` contain ``q`` (case-insensitive), one page of them, the pager."""
    needle = q.strip().lower()
    if needle:
        rows = [r for r in rows if any(needle in str(r.get(f, "")).lower() for f in fields)]
    pager = _pager(len(rows), page, PAGE_SIZE, q.strip())
    start = (pager["page"] - 1) * PAGE_SIZE
    return rows[start : start + PAGE_SIZE], pager


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, error: str = "") -> HTMLResponse:
    return render(request, "seller/login.html", error=error, seller=None)


@router.post("/login")
def login(request: Request, token: Annotated[str, Form(max_length=200)]) -> Response:
    return log_in(request, token, "seller", SELLER_COOKIE, "/seller", "/seller/login")


@router.post("/logout")
def logout() -> Response:
    return log_out(SELLER_COOKIE, "/seller/login")


@router.get("", response_class=HTMLResponse)
def offers(
    request: Request, seller_id: SellerId, saved: str = "", q: str = "", page: int = 1
) -> Response:
    c = container(request)
    data = seller_views.seller_offers(c.engine, seller_id)
    titles = reads.product_titles(c.engine, sorted({o["product_id"] for o in data}))
    for o in data:
        o["title"] = titles.get(o["product_id"], "")
    fields = ("offer_id", "product_id", "title", "site_id", "channel", "condition")
    shown, pager = _filtered(data, q[:100], page, fields)
    return _page(
        request,
        "seller/offers.html",
        seller_id,
        offers=shown,
        titles=titles,
        saved=saved,
        pager=pager,
        all_count=len(data),
    )


def _own_offer(request: Request, seller_id: str, offer_id: str) -> dict[str, Any] | None:
    with container(request).read_uow() as uow:
        offer = uow.offers.get(offer_id)
    if offer is None or offer.seller_id != seller_id:
        return None
    return seller_views.offer_public(offer)


@router.get("/offers/new", response_class=HTMLResponse)
def new_offer_form(
    request: Request, seller_id: SellerId, product_id: str = "", error: str = ""
) -> Response:
    return _page(
        request, "seller/offer_new.html", seller_id, product_id=product_id, error=error,
        conditions=[x.value for x in Condition], channels=[x.value for x in Channel],
    )  # fmt: skip


@router.post("/offers")
def create_offer(
    request: Request,
    seller_id: SellerId,
    product_id: Annotated[str, Form(max_length=40)],
    site_id: Annotated[str, Form(max_length=8)],
    price: Annotated[str, Form(max_length=20)],
    shipping: Annotated[str, Form(max_length=20)] = "0",
    condition: Annotated[str, Form()] = "new",
    channel: Annotated[str, Form()] = "fba",
    handling_days: Annotated[int, Form(ge=0, le=30)] = 1,
    quantity: Annotated[int, Form(ge=0, le=MAX_STOCK)] = 0,
) -> Response:
    c = container(request)
    currency = {s["site_id"]: s["currency"] for s in c.views.sites()}.get(site_id.upper())
    try:
        if currency is None:
            raise ValidationFailed(f"no site {site_id}")
        cmd = CreateOffer(
            seller_id=seller_id, product_id=product_id.strip(), site_id=site_id.upper(),
            price_minor=to_minor(price, currency), shipping_minor=to_minor(shipping, currency),
            condition=Condition(condition), channel=Channel(channel),
            handling_days=handling_days, quantity=quantity,
        )  # fmt: skip
        offer_id = c.bus.handle(cmd)
    except (TradewindError, ValueError) as exc:
        detail = exc.detail if isinstance(exc, TradewindError) else str(exc)
        return redirect("/seller/offers/new", product_id=product_id, error=detail)
    _reindex(request, [cmd.product_id])
    return redirect(f"/seller/offers/{offer_id}", saved="created")


@router.get("/offers/{offer_id}", response_class=HTMLResponse)
def offer_page(
    request: Request, seller_id: SellerId, offer_id: str, saved: str = "", error: str = ""
) -> Response:
    offer = _own_offer(request, seller_id, offer_id)
    if offer is None:
        return error_page(request, 404, "offer_not_found", f"no offer {offer_id} for this seller")
    title = reads.product_titles(container(request).engine, [offer["product_id"]])
    return _page(
        request, "seller/offer_edit.html", seller_id, offer=offer, saved=saved, error=error,
        title=title.get(offer["product_id"], offer["product_id"]),
    )  # fmt: skip


@router.post("/offers/{offer_id}")
def update_offer(
    request: Request,
    seller_id: SellerId,
    offer_id: str,
    price: Annotated[str, Form(max_length=20)],
    expected_version: Annotated[int, Form(ge=1)],
    shipping: Annotated[str, Form(max_length=20)] = "",
    quantity: Annotated[str, Form(max_length=7, pattern=r"^\s*\d*\s*$")] = "",
    active: Annotated[str, Form()] = "",
) -> Response:
    """Price, shipping, FBM stock and active flag; HTMX posts get the updated table row."""
    offer = _own_offer(request, seller_id, offer_id)
    if offer is None:
        return error_page(request, 404, "offer_not_found", f"no offer {offer_id} for this seller")
    cur = offer["price"]["currency"]
    try:
        cmd = UpdateOffer(
            seller_id=seller_id, offer_id=offer_id, price_minor=to_minor(price, cur),
            shipping_minor=to_minor(shipping, cur) if shipping.strip() else None,
            quantity=int(quantity) if quantity.strip() and offer["channel"] == "fbm" else None,
            active={"1": True, "0": False}.get(active), expected_version=expected_version,
        )  # fmt: skip
        container(request).bus.handle(cmd)
    except (TradewindError, ValueError) as exc:
        if request.headers.get("HX-Request"):
            if isinstance(exc, TradewindError):
                return domain_error(request, exc)
            return error_page(request, 422, "validation_failed", str(exc))
        detail = exc.detail if isinstance(exc, TradewindError) else str(exc)
        return redirect(f"/seller/offers/{offer_id}", error=detail)
    _reindex(request, [offer["product_id"]])
    if request.headers.get("HX-Request"):
        fresh = _own_offer(request, seller_id, offer_id)
        titles = reads.product_titles(container(request).engine, [offer["product_id"]])
        return render(request, "seller/_offer_row.html", o=fresh, titles=titles, saved=True)
    return redirect(f"/seller/offers/{offer_id}", saved="saved")


@router.get("/inventory", response_class=HTMLResponse)
def inventory(request: Request, seller_id: SellerId, q: str = "", page: int = 1) -> Response:
    c = container(request)
    rows = seller_views.seller_inventory(c.engine, seller_id)
    titles = reads.product_titles(c.engine, sorted({r["product_id"] for r in rows}))
    for r in rows:
        r["title"] = titles.get(r["product_id"], r["product_id"])
    shown, pager = _filtered(rows, q[:100], page, ("sku", "product_id", "title", "fc_id"))
    return _page(request, "seller/inventory.html", seller_id, rows=shown, pager=pager)


@router.get("/ledger", response_class=HTMLResponse)
def ledger(request: Request, seller_id: SellerId, q: str = "", page: int = 1) -> Response:
    engine = container(request).engine
    q = q.strip()[:100]
    summary = seller_views.seller_ledger(engine, seller_id, limit=0)
    first = seller_views.seller_ledger_page(engine, seller_id, text=q, limit=0)
    pager = _pager(first["total"], page, LEDGER_PAGE_SIZE, q)
    offset = (pager["page"] - 1) * LEDGER_PAGE_SIZE
    data = seller_views.seller_ledger_page(
        engine, seller_id, text=q, offset=offset, limit=LEDGER_PAGE_SIZE
    )
    return _page(
        request,
        "seller/ledger.html",
        seller_id,
        payable=summary["payable"],
        entries=data["entries"],
        pager=pager,
    )


@router.get("/upload/template.csv")
def upload_template(request: Request, seller_id: SellerId) -> Response:
    """A CSV to fill in for the bulk upload: the header the upload reads and one row per
    existing offer (so prices and stock can be edited and uploaded back), formula-safe."""
    offers = seller_views.seller_offers(container(request).engine, seller_id)
    rows = [
        [
            o["offer_id"],
            o["product_id"],
            o["site_id"],
            from_minor(o["price"]["amount"], o["price"]["currency"]),
            from_minor(o["shipping_fee"]["amount"], o["shipping_fee"]["currency"]),
            o["condition"],
            o["channel"],
            o["handling_days"],
            o["quantity"] if o["channel"] == "fbm" else "",  # FBA stock comes by inbound
        ]
        for o in offers
    ]
    return PlainTextResponse(
        write_csv(seller_csv.COLUMNS, rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="offers-template.csv"'},
    )


@router.get("/upload", response_class=HTMLResponse)
def upload_form(request: Request, seller_id: SellerId) -> Response:
    return _page(request, "seller/upload.html", seller_id, report=None)


@router.post("/upload", response_class=HTMLResponse)
async def upload(
    request: Request, seller_id: SellerId, file: Annotated[UploadFile, File()]
) -> Response:
    raw = await file.read(seller_csv.MAX_BYTES + 1)
    if len(raw) > seller_csv.MAX_BYTES:
        limit = f"CSV files are limited to {seller_csv.MAX_BYTES:,} bytes"
        return error_page(request, 413, "file_too_large", limit)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return error_page(request, 422, "validation_failed", "the file is not UTF-8 text")
    from starlette.concurrency import run_in_threadpool

    c = container(request)
    report = await run_in_threadpool(seller_csv.apply, c, seller_id, text)
    if report.applied:
        touched = [o["product_id"] for o in seller_views.seller_offers(c.engine, seller_id)]
        await run_in_threadpool(_reindex, request, touched)
    status = 200 if not (report.error or report.rejected) else 422
    return _page(request, "seller/upload.html", seller_id, report=report, status_code=status)
