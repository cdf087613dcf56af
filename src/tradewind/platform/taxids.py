"""Tax-ID validation with python-stdnum (checksums and formats per country).

The one adapter behind ``shared.taxids.TaxIdValidator``: seller registration (marketplace)
and the governance scan ask it the same question and get the same verdict; the world
generator (``world_taxids``) writes numbers with the same per-country modules.
"""

from __future__ import annotations

from types import ModuleType

from stdnum import util
from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.us import ein

from tradewind.shared.taxids import TaxIdStatus, TaxIdVerdict

# Countries whose business tax number is not python-stdnum's 'vat' module (the US has no
# VAT; a business files under its EIN, whose first two digits name an IRS campus).
_SPECIAL: dict[str, ModuleType] = {"US": ein}


def stdnum_module(country: str) -> ModuleType | None:
    """The module that validates ``country``'s business tax number (None: no rules)."""
    cc = country.upper()
    found = _SPECIAL.get(cc) or util.get_cc_module(cc.lower(), "vat")
    return found if isinstance(found, ModuleType) else None


class StdnumTaxIdValidator:
    """``TaxIdValidator`` backed by python-stdnum: a VAT number by the country's ``vat``
    module (a GR number carries the ``EL`` prefix, GB's ``gb.vat``), a US EIN by ``us.ein``.
    Formats and checksums only: no register is asked, so ``holder`` is never set."""

    def validate(self, country: str, number: str) -> TaxIdVerdict:
        module = stdnum_module(country)
        raw = "".join(ch for ch in number if ch.isalnum())
        if module is None:
            return TaxIdVerdict(
                TaxIdStatus.UNSUPPORTED_COUNTRY, raw, f"no tax-ID rules for {country}"
            )
        try:
            compact = str(module.validate(number))
        except InvalidChecksum as exc:
            return TaxIdVerdict(TaxIdStatus.INVALID_CHECKSUM, raw, str(exc))
        except ValidationError as exc:
            return TaxIdVerdict(TaxIdStatus.INVALID_FORMAT, raw, str(exc))
        return TaxIdVerdict(TaxIdStatus.VALID, compact)
