"""Trace query semantics as pure functions over events, shared by every ``EventStore``.

The in-memory store calls these directly. A SQL store fetches *candidate* events (see
``gather_candidates``: the events naming the EPCs asked about, then those naming the containers
they were aggregated into, level by level) in recording order and hands them to the same
functions, so both stores answer identically.

Aggregation semantics
---------------------
Containment changes over time: ``AggregationEvent`` ADD/OBSERVE puts children into a parent
(moving them out of any previous parent), DELETE takes the listed children out (all of them when
none are listed). An event is *in the custody chain* of an EPC X when it

* names X (epcList, parentID, childEPCs, inputs, outputs), or
* is an ObjectEvent/TransformationEvent naming a container X is in at that moment (the trailer
  departs with X inside), or
* is an AggregationEvent that moves X's container or empties it (the tote with X is loaded into a
  trailer). Loading *another* package into X's container is not part of X's chain.

Events are processed by ``event_time``; ties keep recording order.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from tradewind.tracking.model import (
    Action,
    AggregationEvent,
    EpcisEvent,
    in_time_order,
)
from tradewind.tracking.vocabulary import BizTransactionType


class Containment:
    """Which EPC is inside which, replayed event by event."""

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}
        self._children: dict[str, set[str]] = {}

    def parent_of(self, epc: str) -> str | None:
        return self._parent.get(epc)

    def carriers(self, epc: str) -> tuple[str, ...]:
        """The containers ``epc`` is in now, innermost first."""
        chain: list[str] = []
        current = self._parent.get(epc)
        while current is not None and current not in chain:
            chain.append(current)
            current = self._parent.get(current)
        return tuple(chain)

    def with_contents(self, epc: str) -> set[str]:
        """``epc`` and everything inside it, recursively."""
        found = {epc}
        stack = [epc]
        while stack:
            for child in self._children.get(stack.pop(), ()):
                if child not in found:
                    found.add(child)
                    stack.append(child)
        return found

    def affected(self, event: EpcisEvent) -> set[str]:
        """Every EPC whose custody chain includes ``event`` (state *before* applying it)."""
        if isinstance(event, AggregationEvent):
            moved = event.child_epcs or (
                (event.parent_id,) if event.action is Action.DELETE else ()
            )
            found = {event.parent_id}
            for epc in moved:
                found |= self.with_contents(epc)
            return found
        found = set()
        for epc in event.epcs():
            found |= self.with_contents(epc)
        return found

    def apply(self, event: EpcisEvent) -> None:
        if not isinstance(event, AggregationEvent):
            return
        if event.action is Action.DELETE:
            children = event.child_epcs or tuple(self._children.get(event.parent_id, ()))
            for child in children:
                if self._parent.get(child) == event.parent_id:
                    self._detach(child)
            return
        for child in event.child_epcs:
            self._detach(child)
            self._parent[child] = event.parent_id
            self._children.setdefault(event.parent_id, set()).add(child)

    def _detach(self, child: str) -> None:
        old = self._parent.pop(child, None)
        if old is not None:
            self._children[old].discard(child)


def chain_of_custody(events: Iterable[EpcisEvent], epcs: Collection[str]) -> list[EpcisEvent]:
    """Events in the custody chain of any of ``epcs``, in time order (see module docstring)."""
    targets = set(epcs)
    containment = Containment()
    chain: list[EpcisEvent] = []
    for event in in_time_order(events):
        if containment.affected(event) & targets:
            chain.append(event)
        containment.apply(event)
    return chain


def transaction_epcs(events: Iterable[EpcisEvent], transaction: str) -> frozenset[str]:
    """EPCs named by events that carry the business transaction URI ``transaction``."""
    found: set[str] = set()
    for event in events:
        if transaction in event.transaction_ids():
            found |= event.epcs()
    return frozenset(found)


def order_chain(events: Iterable[EpcisEvent], transaction: str) -> list[EpcisEvent]:
    """Custody chain of an order's EPCs while they serve that order.

    For each EPC tagged with ``transaction`` (a purchase-order URI) the chain starts at its
    first event carrying the order and stops at the first later event that carries a
    *different* purchase order (a returned unit resold to someone else), so one customer's
    tracking never shows another customer's order.
    """
    ordered = in_time_order(events)
    targets = transaction_epcs(ordered, transaction)
    active: dict[str, bool] = {}
    containment = Containment()
    chain: list[EpcisEvent] = []
    for event in ordered:
        hit = containment.affected(event) & targets
        if hit:
            other_po = _purchase_orders(event) - {transaction}
            for epc in hit:
                if transaction in event.transaction_ids():
                    active[epc] = True
                elif other_po:
                    active[epc] = False
            if any(active.get(epc, False) for epc in hit):
                chain.append(event)
        containment.apply(event)
    return chain


def _purchase_orders(event: EpcisEvent) -> set[str]:
    po = BizTransactionType.PURCHASE_ORDER.value
    return {bt.value for bt in event.biz_transactions if bt.type == po}


@dataclass(frozen=True, slots=True)
class Whereabouts:
    """Where an EPC is now, by its custody chain.

    ``location`` is the business location of the last event (None while in transit: then
    ``event.read_point`` is where it was last seen); ``carriers`` are the containers it is in,
    innermost first; ``disposition`` is the last one recorded.
    """

    epc: str
    event: EpcisEvent
    location: str | None
    disposition: str | None
    carriers: tuple[str, ...]


def whereabouts(events: Iterable[EpcisEvent], epcs: Collection[str]) -> dict[str, Whereabouts]:
    """Last custody event, location and disposition of each of ``epcs`` seen in ``events``."""
    targets = set(epcs)
    containment = Containment()
    last: dict[str, EpcisEvent] = {}
    disposition: dict[str, str] = {}
    for event in in_time_order(events):
        for epc in containment.affected(event) & targets:
            last[epc] = event
            if event.disposition is not None:
                disposition[epc] = event.disposition
        containment.apply(event)
    return {
        epc: Whereabouts(
            epc=epc,
            event=event,
            location=event.biz_location,
            disposition=disposition.get(epc),
            carriers=containment.carriers(epc),
        )
        for epc, event in sorted(last.items())
    }


def events_at_location(
    events: Iterable[EpcisEvent], location: str, start: datetime, end: datetime
) -> list[EpcisEvent]:
    """Events whose read point or business location is ``location`` with start <= time < end."""
    return [
        event
        for event in in_time_order(events)
        if start <= event.event_time < end and location in event.locations()
    ]


def mentions(event: EpcisEvent, epcs: Collection[str]) -> bool:
    """Whether the event names any of ``epcs`` directly (the SQL join condition)."""
    return not event.epcs().isdisjoint(epcs)


FetchMentioning = Callable[[frozenset[str]], Iterable[tuple[int, EpcisEvent]]]
"""Returns ``(recording sequence, event)`` for every event naming one of the EPCs."""


def gather_candidates(
    epcs: Collection[str], fetch: FetchMentioning, *, max_depth: int = 8
) -> list[EpcisEvent]:
    """All events the custody queries may need for ``epcs``, in recording order.

    Level 0 fetches the events naming ``epcs``; each next level fetches the events naming the
    parents those EPCs were aggregated into (package -> container -> trailer ...). A SQL store
    issues one query per level, at most ``max_depth + 1``.
    """
    known = set(epcs)
    frontier = frozenset(known)
    found: dict[int, EpcisEvent] = {}
    for _ in range(max_depth + 1):
        if not frontier:
            break
        parents: set[str] = set()
        for seq, event in fetch(frontier):
            found[seq] = event
            if (
                isinstance(event, AggregationEvent)
                and event.action is not Action.DELETE
                and not frontier.isdisjoint(event.child_epcs)
            ):
                parents.add(event.parent_id)
        frontier = frozenset(parents - known)
        known |= frontier
    return [found[seq] for seq in sorted(found)]


__all__ = [
    "Containment",
    "FetchMentioning",
    "Whereabouts",
    "chain_of_custody",
    "events_at_location",
    "gather_candidates",
    "mentions",
    "order_chain",
    "transaction_epcs",
    "whereabouts",
]
