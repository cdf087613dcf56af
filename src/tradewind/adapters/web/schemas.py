"""Request bodies of the API (responses are the views' plain dicts)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from tradewind.marketplace.model import Channel, Condition


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CartLineIn(Strict):
    quantity: int = Field(ge=1, le=99)


class CheckoutLineIn(Strict):
    offer_id: str = Field(min_length=1, max_length=40)
    quantity: int = Field(ge=1, le=99)


class CheckoutIn(Strict):
    """Checkout the given lines, or the customer's cart when ``lines`` is omitted."""

    lines: list[CheckoutLineIn] | None = None
    payment_method: str = "card_ok"


class CancelIn(Strict):
    reason: str = Field(default="customer request", max_length=200)


class OfferCreate(Strict):
    product_id: str = Field(min_length=1, max_length=40)
    site_id: str = Field(min_length=2, max_length=8)
    price_minor: int = Field(gt=0, description="price in the site currency's minor units")
    shipping_minor: int = Field(default=0, ge=0)
    condition: Condition = Condition.NEW
    channel: Channel = Channel.FBA
    handling_days: int = Field(default=1, ge=0, le=30)
    quantity: int = Field(default=0, ge=0, description="FBM stock; FBA stock arrives inbound")


class OfferUpdate(Strict):
    price_minor: int | None = Field(default=None, gt=0)
    shipping_minor: int | None = Field(default=None, ge=0)
    quantity: int | None = Field(default=None, ge=0)
    active: bool | None = None
    expected_version: int | None = Field(default=None, ge=1)


class ProductCreate(Strict):
    gtin: str = Field(min_length=8, max_length=14)
    title: str = Field(min_length=1, max_length=400)
    category: str = Field(min_length=1, max_length=64)
    brand_id: str = Field(min_length=1, max_length=40)
    weight_g: int = Field(gt=0)
    longest_side_mm: int = Field(gt=0)
    hs_code: str = Field(default="", max_length=12)
