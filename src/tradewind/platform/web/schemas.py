"""Request bodies of the API (responses are the views' plain dicts), and the bounds every
number a client sends must respect.

Bounds are chosen so that what is stored fits its column on both databases (``INTEGER`` is
int4 on PostgreSQL) and so that sums cannot leave int64: an order total is at most
``MAX_CHECKOUT_LINES`` x 99 units x (``MAX_PRICE_MINOR`` + ``MAX_PRICE_MINOR``) < 2**63."""

from __future__ import annotations

from typing import Annotated, Literal

import pycountry
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from tradewind.marketplace.model import Channel, Condition

INT4_MAX = 2**31 - 1
MAX_OFFSET = 1_000_000  # deepest page offset a list accepts
MAX_PRICE_MINOR = 100_000_000_000  # 1e11 minor units: a billion dollars, 100 billion yen
MAX_STOCK = 1_000_000  # FBM units on one offer (stored as int4)
MAX_CHECKOUT_LINES = 100
# ISO 4217 codes that are not money one can be fined or paid in (metals, funds, test codes).
_NOT_TENDER = frozenset(
    {"XAG", "XAU", "XPD", "XPT", "XBA", "XBB", "XBC", "XBD", "XDR", "XSU", "XTS", "XUA", "XXX"}
)


def iso_currency(code: str) -> str:
    """An upper-cased ISO 4217 currency code (pycountry), or ``ValueError``."""
    upper = code.strip().upper()
    if upper in _NOT_TENDER or pycountry.currencies.get(alpha_3=upper) is None:
        raise ValueError(f"{code!r} is not an ISO 4217 currency code")
    return upper


Currency = Annotated[str, Field(min_length=3, max_length=3), AfterValidator(iso_currency)]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CartLineIn(Strict):
    quantity: int = Field(ge=1, le=99)


class CheckoutLineIn(Strict):
    offer_id: str = Field(min_length=1, max_length=40)
    quantity: int = Field(ge=1, le=99)


class CheckoutIn(Strict):
    """Checkout the given lines, or the customer's cart when ``lines`` is omitted."""

    lines: list[CheckoutLineIn] | None = Field(default=None, max_length=MAX_CHECKOUT_LINES)
    # A closed set (orders.model.PAYMENT_METHODS): a PSP's test behaviours (decline, time-out)
    # are never reachable from a request, and nothing of any length is echoed back.
    payment_method: Literal["card"] = "card"


class CancelIn(Strict):
    reason: str = Field(default="customer request", max_length=200)


class OfferCreate(Strict):
    product_id: str = Field(min_length=1, max_length=40)
    site_id: str = Field(min_length=2, max_length=8)
    price_minor: int = Field(
        gt=0, le=MAX_PRICE_MINOR, description="price in the site currency's minor units"
    )
    shipping_minor: int = Field(default=0, ge=0, le=MAX_PRICE_MINOR)
    condition: Condition = Condition.NEW
    channel: Channel = Channel.FBA
    handling_days: int = Field(default=1, ge=0, le=30)
    quantity: int = Field(
        default=0, ge=0, le=MAX_STOCK, description="FBM stock; FBA stock arrives inbound"
    )


class OfferUpdate(Strict):
    price_minor: int | None = Field(default=None, gt=0, le=MAX_PRICE_MINOR)
    shipping_minor: int | None = Field(default=None, ge=0, le=MAX_PRICE_MINOR)
    quantity: int | None = Field(default=None, ge=0, le=MAX_STOCK)
    active: bool | None = None
    expected_version: int | None = Field(default=None, ge=1, le=INT4_MAX)


class ProductCreate(Strict):
    gtin: str = Field(min_length=8, max_length=14)
    title: str = Field(min_length=1, max_length=400)
    category: str = Field(min_length=1, max_length=64)
    brand_id: str = Field(min_length=1, max_length=40)
    weight_g: int = Field(gt=0, le=INT4_MAX)
    longest_side_mm: int = Field(gt=0, le=INT4_MAX)
    hs_code: str = Field(default="", max_length=12)
