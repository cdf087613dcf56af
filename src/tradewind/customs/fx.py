"""Exact decimal parsing of amounts and currency conversion at a dated rate table.

The platform's one source of exchange rates and one conversion function: customs quotes and
declarations convert with :meth:`FxBook.convert`, and so do the economics reports in USD
(``economics/rates.py`` pins the date whose table they use). Rates come from the vendored
``data/fx_rates.json`` (see its ``note``: the figures are illustrative, dated, and meant to
be replaced by the customs authority's official rates). All arithmetic is
:class:`decimal.Decimal` (34 significant digits); the one rounding rule is ``ROUNDING``:
the converted amount is rounded half up (away from zero on an exact half) to an integer
number of the target currency's minor units, once, at the end.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import lru_cache
from importlib import resources

from tradewind.customs.errors import (
    FxRateMissing,
    InvalidAmount,
    NegativeValue,
    RuleDataInvalid,
    UnknownCurrency,
)
from tradewind.shared.money import Money

ROUNDING = ROUND_HALF_UP  # the one rounding rule of every currency conversion


@dataclass(frozen=True, slots=True)
class FxTable:
    """One dated set of mid rates quoted as ``1 base = rate currency``."""

    as_of: date
    base: str
    rates: dict[str, Decimal]
    source: str


@dataclass(frozen=True, slots=True)
class FxBook:
    """All vendored tables plus the minor-unit exponent of every known currency."""

    exponents: dict[str, int]
    tables: tuple[FxTable, ...]

    def exponent(self, currency: str) -> int:
        try:
            return self.exponents[currency]
        except KeyError:
            raise UnknownCurrency(f"unknown or unsupported currency {currency!r}") from None

    def table_for(self, on: date) -> FxTable:
        """The latest table dated on or before ``on``."""
        usable = [t for t in self.tables if t.as_of <= on]
        if not usable:
            raise FxRateMissing(f"no exchange-rate table dated on or before {on.isoformat()}")
        return max(usable, key=lambda t: t.as_of)

    def to_decimal(self, money: Money) -> Decimal:
        """Major units as an exact Decimal (``Money(4500, 'EUR')`` -> ``Decimal('45.00')``)."""
        return Decimal(money.amount).scaleb(-self.exponent(money.currency))

    def from_decimal(self, value: Decimal, currency: str) -> Money:
        """Round major units to the currency's minor unit by ``ROUNDING`` (half up)."""
        minor = value.scaleb(self.exponent(currency)).quantize(Decimal(1), ROUNDING)
        return Money(int(minor), currency)

    def parse(self, text: str, currency: str) -> Money:
        """Parse ``"45.00"`` exactly; more decimals than the currency has is an error."""
        exp = self.exponent(currency)
        try:
            value = Decimal(text.strip())
        except InvalidOperation:
            raise InvalidAmount(f"not a decimal amount: {text!r}") from None
        if not value.is_finite():
            raise InvalidAmount(f"not a finite amount: {text!r}")
        if value < 0:
            raise NegativeValue(f"amount must not be negative, got {text!r}")
        minor = value.scaleb(exp)
        if minor != minor.to_integral_value():
            raise InvalidAmount(f"{text!r} has more than {exp} decimals for {currency}")
        return Money(int(minor), currency)

    def format(self, money: Money) -> str:
        """Major units as a plain string with the currency's decimals (``"45.00"``)."""
        exp = self.exponent(money.currency)
        return str(Decimal(money.amount).scaleb(-exp).quantize(Decimal(1).scaleb(-exp)))

    def convert(self, money: Money, to: str, on: date) -> Money:
        """Convert at the table in force on ``on`` (the latest dated on or before it), rounded
        once by ``ROUNDING``; same currency is returned unchanged.

        Examples (2026-11-02 table, 1 EUR = 1.16 USD = 176 JPY): 100.00 USD is 15,172 JPY
        (15,172.41...); 22 JPY is 0.13 EUR (0.125, a half, rounds up)."""
        if money.currency == to:
            return money
        table = self.table_for(on)
        src = self._rate(table, money.currency)
        dst = self._rate(table, to)
        with localcontext() as ctx:
            ctx.prec = 34
            value = self.to_decimal(money) / src * dst
            return self.from_decimal(value, to)

    def rate(self, src: str, dst: str, on: date) -> Decimal:
        """The cross rate ``1 src = x dst`` used by :meth:`convert`."""
        table = self.table_for(on)
        with localcontext() as ctx:
            ctx.prec = 34
            return self._rate(table, dst) / self._rate(table, src)

    def _rate(self, table: FxTable, currency: str) -> Decimal:
        self.exponent(currency)
        if currency == table.base:
            return Decimal(1)
        try:
            return table.rates[currency]
        except KeyError:
            raise FxRateMissing(
                f"no {table.base}/{currency} rate in the table of {table.as_of.isoformat()}"
            ) from None


@lru_cache(maxsize=1)
def default_fx_book() -> FxBook:
    """The vendored rate book, parsed once."""
    raw = resources.files("tradewind.customs.data").joinpath("fx_rates.json").read_text("utf-8")
    try:
        doc = json.loads(raw)
        exponents = {str(k): int(v) for k, v in doc["exponents"].items()}
        tables = tuple(
            FxTable(
                as_of=date.fromisoformat(t["as_of"]),
                base=str(t["base"]),
                rates={str(k): Decimal(str(v)) for k, v in t["rates"].items()},
                source=str(t["source"]),
            )
            for t in doc["tables"]
        )
    except (KeyError, ValueError, TypeError, InvalidOperation) as exc:
        raise RuleDataInvalid(f"fx_rates.json is malformed: {exc}") from exc
    return FxBook(exponents=exponents, tables=tables)
