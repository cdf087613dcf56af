"""Ports of the governance context; each has an in-memory fake in ``fakes.py``."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from tradewind.governance.case import Case


class TaxIdStatus(StrEnum):
    VALID = "valid"
    INVALID_CHECKSUM = "invalid_checksum"
    INVALID_FORMAT = "invalid_format"
    UNSUPPORTED_COUNTRY = "unsupported_country"


@dataclass(frozen=True, slots=True)
class TaxIdVerdict:
    status: TaxIdStatus
    compact: str  # the number without separators or country prefix, as the validator sees it
    detail: str = ""
    # Who the register says holds a valid number, where it answers with that (the EU's VIES
    # gives the trader's name for most member states, not for Germany; the UK's VAT check
    # gives the business name). None: the register did not say (or no register was asked:
    # python-stdnum checks formats and checksums only).
    holder: str | None = None

    @property
    def valid(self) -> bool:
        return self.status is TaxIdStatus.VALID


class TaxIdValidator(Protocol):
    """Checks a VAT / tax number against the rules of ``country`` (ISO 3166-1 alpha-2)."""

    def validate(self, country: str, number: str) -> TaxIdVerdict: ...


class CaseRepository(Protocol):
    def add(self, case: Case) -> None: ...

    def get(self, case_id: str) -> Case: ...

    def open_for(self, subject_ref: str) -> list[Case]: ...
