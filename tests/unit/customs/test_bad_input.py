"""Bad input gets a coded error and no quote."""

from __future__ import annotations

from datetime import date

import pytest

from tradewind.customs.errors import CustomsError
from tradewind.customs.landed_cost import quote_landed_cost
from tradewind.customs.model import QuoteLine, QuoteRequest
from tradewind.shared.errors import TradewindError
from tradewind.shared.money import Money

from .helpers import quote


def _req(**kw: object) -> QuoteRequest:
    base: dict[str, object] = {
        "origin": "CN",
        "destination": "DE",
        "lines": (QuoteLine("640411", Money(4500, "EUR")),),
        "shipping": Money(500, "EUR"),
        "on": date(2026, 11, 26),
    }
    base.update(kw)
    return QuoteRequest(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"lines": (QuoteLine("999999", Money(4500, "EUR")),)}, CustomsError.UNKNOWN_HS_CODE),
        ({"lines": (QuoteLine("6404", Money(4500, "EUR")),)}, CustomsError.UNKNOWN_HS_CODE),
        ({"lines": (QuoteLine("64041A", Money(4500, "EUR")),)}, CustomsError.UNKNOWN_HS_CODE),
        ({"origin": "ZZ"}, CustomsError.UNKNOWN_COUNTRY),
        ({"destination": "XX"}, CustomsError.UNKNOWN_COUNTRY),
        ({"destination": "CN"}, CustomsError.UNSUPPORTED_DESTINATION),
        ({"lines": (QuoteLine("640411", Money(-1, "EUR")),)}, CustomsError.NEGATIVE_VALUE),
        ({"shipping": Money(-500, "EUR")}, CustomsError.NEGATIVE_VALUE),
        ({"lines": ()}, CustomsError.EMPTY_CONSIGNMENT),
        ({"lines": (QuoteLine("640411", Money(1, "EUR"), 0),)}, CustomsError.INVALID_AMOUNT),
        ({"lines": (QuoteLine("640411", Money(1, "XAU")),)}, CustomsError.UNKNOWN_CURRENCY),
        (
            {"on": date(2024, 12, 31), "lines": (QuoteLine("640411", Money(4500, "USD")),)},
            CustomsError.FX_RATE_MISSING,
        ),
    ],
)
def test_bad_request_raises_coded_error(kwargs: dict[str, object], code: CustomsError) -> None:
    """Each kind of bad input maps to its stable error code and HTTP 422."""
    with pytest.raises(TradewindError) as info:
        quote_landed_cost(_req(**kwargs))
    assert info.value.code == code
    assert info.value.status == 422


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("-45.00", CustomsError.NEGATIVE_VALUE),
        ("45.001", CustomsError.INVALID_AMOUNT),
        ("abc", CustomsError.INVALID_AMOUNT),
        ("NaN", CustomsError.INVALID_AMOUNT),
        ("Infinity", CustomsError.INVALID_AMOUNT),
    ],
)
def test_bad_amount_strings(text: str, code: CustomsError) -> None:
    """Amount strings are parsed exactly; extra decimals or non-numbers are rejected."""
    with pytest.raises(TradewindError) as info:
        quote("CN", "DE", [("640411", text)], "EUR")
    assert info.value.code == code


def test_yen_has_no_decimals() -> None:
    """JPY amounts with decimals are refused rather than rounded."""
    with pytest.raises(TradewindError) as info:
        quote("CN", "JP", [("640411", "100.5")], "JPY")
    assert info.value.code == CustomsError.INVALID_AMOUNT
