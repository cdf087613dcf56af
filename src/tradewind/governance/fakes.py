"""In-memory fakes of the governance ports, for unit tests and the live demo."""

from __future__ import annotations

from collections.abc import Mapping

from tradewind.governance.case import Case, CaseStatus
from tradewind.governance.errors import CaseNotFound
from tradewind.governance.ports import TaxIdStatus, TaxIdVerdict


class FakeTaxIdValidator:
    """Valid numbers are listed per country; anything else is a checksum failure. ``holders``
    maps (country, number) to the registered holder, for registers that say who holds it."""

    def __init__(
        self,
        valid: Mapping[str, set[str]],
        holders: Mapping[tuple[str, str], str] | None = None,
    ) -> None:
        self._valid = {c.upper(): {n.upper() for n in nums} for c, nums in valid.items()}
        self._holders = {(c.upper(), n.upper()): h for (c, n), h in (holders or {}).items()}

    def validate(self, country: str, number: str) -> TaxIdVerdict:
        compact = "".join(ch for ch in number.upper() if ch.isalnum())
        known = self._valid.get(country.upper())
        if known is None:
            return TaxIdVerdict(TaxIdStatus.UNSUPPORTED_COUNTRY, compact)
        if compact in known:
            holder = self._holders.get((country.upper(), compact))
            return TaxIdVerdict(TaxIdStatus.VALID, compact, holder=holder)
        return TaxIdVerdict(TaxIdStatus.INVALID_CHECKSUM, compact, "not in the fake's list")


class FakeCaseRepository:
    def __init__(self) -> None:
        self._cases: dict[str, Case] = {}
        self.seen: set[str] = set()

    def add(self, case: Case) -> None:
        self._cases[case.case_id] = case
        self.seen.add(case.case_id)

    def get(self, case_id: str) -> Case:
        try:
            case = self._cases[case_id]
        except KeyError:
            raise CaseNotFound(f"no case {case_id}") from None
        self.seen.add(case_id)
        return case

    def open_for(self, subject_ref: str) -> list[Case]:
        live = (CaseStatus.OPEN, CaseStatus.ACTIONED)
        return [
            c for c in self._cases.values() if c.subject.ref == subject_ref and c.status in live
        ]
