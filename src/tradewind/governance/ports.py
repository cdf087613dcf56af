"""Ports of the governance context; each has an in-memory fake in ``fakes.py``."""

from __future__ import annotations

from typing import Protocol

from tradewind.governance.case import Case

# The tax-ID port is shared with seller registration (one port, one adapter).
from tradewind.shared.taxids import TaxIdStatus, TaxIdValidator, TaxIdVerdict

__all__ = ["CaseRepository", "TaxIdStatus", "TaxIdValidator", "TaxIdVerdict"]


class CaseRepository(Protocol):
    def add(self, case: Case) -> None: ...

    def get(self, case_id: str) -> Case: ...

    def open_for(self, subject_ref: str) -> list[Case]: ...
