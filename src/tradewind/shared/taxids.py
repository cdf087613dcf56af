"""The tax-ID validation port shared by seller registration (marketplace) and the
governance scan: one question ("is this number valid for this country?") with one answer.

What a verdict *means* stays with each context: registration refuses a number that is not
valid, or whose country has no rules (a stricter default for a platform fighting tax fraud);
the governance tax detector turns a failed checksum or format into evidence and gives no
opinion on a country without rules. One adapter implements the port
(``tradewind.platform.taxids.StdnumTaxIdValidator``, python-stdnum).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


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
