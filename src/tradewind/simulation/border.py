"""Cross-border parcels at the border: what sellers declare and the clearance each parcel goes
through. Pure and seeded.

A parcel a foreign seller ships itself arrives at the destination site's air gateway with a
declaration. The customs context scores its risk (undervaluation against the sale price, HS
code against the description, the sender's history, denied-party screening) before it gets
here; this module plays out what happens next with the customs ``Clearance`` state machine:

* released straight away (the duty and VAT were collected at sale: the platform ships DDP);
* held for inspection: when the risk score says so, or by random selection of low-risk parcels;
  an inspection takes 12-72 hours; goods fail it (prohibited, counterfeit, misdescribed) with a
  small probability, a possible denied-party match far more often;
* an undervalued parcel that is inspected gets the duty and VAT its declaration avoided
  demanded; the seller pays within two days or abandons the parcel, which is then refused.

The probabilities are modelling assumptions (documented in docs/customs.md), not statistics.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from tradewind.customs.api import (
    TRACKING_STEP,
    BizStep,
    Clearance,
    ClearanceState,
    Recommendation,
    RiskAssessment,
    RiskReason,
    select_for_inspection,
)
from tradewind.shared.money import Money

P_UNDERDECLARING_SELLER = 0.05  # share of cross-border sellers that declare below the price
UNDERDECLARED_FRACTION = (0.3, 0.6)  # ... and the share of the price they declare
P_RANDOM_INSPECTION = 0.02  # low-risk parcels inspected anyway
P_INSPECTION_FAILS = 0.03  # a held parcel's goods turn out prohibited or counterfeit
P_DENIED_PARTY_FAILS = 0.5  # a possible denied-party match is confirmed at inspection
P_DUTY_ABANDONED = 0.1  # the seller does not pay the reassessed duty
ASSESSMENT_HOURS = (1.0, 4.0)
INSPECTION_HOURS = (12.0, 72.0)
PAYMENT_HOURS = (12.0, 48.0)
ABANDON_AFTER_HOURS = 120.0


@dataclass(frozen=True, slots=True)
class BorderCheck:
    """What customs knows of one parcel when it arrives: office, risk and the duty gap."""

    office: str  # customs office, e.g. ``DE:DEFRA``
    assessment: RiskAssessment
    duty_gap: Money  # duty + VAT the declared value avoids (zero when declared at the price)


@dataclass(frozen=True, slots=True)
class BorderEvent:
    """One clearance step in tracking terms."""

    at: datetime
    step: str  # customs_declared | customs_held | customs_cleared | customs_refused
    reason: str | None = None


def declared_fraction(seller_id: str, seed: int) -> float:
    """Share of the sale price a seller declares: 1.0 for most, less for under-declarers.

    A trait of the seller (the same on every parcel), drawn from its own seeded stream."""
    rng = random.Random(f"{seed}:declares:{seller_id}")
    if rng.random() < P_UNDERDECLARING_SELLER:
        return round(rng.uniform(*UNDERDECLARED_FRACTION), 2)
    return 1.0


def clear_parcel(
    check: BorderCheck, consignment: str, arrival: datetime, rng: random.Random
) -> tuple[ClearanceState, list[BorderEvent]]:
    """Play out one parcel's clearance from its arrival; returns the final state and steps."""
    clearance = Clearance.submit(consignment, check.office, arrival)
    nothing = Money.zero(check.duty_gap.currency)
    t = arrival + _hours(rng.uniform(*ASSESSMENT_HOURS))
    assessment = check.assessment
    if assessment.recommendation == Recommendation.RELEASE and rng.random() < P_RANDOM_INSPECTION:
        assessment = select_for_inspection(assessment)
    clearance.apply_risk(assessment, nothing, t)
    if clearance.state == ClearanceState.HELD_FOR_INSPECTION:
        t += _hours(rng.uniform(*INSPECTION_HOURS))
        reasons = set(assessment.reasons())
        fails = (
            P_DENIED_PARTY_FAILS
            if RiskReason.DENIED_PARTY_POSSIBLE in reasons
            else P_INSPECTION_FAILS
        )
        passed = rng.random() >= fails
        # The inspection finds the real value of the goods: what it avoided is now due.
        clearance.record_inspection(passed, check.duty_gap if passed else nothing, t)
    if clearance.state == ClearanceState.DUTY_DEMANDED:
        if rng.random() < P_DUTY_ABANDONED:
            clearance.refuse("duty_unpaid_abandoned", t + _hours(ABANDON_AFTER_HOURS))
        else:
            due = clearance.duty_due or nothing
            clearance.record_payment(due, t + _hours(rng.uniform(*PAYMENT_HOURS)))
    return clearance.state, _events(clearance)


def _events(clearance: Clearance) -> list[BorderEvent]:
    events = []
    for step in clearance.steps:
        tracking = TRACKING_STEP[BizStep(step.biz_step)]
        if tracking is not None:
            events.append(BorderEvent(step.at, tracking, step.details.get("reason")))
    return events


def _hours(h: float) -> timedelta:
    return timedelta(hours=h)
