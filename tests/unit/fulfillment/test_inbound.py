"""Inbound plan aggregate, receiving arithmetic and the transfer rule (pure, no I/O)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradewind.fulfillment.inbound import (
    FeeOption,
    InboundLine,
    InboundNoCapacity,
    InboundPlan,
    InboundReceived,
    InboundStatus,
    InboundWrongState,
    InvalidInboundPlan,
    Origin,
    apply_receipt,
    over_allowance,
)
from tradewind.fulfillment.inbound_rules import (
    demand_shares,
    region_km,
    targets,
    transfer_proposals,
)
from tradewind.fulfillment.model import FulfillmentCenter, InventoryPosition
from tradewind.shared.clock import utc

AT = utc(2026, 3, 2, 9)
ORIGIN = Origin("CN", "Shenzhen", 22.5, 114.1)
CENTERS = {
    "E1": FulfillmentCenter("E1", "e", "e", "US", 40.7, -74.0, 1000, "EAST"),
    "E2": FulfillmentCenter("E2", "e2", "e2", "US", 39.9, -75.2, 1000, "EAST"),
    "W1": FulfillmentCenter("W1", "w", "w", "US", 34.0, -118.2, 1000, "WEST"),
}
CHOICE = FeeOption(2, 1000.0, 250.0, ("E1", "W1"))


def _plan(units: dict[tuple[str, str], int] | None = None) -> InboundPlan:
    lines = (InboundLine("A.s", "A", 10), InboundLine("B.s", "B", 4))
    plan = InboundPlan.draft("inb_1", "s", "US", ORIGIN, lines=lines, at=AT)
    plan.place(units or {("E1", "A.s"): 6, ("W1", "A.s"): 4, ("W1", "B.s"): 4}, CHOICE, (CHOICE,))
    return plan


def test_draft_rejects_bad_lines_naming_each():
    """Zero units and a duplicate SKU are both reported, by line number."""
    lines = (InboundLine("A.s", "A", 0), InboundLine("A.s", "A", 3))
    with pytest.raises(InvalidInboundPlan) as err:
        InboundPlan.draft("inb_x", "s", "US", ORIGIN, lines=lines, at=AT)
    assert [e["field"] for e in err.value.errors] == ["lines[1].units", "lines[2].product_id"]


def test_place_needs_every_unit_placed_and_a_draft():
    """A placement that drops units is refused; placing twice is a state error."""
    lines = (InboundLine("A.s", "A", 10),)
    plan = InboundPlan.draft("inb_1", "s", "US", ORIGIN, lines=lines, at=AT)
    with pytest.raises(InboundNoCapacity):
        plan.place({("E1", "A.s"): 9}, CHOICE, (CHOICE,))
    plan.place({("E1", "A.s"): 10}, CHOICE, (CHOICE,))
    assert plan.status is InboundStatus.PLACED and plan.events[-1].seller_fee_cents == 250
    with pytest.raises(InboundWrongState):
        plan.place({("E1", "A.s"): 10}, CHOICE, (CHOICE,))


def test_receive_default_then_status_flows_to_received():
    """placed -> (ship) -> partially_received at one FC -> received at the other."""
    plan = _plan()
    first = plan.receive("E1", AT)
    assert [(r.sku, r.units, r.over) for r in first] == [("A.s", 6, 0)]
    assert plan.status is InboundStatus.PARTIALLY_RECEIVED
    second = plan.receive("W1", AT)
    assert {r.sku: r.first_unit for r in second} == {"A.s": 6, "B.s": 0}
    assert plan.status is InboundStatus.RECEIVED
    with pytest.raises(InboundWrongState):
        plan.receive("W1", AT)


def test_over_and_short_receipts_are_recorded():
    """8 of 6 expected is 2 over; 1 of 4 is 3 short and keeps the plan partially received."""
    plan = _plan()
    over = plan.receive("E1", AT, {"A.s": 8})[0]
    assert (over.over, over.short, plan.placements[0].over) == (2, 0, 2)
    short = plan.receive("W1", AT, {"B.s": 1})[0]
    assert (short.over, short.short) == (0, 3)
    assert plan.status is InboundStatus.PARTIALLY_RECEIVED
    events = [e for e in plan.events if isinstance(e, InboundReceived)]
    assert [(e.units, e.over, e.short) for e in events] == [(8, 2, 0), (1, 0, 3)]


def test_receive_rejects_unknown_fc_or_sku():
    """An FC or SKU the plan does not send there is an invalid receipt."""
    plan = _plan()
    with pytest.raises(InvalidInboundPlan):
        plan.receive("E2", AT)
    with pytest.raises(InvalidInboundPlan):
        plan.receive("E1", AT, {"B.s": 1})


@settings(max_examples=60, deadline=None)
@given(
    shipped=st.integers(1, 50),
    arrivals=st.lists(st.integers(0, 30), min_size=1, max_size=6),
    on_hand=st.integers(0, 20),
    other_inbound=st.integers(0, 20),
)
def test_receipts_never_lose_units_or_go_negative(shipped, arrivals, on_hand, other_inbound):
    """Received = min(received, shipped) + over; on_hand/inbound never negative; inbound of
    other plans for the same SKU is never eaten by an over-receipt; a count beyond the
    over-receipt allowance is refused and changes nothing."""
    lines = (InboundLine("A.s", "A", shipped),)
    plan = InboundPlan.draft("inb_p", "s", "US", ORIGIN, lines=lines, at=AT)
    plan.place({("E1", "A.s"): shipped}, CHOICE, (CHOICE,))
    pos = InventoryPosition("E1", "A.s", on_hand, 0, other_inbound + shipped)
    p = plan.placements[0]
    for qty in arrivals:
        if plan.status is InboundStatus.RECEIVED:
            break
        if p.received + qty > shipped + over_allowance(shipped):
            before = (p.received, len(plan.events), plan.status)
            with pytest.raises(InvalidInboundPlan):
                plan.receive("E1", AT, {"A.s": qty})
            assert (p.received, len(plan.events), plan.status) == before
            continue
        for r in plan.receive("E1", AT, {"A.s": qty}):
            apply_receipt(pos, r)
        assert pos.on_hand >= 0 and pos.inbound >= 0
    assert p.received <= shipped + over_allowance(shipped)
    assert p.received == min(p.received, shipped) + p.over
    assert pos.on_hand == on_hand + p.received
    assert pos.inbound == other_inbound + p.short
    events = [e for e in plan.events if isinstance(e, InboundReceived)]
    assert sum(e.over for e in events) == p.over


def test_over_receipt_is_bounded_by_the_allowance():
    """30 placed: up to 40 may arrive (10 over); 1,000,000 is refused, nothing changes."""
    lines = (InboundLine("A.s", "A", 30),)
    plan = InboundPlan.draft("inb_p", "s", "US", ORIGIN, lines=lines, at=AT)
    plan.place({("E1", "A.s"): 30}, CHOICE, (CHOICE,))
    assert over_allowance(30) == 10 and over_allowance(1_000) == 100
    with pytest.raises(InvalidInboundPlan) as err:
        plan.receive("E1", AT, {"A.s": 1_000_000})
    assert err.value.errors[0]["max_units"] == 40
    assert plan.placements[0].received == 0 and plan.status is InboundStatus.PLACED
    plan.receive("E1", AT, {"A.s": 25})  # partially received: 5 still expected
    with pytest.raises(InvalidInboundPlan):
        plan.receive("E1", AT, {"A.s": 16})  # 41 in all
    assert plan.receive("E1", AT, {"A.s": 15})[0].over == 10


def test_demand_shares_fall_back_from_sku_to_site_to_uniform():
    """Own history wins; a new SKU takes the site's mix; no history at all is uniform."""
    hist = {("EAST", "A.s"): 30.0, ("WEST", "A.s"): 10.0, ("WEST", "Z.s"): 60.0}
    shares = demand_shares(["A.s", "B.s"], ["EAST", "WEST"], hist)
    assert shares[("EAST", "A.s")] == pytest.approx(0.75)
    assert shares[("WEST", "B.s")] == pytest.approx(70 / 100)
    uniform = demand_shares(["B.s"], ["EAST", "WEST"], {})
    assert uniform == {("EAST", "B.s"): 0.5, ("WEST", "B.s"): 0.5}


