"""A fixed, documented exchange-rate table so reports in USD are reproducible.

Rates are currency units per 1 USD, fixed as of RATES_AS_OF. They are illustrative
round figures near early-2026 market levels, not market data: every KPI that mixes
currencies says it used this table. Change the table (a data change) to re-base reports.
"""

from __future__ import annotations

from fractions import Fraction

RATES_AS_OF = "2026-01-02"

UNITS_PER_USD: dict[str, Fraction] = {
    "USD": Fraction(1),
    "CAD": Fraction("1.38"),
    "MXN": Fraction("18.0"),
    "BRL": Fraction("5.40"),
    "GBP": Fraction("0.75"),
    "EUR": Fraction("0.86"),
    "JPY": Fraction("155"),
    "INR": Fraction("88.0"),
    "AUD": Fraction("1.52"),
    "AED": Fraction("3.6725"),
    "CNY": Fraction("7.10"),
    "TRY": Fraction("42.0"),
}


def convert_minor(
    amount_minor: int, src: str, src_exponent: int, dst: str, dst_exponent: int
) -> int:
    """Convert minor units between currencies at the fixed table, rounding half to even."""
    try:
        rate = UNITS_PER_USD[dst] / UNITS_PER_USD[src]
    except KeyError as exc:
        raise KeyError(f"no fixed rate for {exc.args[0]}; add it to UNITS_PER_USD") from exc
    value = Fraction(amount_minor, 10**src_exponent) * rate * 10**dst_exponent
    rounded: int = round(value)
    return rounded
