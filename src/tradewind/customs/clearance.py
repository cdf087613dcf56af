"""Clearance workflow: a small state machine that records one plain step per transition.

::

    submitted --risk check--> released | held_for_inspection | duty_demanded | refused
    held_for_inspection --inspection--> released | duty_demanded | refused
    duty_demanded --payment--> released;   duty_demanded --abandoned--> refused

Every transition appends a :class:`ClearanceStep` carrying a bizStep and disposition URI
(``urn:tradewind:bizstep:customs_*`` / ``urn:tradewind:disp:customs_*``, the same URIs as
``tradewind.tracking.vocabulary`` plus three finer clearance steps, documented in
``docs/customs.md``) and the tracking step name, so tracking can emit EPCIS ObjectEvents.
Time is always passed in; nothing here reads a clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from tradewind.customs.errors import InvalidAmount, InvalidTransition
from tradewind.customs.risk import Recommendation, RiskAssessment
from tradewind.shared.money import Money

BIZSTEP_NS = "urn:tradewind:bizstep:"
DISP_NS = "urn:tradewind:disp:"
CBV = "https://ref.gs1.org/cbv/"


class ClearanceState(StrEnum):
    SUBMITTED = "submitted"
    HELD_FOR_INSPECTION = "held_for_inspection"
    DUTY_DEMANDED = "duty_demanded"
    RELEASED = "released"
    REFUSED = "refused"


class BizStep(StrEnum):
    """bizStep URIs; the first four are the ones ``tradewind.tracking.vocabulary`` defines."""

    DECLARING = BIZSTEP_NS + "customs_declaring"
    HOLDING = BIZSTEP_NS + "customs_holding"
    RELEASING = BIZSTEP_NS + "customs_releasing"
    REFUSING = BIZSTEP_NS + "customs_refusing"
    # Finer steps of the clearance itself (not yet in the tracking vocabulary).
    RISK_ASSESSING = BIZSTEP_NS + "customs_risk_assessing"
    INSPECTING = BIZSTEP_NS + "customs_inspecting"
    DUTY_PAYING = BIZSTEP_NS + "customs_duty_paying"


# The tracking context's step name for each bizStep (None: no tracking step yet).
TRACKING_STEP: Mapping[BizStep, str | None] = {
    BizStep.DECLARING: "customs_declared",
    BizStep.HOLDING: "customs_held",
    BizStep.RELEASING: "customs_cleared",
    BizStep.REFUSING: "customs_refused",
    BizStep.RISK_ASSESSING: None,
    BizStep.INSPECTING: None,
    BizStep.DUTY_PAYING: None,
}

_DISPOSITION: Mapping[ClearanceState, str] = {
    ClearanceState.SUBMITTED: CBV + "Disp-in_progress",
    ClearanceState.HELD_FOR_INSPECTION: DISP_NS + "customs_held",
    ClearanceState.DUTY_DEMANDED: DISP_NS + "customs_held",
    ClearanceState.RELEASED: DISP_NS + "customs_cleared",
    ClearanceState.REFUSED: CBV + "Disp-non_conformant",
}

_ALLOWED: Mapping[ClearanceState, frozenset[ClearanceState]] = {
    ClearanceState.SUBMITTED: frozenset(
        {
            ClearanceState.RELEASED,
            ClearanceState.HELD_FOR_INSPECTION,
            ClearanceState.DUTY_DEMANDED,
            ClearanceState.REFUSED,
        }
    ),
    ClearanceState.HELD_FOR_INSPECTION: frozenset(
        {ClearanceState.RELEASED, ClearanceState.DUTY_DEMANDED, ClearanceState.REFUSED}
    ),
    ClearanceState.DUTY_DEMANDED: frozenset({ClearanceState.RELEASED, ClearanceState.REFUSED}),
    ClearanceState.RELEASED: frozenset(),
    ClearanceState.REFUSED: frozenset(),
}


@dataclass(frozen=True, slots=True)
class ClearanceStep:
    """One physical/customs step, in the shape tracking needs for an EPCIS ObjectEvent."""

    consignment: str
    sequence: int
    biz_step: str
    disposition: str
    state: ClearanceState
    at: datetime
    read_point: str
    details: Mapping[str, str] = field(default_factory=dict)

    def to_record(self) -> dict[str, Any]:
        return {
            "consignment": self.consignment,
            "sequence": self.sequence,
            "trackingStep": TRACKING_STEP[BizStep(self.biz_step)],
            "bizStep": self.biz_step,
            "disposition": self.disposition,
            "state": str(self.state),
            "eventTime": self.at.isoformat(),
            "readPoint": self.read_point,
            "details": dict(self.details),
        }


@dataclass
class Clearance:
    """The clearance of one consignment at one customs office."""

    consignment: str
    office: str
    state: ClearanceState = ClearanceState.SUBMITTED
    duty_due: Money | None = None
    steps: list[ClearanceStep] = field(default_factory=list)

    @classmethod
    def submit(cls, consignment: str, office: str, at: datetime) -> Clearance:
        """Open a clearance with the declaration lodged (``office``: e.g. ``DE:FRA``)."""
        if at.tzinfo is None:
            raise InvalidAmount("clearance times must be timezone-aware")
        clearance = cls(consignment=consignment, office=office)
        clearance._record(BizStep.DECLARING, at, {})
        return clearance

    def apply_risk(self, assessment: RiskAssessment, duty_outstanding: Money, at: datetime) -> None:
        """Route on the risk outcome; duty still unpaid (not collected at sale) is demanded."""
        self._expect(ClearanceState.SUBMITTED)
        detail = {"score": str(assessment.score), "reasons": ",".join(assessment.reasons())}
        self._record(BizStep.RISK_ASSESSING, at, detail)
        if assessment.recommendation == Recommendation.REFUSE:
            self._move(ClearanceState.REFUSED, BizStep.REFUSING, at, {"reason": "risk_refused"})
        elif assessment.recommendation == Recommendation.INSPECT:
            held = {"reason": "risk_inspection", "score": detail["score"]}
            self._move(ClearanceState.HELD_FOR_INSPECTION, BizStep.HOLDING, at, held)
        else:
            self._settle(duty_outstanding, at)

    def record_inspection(self, passed: bool, duty_outstanding: Money, at: datetime) -> None:
        """Inspection outcome: failed goods are refused, others go on to duty or release."""
        self._expect(ClearanceState.HELD_FOR_INSPECTION)
        self._record(BizStep.INSPECTING, at, {"passed": str(passed).lower()})
        if not passed:
            self._move(
                ClearanceState.REFUSED, BizStep.REFUSING, at, {"reason": "inspection_failed"}
            )
        else:
            self._settle(duty_outstanding, at)

    def record_payment(self, paid: Money, at: datetime) -> None:
        """Duty/VAT paid: release once the full demanded amount is covered."""
        self._expect(ClearanceState.DUTY_DEMANDED)
        assert self.duty_due is not None
        if paid.is_negative() or paid < self.duty_due:
            raise InvalidAmount(f"payment {paid.amount} does not cover {self.duty_due.amount}")
        self._record(BizStep.DUTY_PAYING, at, {"paid_minor": str(paid.amount)})
        self._move(ClearanceState.RELEASED, BizStep.RELEASING, at, {})

    def refuse(self, reason: str, at: datetime) -> None:
        """Refuse entry (abandoned, prohibited goods, unpaid duty ...)."""
        self._move(ClearanceState.REFUSED, BizStep.REFUSING, at, {"reason": reason})

    @property
    def is_final(self) -> bool:
        return not _ALLOWED[self.state]

    def _settle(self, duty_outstanding: Money, at: datetime) -> None:
        if duty_outstanding.is_negative():
            raise InvalidAmount("outstanding duty cannot be negative")
        if duty_outstanding.amount > 0:
            self.duty_due = duty_outstanding
            detail = {
                "reason": "duty_unpaid",
                "amount_minor": str(duty_outstanding.amount),
                "currency": duty_outstanding.currency,
            }
            self._move(ClearanceState.DUTY_DEMANDED, BizStep.HOLDING, at, detail)
        else:
            self._move(ClearanceState.RELEASED, BizStep.RELEASING, at, {})

    def _expect(self, state: ClearanceState) -> None:
        if self.state != state:
            raise InvalidTransition(f"clearance is {self.state}, expected {state}")

    def _move(
        self, to: ClearanceState, step: BizStep, at: datetime, details: Mapping[str, str]
    ) -> None:
        if to not in _ALLOWED[self.state]:
            raise InvalidTransition(f"cannot go from {self.state} to {to}")
        self.state = to
        self._record(step, at, details)

    def _record(self, step: BizStep, at: datetime, details: Mapping[str, str]) -> None:
        if self.steps and at < self.steps[-1].at:
            raise InvalidTransition("clearance steps must not go back in time")
        self.steps.append(
            ClearanceStep(
                consignment=self.consignment,
                sequence=len(self.steps) + 1,
                biz_step=str(step),
                disposition=_DISPOSITION[self.state],
                state=self.state,
                at=at,
                read_point=f"urn:tradewind:customs-office:{self.office}",
                details=dict(details),
            )
        )
