"""``SqlEventStore``: the tracking ``EventStore`` port on SQLite and PostgreSQL (SQLAlchemy Core).

Query semantics are those of ``tradewind.tracking.queries``: the store only fetches candidate
events (in recording order, ``seq``) and hands them to the same pure functions the in-memory
store uses, so both answer identically.

SQL round trips (statements; SQLite adds its ``BEGIN``, both a ``COMMIT``):

* ``add``: 3 -- insert-or-ignore the events (``ON CONFLICT (event_id) DO NOTHING RETURNING
  seq, event_id``), then the EPC rows and the business-transaction rows of the new events, each
  as one executemany in the same transaction (SQLAlchemy batches 1,000 rows per statement; an
  empty part is skipped, a batch of only known events stops after the first).
* ``chain_of_custody``, ``order_chain``, ``whereabouts_of_class``, ``events_at``: 1 each. The
  custody queries fold ``queries.gather_candidates``' level-by-level walk (EPCs -> the parents
  they were aggregated into -> ...) into one recursive CTE, seeded by the EPCs, the EPCs of the
  order's events, or the EPCs of the SKU's class.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import CTE, Connection, Engine, Insert, Select, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from tradewind.platform.db.engine import WRITE, write_lock
from tradewind.tracking import identifiers, queries
from tradewind.tracking.adapters.tables import (
    tracking_event_epcs,
    tracking_event_transactions,
    tracking_events,
)
from tradewind.tracking.errors import InvalidEvent
from tradewind.tracking.jsonld import event_from_jsonld, event_to_jsonld
from tradewind.tracking.model import (
    AggregationEvent,
    EpcisEvent,
    ObjectEvent,
    TransformationEvent,
)
from tradewind.tracking.queries import Whereabouts

_E, _X, _T = tracking_events, tracking_event_epcs, tracking_event_transactions


class SqlEventStore:
    """Append-only EPCIS event store over an engine (see the module docstring for costs).

    Parameters
    ----------
    engine
        A Tradewind engine (``adapters.db.engine.make_engine``) on a database migrated to
        revision 0002 or later.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # --- writes -----------------------------------------------------------------------------

    def add(self, events: Sequence[EpcisEvent]) -> int:
        """Append hashed events in one transaction; ids already stored are skipped."""
        fresh: dict[str, EpcisEvent] = {}
        for event in events:
            if event.event_id is None:
                raise InvalidEvent("only hashed events (with an event_id) can be stored")
            fresh.setdefault(event.event_id, event)
        if not fresh:
            return 0
        with write_lock(self._engine), self._engine.connect() as conn:
            conn = conn.execution_options(**WRITE)
            with conn.begin():
                seqs = self._insert_events(conn, list(fresh.values()))
                added = [
                    (seqs[event_id], fresh[event_id]) for event_id in fresh if event_id in seqs
                ]
                epc_rows = [row for seq, event in added for row in _epc_rows(seq, event)]
                if epc_rows:
                    conn.execute(insert(_X), epc_rows)
                tx_rows = [row for seq, event in added for row in _transaction_rows(seq, event)]
                if tx_rows:
                    conn.execute(insert(_T), tx_rows)
        return len(added)

    def _insert_events(self, conn: Connection, events: list[EpcisEvent]) -> dict[str, int]:
        """Insert-or-ignore on ``event_id``; returns ``{event_id: seq}`` of the new rows."""
        rows = [_event_row(event) for event in events]
        stmt = _insert_ignoring_known_ids(conn.dialect.name)
        if stmt is None:  # another dialect: check first (racy, but only Tradewind writes here)
            ids = [row["event_id"] for row in rows]
            known = set(conn.scalars(select(_E.c.event_id).where(_E.c.event_id.in_(ids))))
            rows = [row for row in rows if row["event_id"] not in known]
            if not rows:
                return {}
            stmt = insert(_E)
        result = conn.execute(stmt.returning(_E.c.event_id, _E.c.seq), rows)
        return {event_id: seq for event_id, seq in result}

    # --- queries ----------------------------------------------------------------------------

    def chain_of_custody(self, epcs: Collection[str]) -> list[EpcisEvent]:
        targets = set(epcs)
        if not targets:
            return []
        seed = select(_X.c.epc).where(_X.c.epc.in_(sorted(targets)))
        return queries.chain_of_custody(self._candidates(seed), targets)

    def order_chain(self, transaction: str) -> list[EpcisEvent]:
        seed = (
            select(_X.c.epc)
            .join(_T, _T.c.seq == _X.c.seq)
            .where(_T.c.biz_transaction == transaction)
        )
        return queries.order_chain(self._candidates(seed), transaction)

    def whereabouts_of_class(self, epc_class: str) -> dict[str, Whereabouts]:
        seed = select(_X.c.epc).where(_X.c.epc_class == epc_class)
        events = self._candidates(seed)
        units = {
            epc
            for event in events
            for epc in event.epcs()
            if identifiers.epc_class(epc) == epc_class
        }
        return queries.whereabouts(events, units)

    def events_at(self, location: str, start: datetime, end: datetime) -> list[EpcisEvent]:
        query = (
            select(_E.c.body)
            .where(
                or_(_E.c.read_point == location, _E.c.biz_location == location),
                _E.c.event_time >= start,
                _E.c.event_time < end,
            )
            .order_by(_E.c.seq)
        )
        with self._engine.connect() as conn:
            bodies = conn.scalars(query).all()
        return queries.events_at_location(_decode(bodies), location, start, end)

    def _candidates(self, seed: Select[Any]) -> list[EpcisEvent]:
        """``queries.gather_candidates`` in one statement: the events naming the seed EPCs or,
        transitively, a container one of them was aggregated into; in recording order."""
        reachable = _containers_closure(seed)
        named = select(_X.c.seq).where(_X.c.epc.in_(select(reachable.c.epc)))
        query = select(_E.c.body).where(_E.c.seq.in_(named)).order_by(_E.c.seq)
        with self._engine.connect() as conn:
            bodies = conn.scalars(query).all()
        return _decode(bodies)


