"""CSV bulk upload of offers: parse, validate every row, then apply all rows or none.

Columns (header row required): ``product_id, site_id, price, shipping, condition, channel,
handling_days, quantity`` to create offers, plus an optional ``offer_id``: a row with an
``offer_id`` updates that offer's price, shipping and stock instead.

Semantics: **all-or-nothing per file at validation**. Every row is checked first, against the
database too (product and site exist, the seller may sell, the offer is the seller's own, no
duplicate offer, FBA rows carry no quantity, no row repeats another). If any row is rejected,
nothing is applied and the report lists every rejected row with its reason. When all rows pass,
they are applied in file order, one transaction per row; a row that fails at that point (a
concurrent change since validation) stops the upload and the report says which rows were
applied before it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from tradewind.adapters.web.pages.common import to_minor
from tradewind.bootstrap import Container
from tradewind.marketplace.commands import CreateOffer, UpdateOffer
from tradewind.marketplace.model import Channel, Condition
from tradewind.shared.errors import TradewindError

MAX_ROWS = 5_000
REQUIRED = ("product_id", "site_id", "price")


@dataclass
class RowReport:
    line: int
    ok: bool
    action: str = ""
    reason: str = ""
    offer_id: str = ""


@dataclass
class UploadReport:
    rows: list[RowReport] = field(default_factory=list)
    applied: int = 0
    error: str = ""

    @property
    def rejected(self) -> list[RowReport]:
        return [r for r in self.rows if not r.ok]


def _int(raw: dict[str, str], key: str, default: int) -> int:
    text = (raw.get(key) or "").strip()
    return int(text) if text else default


def parse_row(raw: dict[str, str], seller_id: str, currency: str) -> CreateOffer | UpdateOffer:
    """One CSV row -> a command (``ValueError`` with a readable reason when it is malformed)."""
    offer_id = (raw.get("offer_id") or "").strip()
    ship_text = (raw.get("shipping") or "").strip()
    price_text = (raw.get("price") or "").strip()
    if offer_id:
        qty = (raw.get("quantity") or "").strip()
        return UpdateOffer(
            seller_id=seller_id,
            offer_id=offer_id,
            price_minor=to_minor(price_text, currency) if price_text else None,
            shipping_minor=to_minor(ship_text, currency) if ship_text else None,
            quantity=int(qty) if qty else None,
        )
    for key in REQUIRED:
        if not (raw.get(key) or "").strip():
            raise ValueError(f"{key} is required")
    price = to_minor(price_text, currency)
    if price <= 0:
        raise ValueError("price must be positive")
    handling = _int(raw, "handling_days", 1)
    if not 0 <= handling <= 30:
        raise ValueError("handling_days must be within 0..30")
    return CreateOffer(
        seller_id=seller_id,
        product_id=raw["product_id"].strip(),
        site_id=raw["site_id"].strip().upper(),
        price_minor=price,
        shipping_minor=to_minor(ship_text, currency) if ship_text else 0,
        condition=Condition((raw.get("condition") or "new").strip().lower()),
        channel=Channel((raw.get("channel") or "fba").strip().lower()),
        handling_days=handling,
        quantity=_int(raw, "quantity", 0),
    )


def _check(c: Container, cmd: CreateOffer | UpdateOffer) -> str:
    """What the handler would refuse, checked without writing ('' when the row is fine)."""
    with c.uow() as uow:
        if isinstance(cmd, UpdateOffer):
            offer = uow.offers.get(cmd.offer_id)
            if offer is None or offer.seller_id != cmd.seller_id:
                return f"no offer {cmd.offer_id} for this seller"
            if cmd.quantity is not None and offer.channel.value == "fba":
                return "FBA stock arrives through inbound shipments; quantity is FBM-only"
            return ""
        seller = uow.sellers.get(cmd.seller_id)
        if seller is None or not seller.can_sell:
            return "this seller may not list offers (KYC not verified)"
        if uow.sites.get(cmd.site_id) is None:
            return f"no site {cmd.site_id}"
        if uow.products.get(cmd.product_id) is None:
            return f"no product {cmd.product_id}: offers attach to existing products"
        existing = uow.offers.exists(cmd.seller_id, cmd.product_id, cmd.site_id, cmd.condition)
        if existing:
            return f"you already have offer {existing} for this product, site and condition"
        if cmd.channel == Channel.FBA and cmd.quantity:
            return "FBA stock arrives through inbound shipments; quantity is FBM-only"
    return ""


def _currency(c: Container, site_id: str) -> str:
    sites = {str(s["site_id"]): str(s["currency"]) for s in c.views.sites()}
    return sites.get(site_id.strip().upper(), "USD")


def validate(c: Container, seller_id: str, text: str) -> tuple[list[Any], UploadReport]:
    """Parse and check every row; returns the commands and a report (no writes)."""
    report = UploadReport()
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not (
        set(REQUIRED) <= set(reader.fieldnames) or "offer_id" in reader.fieldnames
    ):
        report.error = "the header row must name product_id, site_id and price (or offer_id)"
        return [], report
    commands: list[Any] = []
    seen: set[tuple[str, ...]] = set()
    for n, raw in enumerate(reader, start=2):
        if n - 1 > MAX_ROWS:
            report.error = f"at most {MAX_ROWS} rows per file"
            return [], report
        try:
            site = raw.get("site_id") or ""
            if raw.get("offer_id"):
                with c.uow() as uow:
                    offer = uow.offers.get(raw["offer_id"].strip())
                site = offer.site_id if offer else site
            cmd = parse_row(raw, seller_id, _currency(c, site))
            reason = _check(c, cmd)
        except (ValueError, KeyError) as exc:
            reason = str(exc)
            cmd = None
        key = (
            (cmd.offer_id,)
            if isinstance(cmd, UpdateOffer)
            else (cmd.product_id, cmd.site_id, cmd.condition.value)
            if cmd
            else ()
        )
        if not reason and key in seen:
            reason = "repeats an earlier row of this file"
        seen.add(key)
        action = "update" if isinstance(cmd, UpdateOffer) else "create"
        report.rows.append(RowReport(n, not reason, action, reason))
        commands.append(cmd)
    if not report.rows:
        report.error = "the file has no rows"
    return commands, report


def apply(c: Container, seller_id: str, text: str) -> UploadReport:
    """Validate the file; apply every row only when no row was rejected."""
    commands, report = validate(c, seller_id, text)
    if report.error or report.rejected:
        return report
    for row, cmd in zip(report.rows, commands, strict=True):
        try:
            result = c.bus.handle(cmd)
        except TradewindError as exc:
            row.ok, row.reason = False, f"{exc.code}: {exc.detail}"
            report.error = f"stopped at line {row.line}; {report.applied} row(s) were applied"
            return report
        row.offer_id = result if isinstance(result, str) else cmd.offer_id
        report.applied += 1
    return report
