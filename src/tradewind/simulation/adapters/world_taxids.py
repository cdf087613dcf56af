"""Tax numbers for the generated world, made valid (or deliberately flawed) with python-stdnum.

The world generator decides *which* registrations a seller holds (``TaxRegistration``, pure);
this adapter writes the numbers. A number is drawn from a per-country template of random
characters, then its check position(s) are fixed by trying candidates against stdnum's
``is_valid`` (``adapters.taxids.stdnum_module``: the modules registration and the governance
scan validate with). Each number depends only on (seed, seller, declared country), so a
world's numbers are the same on every build.

Countries without a stdnum module: the UAE (``AE``, only the 1P retail account of the AE site)
gets a plausible 15-digit TRN ("100" + 12 digits; a TRN carries no public check digit).
For the US, stdnum's EIN module checks the campus prefix; an EIN has no check digit.

Storage form: EU/GB VAT numbers with their VAT prefix (``DE123456789``, ``GB...``), as a seller
types them; other countries in stdnum's compact form.
"""

from __future__ import annotations

import itertools
import random
import string
from dataclasses import dataclass
from types import ModuleType

from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.fr import siren

from tradewind.platform.taxids import stdnum_module
from tradewind.simulation.world_bad_actors import EU_VAT_SITES, TaxFlaw, TaxRegistration

_DIGITS = string.digits
_ALNUM = string.digits + string.ascii_uppercase


@dataclass(frozen=True, slots=True)
class _Template:
    """``pattern``: D digit, N non-zero digit, L letter, A letter or digit, anything else
    literal; ``check``: positions fixed by trying candidates against ``is_valid``."""

    pattern: str
    check: tuple[int, ...]
    # A number nested inside, with its own check digit, fixed first: (position, start, module).
    inner: tuple[int, int, ModuleType] | None = None


# Business / VAT numbers per country, compact form. Comments name the stdnum module.
TEMPLATES: dict[str, _Template] = {
    "DE": _Template("NDDDDDDDD", (8,)),  # de.vat: 9 digits, ISO 7064 mod 11,10
    "GB": _Template("NDDDDDDDD", (7, 8)),  # gb.vat: 9 digits, mod 97 pair
    "FR": _Template("DDNDDDDDDDD", (0, 1), (10, 2, siren)),  # fr.tva: 2 checks + SIREN
    "IT": _Template("NDDDDDD0DDD", (10,)),  # it.iva: 7 digits, office 001-099, Luhn
    "ES": _Template("BDDDDDDDD", (8,)),  # es.nif (CIF of a limited company, "B")
    "NL": _Template("NDDDDDDDDB01", (8,)),  # nl.btw: 9 digits (elfproef) + B01
    "CN": _Template("91440300NDDDDDDDDA", (17,)),  # cn.uscc: enterprise, Shenzhen
    "JP": _Template("DNDDDDDDDDDDD", (0,)),  # jp.cn: corporate number, check digit first
    "IN": _Template("27LLLCLNDDDL1ZA", (14,)),  # in_.gstin: Maharashtra, company PAN, Luhn
    "TR": _Template("NDDDDDDDDD", (9,)),  # tr.vkn
    "KR": _Template("NNNNNNNNNN", ()),  # kr.brn: no check digit
    "VN": _Template("0NDDDDDDDD", (9,)),  # vn.mst
    "CA": _Template("NDDDDDDDDRT0001", (8,)),  # ca.bn: BN9 (Luhn) + GST/HST program account
    "MX": _Template("LLLDD0N1NAAA", ()),  # mx.rfc (company): initials, date, homoclave
    "BR": _Template("NDDDDDDD0001DD", (12, 13)),  # br.cnpj: head office "0001", 2 checks
    "AU": _Template("DDNDDDDDDDD", (0, 1)),  # au.abn: 2 leading check digits
    "US": _Template("DDNDDDDDD", (0, 1)),  # us.ein: campus prefix, no check digit
    "AE": _Template("100NDDDDDDDDDDD", ()),  # no stdnum module: plausible TRN format
}


def _fill(pattern: str, rng: random.Random) -> list[str]:
    pools = {"D": _DIGITS, "N": _DIGITS[1:], "L": string.ascii_uppercase, "A": _ALNUM}
    return [rng.choice(pools[c]) if c in pools else c for c in pattern]


def _shuffled(pool: str, rng: random.Random) -> list[str]:
    return rng.sample(pool, len(pool))


def _fix(chars: list[str], inner: tuple[int, int, ModuleType], rng: random.Random) -> bool:
    at, start, module = inner
    for c in _shuffled(_DIGITS, rng):
        chars[at] = c
        if module.is_valid("".join(chars[start:])):
            return True
    return False


def valid_number(country: str, rng: random.Random) -> str:
    """A compact number that stdnum accepts for ``country`` (format only where it has none)."""
    tpl = TEMPLATES[country]
    module = stdnum_module(country)
    for _ in range(1_000):
        chars = _fill(tpl.pattern, rng)
        if module is None:
            return "".join(chars)
        if tpl.inner is not None and not _fix(chars, tpl.inner, rng):
            continue
        # Shuffled: where several candidates pass (an EIN's campus prefix), pick at random.
        pools = [_shuffled(_ALNUM if tpl.pattern[i] == "A" else _DIGITS, rng) for i in tpl.check]
        for combo in itertools.product(*pools):
            for i, c in zip(tpl.check, combo, strict=True):
                chars[i] = c
            if module.is_valid("".join(chars)):
                return "".join(chars)
    raise RuntimeError(f"no valid {country} number from template {tpl.pattern}")


def mistyped(country: str, number: str, rng: random.Random) -> str:
    """``number`` with one digit changed so that stdnum reports a failed checksum (a number
    that was never issued: a typo, or one made up to pass a form)."""
    module = stdnum_module(country)
    if module is None:
        raise ValueError(f"{country} numbers carry no check digit to get wrong")
    places = [i for i, c in enumerate(number) if c.isdigit()]
    for _ in range(1_000):
        i = rng.choice(places)
        candidate = number[:i] + rng.choice(_DIGITS.replace(number[i], "")) + number[i + 1 :]
        try:
            module.validate(candidate)
        except InvalidChecksum:
            return candidate
        except ValidationError:
            continue
    raise RuntimeError(f"could not break the {country} checksum of {number}")


def stored_form(country: str, compact: str) -> str:
    """EU/GB VAT numbers carry their VAT prefix; others stay compact."""
    return f"{country}{compact}" if country in EU_VAT_SITES else compact


class StdnumTaxNumbers:
    """``TaxNumberSource``: deterministic per (seed, seller, declared country)."""

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def __call__(self, reg: TaxRegistration) -> str:
        rng = random.Random(f"{self.seed}:taxid:{reg.seller_id}:{reg.country}")
        compact = valid_number(reg.number_country, rng)
        if reg.flaw is TaxFlaw.CHECKSUM:
            compact = mistyped(reg.number_country, compact, rng)
        if reg.flaw is TaxFlaw.FOREIGN:
            # Given as the other country's VAT number, prefix and all.
            return f"{reg.number_country}{compact}"
        return stored_form(reg.number_country, compact)
