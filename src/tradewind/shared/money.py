"""Money as integer minor units plus an ISO 4217 currency code; never floats."""

from __future__ import annotations

from dataclasses import dataclass

from tradewind.shared.errors import CommonError, TradewindError


class CurrencyMismatch(TradewindError):
    """Two amounts in different currencies were combined."""

    code = CommonError.CURRENCY_MISMATCH
    status = 422


@dataclass(frozen=True, slots=True, order=False)
class Money:
    """An amount in the currency's minor unit (cents, yen, paise ...).

    ``Money(1999, "USD")`` is 19.99 USD; ``Money(500, "JPY")`` is 500 yen, because the
    yen has no minor unit. The exponent of each currency is adapter knowledge (babel);
    the domain never needs it to add, compare or split amounts.
    """

    amount: int
    currency: str

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise TypeError(f"Money amount must be an int of minor units, got {self.amount!r}")
        if len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper():
            raise ValueError(f"currency must be an ISO 4217 code like 'USD', got {self.currency!r}")

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    def _same(self, other: Money) -> None:
        if self.currency != other.currency:
            raise CurrencyMismatch(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: int) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, int):
            raise TypeError("Money can only be multiplied by an int; use .basis_points() for rates")
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.amount >= other.amount

    def basis_points(self, bps: int) -> Money:
        """Return ``self * bps / 10_000`` rounded half away from zero (1 bp = 0.01 %)."""
        numerator = abs(self.amount) * bps
        rounded = (numerator + 5_000) // 10_000
        return Money(rounded if self.amount >= 0 else -rounded, self.currency)

    def allocate(self, weights: list[int]) -> list[Money]:
        """Split into parts proportional to ``weights`` so the parts sum exactly to self."""
        if not weights or any(w < 0 for w in weights) or sum(weights) == 0:
            raise ValueError("weights must be non-negative and not all zero")
        total = sum(weights)
        parts = [self.amount * w // total for w in weights]
        remainder = self.amount - sum(parts)
        # Hand out the leftover minor units to the largest weights first, deterministically.
        order = sorted(range(len(weights)), key=lambda i: (-weights[i], i))
        for i in order[:remainder]:
            parts[i] += 1
        return [Money(p, self.currency) for p in parts]

    def is_negative(self) -> bool:
        return self.amount < 0

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} (minor units)"


def total(amounts: list[Money], currency: str) -> Money:
    """Sum a list of amounts in one currency (an empty list sums to zero)."""
    result = Money.zero(currency)
    for m in amounts:
        result = result + m
    return result
