"""Opening cases from proposals with the in-memory case repository."""

from __future__ import annotations

from datetime import datetime

from tradewind.governance.case import ActionKind, CaseStatus
from tradewind.governance.fakes import FakeCaseRepository
from tradewind.governance.policy import default_rules, propose_cases
from tradewind.governance.scores import Detector, Evidence, Subject, SubjectKind
from tradewind.governance.scores import score_from_evidence as score
from tradewind.governance.services import OpenCase, open_case
from tradewind.shared.clock import FixedClock
from tradewind.shared.money import Money


def test_open_case_takes_only_automatic_actions_and_is_idempotent(t0: datetime) -> None:
    """A follow-sell proposal suppresses the offer; a second call reuses the live case."""
    offer = Subject(SubjectKind.OFFER, "off_1")
    s = score(
        Detector.FOLLOW_SELL,
        offer,
        [Evidence("unauthorised_seller", "d", 0.5), Evidence("new_account", "d", 0.6)],
    )
    [proposal] = propose_cases([s], default_rules())
    repo, clock = FakeCaseRepository(), FixedClock(t0)
    case = open_case(OpenCase("case_1", proposal, "sel_9"), repo, clock)
    assert [a.kind for a in case.actions] == [ActionKind.SUPPRESS_OFFER]
    assert case.status is CaseStatus.ACTIONED
    again = open_case(OpenCase("case_2", proposal, "sel_9"), repo, clock)
    assert again is case and repo.get("case_1") is case


def test_tax_case_holds_funds_when_an_amount_is_given(t0: datetime) -> None:
    """The tax rule holds the seller's funds automatically, recorded against the seller."""
    seller = Subject(SubjectKind.SELLER, "sel_7")
    s = score(
        Detector.TAX_ID,
        seller,
        [Evidence("invalid_tax_id", "d", 0.6), Evidence("tax_id_country_mismatch", "d", 0.5)],
    )
    [proposal] = propose_cases([s], default_rules())
    case = open_case(
        OpenCase("case_t", proposal, "sel_7", hold=Money(120_000, "EUR")),
        FakeCaseRepository(),
        FixedClock(t0),
    )
    [hold] = case.actions
    assert hold.kind is ActionKind.HOLD_FUNDS and hold.target == seller
    assert hold.amount == Money(120_000, "EUR")