def _containers_closure(seed: Select[Any]) -> CTE:
    """Recursive CTE ``custody(epc)``: the seed EPCs plus every parent an ADD/OBSERVE
    aggregation put one of them into, level by level (UNION stops on repeats)."""
    custody = seed.cte("custody", recursive=True)
    child, parent, agg = _X.alias("child"), _X.alias("parent"), _E.alias("agg")
    up = (
        select(parent.c.epc)
        .select_from(custody)
        .join(child, child.c.epc == custody.c.epc)
        .join(parent, (parent.c.seq == child.c.seq) & (parent.c.role == "parent"))
        .join(agg, agg.c.seq == child.c.seq)
        .where(child.c.role == "child", agg.c.action != "DELETE")
    )
    return custody.union(up)


def _insert_ignoring_known_ids(dialect: str) -> Insert | None:
    if dialect == "postgresql":
        return postgresql.insert(_E).on_conflict_do_nothing(index_elements=[_E.c.event_id])
    if dialect == "sqlite":
        return sqlite.insert(_E).on_conflict_do_nothing(index_elements=[_E.c.event_id])
    return None


def _event_row(event: EpcisEvent) -> dict[str, Any]:
    action = getattr(event, "action", None)
    return {
        "event_id": event.event_id,
        "event_type": event.event_type,
        "action": None if action is None else str(action),
        "event_time": event.event_time,
        "biz_step": event.biz_step,
        "disposition": event.disposition,
        "read_point": event.read_point,
        "biz_location": event.biz_location,
        "body": event_to_jsonld(event),
    }


def _roles(event: EpcisEvent) -> Iterable[tuple[str, str]]:
    if isinstance(event, ObjectEvent):
        yield from (("epc", epc) for epc in event.epc_list)
    elif isinstance(event, AggregationEvent):
        yield ("parent", event.parent_id)
        yield from (("child", epc) for epc in event.child_epcs)
    elif isinstance(event, TransformationEvent):
        yield from (("input", epc) for epc in event.input_epcs)
        yield from (("output", epc) for epc in event.output_epcs)
    else:
        raise InvalidEvent(f"unknown event class {type(event).__name__}")


def _epc_rows(seq: int, event: EpcisEvent) -> list[dict[str, Any]]:
    return [
        {"seq": seq, "role": role, "epc": epc, "epc_class": identifiers.epc_class(epc)}
        for role, epc in _roles(event)
    ]


def _transaction_rows(seq: int, event: EpcisEvent) -> list[dict[str, Any]]:
    pairs = {(bt.value, bt.type) for bt in event.biz_transactions}
    return [{"seq": seq, "biz_transaction": value, "type": kind} for value, kind in sorted(pairs)]


def _decode(bodies: Iterable[Any]) -> list[EpcisEvent]:
    return [event_from_jsonld(body) for body in bodies]


__all__ = ["SqlEventStore"]
