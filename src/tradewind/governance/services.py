"""Use cases of the governance context, on the shared unit of work and message bus: open cases
from rule proposals (taking only the automatic actions); an operator's action, dismissal and
appeal decision; a seller's appeal.

Each operator or seller use case is one transaction: the case (its actions, appeal and audit
trail), the action's effect on the marketplace and the case's events (in the outbox) commit
together or not at all. ``Outcome.products`` names the products whose search documents the
composition root refreshes after commit (search is outside the transaction).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tradewind.governance.audit import Actor, ActorKind
from tradewind.governance.case import ActionKind, AppealState, Case
from tradewind.governance.errors import CaseNotFound, NothingToHold
from tradewind.governance.policy import CaseProposal
from tradewind.governance.ports import CaseRepository, GovernanceUnitOfWork
from tradewind.governance.scores import Subject, SubjectKind
from tradewind.shared.clock import Clock
from tradewind.shared.events import Command
from tradewind.shared.money import Money


@dataclass(frozen=True)
class OpenCase(Command):
    case_id: str
    proposal: CaseProposal
    respondent: str  # the seller or account that will be told and may appeal
    # funds to hold if the rule holds funds automatically: one hold per currency
    hold: Money | tuple[Money, ...] | None = None


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
    holds = (cmd.hold,) if isinstance(cmd.hold, Money) else tuple(cmd.hold or ())
    for kind in rule.auto_actions:
        if kind is ActionKind.HOLD_FUNDS:
            for amount in holds:
                case.take_action(
                    kind,
                    target=Subject(SubjectKind.SELLER, cmd.respondent),
                    reason=f"automatic under rule {rule.rule_id}; operator review pending",
                    actor=system,
                    at=now,
                    amount=amount,
                )
            continue
        case.take_action(
            kind,
            target=cmd.proposal.subject,
            reason=f"automatic under rule {rule.rule_id}; operator review pending",
            actor=system,
            at=now,
        )
    cases.add(case)
    return case


@dataclass(frozen=True)
class Outcome:
    case: Case
    products: frozenset[str] = field(default_factory=frozenset)  # to re-index after commit


@dataclass(frozen=True)
class TakeAction(Command):
    case_id: str
    kind: ActionKind
    reason: str
    operator: str
    target: Subject | None = None  # default: the respondent (seller-wide) or the subject
    amount: Money | None = None  # hold_funds only; default: the seller's payable balance


@dataclass(frozen=True)
class DismissCase(Command):
    case_id: str
    operator: str
    reason: str


@dataclass(frozen=True)
class FileAppeal(Command):
    case_id: str
    seller_id: str
    statement: str


@dataclass(frozen=True)
class DecideAppeal(Command):
    case_id: str
    operator: str
    overturn: bool
    reason: str


def take_action(cmd: TakeAction, uow: GovernanceUnitOfWork, clock: Clock) -> Outcome:
    """An operator's enforcement action on a case, taking effect in the same transaction."""
    with uow:
        case = uow.cases.get(cmd.case_id)
        target = cmd.target or uow.enforcer.default_target(case, cmd.kind)
        uow.enforcer.check_target(case, cmd.kind, target)
        amounts: list[Money | None] = [None]
        if cmd.kind is ActionKind.HOLD_FUNDS:
            # One hold per currency: a seller paid in USD, EUR and GBP has three payable
            # balances, and a one-click hold holds every one of them (each its own action, own
            # ledger transaction and own release on an overturn).
            held = [cmd.amount] if cmd.amount else uow.enforcer.payable_balances(target.ref)
            amounts = [m for m in held if m.amount > 0]
            if not amounts:
                raise NothingToHold(f"seller {target.ref} has no payable balance to hold")
        now = clock.now()
        actor = Actor(ActorKind.OPERATOR, cmd.operator)
        actions = [
            case.take_action(
                cmd.kind, target=target, reason=cmd.reason, actor=actor, at=now, amount=amount
            )
            for amount in amounts
        ]
        uow.cases.add(case)  # the action rows first: their effects refer to them
        for action in actions:
            uow.enforcer.apply(case, action)
        uow.commit()
        return Outcome(case, frozenset(uow.enforcer.touched_products))


def dismiss_case(cmd: DismissCase, uow: GovernanceUnitOfWork, clock: Clock) -> Outcome:
    with uow:
        case = uow.cases.get(cmd.case_id)
        case.dismiss(
            actor=Actor(ActorKind.OPERATOR, cmd.operator), reason=cmd.reason, at=clock.now()
        )
        uow.cases.add(case)
        uow.commit()
        return Outcome(case)


def file_appeal(cmd: FileAppeal, uow: GovernanceUnitOfWork, clock: Clock) -> Outcome:
    """The respondent appeals; another seller's case is indistinguishable from a missing one."""
    with uow:
        case = uow.cases.get(cmd.case_id)
        if case.respondent != cmd.seller_id:
            raise CaseNotFound(f"no case {cmd.case_id} against this seller")
        case.file_appeal(
            appellant=Actor(ActorKind.SELLER, cmd.seller_id),
            statement=cmd.statement,
            at=clock.now(),
        )
        uow.cases.add(case)
        uow.commit()
        return Outcome(case)


def decide_appeal(cmd: DecideAppeal, uow: GovernanceUnitOfWork, clock: Clock) -> Outcome:
    """Review (if not under review yet) and decide; an overturn undoes every active action's
    effect on the marketplace."""
    reviewer = Actor(ActorKind.OPERATOR, cmd.operator)
    with uow:
        case = uow.cases.get(cmd.case_id)
        now = clock.now()
        if case.appeal is AppealState.FILED:
            case.start_appeal_review(reviewer=reviewer, at=now)
        active = case.active_actions()
        case.decide_appeal(reviewer=reviewer, overturn=cmd.overturn, reason=cmd.reason, at=now)
        still_active = {a.action_id for a in case.active_actions()}
        for action in active:
            if action.action_id not in still_active:
                uow.enforcer.reverse(case, action, now)
        uow.cases.add(case)
        uow.commit()
        return Outcome(case, frozenset(uow.enforcer.touched_products))
