"""Trace queries: aggregation-aware chain of custody, whereabouts, location windows."""

from __future__ import annotations

from datetime import timedelta

from tradewind.tracking import queries
from tradewind.tracking.adapters import EpcisHashGeneratorHasher, InMemoryEventStore
from tradewind.tracking.identifiers import order_transaction, sscc
from tradewind.tracking.model import EpcisEvent
from tradewind.tracking.steps import Step, build_event
from tradewind.tracking.vocabulary import BizStep, Disposition

from .journeys import (
    FC,
    HOME,
    ITEM,
    NEIGHBOUR,
    PACKAGE_A,
    PACKAGE_B,
    SORT,
    STATION,
    TOTE,
    TRAILER,
    UNIT_A,
    UNIT_B,
    at,
    step,
    two_orders_one_trailer,
)


def _recorded(hasher: EpcisHashGeneratorHasher, store: InMemoryEventStore) -> list[EpcisEvent]:
    drafts = [build_event(s) for s in two_orders_one_trailer()]
    events = [d.with_id(i) for d, i in zip(drafts, hasher.event_ids(drafts), strict=True)]
    store.add(events)
    return events


def _steps(events: list[EpcisEvent]) -> list[str]:
    return [(e.biz_step or "").rsplit("-", 1)[-1].rsplit(":", 1)[-1] for e in events]


def test_package_chain_follows_tote_and_trailer_while_inside(
    hasher: EpcisHashGeneratorHasher, store: InMemoryEventStore
) -> None:
    """A package's chain has its own events plus the tote's and trailer's while it was in them."""
    _recorded(hasher, store)
    chain = store.chain_of_custody([PACKAGE_A])
    assert _steps(chain) == [
        "packing",
        "staging_outbound",
        "loading",  # package into tote
        "loading",  # tote into trailer
        "departing",  # trailer leaves the FC with the tote inside
        "arriving",
        "unloading",  # tote out of trailer
        "unpacking",  # package out of tote
        "receiving",
        "departing",  # out for delivery
        "delivery_attempt_failed",
        "accepting",
    ]
    assert [e.event_time for e in chain] == sorted(e.event_time for e in chain)


def test_chain_excludes_other_packages_and_later_trips(
    hasher: EpcisHashGeneratorHasher, store: InMemoryEventStore
) -> None:
    """Loading B into the shared tote and the trailer's next trip are not part of A's chain."""
    _recorded(hasher, store)
    chain = store.chain_of_custody([PACKAGE_A])
    assert all(PACKAGE_B not in e.epcs() for e in chain)
    assert all(SORT not in (d.value for d in e.destinations) for e in chain)


def test_unit_chain_includes_its_history_and_package(
    hasher: EpcisHashGeneratorHasher, store: InMemoryEventStore
) -> None:
    """A unit's chain starts at inbound receiving and follows the package it was packed in."""
    _recorded(hasher, store)
    chain = store.chain_of_custody([UNIT_A])
    assert _steps(chain)[:4] == ["receiving", "storing", "picking", "packing"]
    assert _steps(chain)[-1] == "accepting"


def test_order_chain_starts_with_the_order_and_stays_private(
    hasher: EpcisHashGeneratorHasher, store: InMemoryEventStore
) -> None:
    """An order's chain starts at its pick and never shows the other order's events."""
    _recorded(hasher, store)
    chain_a = store.order_chain(order_transaction("ord_A"))
    assert _steps(chain_a)[0] == "picking"
    assert _steps(chain_a)[-1] == "accepting"
    assert all(UNIT_B not in e.epcs() and PACKAGE_B not in e.epcs() for e in chain_a)
    chain_b = store.order_chain(order_transaction("ord_B"))
    # B travelled in the tote and trailer but was not unpacked: its chain ends at unloading.
    assert _steps(chain_b) == [
        "picking",
        "packing",
        "loading",
        "loading",
        "departing",
        "arriving",
        "unloading",
    ]
    assert store.order_chain(order_transaction("ord_none")) == []


