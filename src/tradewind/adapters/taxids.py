"""Tax-ID validation with python-stdnum (checksums and formats per country)."""

from __future__ import annotations

from types import ModuleType

from stdnum import util
from stdnum.exceptions import ValidationError
from stdnum.us import ein

from tradewind.marketplace.errors import InvalidTaxId
from tradewind.marketplace.model import TaxId

# Countries whose business tax number is not python-stdnum's 'vat' module.
_SPECIAL: dict[str, ModuleType] = {"US": ein}


def _module(country: str) -> ModuleType | None:
    found = _SPECIAL.get(country) or util.get_cc_module(country.lower(), "vat")
    return found if isinstance(found, ModuleType) else None


class StdnumTaxIdValidator:
    """Validates a seller's tax number for its country; unsupported countries are refused
    rather than waved through (a stricter default for a platform fighting tax fraud)."""

    def normalise(self, tax_id: TaxId) -> TaxId:
        module = _module(tax_id.country.upper())
        if module is None:
            raise InvalidTaxId(
                f"no tax-ID validator for country {tax_id.country}",
                errors=[{"field": "tax_ids", "country": tax_id.country}],
            )
        try:
            number = module.validate(tax_id.number)
        except ValidationError as exc:
            raise InvalidTaxId(
                f"{tax_id.country} tax ID {tax_id.number!r} is invalid: {exc}",
                errors=[{"field": "tax_ids", "country": tax_id.country, "reason": str(exc)}],
            ) from exc
        return TaxId(tax_id.country.upper(), str(number))
