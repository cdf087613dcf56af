"""CN23 / H7 declaration builder."""

from __future__ import annotations

import pytest

from tradewind.customs.declarations import (
    DeclarationInput,
    DeclarationItem,
    DeclarationKind,
    Party,
    build_declaration,
)
from tradewind.customs.errors import CustomsError, InvalidDeclaration
from tradewind.shared.money import Money

SENDER = Party("Shenzhen Good Shoes Co", "1 Factory Rd, Shenzhen", "CN")
BUYER = Party("Anna Schmidt", "Hauptstr. 1, 10115 Berlin", "DE")


def _item(**kw: object) -> DeclarationItem:
    base: dict[str, object] = {
        "description": "Running shoes, textile upper",
        "hs_code": "6404.11",
        "quantity": 1,
        "net_weight_g": 700,
        "value": Money(4500, "EUR"),
        "origin_country": "CN",
    }
    base.update(kw)
    return DeclarationItem(**base)  # type: ignore[arg-type]


def _input(*items: DeclarationItem, **kw: object) -> DeclarationInput:
    base: dict[str, object] = {
        "reference": "TW-PARCEL-1",
        "sender": SENDER,
        "receiver": BUYER,
        "items": items or (_item(),),
        "shipping": Money(500, "EUR"),
        "gross_weight_g": 900,
        "ioss_number": "IM2760000001",
    }
    base.update(kw)
    return DeclarationInput(**base)  # type: ignore[arg-type]


def test_eu_low_value_parcel_is_h7_with_ioss() -> None:
    """A EUR 45 parcel to DE builds an H7 record with the IOSS number and 6+ digit HS."""
    decl = build_declaration(_input())
    rec = decl.to_record()
    assert decl.kind == DeclarationKind.H7
    assert rec["ioss_number"] == "IM2760000001"
    assert rec["items"][0]["hs_code"] == "640411"
    assert rec["total_value"] == "45.00" and rec["currency"] == "EUR"


def test_eu_above_150_needs_a_full_declaration() -> None:
    """Above EUR 150 intrinsic value the H7 dataset is not allowed."""
    decl = build_declaration(_input(_item(value=Money(20_000, "EUR")), gross_weight_g=900))
    assert decl.kind == DeclarationKind.FULL


def test_postal_parcel_outside_eu_is_cn23() -> None:
    """A postal parcel to the US uses the UPU CN23 dataset."""
    us_buyer = Party("John Doe", "1 Main St, Springfield", "US")
    data = _input(
        _item(value=Money(4500, "USD")),
        receiver=us_buyer,
        shipping=Money(500, "USD"),
        postal=True,
        ioss_number="",
    )
    assert build_declaration(data).kind == DeclarationKind.CN23


def test_invalid_data_lists_every_problem() -> None:
    """Vague text, bad HS, bad origin, light gross weight and a bad IOSS number are reported."""
    data = _input(
        _item(description="gift", hs_code="123", origin_country="QQ", net_weight_g=2000),
        ioss_number="IM12",
    )
    with pytest.raises(InvalidDeclaration) as info:
        build_declaration(data)
    fields = {e["field"] for e in info.value.errors}
    assert info.value.code == CustomsError.INVALID_DECLARATION
    assert {
        "items[0].description",
        "items[0].hs_code",
        "items[0].origin_country",
        "gross_weight_g",
        "ioss_number",
    } <= fields