def test_order_chain_stops_when_a_returned_unit_is_resold(
    hasher: EpcisHashGeneratorHasher, store: InMemoryEventStore
) -> None:
    """After a return, the unit's pick for another customer's order leaves the first chain."""
    _recorded(hasher, store)
    later = [
        step(Step.RETURN_DISPATCHED, 3000, HOME, epcs=(PACKAGE_A,), destination=FC),
        step(Step.RETURN_RECEIVED, 4000, FC, epcs=(PACKAGE_A,)),
        step(Step.UNPACK, 4001, FC, parent=PACKAGE_A),
        step(Step.PICK, 5000, FC, epcs=(UNIT_A,), order_id="ord_C"),
        step(Step.PACK, 5001, FC, parent=sscc(3), epcs=(UNIT_A,), order_id="ord_C"),
    ]
    drafts = [build_event(s) for s in later]
    store.add([d.with_id(i) for d, i in zip(drafts, hasher.event_ids(drafts), strict=True)])
    chain_a = store.order_chain(order_transaction("ord_A"))
    assert _steps(chain_a)[-3:] == ["departing", "receiving", "unpacking"]
    assert chain_a[-2].disposition == Disposition.RETURNED
    chain_c = store.order_chain(order_transaction("ord_C"))
    assert _steps(chain_c) == ["picking", "packing"]


def test_whereabouts_of_every_unit_of_a_sku(
    hasher: EpcisHashGeneratorHasher, store: InMemoryEventStore
) -> None:
    """Unit A is delivered (inside its package); unit B sits at the station in the tote."""
    _recorded(hasher, store)
    where = store.whereabouts_of_class(ITEM.epc_class)
    assert set(where) == {UNIT_A, UNIT_B}
    a, b = where[UNIT_A], where[UNIT_B]
    assert a.location == HOME and a.disposition == Disposition.DELIVERED
    assert a.carriers == (PACKAGE_A,)
    assert b.location == STATION and b.event.biz_step == BizStep.UNLOADING
    assert b.carriers == (PACKAGE_B, TOTE)


def test_whereabouts_while_in_transit(hasher: EpcisHashGeneratorHasher) -> None:
    """Mid line-haul a unit has no business location: last seen departing the FC in a trailer."""
    events = [build_event(s) for s in two_orders_one_trailer() if s.at <= at(20)]
    where = queries.whereabouts(events, [UNIT_A])[UNIT_A]
    assert where.location is None
    assert where.event.read_point == FC and where.disposition == Disposition.IN_TRANSIT
    assert where.carriers == (PACKAGE_A, TOTE, TRAILER)


def test_events_at_location_in_a_half_open_window(
    hasher: EpcisHashGeneratorHasher, store: InMemoryEventStore
) -> None:
    """Events read at or placed in the station between arrival and out-for-delivery."""
    _recorded(hasher, store)
    window = store.events_at(STATION, at(200), at(300))
    assert _steps(window) == ["arriving", "unloading", "unpacking", "receiving"]
    assert store.events_at(STATION, at(300), at(300) + timedelta(seconds=1))[0].biz_step == (
        BizStep.DEPARTING
    )
    assert store.events_at(NEIGHBOUR, at(0), at(9999)) == []


def test_ties_keep_recording_order() -> None:
    """Load and depart in the same millisecond: the load still counts before the departure."""
    same_time = [
        step(Step.LOAD, 0, FC, parent=TRAILER, epcs=(TOTE,)),
        step(Step.DEPART, 0, FC, epcs=(TRAILER,), destination=STATION),
    ]
    events = [build_event(s) for s in same_time]
    assert len(queries.chain_of_custody(events, [TOTE])) == 2


def test_candidates_are_fetched_level_by_level(
    hasher: EpcisHashGeneratorHasher, store: InMemoryEventStore
) -> None:
    """Unit -> package -> tote -> trailer needs four fetches (one SQL query each)."""
    _recorded(hasher, store)
    store.fetches = 0
    store.chain_of_custody([UNIT_A])
    assert store.fetches == 4


def test_store_add_is_idempotent(
    hasher: EpcisHashGeneratorHasher, store: InMemoryEventStore
) -> None:
    """Recording the same hashed events twice stores them once."""
    events = _recorded(hasher, store)
    assert store.add(events) == 0
    assert len(store) == len(events)
