import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradewind.shared.errors import TradewindError
from tradewind.shared.money import Money


def test_adds_and_subtracts_in_one_currency():
    """Amounts in the same currency add and subtract exactly."""
    assert Money(199, "USD") + Money(1, "USD") == Money(200, "USD")
    assert Money(5, "EUR") - Money(7, "EUR") == Money(-2, "EUR")


def test_refuses_to_mix_currencies():
    """Adding USD to EUR is an error with a stable code, not a silent conversion."""
    with pytest.raises(TradewindError) as info:
        Money(1, "USD") + Money(1, "EUR")
    assert info.value.code == "currency_mismatch"


def test_refuses_floats_and_bad_codes():
    """Money is integer minor units with an ISO code."""
    with pytest.raises(TypeError):
        Money(1.5, "USD")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Money(1, "usd")
    with pytest.raises(TypeError):
        Money(1, "USD") * 1.5  # type: ignore[operator]


def test_basis_points_round_half_away_from_zero():
    """15 % of 9.99 is 1.4985 -> 1.50; the negative mirrors it."""
    assert Money(999, "USD").basis_points(1500) == Money(150, "USD")
    assert Money(-999, "USD").basis_points(1500) == Money(-150, "USD")


@given(
    st.integers(-(10**9), 10**9),
    st.lists(st.integers(0, 1000), min_size=1, max_size=8).filter(lambda w: sum(w) > 0),
)
def test_allocate_never_creates_or_loses_money(amount, weights):
    """Splitting an amount by weights sums back to the amount exactly."""
    parts = Money(amount, "JPY").allocate(weights)
    assert sum(p.amount for p in parts) == amount
    assert len(parts) == len(weights)
