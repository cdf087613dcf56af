"""Clearance state machine and its EPCIS-ready step records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tradewind.customs.clearance import BizStep, Clearance, ClearanceState
from tradewind.customs.errors import CustomsError, InvalidTransition
from tradewind.customs.risk import Recommendation, RiskAssessment
from tradewind.shared.money import Money

T0 = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
ZERO = Money(0, "EUR")


def _state(c: Clearance) -> ClearanceState:
    """Read the state through a call so type checkers do not narrow across mutations."""
    return c.state


def _risk(rec: Recommendation, score: int = 0) -> RiskAssessment:
    return RiskAssessment(score=score, findings=(), recommendation=rec)


def test_prepaid_ddp_parcel_is_released_after_risk_check() -> None:
    """Duty/VAT collected at sale: submitted -> risk assessed -> released."""
    c = Clearance.submit("TW-PARCEL-1", "DE:FRA", T0)
    c.apply_risk(_risk(Recommendation.RELEASE), ZERO, T0 + timedelta(minutes=5))
    assert _state(c) == ClearanceState.RELEASED and c.is_final
    assert [s.biz_step for s in c.steps] == [
        BizStep.DECLARING,
        BizStep.RISK_ASSESSING,
        BizStep.RELEASING,
    ]
    rec = c.steps[-1].to_record()
    assert rec["bizStep"] == "urn:tradewind:bizstep:customs_releasing"
    assert rec["disposition"] == "urn:tradewind:disp:customs_cleared"
    assert rec["trackingStep"] == "customs_cleared"
    assert c.steps[0].to_record()["disposition"] == "https://ref.gs1.org/cbv/Disp-in_progress"
    assert rec["readPoint"] == "urn:tradewind:customs-office:DE:FRA"
    assert [s.sequence for s in c.steps] == [1, 2, 3]


def test_unpaid_duty_is_demanded_then_paid() -> None:
    """Unpaid duty: duty_demanded, then released once the payment covers it."""
    c = Clearance.submit("P2", "GB:LHR", T0)
    c.apply_risk(_risk(Recommendation.RELEASE), Money(1250, "GBP"), T0)
    assert _state(c) == ClearanceState.DUTY_DEMANDED
    held = c.steps[-1].to_record()
    assert (held["bizStep"], held["details"]["reason"]) == (BizStep.HOLDING, "duty_unpaid")
    c.record_payment(Money(1250, "GBP"), T0 + timedelta(hours=1))
    assert _state(c) == ClearanceState.RELEASED
    assert c.steps[-2].biz_step == BizStep.DUTY_PAYING
    assert c.steps[-2].to_record()["trackingStep"] is None


def test_hold_inspection_then_refusal() -> None:
    """Inspect recommendation holds the parcel; a failed inspection refuses it."""
    c = Clearance.submit("P3", "NL:AMS", T0)
    c.apply_risk(_risk(Recommendation.INSPECT, 65), ZERO, T0)
    assert _state(c) == ClearanceState.HELD_FOR_INSPECTION
    assert c.steps[-1].disposition == "urn:tradewind:disp:customs_held"
    c.record_inspection(False, ZERO, T0 + timedelta(hours=2))
    assert _state(c) == ClearanceState.REFUSED
    assert c.steps[-1].details["reason"] == "inspection_failed"
    assert c.steps[-1].disposition == "https://ref.gs1.org/cbv/Disp-non_conformant"


def test_refuse_recommendation_and_forbidden_transitions() -> None:
    """A refused or released clearance accepts no further step."""
    c = Clearance.submit("P4", "US:JFK", T0)
    c.apply_risk(_risk(Recommendation.REFUSE, 120), ZERO, T0)
    assert _state(c) == ClearanceState.REFUSED
    with pytest.raises(InvalidTransition) as info:
        c.record_payment(Money(1, "USD"), T0)
    assert info.value.code == CustomsError.INVALID_TRANSITION
    with pytest.raises(InvalidTransition):
        c.refuse("again", T0)


def test_steps_cannot_go_back_in_time() -> None:
    """Event times are monotonic."""
    c = Clearance.submit("P5", "JP:NRT", T0)
    with pytest.raises(InvalidTransition):
        c.apply_risk(_risk(Recommendation.RELEASE), ZERO, T0 - timedelta(seconds=1))
