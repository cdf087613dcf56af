"""EPCIS 2.0 events as immutable values.

An event says *what* (EPCs), *when* (``event_time`` in UTC plus the local
``time_zone_offset``), *where* (``read_point``/``biz_location`` SGLNs) and *why* (``biz_step``,
``disposition``, business transactions). ``event_id`` is the standard EPCIS event hash
(``ni:///sha-256;...?ver=CBV2.0``); it is filled in by an ``EventHasher`` after the event is
built, so an event without an id is a draft.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import ClassVar

from tradewind.tracking.errors import InvalidEvent


class Action(StrEnum):
    ADD = "ADD"
    OBSERVE = "OBSERVE"
    DELETE = "DELETE"


@dataclass(frozen=True, slots=True)
class BizTransaction:
    """A business transaction the event belongs to, e.g. (``BTT-po``, order URI)."""

    type: str
    value: str


@dataclass(frozen=True, slots=True)
class SourceDest:
    """One entry of ``sourceList``/``destinationList``: (``SDT-location``, SGLN)."""

    type: str
    value: str


def utc_millis(when: datetime) -> datetime:
    """``when`` in UTC, truncated to milliseconds (the precision EPCIS hashes and JSON keep)."""
    if when.tzinfo is None or when.utcoffset() is None:
        raise InvalidEvent(f"event times must be timezone-aware, got {when!r}")
    moment = when.astimezone(UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def format_offset(offset: timedelta) -> str:
    """``+01:00`` style offset; EPCIS allows -13:59..+14:00 in whole minutes."""
    minutes = int(offset.total_seconds()) // 60
    if minutes * 60 != int(offset.total_seconds()) or not -14 * 60 < minutes <= 14 * 60:
        raise InvalidEvent(f"unsupported time zone offset {offset}")
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}"


def offset_of(when: datetime) -> str:
    """The ``eventTimeZoneOffset`` of an aware datetime given in the location's local time."""
    offset = when.utcoffset()
    if offset is None:
        raise InvalidEvent(f"event times must be timezone-aware, got {when!r}")
    return format_offset(offset)


@dataclass(frozen=True, slots=True, kw_only=True)
class EpcisEvent:
    """Fields common to every EPCIS event. Use a concrete subclass."""

    event_type: ClassVar[str] = ""

    event_time: datetime
    time_zone_offset: str = "+00:00"
    biz_step: str | None = None
    disposition: str | None = None
    read_point: str | None = None
    biz_location: str | None = None
    biz_transactions: tuple[BizTransaction, ...] = ()
    sources: tuple[SourceDest, ...] = ()
    destinations: tuple[SourceDest, ...] = ()
    extensions: tuple[tuple[str, str], ...] = ()
    """Tradewind extension fields as (``tw:name``, value) pairs, e.g. (``tw:reason``, ...)."""
    event_id: str | None = None

    def __post_init__(self) -> None:
        if self.event_time.tzinfo is None or self.event_time.utcoffset() != timedelta(0):
            raise InvalidEvent("event_time must be UTC (use model.utc_millis)")
        if self.event_time.microsecond % 1000:
            raise InvalidEvent("event_time must have millisecond precision (use utc_millis)")
        for name, _ in self.extensions:
            if not name.startswith("tw:"):
                raise InvalidEvent(f"extension fields live in the tw: namespace, got {name!r}")

    def epcs(self) -> frozenset[str]:
        """Every EPC the event names (list, parent, children, inputs, outputs)."""
        raise NotImplementedError

    def locations(self) -> frozenset[str]:
        return frozenset(x for x in (self.read_point, self.biz_location) if x is not None)

    def transaction_ids(self) -> frozenset[str]:
        return frozenset(bt.value for bt in self.biz_transactions)

    def with_id(self, event_id: str) -> EpcisEvent:
        """The same event carrying its hash id."""
        if not event_id.startswith("ni:///"):
            raise InvalidEvent(f"event ids are ni:/// hash URIs, got {event_id!r}")
        return dataclasses.replace(self, event_id=event_id)

    def extension(self, name: str) -> str | None:
        return next((value for key, value in self.extensions if key == name), None)


def _unique(epcs: tuple[str, ...], what: str) -> None:
    if len(set(epcs)) != len(epcs):
        raise InvalidEvent(f"{what} lists an EPC twice")


@dataclass(frozen=True, slots=True, kw_only=True)
class ObjectEvent(EpcisEvent):
    """Something happened to the listed objects (observed, commissioned, destroyed ...)."""

    event_type: ClassVar[str] = "ObjectEvent"

    action: Action
    epc_list: tuple[str, ...]

    def __post_init__(self) -> None:
        EpcisEvent.__post_init__(self)
        if not self.epc_list:
            raise InvalidEvent("an ObjectEvent needs at least one EPC")
        _unique(self.epc_list, "epcList")

    def epcs(self) -> frozenset[str]:
        return frozenset(self.epc_list)


@dataclass(frozen=True, slots=True, kw_only=True)
class AggregationEvent(EpcisEvent):
    """Children were put into (ADD), seen inside (OBSERVE) or taken out of (DELETE) a parent.

    A DELETE with no children empties the parent.
    """

    event_type: ClassVar[str] = "AggregationEvent"

    action: Action
    parent_id: str
    child_epcs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        EpcisEvent.__post_init__(self)
        if not self.child_epcs and self.action is not Action.DELETE:
            raise InvalidEvent("an ADD/OBSERVE AggregationEvent needs children")
        if self.parent_id in self.child_epcs:
            raise InvalidEvent("a parent cannot contain itself")
        _unique(self.child_epcs, "childEPCs")

    def epcs(self) -> frozenset[str]:
        return frozenset((self.parent_id, *self.child_epcs))


@dataclass(frozen=True, slots=True, kw_only=True)
class TransformationEvent(EpcisEvent):
    """Inputs were consumed to make outputs (kitting, repackaging); no action field."""

    event_type: ClassVar[str] = "TransformationEvent"

    input_epcs: tuple[str, ...]
    output_epcs: tuple[str, ...]
    transformation_id: str | None = None

    def __post_init__(self) -> None:
        EpcisEvent.__post_init__(self)
        if not self.input_epcs and not self.output_epcs:
            raise InvalidEvent("a TransformationEvent needs inputs or outputs")
        _unique(self.input_epcs, "inputEPCList")
        _unique(self.output_epcs, "outputEPCList")

    def epcs(self) -> frozenset[str]:
        return frozenset((*self.input_epcs, *self.output_epcs))


def in_time_order(events: Iterable[EpcisEvent]) -> list[EpcisEvent]:
    """Events sorted by ``event_time``; ties keep the order they were recorded in.

    Stores must hand events to the query functions in recording order (SQL: ``ORDER BY
    event_time, seq``), because a simulation often records several steps in one millisecond.
    """
    return sorted(events, key=lambda event: event.event_time)
