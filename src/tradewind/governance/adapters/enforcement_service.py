"""Governance use cases over SQL: take an action, dismiss, file and decide an appeal.

Each runs in one transaction: the case (its actions, appeal and audit trail), the action's
effect on the marketplace and the case's events (in the outbox) commit together or not at all.
Callers re-index the products in ``Outcome.products`` after commit (search is outside the
transaction).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine

from tradewind.governance.adapters.case_repository import SqlCaseRepository
from tradewind.governance.adapters.enforcement import NothingToHold, SqlEnforcer
from tradewind.governance.audit import Actor, ActorKind
from tradewind.governance.case import ActionKind, AppealState, Case
from tradewind.governance.errors import CaseNotFound
from tradewind.governance.scores import Subject
from tradewind.platform.db import statements as st
from tradewind.platform.db.engine import WRITE, write_lock
from tradewind.shared.clock import Clock
from tradewind.shared.events import Command
from tradewind.shared.money import Money


@dataclass
class GovernanceTx:
    conn: Connection
    cases: SqlCaseRepository
    enforcer: SqlEnforcer

    def commit(self) -> None:
        events = [e for c in self.cases.seen.values() for e in c.events]
        if events:
            now = datetime.now(UTC)
            self.conn.execute(
                st.INSERT_OUTBOX,
                [{"event_type": e.name, "payload": e.payload(), "created_at": now} for e in events],
            )
        for c in self.cases.seen.values():
            c.events.clear()
        self.conn.commit()


@contextmanager
def transaction(engine: Engine) -> Iterator[GovernanceTx]:
    """One write transaction (rolled back unless ``commit`` is called)."""
    with write_lock(engine):
        conn = engine.connect().execution_options(**WRITE)
        try:
            conn.begin()
            yield GovernanceTx(conn, SqlCaseRepository(conn), SqlEnforcer(conn))
        finally:
            if conn.in_transaction():
                conn.rollback()
            conn.close()


@dataclass(frozen=True)
class Outcome:
    case: Case
    products: frozenset[str] = field(default_factory=frozenset)  # to re-index after commit


@dataclass(frozen=True)
class TakeAction(Command):
    case_id: str
    kind: ActionKind
    reason: str
    operator: str
    target: Subject | None = None  # default: the respondent (seller-wide) or the subject
    amount: Money | None = None  # hold_funds only; default: the seller's payable balance


@dataclass(frozen=True)
class DismissCase(Command):
    case_id: str
    operator: str
    reason: str


@dataclass(frozen=True)
class FileAppeal(Command):
    case_id: str
    seller_id: str
    statement: str


@dataclass(frozen=True)
class DecideAppeal(Command):
    case_id: str
    operator: str
    overturn: bool
    reason: str


def take_action(cmd: TakeAction, engine: Engine, clock: Clock) -> Outcome:
    """An operator's enforcement action on a case, taking effect in the same transaction."""
    with transaction(engine) as tx:
        case = tx.cases.get(cmd.case_id)
        target = cmd.target or tx.enforcer.default_target(case, cmd.kind)
        tx.enforcer.check_target(case, cmd.kind, target)
        amount = None
        if cmd.kind is ActionKind.HOLD_FUNDS:
            amount = cmd.amount or tx.enforcer.payable_balance(target.ref)
            if amount is None or amount.amount <= 0:
                raise NothingToHold(f"seller {target.ref} has no payable balance to hold")
        action = case.take_action(
            cmd.kind,
            target=target,
            reason=cmd.reason,
            actor=Actor(ActorKind.OPERATOR, cmd.operator),
            at=clock.now(),
            amount=amount,
        )
        tx.cases.add(case)  # the action row first: its effect refers to it
        tx.enforcer.apply(case, action)
        tx.commit()
        return Outcome(case, frozenset(tx.enforcer.touched_products))


def dismiss_case(cmd: DismissCase, engine: Engine, clock: Clock) -> Outcome:
    with transaction(engine) as tx:
        case = tx.cases.get(cmd.case_id)
        case.dismiss(
            actor=Actor(ActorKind.OPERATOR, cmd.operator), reason=cmd.reason, at=clock.now()
        )
        tx.cases.add(case)
        tx.commit()
        return Outcome(case)


def file_appeal(cmd: FileAppeal, engine: Engine, clock: Clock) -> Outcome:
    """The respondent appeals; another seller's case is indistinguishable from a missing one."""
    with transaction(engine) as tx:
        case = tx.cases.get(cmd.case_id)
        if case.respondent != cmd.seller_id:
            raise CaseNotFound(f"no case {cmd.case_id} against this seller")
        case.file_appeal(
            appellant=Actor(ActorKind.SELLER, cmd.seller_id),
            statement=cmd.statement,
            at=clock.now(),
        )
        tx.cases.add(case)
        tx.commit()
        return Outcome(case)


def decide_appeal(cmd: DecideAppeal, engine: Engine, clock: Clock) -> Outcome:
    """Review (if not under review yet) and decide; an overturn undoes every active action's
    effect on the marketplace."""
    reviewer = Actor(ActorKind.OPERATOR, cmd.operator)
    with transaction(engine) as tx:
        case = tx.cases.get(cmd.case_id)
        now = clock.now()
        if case.appeal is AppealState.FILED:
            case.start_appeal_review(reviewer=reviewer, at=now)
        active = case.active_actions()
        case.decide_appeal(reviewer=reviewer, overturn=cmd.overturn, reason=cmd.reason, at=now)
        for action in active:
            if action.action_id not in {a.action_id for a in case.active_actions()}:
                tx.enforcer.reverse(case, action, now)
        tx.cases.add(case)
        tx.commit()
        return Outcome(case, frozenset(tx.enforcer.touched_products))


def reindex(container: Any, products: Iterable[str]) -> None:
    """Refresh the search documents of ``products`` (after commit: search is not in the
    transaction; the index drops a product whose last live offer was suppressed)."""
    ids = sorted(set(products))
    if ids:
        from tradewind.catalog.adapters.search.catalog_index import reindex_products
        from tradewind.catalog.adapters.search.wiring import catalog_search

        reindex_products(container.engine, catalog_search(container), ids)
