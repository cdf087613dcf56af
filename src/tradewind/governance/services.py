"""Use cases: open cases from rule proposals (taking only the automatic actions)."""

from __future__ import annotations

from dataclasses import dataclass

from tradewind.governance.audit import Actor, ActorKind
from tradewind.governance.case import ActionKind, Case
from tradewind.governance.policy import CaseProposal
from tradewind.governance.ports import CaseRepository
from tradewind.governance.scores import Subject, SubjectKind
from tradewind.shared.clock import Clock
from tradewind.shared.events import Command
from tradewind.shared.money import Money


@dataclass(frozen=True)
class OpenCase(Command):
    case_id: str
    proposal: CaseProposal
    respondent: str  # the seller or account that will be told and may appeal
    hold: Money | None = None  # funds to hold if the rule holds funds automatically


def open_case(cmd: OpenCase, cases: CaseRepository, clock: Clock) -> Case:
    """Open a case unless one is already live for the subject; idempotent per subject."""
    live = cases.open_for(cmd.proposal.subject.ref)
    if live:
        return live[0]
    now = clock.now()
    rule = cmd.proposal.rule
    system = Actor(ActorKind.SYSTEM, f"rule:{rule.rule_id}")
    case = Case.open(
        cmd.case_id,
        cmd.proposal.subject,
        cmd.respondent,
        cmd.proposal.scores,
        rule_id=rule.rule_id,
        at=now,
        actor=system,
    )
    for kind in rule.auto_actions:
        if kind is ActionKind.HOLD_FUNDS:
            if cmd.hold is None:
                continue
            target = Subject(SubjectKind.SELLER, cmd.respondent)
        else:
            target = cmd.proposal.subject
        case.take_action(
            kind,
            target=target,
            reason=f"automatic under rule {rule.rule_id}; operator review pending",
            actor=system,
            at=now,
            amount=cmd.hold if kind is ActionKind.HOLD_FUNDS else None,
        )
    cases.add(case)
    return case
