"""GS1-style identifiers under the Tradewind company prefix.

* units: SGTIN ``urn:epc:id:sgtin:<company prefix>.<indicator+item ref>.<serial>``
* packages and containers (totes, gaylords, pallets): SSCC ``urn:epc:id:sscc:<cp>.<ext+serial>``
  with extension digit 0 for customer packages and 1 for network containers
* trailers, vans and other reusable assets: GIAI ``urn:epc:id:giai:<cp>.<asset ref>``
* locations: SGLN ``urn:epc:id:sgln:<cp>.<location ref>.<extension>`` where the location
  reference names the *kind* of place and the extension carries the Tradewind location id
* business transactions (orders, returns): CBV ``urn:epcglobal:cbv:bt:<GLN>:<id>``

The company prefix ``952123`` lies in GS1's ``952`` range, reserved for demonstrations and
examples, so no real trading partner is impersonated. ``docs/tracking.md`` has the full table.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from tradewind.tracking.errors import InvalidIdentifier

TRADEWIND_COMPANY_PREFIX: Final = "952123"
PACKAGE_EXTENSION_DIGIT: Final = 0
CONTAINER_EXTENSION_DIGIT: Final = 1

_TOKEN = re.compile(r"[A-Za-z0-9_-]+")
_DIGITS = re.compile(r"[0-9]+")
_MAX_GLN_EXTENSION = 20
_MAX_SERIAL = 20
_GIAI_LENGTH = 30


class LocationKind(StrEnum):
    """Kinds of Tradewind places; each maps to one SGLN location reference (see ``sgln``)."""

    FULFILLMENT_CENTER = "fulfillment_center"
    SORT_CENTER = "sort_center"
    DELIVERY_STATION = "delivery_station"
    GATEWAY = "gateway"
    CUSTOMS_FACILITY = "customs_facility"
    SELLER_SITE = "seller_site"
    CUSTOMER_ADDRESS = "customer_address"


_LOCATION_REF: Final[dict[LocationKind, str]] = {
    LocationKind.FULFILLMENT_CENTER: "100000",
    LocationKind.SORT_CENTER: "200000",
    LocationKind.DELIVERY_STATION: "300000",
    LocationKind.GATEWAY: "400000",
    LocationKind.CUSTOMS_FACILITY: "500000",
    LocationKind.SELLER_SITE: "600000",
    LocationKind.CUSTOMER_ADDRESS: "900000",
}
_KIND_BY_REF: Final = {ref: kind for kind, ref in _LOCATION_REF.items()}


def gs1_check_digit(digits: str) -> int:
    """The GS1 mod-10 check digit of a digit string (GTIN, GLN, SSCC without the check digit)."""
    if not _DIGITS.fullmatch(digits):
        raise InvalidIdentifier(f"GS1 keys are digits only, got {digits!r}")
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def _company_prefix(prefix: str) -> str:
    if not _DIGITS.fullmatch(prefix) or not 6 <= len(prefix) <= 12:
        raise InvalidIdentifier(f"a GS1 company prefix has 6 to 12 digits, got {prefix!r}")
    return prefix


def _token(value: str, what: str, max_len: int) -> str:
    if not _TOKEN.fullmatch(value) or len(value) > max_len:
        raise InvalidIdentifier(
            f"{what} must be 1-{max_len} characters of A-Z a-z 0-9 _ -, got {value!r}"
        )
    return value


# --- locations ------------------------------------------------------------------------------


def location_extension(location_id: str) -> str:
    """The SGLN extension for a Tradewind location id.

    Ids of up to 20 characters from ``A-Z a-z 0-9 _ -`` are used as they are. Longer ids become
    ``h`` + the first 19 hex digits of their SHA-256 (deterministic, 76 bits), because a GLN
    extension holds at most 20 characters.
    """
    if not _TOKEN.fullmatch(location_id):
        raise InvalidIdentifier(f"location ids use A-Z a-z 0-9 _ -, got {location_id!r}")
    if len(location_id) <= _MAX_GLN_EXTENSION:
        return location_id
    return "h" + hashlib.sha256(location_id.encode()).hexdigest()[: _MAX_GLN_EXTENSION - 1]


def sgln(kind: LocationKind, location_id: str) -> str:
    """SGLN URI of a Tradewind place, e.g. ``urn:epc:id:sgln:952123.100000.FC-SEA1``."""
    ref = _LOCATION_REF[LocationKind(kind)]
    return f"urn:epc:id:sgln:{TRADEWIND_COMPANY_PREFIX}.{ref}.{location_extension(location_id)}"


@dataclass(frozen=True, slots=True)
class ParsedLocation:
    kind: LocationKind
    extension: str


def parse_sgln(uri: str) -> ParsedLocation:
    """Read back the kind and extension of an SGLN made by ``sgln``."""
    prefix = f"urn:epc:id:sgln:{TRADEWIND_COMPANY_PREFIX}."
    if not uri.startswith(prefix):
        raise InvalidIdentifier(f"not a Tradewind SGLN: {uri!r}")
    ref, _, extension = uri[len(prefix) :].partition(".")
    if ref not in _KIND_BY_REF or not extension:
        raise InvalidIdentifier(f"not a Tradewind SGLN: {uri!r}")
    return ParsedLocation(_KIND_BY_REF[ref], extension)


def tradewind_gln() -> str:
    """Tradewind's own 13-digit GLN (legal entity), used in business transaction URIs."""
    body = TRADEWIND_COMPANY_PREFIX.ljust(12, "0")
    return f"{body}{gs1_check_digit(body)}"


