"""Ports of the governance context; each has an in-memory fake in ``fakes.py``."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol, Self

from tradewind.governance.case import ActionKind, Case, EnforcementAction
from tradewind.governance.scores import Subject
from tradewind.shared.money import Money

# The tax-ID port is shared with seller registration (one port, one adapter).
from tradewind.shared.taxids import TaxIdStatus, TaxIdValidator, TaxIdVerdict

__all__ = [
    "CaseRepository",
    "Enforcer",
    "GovernanceUnitOfWork",
    "TaxIdStatus",
    "TaxIdValidator",
    "TaxIdVerdict",
]


class CaseRepository(Protocol):
    def add(self, case: Case) -> None: ...

    def get(self, case_id: str) -> Case: ...

    def open_for(self, subject_ref: str) -> list[Case]: ...


class Enforcer(Protocol):
    """Makes a case's actions take effect on the marketplace (and undoes them), inside the
    unit of work's transaction; remembers the products whose search documents changed."""

    touched_products: set[str]

    def default_target(self, case: Case, kind: ActionKind) -> Subject: ...

    def check_target(self, case: Case, kind: ActionKind, target: Subject) -> None: ...

    def payable_balances(self, seller_id: str) -> list[Money]: ...

    def apply(self, case: Case, action: EnforcementAction) -> dict[str, Any]: ...

    def reverse(self, case: Case, action: EnforcementAction, at: datetime) -> None: ...


class GovernanceUnitOfWork(Protocol):
    """The shared unit of work as governance sees it: cases and their enforcement commit
    together, with the cases' events in the outbox."""

    cases: CaseRepository
    enforcer: Enforcer

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...

    def commit(self) -> None: ...
