"""Invariant checker: what must hold in the database whatever crashed, and where it does not.

Each check counts its violations and names a few examples (ids). ``run_checks`` reads the
database only (one connection, no locks); ``tradewind check`` prints the report and exits
non-zero when anything is violated. The invariants (docs/operations.md):

- ``ledger_balanced_per_currency`` / ``ledger_balanced_per_txn``: double entry, every
  currency and every transaction sums to zero.
- ``stock_bounds``: no negative on-hand, reserved, inbound or self-fulfilled quantity, no
  more reserved than on hand.
- ``reserved_matches_open_orders``: an FC position's reserved units are exactly the units of
  the not yet packed FC shipments of open orders (pending payment or placed); packing ships
  them (on hand and reserved drop), a failed or cancelled order gives them back.
- ``shipment_status_matches_tracking``: a shipment's status is one its package's last EPCIS
  event leads to (``STATUS_AFTER``).
- ``orphan_*``: order lines, shipments, shipment lines without their parent; ledger rows
  whose reference is no order; order events in the outbox about no order.
- ``incomplete_orders``: an order has lines and shipments, and its shipments carry exactly
  the ordered quantity of every line.
- ``confirmed_orders_booked``: a confirmed order (placed and after) has ledger postings and
  exactly one ``OrderPlaced`` event; an unconfirmed one (pending, payment failed) has neither.
- ``stale_pending_orders``: no order is ``pending_payment`` for longer than the sweeper's
  timeout (``orders.sweep.PENDING_TIMEOUT``).
- ``interrupted_simulation_runs``: no simulation run was killed and left unresumed (its
  parcels would stand still and its reservations stay forever; ``tradewind simulate``
  resumes it).

The outbox is reported, not judged: counts per event type, published (by the relay that
``tradewind worker`` runs) and pending, and the age of the oldest pending event
(``platform/bus/outbox.outbox_summary``). With the embedded bus and no worker running, events
stay pending by design (the in-process subscribers had them right after commit).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from tradewind.orders.sweep import PENDING_TIMEOUT
from tradewind.platform.bus.outbox import outbox_summary
from tradewind.platform.db import tables as t
from tradewind.tracking.adapters.tables import tracking_event_epcs, tracking_events
from tradewind.tracking.steps import STEP_SPECS, Step

EXAMPLES = 5
OPEN_ORDER = ("pending_payment", "placed", "shipped")
CONFIRMED = ("placed", "shipped", "delivered", "cancelled")
UNCONFIRMED = ("pending_payment", "payment_failed")
BEFORE_PACK = ("created", "picked")  # an FC shipment's units are still reserved
ORDER_EVENTS = ("OrderPlaced", "OrderCancelled", "ShipmentRefunded", "PendingOrderReleased")

_AFTER_STEP: dict[Step, frozenset[str]] = {
    Step.PACK: frozenset({"packed"}),
    # On a shared trailer only the first package's status follows the trailer's DEPART.
    Step.LOAD: frozenset({"packed", "in_transit"}),
    Step.UNLOAD: frozenset({"packed", "in_transit"}),
    Step.SORT: frozenset({"sorted"}),
    Step.DEPART: frozenset({"sorted", "in_transit"}),  # sort centre -> station keeps "sorted"
    Step.ARRIVE: frozenset({"at_gateway"}),
    Step.ARRIVE_AT_DELIVERY_STATION: frozenset({"at_station"}),
    Step.OUT_FOR_DELIVERY: frozenset({"out_for_delivery"}),
    Step.DELIVERY_FAILED: frozenset({"out_for_delivery"}),
    Step.DELIVERED: frozenset({"delivered"}),
    Step.RETURN_DISPATCHED: frozenset({"delivered"}),
    Step.RETURN_RECEIVED: frozenset({"returned"}),
    Step.CUSTOMS_DECLARED: frozenset({"in_customs"}),
    Step.CUSTOMS_HELD: frozenset({"held_at_customs"}),
    Step.CUSTOMS_CLEARED: frozenset({"cleared_customs"}),
    Step.CUSTOMS_REFUSED: frozenset({"customs_refused"}),
}


def _status_after() -> dict[tuple[str, str | None], frozenset[str]]:
    """Statuses a shipment may have after an event of this (bizStep, disposition): steps
    that share an EPCIS shape (DEPART and OUT_FOR_DELIVERY) share their statuses."""
    out: dict[tuple[str, str | None], frozenset[str]] = {}
    for step, statuses in _AFTER_STEP.items():
        spec = STEP_SPECS[step]
        key = (str(spec.biz_step), str(spec.disposition) if spec.disposition else None)
        out[key] = out.get(key, frozenset()) | statuses
    return out


STATUS_AFTER = _status_after()


@dataclass
class CheckResult:
    name: str
    violations: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, example: str) -> None:
        self.violations += 1
        if len(self.examples) < EXAMPLES:
            self.examples.append(example)


@dataclass
class CheckReport:
    checks: list[CheckResult]
    outbox: dict[str, dict[str, Any]]
    now: datetime

    @property
    def violations(self) -> int:
        return sum(c.violations for c in self.checks)

    def as_dict(self) -> dict[str, Any]:
        return {
            "violations": self.violations,
            "checks": {
                c.name: {"violations": c.violations, "examples": c.examples} for c in self.checks
            },
            "outbox": self.outbox,
            "checked_at": self.now.isoformat(),
        }


def world_now(conn: Connection) -> datetime:
    """The later of the wall clock and the newest order: the simulated clock runs ahead of
    (or behind) the wall clock, and an order is never younger than the world it lives in."""
    newest = conn.execute(select(func.max(t.orders.c.placed_at))).scalar()
    wall = datetime.now(UTC)
    return max(wall, newest) if newest is not None else wall


def run_checks(
    engine: Engine, *, now: datetime | None = None, pending_timeout: timedelta = PENDING_TIMEOUT
) -> CheckReport:
    """Every check on one connection (a consistent snapshot where the database gives one)."""
    with engine.connect() as conn, conn.begin():
        at = now or world_now(conn)
        checks: list[Callable[[Connection], CheckResult]] = [
            _ledger_per_currency,
            _ledger_per_txn,
            _stock_bounds,
            _reserved_matches_open_orders,
            _shipment_status_matches_tracking,
            _orphan_order_lines,
            _orphan_shipments,
            _orphan_shipment_lines,
            _orphan_ledger_entries,
            _orphan_outbox_events,
            _incomplete_orders,
            _confirmed_orders_booked,
            lambda c: _stale_pending_orders(c, at - pending_timeout),
            _interrupted_simulation_runs,
        ]
        results = [check(conn) for check in checks]
        outbox = outbox_summary(conn, datetime.now(UTC))  # written on the wall clock
    return CheckReport(results, outbox, at)


def _result(name: str, examples: Iterable[str]) -> CheckResult:
    r = CheckResult(name)
    for e in examples:
        r.add(e)
    return r


def _ledger_per_currency(conn: Connection) -> CheckResult:
    le = t.ledger_entries.c
    rows = conn.execute(
        select(le.currency, func.sum(le.amount_minor))
        .group_by(le.currency)
        .having(func.sum(le.amount_minor) != 0)
        .order_by(le.currency)
    ).all()
    return _result("ledger_balanced_per_currency", (f"{c}:{int(s):+d}" for c, s in rows))


def _ledger_per_txn(conn: Connection) -> CheckResult:
    le = t.ledger_entries.c
    rows = conn.execute(
        select(le.txn_id, le.currency, func.sum(le.amount_minor))
        .group_by(le.txn_id, le.currency)
        .having(func.sum(le.amount_minor) != 0)
        .order_by(le.txn_id)
    ).all()
    return _result("ledger_balanced_per_txn", (f"{x}:{c}:{int(s):+d}" for x, c, s in rows))


def _stock_bounds(conn: Connection) -> CheckResult:
    i, o = t.inventory_positions.c, t.offers.c
    bad = conn.execute(
        select(i.fc_id, i.sku, i.on_hand, i.reserved, i.inbound)
        .where((i.on_hand < 0) | (i.reserved < 0) | (i.inbound < 0) | (i.reserved > i.on_hand))
        .order_by(i.fc_id, i.sku)
    ).all()
    fbm = conn.execute(
        select(o.offer_id, o.fbm_quantity).where(o.fbm_quantity < 0).order_by(o.offer_id)
    ).all()
    return _result(
        "stock_bounds",
        [f"{r.fc_id}/{r.sku}:on_hand={r.on_hand},reserved={r.reserved}" for r in bad]
        + [f"offer {r.offer_id}:fbm_quantity={r.fbm_quantity}" for r in fbm],
    )


def _reserved_matches_open_orders(conn: Connection) -> CheckResult:
    s, sl, o, i = t.shipments.c, t.shipment_lines.c, t.orders.c, t.inventory_positions.c
    expected: dict[tuple[str, str], int] = {
        (origin, sku): int(q)
        for origin, sku, q in conn.execute(
            select(s.origin, sl.sku, func.sum(sl.quantity))
            .join(t.shipments, s.shipment_id == sl.shipment_id)
            .join(t.orders, o.order_id == s.order_id)
            .where(
                o.status.in_(OPEN_ORDER),
                s.status.in_(BEFORE_PACK),
                ~s.origin.like("seller:%"),
            )
            .group_by(s.origin, sl.sku)
        ).all()
    }
    actual = {
        (fc, sku): int(r)
        for fc, sku, r in conn.execute(select(i.fc_id, i.sku, i.reserved).where(i.reserved != 0))
    }
    keys = sorted(set(expected) | set(actual))
    return _result(
        "reserved_matches_open_orders",
        (
            f"{fc}/{sku}:reserved={actual.get((fc, sku), 0)},open={expected.get((fc, sku), 0)}"
            for fc, sku in keys
            if expected.get((fc, sku), 0) != actual.get((fc, sku), 0)
        ),
    )


def _shipment_status_matches_tracking(conn: Connection) -> CheckResult:
    s, te, ep = t.shipments.c, tracking_events.c, tracking_event_epcs.c
    last = (
        select(ep.epc, func.max(ep.seq).label("seq"))
        .where(ep.epc.in_(select(s.package_epc).where(s.package_epc.is_not(None))))
        .group_by(ep.epc)
        .subquery()
    )
    rows = conn.execute(
        select(s.shipment_id, s.status, te.biz_step, te.disposition)
        .join(last, last.c.epc == s.package_epc)
        .join(tracking_events, te.seq == last.c.seq)
        .order_by(s.shipment_id)
    ).all()
    return _result(
        "shipment_status_matches_tracking",
        (
            f"{r.shipment_id}:{r.status} after {_short(r.biz_step)}"
            for r in rows
            if r.status not in STATUS_AFTER.get((r.biz_step, r.disposition), frozenset())
        ),
    )


def _short(uri: str | None) -> str:
    return (uri or "?").rsplit("-", 1)[-1]


def _orphan_order_lines(conn: Connection) -> CheckResult:
    ol, o = t.order_lines.c, t.orders.c
    rows = conn.execute(
        select(ol.order_id, ol.line_no)
        .where(~ol.order_id.in_(select(o.order_id)))
        .order_by(ol.order_id, ol.line_no)
    ).all()
    return _result("orphan_order_lines", (f"{r.order_id}#{r.line_no}" for r in rows))


def _orphan_shipments(conn: Connection) -> CheckResult:
    s, o = t.shipments.c, t.orders.c
    rows = conn.execute(
        select(s.shipment_id).where(~s.order_id.in_(select(o.order_id))).order_by(s.shipment_id)
    ).scalars()
    return _result("orphan_shipments", rows)


def _orphan_shipment_lines(conn: Connection) -> CheckResult:
    sl, s, ol = t.shipment_lines.c, t.shipments.c, t.order_lines.c
    no_shipment = conn.execute(
        select(sl.shipment_id, sl.line_no)
        .where(~sl.shipment_id.in_(select(s.shipment_id)))
        .order_by(sl.shipment_id)
    ).all()
    no_line = conn.execute(
        select(sl.shipment_id, sl.line_no)
        .join(t.shipments, s.shipment_id == sl.shipment_id)
        .outerjoin(t.order_lines, (ol.order_id == s.order_id) & (ol.line_no == sl.line_no))
        .where(ol.order_id.is_(None))
        .order_by(sl.shipment_id)
    ).all()
    return _result(
        "orphan_shipment_lines", (f"{r.shipment_id}#{r.line_no}" for r in [*no_shipment, *no_line])
    )


def _orphan_ledger_entries(conn: Connection) -> CheckResult:
    le, o = t.ledger_entries.c, t.orders.c
    rows = conn.execute(
        select(le.entry_id, le.reference)
        .where(~le.reference.in_(select(o.order_id)))
        .order_by(le.entry_id)
    ).all()
    return _result("orphan_ledger_entries", (f"{r.entry_id}->{r.reference}" for r in rows))


def _order_events(conn: Connection) -> list[tuple[int, str, str]]:
    ob = t.outbox.c
    rows = conn.execute(
        select(ob.id, ob.event_type, ob.payload)
        .where(ob.event_type.in_(ORDER_EVENTS))
        .order_by(ob.id)
    ).all()
    return [(r.id, r.event_type, str((r.payload or {}).get("order_id", ""))) for r in rows]


def _orphan_outbox_events(conn: Connection) -> CheckResult:
    known = set(conn.execute(select(t.orders.c.order_id)).scalars())
    return _result(
        "orphan_outbox_events",
        (f"{i}:{kind}->{oid}" for i, kind, oid in _order_events(conn) if oid not in known),
    )


def _incomplete_orders(conn: Connection) -> CheckResult:
    o, ol, s, sl = t.orders.c, t.order_lines.c, t.shipments.c, t.shipment_lines.c
    ordered: dict[str, dict[int, int]] = defaultdict(dict)
    for oid, no, q in conn.execute(select(ol.order_id, ol.line_no, ol.quantity)):
        ordered[oid][no] = int(q)
    shipped: dict[str, Counter[int]] = defaultdict(Counter)
    for oid, no, q in conn.execute(
        select(s.order_id, sl.line_no, sl.quantity).join(
            t.shipments, s.shipment_id == sl.shipment_id
        )
    ):
        shipped[oid][no] += int(q)
    has_shipment = set(conn.execute(select(s.order_id).distinct()).scalars())
    problems = []
    for oid in conn.execute(select(o.order_id).order_by(o.order_id)).scalars():
        if not ordered.get(oid):
            problems.append(f"{oid}:no lines")
        elif oid not in has_shipment:
            problems.append(f"{oid}:no shipments")
        elif dict(shipped[oid]) != ordered[oid]:
            problems.append(f"{oid}:shipped {dict(shipped[oid])} of {ordered[oid]}")
    return _result("incomplete_orders", problems)


def _confirmed_orders_booked(conn: Connection) -> CheckResult:
    o, le = t.orders.c, t.ledger_entries.c
    booked = set(conn.execute(select(le.reference).distinct()).scalars())
    placed_events = Counter(oid for _, kind, oid in _order_events(conn) if kind == "OrderPlaced")
    problems = []
    for oid, status in conn.execute(select(o.order_id, o.status).order_by(o.order_id)):
        events, posted = placed_events.get(oid, 0), oid in booked
        wrong_confirmed = status in CONFIRMED and (not posted or events != 1)
        if wrong_confirmed or (status in UNCONFIRMED and (posted or events)):
            problems.append(f"{oid}:{status},postings={posted},OrderPlaced={events}")
    return _result("confirmed_orders_booked", problems)


def _stale_pending_orders(conn: Connection, cutoff: datetime) -> CheckResult:
    o = t.orders.c
    rows = conn.execute(
        select(o.order_id, o.placed_at)
        .where(o.status == "pending_payment", o.placed_at < cutoff)
        .order_by(o.placed_at)
    ).all()
    return _result(
        "stale_pending_orders", (f"{r.order_id}:since {r.placed_at.isoformat()}" for r in rows)
    )


def _interrupted_simulation_runs(conn: Connection) -> CheckResult:
    from tradewind.simulation.adapters.run_record import interrupted_runs

    return _result("interrupted_simulation_runs", (r.run_id for r in interrupted_runs(conn)))
