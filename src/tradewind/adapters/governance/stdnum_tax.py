"""``TaxIdValidator`` backed by python-stdnum's per-country VAT modules."""

from __future__ import annotations

from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.util import get_cc_module

from tradewind.governance.ports import TaxIdStatus, TaxIdVerdict

# ISO code -> stdnum module prefix where they differ.
_CC_MODULE = {"GR": "gr", "GB": "gb"}


class StdnumTaxIdValidator:
    """Validates VAT / business tax numbers with python-stdnum checksums and formats."""

    def validate(self, country: str, number: str) -> TaxIdVerdict:
        cc = _CC_MODULE.get(country.upper(), country.lower())
        module = get_cc_module(cc, "vat")
        raw = "".join(ch for ch in number if ch.isalnum())
        if module is None:
            return TaxIdVerdict(TaxIdStatus.UNSUPPORTED_COUNTRY, raw, f"no VAT rules for {country}")
        try:
            compact = str(module.validate(number))
        except InvalidChecksum as exc:
            return TaxIdVerdict(TaxIdStatus.INVALID_CHECKSUM, raw, str(exc))
        except ValidationError as exc:
            return TaxIdVerdict(TaxIdStatus.INVALID_FORMAT, raw, str(exc))
        return TaxIdVerdict(TaxIdStatus.VALID, compact)