# --- trade items, logistic units, assets ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Gtin:
    """A GTIN split the way EPC URIs need it: company prefix + (indicator digit + item ref)."""

    company_prefix: str
    item_ref: str

    def __post_init__(self) -> None:
        _company_prefix(self.company_prefix)
        if not _DIGITS.fullmatch(self.item_ref) or len(self.company_prefix + self.item_ref) != 13:
            raise InvalidIdentifier(
                "company prefix + indicator/item reference must be 13 digits, "
                f"got {self.company_prefix!r} + {self.item_ref!r}"
            )

    @classmethod
    def tradewind(cls, item_number: int) -> Gtin:
        """A Tradewind-labelled item (like an FBA network label): item numbers 0..999_999."""
        width = 13 - len(TRADEWIND_COMPANY_PREFIX) - 1
        if not 0 <= item_number < 10**width:
            raise InvalidIdentifier(f"item_number must be in 0..{10**width - 1}, got {item_number}")
        return cls(TRADEWIND_COMPANY_PREFIX, "0" + str(item_number).zfill(width))

    @classmethod
    def from_gtin14(cls, gtin14: str, prefix_length: int) -> Gtin:
        """Split a brand owner's GTIN-14 (check digit verified) at its company prefix length."""
        if not _DIGITS.fullmatch(gtin14) or len(gtin14) != 14:
            raise InvalidIdentifier(f"a GTIN-14 has 14 digits, got {gtin14!r}")
        if gs1_check_digit(gtin14[:13]) != int(gtin14[13]):
            raise InvalidIdentifier(f"bad check digit in GTIN {gtin14!r}")
        indicator, rest = gtin14[0], gtin14[1:13]
        return cls(rest[:prefix_length], indicator + rest[prefix_length:])

    @property
    def gtin14(self) -> str:
        body = self.item_ref[0] + self.company_prefix + self.item_ref[1:]
        return f"{body}{gs1_check_digit(body)}"

    @property
    def epc_class(self) -> str:
        """The EPC pattern of every serialised unit of this item (what "a SKU" is to tracking)."""
        return f"urn:epc:idpat:sgtin:{self.company_prefix}.{self.item_ref}.*"


def sgtin(gtin: Gtin, serial: str) -> str:
    """EPC of one serialised unit, e.g. ``urn:epc:id:sgtin:952123.0000042.U7``."""
    _token(serial, "an SGTIN serial", _MAX_SERIAL)
    return f"urn:epc:id:sgtin:{gtin.company_prefix}.{gtin.item_ref}.{serial}"


def sscc(serial: int, extension_digit: int = PACKAGE_EXTENSION_DIGIT) -> str:
    """EPC of a logistic unit under the Tradewind prefix (packages: ext 0, containers: ext 1)."""
    width = 17 - len(TRADEWIND_COMPANY_PREFIX) - 1
    if not 0 <= extension_digit <= 9 or not 0 <= serial < 10**width:
        raise InvalidIdentifier(f"SSCC serial must be in 0..{10**width - 1}, got {serial}")
    return f"urn:epc:id:sscc:{TRADEWIND_COMPANY_PREFIX}.{extension_digit}{str(serial).zfill(width)}"


def giai(asset_ref: str) -> str:
    """EPC of a Tradewind asset (trailer, van, ULD), e.g. ``urn:epc:id:giai:952123.TRL-0042``."""
    _token(asset_ref, "a GIAI asset reference", _GIAI_LENGTH - len(TRADEWIND_COMPANY_PREFIX))
    return f"urn:epc:id:giai:{TRADEWIND_COMPANY_PREFIX}.{asset_ref}"


def epc_class(epc: str) -> str | None:
    """The item class pattern of an SGTIN (``...idpat:sgtin:cp.item.*``); None for other EPCs."""
    head = "urn:epc:id:sgtin:"
    if not epc.startswith(head):
        return None
    parts = epc[len(head) :].split(".")
    if len(parts) != 3:
        return None
    return f"urn:epc:idpat:sgtin:{parts[0]}.{parts[1]}.*"


class SsccAllocator:
    """Hands out consecutive SSCCs for one extension digit (deterministic for a given start)."""

    def __init__(self, extension_digit: int = PACKAGE_EXTENSION_DIGIT, start: int = 1) -> None:
        self._extension_digit = extension_digit
        self._next = start

    def next(self) -> str:
        epc = sscc(self._next, self._extension_digit)
        self._next += 1
        return epc


# --- business transactions ------------------------------------------------------------------


def order_transaction(order_id: str) -> str:
    """CBV business transaction id of a customer order: ``urn:epcglobal:cbv:bt:<GLN>:<id>``."""
    _token(order_id, "an order id", 64)
    return f"urn:epcglobal:cbv:bt:{tradewind_gln()}:{order_id}"


def return_transaction(return_id: str) -> str:
    """CBV business transaction id of a return authorisation (``rma``)."""
    return order_transaction(return_id)
