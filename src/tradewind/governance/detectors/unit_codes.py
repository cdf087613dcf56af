"""Serialized unit codes, Transparency-like.

The brand enrols a product and issues one code per unit; fulfillment centers scan the code at
receiving. A unit with a missing, unknown, foreign (another product's) or already-received code
is blocked. The ledger is the aggregate; its repository is a port.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from tradewind.governance.errors import UnitCodeConflict
from tradewind.governance.scores import Detector, DetectorScore, Evidence, Subject, SubjectKind

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O/1/I: codes are read by people too


class ScanVerdict(StrEnum):
    ACCEPT = "accept"
    NOT_ENROLLED = "not_enrolled"  # the product does not use codes: nothing to check
    MISSING = "missing"
    UNKNOWN = "unknown"
    WRONG_PRODUCT = "wrong_product"
    REUSED = "reused"

    @property
    def blocks(self) -> bool:
        return self not in (ScanVerdict.ACCEPT, ScanVerdict.NOT_ENROLLED)


@dataclass(frozen=True, slots=True)
class ScanResult:
    unit_id: str
    code: str | None
    verdict: ScanVerdict
    detail: str


@dataclass(slots=True)
class UnitCodeLedger:
    """Codes issued per product and the first receiving scan of each code."""

    enrolled: dict[str, str] = field(default_factory=dict)  # product -> brand
    issued: dict[str, str] = field(default_factory=dict)  # code -> product
    received: dict[str, tuple[str, str, datetime]] = field(default_factory=dict)  # code -> scan

    def enrol(self, brand_id: str, product_id: str) -> None:
        owner = self.enrolled.get(product_id)
        if owner is not None and owner != brand_id:
            raise UnitCodeConflict(f"product {product_id} is enrolled by brand {owner}")
        self.enrolled[product_id] = brand_id

    def issue(self, brand_id: str, product_id: str, count: int, rng: random.Random) -> list[str]:
        """Issue ``count`` fresh 12-character codes for an enrolled product."""
        if self.enrolled.get(product_id) != brand_id:
            raise UnitCodeConflict(f"brand {brand_id} has not enrolled product {product_id}")
        codes: list[str] = []
        while len(codes) < count:
            code = "".join(rng.choice(_ALPHABET) for _ in range(12))
            if code not in self.issued:
                self.issued[code] = product_id
                codes.append(code)
        return codes

    def scan(
        self, unit_id: str, product_id: str, code: str | None, *, fc_id: str, at: datetime
    ) -> ScanResult:
        """Check a unit at receiving; an accepted code is consumed (a second scan is reuse)."""
        if product_id not in self.enrolled:
            return ScanResult(unit_id, code, ScanVerdict.NOT_ENROLLED, "product not enrolled")
        if not code:
            return ScanResult(unit_id, code, ScanVerdict.MISSING, "enrolled product, no code")
        owner = self.issued.get(code)
        if owner is None:
            return ScanResult(unit_id, code, ScanVerdict.UNKNOWN, "code was never issued")
        if owner != product_id:
            return ScanResult(
                unit_id, code, ScanVerdict.WRONG_PRODUCT, f"code belongs to product {owner}"
            )
        first = self.received.get(code)
        if first is not None:
            prev_unit, prev_fc, prev_at = first
            return ScanResult(
                unit_id,
                code,
                ScanVerdict.REUSED,
                f"code already received as {prev_unit} at {prev_fc} on {prev_at.isoformat()}",
            )
        self.received[code] = (unit_id, fc_id, at)
        return ScanResult(unit_id, code, ScanVerdict.ACCEPT, "code valid and first seen")


def score_scan(result: ScanResult, seller_id: str) -> DetectorScore:
    """A blocked scan is a fact, not a guess: score 1 with the verdict as evidence."""
    subject = Subject(SubjectKind.UNIT, result.unit_id)
    if not result.verdict.blocks:
        return DetectorScore(Detector.UNIT_CODE, subject, 0.0)
    evidence = (
        Evidence("unit_code_rejected", f"{result.verdict}: {result.detail}", 1.0),
        Evidence(f"unit_code_{result.verdict}", f"inbound from seller {seller_id}", 1.0),
    )
    return DetectorScore(Detector.UNIT_CODE, subject, 1.0, evidence)
