import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradewind.fulfillment.model import FulfillmentCenter, InventoryPosition
from tradewind.fulfillment.sourcing import LineDemand, nearest_fc_with_stock
from tradewind.shared.errors import TradewindError

CENTERS = {
    "NEAR": FulfillmentCenter("NEAR", "n", "n", "US", 40.7, -74.0, 1),
    "MID": FulfillmentCenter("MID", "m", "m", "US", 41.9, -87.6, 1),
    "FAR": FulfillmentCenter("FAR", "f", "f", "US", 34.0, -118.2, 1),
}
NYC = (40.71, -74.0)


def test_nearest_fc_with_enough_stock_ships_the_line():
    """The nearest FC holding the SKU is chosen."""
    pos = [InventoryPosition("FAR", "A", 9), InventoryPosition("MID", "A", 9)]
    alloc = nearest_fc_with_stock([LineDemand(1, "A", 2)], pos, CENTERS, NYC)
    assert [(a.fc_id, a.quantity) for a in alloc] == [("MID", 2)]


def test_spills_to_the_next_nearest_fc():
    """A line larger than the nearest FC's stock is split."""
    pos = [InventoryPosition("NEAR", "A", 1), InventoryPosition("FAR", "A", 9)]
    alloc = nearest_fc_with_stock([LineDemand(1, "A", 3)], pos, CENTERS, NYC)
    assert [(a.fc_id, a.quantity) for a in alloc] == [("NEAR", 1), ("FAR", 2)]


def test_reserved_units_are_not_available():
    """Reserved units are promised to others."""
    pos = [InventoryPosition("NEAR", "A", 5, reserved=5), InventoryPosition("FAR", "A", 1)]
    alloc = nearest_fc_with_stock([LineDemand(1, "A", 1)], pos, CENTERS, NYC)
    assert alloc[0].fc_id == "FAR"


def test_short_stock_raises_with_the_shortfall():
    """Never a partial allocation: the caller gets the shortfall instead."""
    with pytest.raises(TradewindError) as info:
        nearest_fc_with_stock(
            [LineDemand(1, "A", 4)], [InventoryPosition("NEAR", "A", 3)], CENTERS, NYC
        )
    assert info.value.code == "insufficient_stock" and info.value.errors[0]["short"] == 1


@given(
    st.lists(
        st.tuples(st.sampled_from(list(CENTERS)), st.integers(0, 5), st.integers(0, 5)),
        unique_by=lambda x: x[0],
    ),
    st.integers(1, 12),
)
def test_never_allocates_more_than_available(levels, want):
    """Allocations cover the demand exactly and never exceed any FC's available units."""
    pos = [InventoryPosition(fc, "A", on + res, reserved=res) for fc, on, res in levels]
    avail = {p.fc_id: p.available for p in pos}
    try:
        alloc = nearest_fc_with_stock([LineDemand(1, "A", want)], pos, CENTERS, NYC)
    except TradewindError:
        assert sum(avail.values()) < want
        return
    assert sum(a.quantity for a in alloc) == want
    for a in alloc:
        assert 0 < a.quantity <= avail[a.fc_id]
