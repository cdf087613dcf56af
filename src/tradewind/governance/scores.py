"""Detector scores and the evidence behind them.

A detector never acts: it returns a :class:`DetectorScore` in ``[0, 1]`` with the named,
human-readable evidence that produced it. Policy rules (``policy.py``) decide whether a score
and its evidence are enough to open a case.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from math import isfinite

from tradewind.governance.errors import InvalidScore


class Detector(StrEnum):
    BRUSHING = "brushing"
    FAKE_REVIEW = "fake_review"
    REVIEWER_ACCOUNT = "reviewer_account"
    FOLLOW_SELL = "follow_sell"
    UNIT_CODE = "unit_code"
    COUNTERFEIT = "counterfeit"  # inbound risk where unit codes cannot decide
    TAX_ID = "tax_id"
    UNDERVALUATION = "undervaluation"


class SubjectKind(StrEnum):
    SELLER = "seller"
    OFFER = "offer"
    ACCOUNT = "account"
    REVIEW = "review"
    UNIT = "unit"
    ORDER = "order"
    SHIPMENT = "shipment"


@dataclass(frozen=True, slots=True)
class Subject:
    """What a score or a case is about (``Subject(SubjectKind.OFFER, "off_1")``)."""

    kind: SubjectKind
    ref: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.ref}"


@dataclass(frozen=True, slots=True)
class Evidence:
    """One named signal. ``weight`` in ``(0, 1]`` is its stand-alone probability of fraud."""

    code: str
    detail: str
    weight: float

    def __post_init__(self) -> None:
        if not self.code:
            raise InvalidScore("evidence needs a code")
        if not isfinite(self.weight) or not 0.0 < self.weight <= 1.0:
            raise InvalidScore(f"evidence weight must be in (0, 1], got {self.weight!r}")


@dataclass(frozen=True, slots=True)
class DetectorScore:
    """A detector's verdict on one subject; ``score`` in ``[0, 1]``, higher is riskier."""

    detector: Detector
    subject: Subject
    score: float
    evidence: tuple[Evidence, ...] = ()
    model_version: str = "rules-v1"

    def __post_init__(self) -> None:
        if not isfinite(self.score) or not 0.0 <= self.score <= 1.0:
            raise InvalidScore(f"score must be in [0, 1], got {self.score!r}")
        if self.score > 0.0 and not self.evidence:
            raise InvalidScore("a non-zero score must name its evidence")

    @property
    def evidence_codes(self) -> frozenset[str]:
        return frozenset(e.code for e in self.evidence)


def noisy_or(evidence: tuple[Evidence, ...] | list[Evidence]) -> float:
    """Combine independent signals: ``1 - prod(1 - w)``; one signal per code counts once."""
    best: dict[str, float] = {}
    for e in evidence:
        best[e.code] = max(best.get(e.code, 0.0), e.weight)
    miss = 1.0
    for w in best.values():
        miss *= 1.0 - w
    return 1.0 - miss


def score_from_evidence(
    detector: Detector, subject: Subject, evidence: list[Evidence], *, version: str = "rules-v1"
) -> DetectorScore:
    """Build a score whose value is the noisy-or of its evidence."""
    return DetectorScore(detector, subject, noisy_or(evidence), tuple(evidence), version)
