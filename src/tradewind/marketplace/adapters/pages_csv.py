"""CSV bulk upload of offers: check the file, validate every row, then apply all rows or none.

Columns (header row required): ``product_id, site_id, price, shipping, condition, channel,
handling_days, quantity`` to create offers, plus an optional ``offer_id``: a row with an
``offer_id`` updates that offer's price, shipping and stock instead.

Order of work, cheapest refusal first:

1. **The file** (no database): UTF-8 text without NUL, at most ``MAX_ROWS`` data rows, a header
   naming each known column at most once and no unknown column. A file that fails here is
   refused before any row is looked at.
2. **Every row** against the typed ``OfferRow`` model (finite, bounded prices and quantities,
   known condition and channel), then the site currency, then no row repeating another.
3. **All rows in one transaction**: the same handlers as the API run for each row that passed,
   so the database checks (the product exists, the offer is the seller's, no duplicate offer,
   FBA rows carry no stock) are the handlers' own. If any row was rejected at any step, the
   transaction is rolled back: nothing is applied, and the report lists every rejected row with
   its reason. Otherwise it commits once and the events go to the bus.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator
from sqlalchemy.exc import DBAPIError

from tradewind.bootstrap import Container
from tradewind.marketplace.commands import CreateOffer, UpdateOffer
from tradewind.marketplace.model import Channel, Condition
from tradewind.platform.db.uow import SqlUnitOfWork
from tradewind.platform.web.guards import clean_text
from tradewind.platform.web.pages_common import to_minor
from tradewind.platform.web.schemas import MAX_STOCK
from tradewind.shared.errors import TradewindError

MAX_ROWS = 5_000
MAX_BYTES = 2_000_000
REQUIRED = ("product_id", "site_id", "price")
COLUMNS = ("offer_id", *REQUIRED, "shipping", "condition", "channel", "handling_days", "quantity")
_PRICE = re.compile(r"\d{1,15}(?:[.,]\d{1,6})?")


def _price_text(text: str) -> str:
    if not _PRICE.fullmatch(text):
        raise ValueError("not a price: digits with an optional decimal part, e.g. 12.50")
    return text


Text = Annotated[str, Field(max_length=40), AfterValidator(clean_text)]
PriceText = Annotated[str, AfterValidator(_price_text)]


class OfferRow(BaseModel):
    """One data row, typed; empty cells take the default."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    offer_id: Text = ""
    product_id: Text = ""
    site_id: Annotated[str, Field(max_length=8), AfterValidator(clean_text)] = ""
    price: PriceText | None = None
    shipping: PriceText | None = None
    condition: Condition = Condition.NEW
    channel: Channel = Channel.FBA
    handling_days: int = Field(default=1, ge=0, le=30)
    quantity: int | None = Field(default=None, ge=0, le=MAX_STOCK)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_default(cls, raw: Any) -> Any:
        if isinstance(raw, dict):
            return {k: v.lower() if k in ("condition", "channel") else v
                    for k, v in raw.items() if isinstance(v, str) and v.strip()}  # fmt: skip
        return raw

    @model_validator(mode="after")
    def _creates_need_their_columns(self) -> OfferRow:
        if not self.offer_id:
            missing = [k for k in REQUIRED if not getattr(self, k)]
            if missing:
                raise ValueError(f"{', '.join(missing)} required to create an offer")
        return self


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


def read_rows(text: str) -> tuple[list[tuple[int, dict[str, str]]], str]:
    """(line number, cells by column) of every data row, or a reason to refuse the whole file;
    no database work, so a file too large is refused for the cost of reading it."""
    if "\x00" in text:
        return [], "the file contains NUL bytes; upload CSV text"
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        doubled = sorted({h for h in header if header.count(h) > 1})
        if doubled:
            return [], f"the header names column(s) {', '.join(doubled)} more than once"
        unknown = [h for h in header if h not in COLUMNS]
        if unknown:
            return [], f"unknown column(s) {', '.join(unknown)}; known: {', '.join(COLUMNS)}"
        if not (set(REQUIRED) <= set(header) or "offer_id" in header):
            return [], "the header row must name product_id, site_id and price (or offer_id)"
        rows: list[tuple[int, dict[str, str]]] = []
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if len(rows) == MAX_ROWS:
                return [], f"at most {MAX_ROWS} rows per file"
            line = reader.line_num
            if len(cells) > len(header):
                return [], f"line {line} has more cells than the header has columns"
            rows.append((line, dict(zip(header, cells, strict=False))))
    except csv.Error as exc:
        return [], f"not a valid CSV file (line {reader.line_num}): {exc}"
    return rows, ""


def _reason(exc: ValidationError) -> str:
    parts = []
    for e in exc.errors():
        where = ".".join(str(p) for p in e.get("loc", ()))
        msg = str(e.get("msg", "")).removeprefix("Value error, ")
        parts.append(f"{where}: {msg}" if where else msg)
    return "; ".join(parts)


