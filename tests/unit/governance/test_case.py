"""The case aggregate: enforcement guards, audit trail and the appeal state machine."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradewind.governance.audit import Actor, ActorKind, verify_chain
from tradewind.governance.case import ActionKind, AppealState, Case, CaseStatus
from tradewind.governance.errors import (
    AppealNotAllowed,
    GovernanceError,
    HumanReviewRequired,
    InvalidAppealTransition,
    InvalidCaseTransition,
)
from tradewind.governance.events import AppealDecided, EnforcementActionReversed
from tradewind.governance.scores import Detector, Evidence, Subject, SubjectKind
from tradewind.governance.scores import score_from_evidence as score
from tradewind.shared.clock import utc
from tradewind.shared.errors import TradewindError
from tradewind.shared.money import Money

SYSTEM = Actor(ActorKind.SYSTEM, "rule:follow-sell")
ALICE = Actor(ActorKind.OPERATOR, "op_alice")
BOB = Actor(ActorKind.OPERATOR, "op_bob")
SELLER = Actor(ActorKind.SELLER, "sel_9")
OFFER = Subject(SubjectKind.OFFER, "off_1")
H = timedelta(hours=1)


def new_case(at: datetime) -> Case:
    s = score(Detector.FOLLOW_SELL, OFFER, [Evidence("unauthorised_seller", "d", 0.5)])
    return Case.open("case_1", OFFER, "sel_9", (s,), rule_id="follow-sell", at=at, actor=SYSTEM)


def test_system_may_suppress_but_not_suspend(t0: datetime) -> None:
    """Rules take reversible actions; suspension needs a human."""
    case = new_case(t0)
    case.take_action(ActionKind.SUPPRESS_OFFER, target=OFFER, reason="r", actor=SYSTEM, at=t0)
    with pytest.raises(HumanReviewRequired) as err:
        case.take_action(
            ActionKind.SUSPEND_SELLER,
            target=Subject(SubjectKind.SELLER, "sel_9"),
            reason="r",
            actor=SYSTEM,
            at=t0,
        )
    assert err.value.code is GovernanceError.HUMAN_REVIEW_REQUIRED
    assert case.status is CaseStatus.ACTIONED


def test_hold_funds_needs_an_amount(t0: datetime) -> None:
    """Holding funds records how much is held."""
    case = new_case(t0)
    with pytest.raises(InvalidCaseTransition):
        case.take_action(ActionKind.HOLD_FUNDS, target=OFFER, reason="r", actor=ALICE, at=t0)
    a = case.take_action(
        ActionKind.HOLD_FUNDS,
        target=OFFER,
        reason="r",
        actor=ALICE,
        at=t0,
        amount=Money(500, "EUR"),
    )
    assert a.amount == Money(500, "EUR")


def test_audit_records_actor_reason_time_and_appeal_path(t0: datetime) -> None:
    """Every action is in the trail with who, why, when and how to appeal."""
    case = new_case(t0)
    assert case.appeal_path.endswith("within 30 days of its first action (none taken yet)")
    case.take_action(ActionKind.SUPPRESS_OFFER, target=OFFER, reason="hijack", actor=SYSTEM, at=t0)
    opened, acted = case.audit
    assert opened.event == "case_opened" and "unauthorised_seller" in opened.reason
    assert acted.actor == SYSTEM and acted.reason == "hijack" and acted.at == t0
    assert (
        "case_1" in acted.appeal_path and (t0 + timedelta(days=30)).isoformat() in acted.appeal_path
    )
    assert verify_chain(case.audit)


def test_tampering_with_the_trail_is_detected(t0: datetime) -> None:
    """Editing an entry breaks the hash chain."""
    case = new_case(t0)
    case.take_action(ActionKind.SUPPRESS_OFFER, target=OFFER, reason="r", actor=SYSTEM, at=t0)
    entries = list(case.audit)
    entries[1] = replace(entries[1], reason="nothing to see")
    assert not verify_chain(tuple(entries))


def test_audit_is_read_only(t0: datetime) -> None:
    """The trail is exposed as a tuple of frozen entries."""
    case = new_case(t0)
    with pytest.raises(AttributeError):
        case.audit.append(case.audit[0])  # type: ignore[attr-defined]


def test_appeal_overturned_reverses_every_action(t0: datetime) -> None:
    """File -> review -> overturn puts the seller back and says so in the trail."""
    case = new_case(t0)
    case.take_action(ActionKind.SUPPRESS_OFFER, target=OFFER, reason="r", actor=SYSTEM, at=t0)
    case.file_appeal(appellant=SELLER, statement="I am authorised, see letter", at=t0 + H)
    case.start_appeal_review(reviewer=ALICE, at=t0 + 2 * H)
    case.decide_appeal(reviewer=ALICE, overturn=True, reason="letter checks out", at=t0 + 3 * H)
    assert case.appeal is AppealState.OVERTURNED
    assert case.status is CaseStatus.REVERSED
    assert case.active_actions() == []
    assert any(isinstance(e, EnforcementActionReversed) for e in case.events)
    assert any(isinstance(e, AppealDecided) for e in case.events)
    assert [e.event for e in case.audit][-2:] == [
        "appeal_overturned",
        "reversed:suppress_offer:offer:off_1",
    ]


def test_only_the_respondent_appeals_within_the_window(t0: datetime) -> None:
    """Strangers and late appeals are refused."""
    case = new_case(t0)
    with pytest.raises(AppealNotAllowed):
        case.file_appeal(appellant=SELLER, statement="s", at=t0)  # nothing actioned yet
    case.take_action(ActionKind.SUPPRESS_OFFER, target=OFFER, reason="r", actor=SYSTEM, at=t0)
    with pytest.raises(AppealNotAllowed):
        case.file_appeal(appellant=Actor(ActorKind.SELLER, "sel_other"), statement="s", at=t0)
    with pytest.raises(AppealNotAllowed):
        case.file_appeal(appellant=SELLER, statement="s", at=t0 + timedelta(days=31))


def test_reviewer_must_not_have_acted(t0: datetime) -> None:
    """Four eyes: the operator who suspended cannot judge the appeal."""
    case = new_case(t0)
    case.take_action(
        ActionKind.SUSPEND_SELLER,
        target=Subject(SubjectKind.SELLER, "sel_9"),
        reason="r",
        actor=ALICE,
        at=t0,
    )
    case.file_appeal(appellant=SELLER, statement="s", at=t0 + H)
    with pytest.raises(AppealNotAllowed):
        case.start_appeal_review(reviewer=ALICE, at=t0 + 2 * H)
    case.start_appeal_review(reviewer=BOB, at=t0 + 2 * H)
    case.decide_appeal(reviewer=BOB, overturn=False, reason="evidence holds", at=t0 + 3 * H)
    assert case.appeal is AppealState.UPHELD and case.status is CaseStatus.ACTIONED


def test_appeal_cannot_skip_review(t0: datetime) -> None:
    """FILED -> UPHELD directly is not a legal move."""
    case = new_case(t0)
    case.take_action(ActionKind.SUPPRESS_OFFER, target=OFFER, reason="r", actor=SYSTEM, at=t0)
    case.file_appeal(appellant=SELLER, statement="s", at=t0)
    with pytest.raises(InvalidAppealTransition):
        case.decide_appeal(reviewer=BOB, overturn=False, reason="r", at=t0 + H)


def test_destroy_units_waits_for_the_appeal_window(t0: datetime) -> None:
    """Irreversible destruction only after the window closes (units are blocked meanwhile)."""
    unit = Subject(SubjectKind.UNIT, "u1")
    case = new_case(t0)
    case.take_action(ActionKind.BLOCK_UNITS, target=unit, reason="r", actor=SYSTEM, at=t0)
    with pytest.raises(InvalidCaseTransition):
        case.take_action(ActionKind.DESTROY_UNITS, target=unit, reason="r", actor=ALICE, at=t0 + H)
    later = t0 + timedelta(days=31)
    case.take_action(ActionKind.DESTROY_UNITS, target=unit, reason="r", actor=ALICE, at=later)
    case.close(actor=ALICE, reason="done", at=later)
    assert case.status is CaseStatus.CLOSED


def test_dismissed_case_takes_no_actions(t0: datetime) -> None:
    """After dismissal nothing more can be done to the subject."""
    case = new_case(t0)
    case.dismiss(actor=ALICE, reason="false positive", at=t0)
    with pytest.raises(InvalidCaseTransition):
        case.take_action(ActionKind.SUPPRESS_OFFER, target=OFFER, reason="r", actor=ALICE, at=t0)


OPS = st.lists(
    st.sampled_from(
        [
            "suppress",
            "suspend_sys",
            "suspend_op",
            "appeal",
            "review",
            "decide",
            "dismiss",
            "close",
            "withdraw",
        ]
    ),
    max_size=12,
)


@given(OPS)
def test_any_operation_sequence_keeps_an_unbroken_trail(ops: list[str]) -> None:
    """Whatever is tried, the trail only grows, stays chained, and refusals leave no trace."""
    t = utc(2026, 1, 1)
    case = new_case(t)
    seller = Subject(SubjectKind.SELLER, "sel_9")
    calls = {
        "suppress": lambda: case.take_action(
            ActionKind.SUPPRESS_OFFER, target=OFFER, reason="r", actor=SYSTEM, at=t
        ),
        "suspend_sys": lambda: case.take_action(
            ActionKind.SUSPEND_SELLER, target=seller, reason="r", actor=SYSTEM, at=t
        ),
        "suspend_op": lambda: case.take_action(
            ActionKind.SUSPEND_SELLER, target=seller, reason="r", actor=ALICE, at=t
        ),
        "appeal": lambda: case.file_appeal(appellant=SELLER, statement="s", at=t),
        "review": lambda: case.start_appeal_review(reviewer=BOB, at=t),
        "decide": lambda: case.decide_appeal(reviewer=BOB, overturn=True, reason="r", at=t),
        "dismiss": lambda: case.dismiss(actor=ALICE, reason="r", at=t),
        "close": lambda: case.close(actor=ALICE, reason="r", at=t),
        "withdraw": lambda: case.withdraw_appeal(appellant=SELLER, reason="r", at=t),
    }
    for op in ops:
        before = case.audit
        try:
            calls[op]()
        except TradewindError:
            assert case.audit == before
        else:
            assert case.audit[: len(before)] == before and len(case.audit) > len(before)
    assert verify_chain(case.audit)
    assert case.version == len(case.audit)