def test_region_km_is_local_inside_a_region():
    """An FC is at least 50 km from its own region's centroid, far from the other region."""
    km = region_km(CENTERS)
    assert 50.0 <= km[("E1", "EAST")] < 200 and km[("E1", "WEST")] > 3000


def test_short_region_pulls_from_nearest_surplus_then_replenishes():
    """WEST needs 30 and EAST has 20 spare: transfers from the nearest EAST FCs up to the
    region's surplus (not each FC's), then a 10-unit replenishment into WEST."""
    stock = {("E1", "A.s"): 30, ("E2", "A.s"): 10, ("W1", "A.s"): 0}
    demand = {("EAST", "A.s"): 2.0, ("WEST", "A.s"): 3.0}
    want = targets(demand, stock, CENTERS, cover_days=10)
    assert want == {("EAST", "A.s"): 20, ("WEST", "A.s"): 30}
    got = transfer_proposals(want, stock, CENTERS)
    assert [(p.kind, p.from_fc, p.to_fc, p.units) for p in got] == [
        ("transfer", "E2", "W1", 10),
        ("transfer", "E1", "W1", 10),
        ("replenish", None, "W1", 10),
    ]


def test_no_history_balances_evenly():
    """Without a forecast, stock is balanced evenly over the regions."""
    stock = {("E1", "A.s"): 10}
    got = transfer_proposals(targets({}, stock, CENTERS, 14), stock, CENTERS)
    assert [(p.kind, p.from_fc, p.to_fc, p.units) for p in got] == [("transfer", "E1", "W1", 5)]


@settings(max_examples=60, deadline=None)
@given(
    stock=st.lists(st.integers(0, 40), min_size=3, max_size=3),
    rates=st.lists(st.floats(0, 5, allow_nan=False), min_size=2, max_size=2),
)
def test_transfers_never_push_a_donor_region_below_target(stock, rates):
    """Transfers take only a region's spare units and never more than an FC holds."""
    held = {(f, "A.s"): q for f, q in zip(sorted(CENTERS), stock, strict=True)}
    demand = {("EAST", "A.s"): rates[0], ("WEST", "A.s"): rates[1]}
    want = targets(demand, held, CENTERS, cover_days=7)
    moves = transfer_proposals(want, held, CENTERS)
    for f in CENTERS:
        assert sum(m.units for m in moves if m.from_fc == f) <= held[(f, "A.s")]
    for r in ("EAST", "WEST"):
        have = sum(q for (f, _), q in held.items() if CENTERS[f].region == r)
        out = sum(m.units for m in moves if m.from_fc and CENTERS[m.from_fc].region == r)
        assert out == 0 or have - out >= want[(r, "A.s")]
    assert all(m.units > 0 for m in moves)