def _command(
    uow: SqlUnitOfWork, row: OfferRow, seller_id: str, currencies: dict[str, str]
) -> CreateOffer | UpdateOffer:
    """The row as a command, prices in the site currency (``ValueError`` when they do not fit
    it); an update reads its offer's currency in the file's transaction."""
    if row.offer_id:
        offer = uow.offers.get(row.offer_id)
        if offer is None or offer.seller_id != seller_id:
            raise ValueError(f"no offer {row.offer_id} for this seller")
        cur = offer.price.currency
        return UpdateOffer(
            seller_id=seller_id, offer_id=row.offer_id,
            price_minor=to_minor(row.price, cur) if row.price else None,
            shipping_minor=to_minor(row.shipping, cur) if row.shipping else None,
            quantity=row.quantity,
        )  # fmt: skip
    site_id = row.site_id.upper()
    cur = currencies.get(site_id, "")
    if not cur:
        raise ValueError(f"no site {row.site_id}")
    price = to_minor(row.price or "", cur)
    if price <= 0:
        raise ValueError("price must be positive")
    return CreateOffer(
        seller_id=seller_id, product_id=row.product_id, site_id=site_id, price_minor=price,
        shipping_minor=to_minor(row.shipping, cur) if row.shipping else 0,
        condition=row.condition, channel=row.channel, handling_days=row.handling_days,
        quantity=row.quantity or 0,
    )  # fmt: skip


class _OneTransaction(SqlUnitOfWork):
    """The unit of work every row's handler shares: a handler's ``with uow:`` joins the file's
    transaction and its ``commit()`` waits for the file's, so the file commits once or not."""

    def __init__(self, engine: Any) -> None:
        super().__init__(engine)
        self._depth = 0

    def __enter__(self) -> _OneTransaction:
        if self._depth == 0:
            super().__enter__()
        self._depth += 1
        return self

    def __exit__(self, *exc: object) -> None:
        self._depth -= 1
        if self._depth == 0:
            super().__exit__(*exc)

    def commit(self) -> None:
        if self._depth <= 1:
            super().commit()


def _key(cmd: CreateOffer | UpdateOffer) -> tuple[str, ...]:
    if isinstance(cmd, UpdateOffer):
        return (cmd.offer_id,)
    return (cmd.product_id, cmd.site_id, cmd.condition.value)


@dataclass(frozen=True)
class _Upload:
    seller_id: str
    currencies: dict[str, str]  # site_id -> currency
    rows: list[tuple[int, OfferRow | str]]  # a typed row, or why it is not one


def _run_rows(c: Container, uow: _OneTransaction, upload: _Upload) -> UploadReport:
    """Run every row's handler inside ``uow`` (open); the report says which rows failed."""
    report = UploadReport()
    seen: set[tuple[str, ...]] = set()
    for line, row in upload.rows:
        if isinstance(row, str):
            report.rows.append(RowReport(line, False, "", row))
            continue
        entry = RowReport(line, True, "update" if row.offer_id else "create")
        report.rows.append(entry)
        try:
            cmd = _command(uow, row, upload.seller_id, upload.currencies)
            if _key(cmd) in seen:
                raise ValueError("repeats an earlier row of this file")
            seen.add(_key(cmd))
            result = c.bus.handlers[type(cmd)](cmd, uow)
        except ValueError as exc:
            entry.ok, entry.reason = False, str(exc)
            continue
        except TradewindError as exc:
            entry.ok, entry.reason = False, f"{exc.code}: {exc.detail}"
            continue
        except DBAPIError:  # the transaction is unusable: report and stop here
            entry.ok, entry.reason = False, "the database refused this row"
            report.error = f"stopped at line {line}"
            break
        entry.offer_id = result if isinstance(result, str) else getattr(cmd, "offer_id", "")
    return report


def apply(c: Container, seller_id: str, text: str) -> UploadReport:
    """Check the file, validate every row, apply every row only when none was rejected."""
    found, error = read_rows(text)
    if error:
        return UploadReport(error=error)
    if not found:
        return UploadReport(error="the file has no rows")
    rows: list[tuple[int, OfferRow | str]] = []
    for line, raw in found:
        try:
            rows.append((line, OfferRow.model_validate(raw)))
        except ValidationError as exc:
            rows.append((line, _reason(exc)))
    currencies = {str(s["site_id"]): str(s["currency"]) for s in c.views.sites()}
    uow = _OneTransaction(c.engine)
    with uow:
        report = _run_rows(c, uow, _Upload(seller_id, currencies, rows))
        if report.error or report.rejected:
            uow.rollback()
            return report
        uow.commit()
    report.applied = len(report.rows)
    c.bus.publish(uow.collect_new_events())
    return report
