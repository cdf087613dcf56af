"""The Case aggregate: evidence, enforcement actions, an audit trail and an appeal.

State machines::

    case:   OPEN -> ACTIONED -> CLOSED            OPEN -> DISMISSED
            ACTIONED -> REVERSED (appeal overturned)
    appeal: NONE -> FILED -> UNDER_REVIEW -> UPHELD | OVERTURNED
            FILED -> WITHDRAWN

Guards: automated actors may only take reversible, low-impact actions; destroying units waits
until the appeal window has passed or an appeal was upheld; the operator who decides an appeal
must not be one who took an action on the case (four eyes).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from tradewind.governance.audit import Actor, ActorKind, AuditEntry, AuditTrail
from tradewind.governance.errors import (
    AppealNotAllowed,
    HumanReviewRequired,
    InvalidAppealTransition,
    InvalidCaseTransition,
)
from tradewind.governance.events import (
    AppealDecided,
    AppealFiled,
    CaseDismissed,
    CaseOpened,
    EnforcementActionReversed,
    EnforcementActionTaken,
)
from tradewind.governance.scores import DetectorScore, Subject
from tradewind.shared.events import Event
from tradewind.shared.money import Money


class ActionKind(StrEnum):
    SUPPRESS_OFFER = "suppress_offer"
    HOLD_FUNDS = "hold_funds"
    BLOCK_UNITS = "block_units"  # quarantine at receiving; reversible
    REMOVE_REVIEWS = "remove_reviews"
    SUSPEND_SELLER = "suspend_seller"
    DESTROY_UNITS = "destroy_units"


#: Actions a rule may take without a human: reversible and limited in harm.
AUTOMATABLE: frozenset[ActionKind] = frozenset(
    {ActionKind.SUPPRESS_OFFER, ActionKind.HOLD_FUNDS, ActionKind.BLOCK_UNITS}
)
IRREVERSIBLE: frozenset[ActionKind] = frozenset({ActionKind.DESTROY_UNITS})


class CaseStatus(StrEnum):
    OPEN = "open"
    ACTIONED = "actioned"
    DISMISSED = "dismissed"
    REVERSED = "reversed"
    CLOSED = "closed"


class AppealState(StrEnum):
    NONE = "none"
    FILED = "filed"
    UNDER_REVIEW = "under_review"
    UPHELD = "upheld"
    OVERTURNED = "overturned"
    WITHDRAWN = "withdrawn"


_APPEAL_MOVES: dict[AppealState, frozenset[AppealState]] = {
    AppealState.NONE: frozenset({AppealState.FILED}),
    AppealState.FILED: frozenset({AppealState.UNDER_REVIEW, AppealState.WITHDRAWN}),
    AppealState.UNDER_REVIEW: frozenset({AppealState.UPHELD, AppealState.OVERTURNED}),
    AppealState.UPHELD: frozenset(),
    AppealState.OVERTURNED: frozenset(),
    AppealState.WITHDRAWN: frozenset(),
}


@dataclass(frozen=True, slots=True)
class EnforcementAction:
    action_id: str
    kind: ActionKind
    target: Subject
    reason: str
    actor: Actor
    at: datetime
    amount: Money | None = None  # only for HOLD_FUNDS
    reversed_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.reversed_at is None


class Case:
    """One investigation about one subject, opened by a rule from detector scores."""

    def __init__(
        self,
        case_id: str,
        subject: Subject,
        respondent: str,
        scores: tuple[DetectorScore, ...],
        rule_id: str,
        appeal_window: timedelta,
    ) -> None:
        self.case_id = case_id
        self.subject = subject
        self.respondent = respondent  # the party that may appeal (seller or account id)
        self.scores = scores
        self.rule_id = rule_id
        self.appeal_window = appeal_window
        self.status = CaseStatus.OPEN
        self.appeal = AppealState.NONE
        self.actions: list[EnforcementAction] = []
        self.events: list[Event] = []
        self.version = 0
        self._trail = AuditTrail()
        self._first_action_at: datetime | None = None

    @classmethod
    def open(
        cls,
        case_id: str,
        subject: Subject,
        respondent: str,
        scores: tuple[DetectorScore, ...],
        *,
        rule_id: str,
        at: datetime,
        actor: Actor,
        appeal_window: timedelta = timedelta(days=30),
    ) -> Case:
        case = cls(case_id, subject, respondent, scores, rule_id, appeal_window)
        codes = sorted({e.code for s in scores for e in s.evidence})
        case._log(at, actor, "case_opened", f"rule {rule_id}; evidence: {', '.join(codes)}")
        case.events.append(CaseOpened(case_id, str(subject), rule_id, at))
        return case

    # -- reading ---------------------------------------------------------------------------
    @property
    def audit(self) -> tuple[AuditEntry, ...]:
        return self._trail.entries

    @property
    def appeal_deadline(self) -> datetime | None:
        if self._first_action_at is None:
            return None
        return self._first_action_at + self.appeal_window

    @property
    def appeal_path(self) -> str:
        deadline = self.appeal_deadline
        head = f"appeal case {self.case_id} (respondent {self.respondent})"
        if deadline is None:
            days = self.appeal_window.days
            return f"{head} within {days} days of its first action (none taken yet)"
        return f"{head} before {deadline.isoformat()}"

    def active_actions(self) -> list[EnforcementAction]:
        return [a for a in self.actions if a.active]

    # -- enforcement -----------------------------------------------------------------------
    def take_action(
        self,
        kind: ActionKind,
        *,
        target: Subject,
        reason: str,
        actor: Actor,
        at: datetime,
        amount: Money | None = None,
    ) -> EnforcementAction:
        """Record an enforcement action; raises if the actor or the moment is not allowed."""
        if self.status not in (CaseStatus.OPEN, CaseStatus.ACTIONED):
            raise InvalidCaseTransition(f"case {self.case_id} is {self.status}; cannot act")
        if actor.kind is ActorKind.SELLER:
            raise HumanReviewRequired("a respondent cannot take enforcement actions")
        if actor.kind is ActorKind.SYSTEM and kind not in AUTOMATABLE:
            raise HumanReviewRequired(f"{kind} needs an operator, not an automated rule")
        if (kind is ActionKind.HOLD_FUNDS) != (amount is not None):
            raise InvalidCaseTransition("hold_funds needs an amount; other actions take none")
        if kind in IRREVERSIBLE:
            self._require_appeal_settled(at)
        if self._first_action_at is None:
            self._first_action_at = at
        action = EnforcementAction(
            f"{self.case_id}#{len(self.actions) + 1}", kind, target, reason, actor, at, amount
        )
        self.actions.append(action)
        self.status = CaseStatus.ACTIONED
        self._log(at, actor, f"action:{kind}:{target}", reason, self.appeal_path)
        self.events.append(
            EnforcementActionTaken(
                self.case_id, action.action_id, kind, str(target), str(actor), at
            )
        )
        return action

    def _require_appeal_settled(self, at: datetime) -> None:
        if self.appeal is AppealState.UPHELD:
            return
        if self.appeal in (AppealState.FILED, AppealState.UNDER_REVIEW):
            raise InvalidCaseTransition("an appeal is pending; irreversible actions must wait")
        deadline = self.appeal_deadline
        if deadline is None or at < deadline:
            raise InvalidCaseTransition(
                "irreversible actions wait for the appeal window to close (block units first)"
            )

    def dismiss(self, *, actor: Actor, reason: str, at: datetime) -> None:
        if self.status is not CaseStatus.OPEN:
            raise InvalidCaseTransition(f"only an open case can be dismissed ({self.status})")
        if actor.kind is not ActorKind.OPERATOR:
            raise HumanReviewRequired("only an operator dismisses a case")
        self.status = CaseStatus.DISMISSED
        self._log(at, actor, "case_dismissed", reason)
        self.events.append(CaseDismissed(self.case_id, at))

    def close(self, *, actor: Actor, reason: str, at: datetime) -> None:
        if self.status is not CaseStatus.ACTIONED:
            raise InvalidCaseTransition(f"only an actioned case can be closed ({self.status})")
        if self.appeal in (AppealState.FILED, AppealState.UNDER_REVIEW):
            raise InvalidCaseTransition("cannot close a case while an appeal is pending")
        self.status = CaseStatus.CLOSED
        self._log(at, actor, "case_closed", reason)

    # -- appeal ----------------------------------------------------------------------------
    def file_appeal(self, *, appellant: Actor, statement: str, at: datetime) -> None:
        if appellant.kind is not ActorKind.SELLER or appellant.ref != self.respondent:
            raise AppealNotAllowed("only the respondent of a case may appeal it")
        if self.status is not CaseStatus.ACTIONED:
            raise AppealNotAllowed(f"nothing to appeal: case is {self.status}")
        deadline = self.appeal_deadline
        if deadline is not None and at > deadline:
            raise AppealNotAllowed(f"the appeal window closed at {deadline.isoformat()}")
        self._move_appeal(AppealState.FILED)
        self._log(at, appellant, "appeal_filed", statement)
        self.events.append(AppealFiled(self.case_id, appellant.ref, at))

    def withdraw_appeal(self, *, appellant: Actor, reason: str, at: datetime) -> None:
        if appellant.ref != self.respondent:
            raise AppealNotAllowed("only the appellant may withdraw the appeal")
        self._move_appeal(AppealState.WITHDRAWN)
        self._log(at, appellant, "appeal_withdrawn", reason)

    def start_appeal_review(self, *, reviewer: Actor, at: datetime) -> None:
        self._require_independent(reviewer)
        self._move_appeal(AppealState.UNDER_REVIEW)
        self._log(at, reviewer, "appeal_review_started", "appeal assigned for review")

    def decide_appeal(self, *, reviewer: Actor, overturn: bool, reason: str, at: datetime) -> None:
        """Uphold the actions, or overturn them: every active action is then reversed."""
        self._require_independent(reviewer)
        outcome = AppealState.OVERTURNED if overturn else AppealState.UPHELD
        self._move_appeal(outcome)
        self._log(at, reviewer, f"appeal_{outcome}", reason)
        self.events.append(AppealDecided(self.case_id, outcome, at))
        if overturn:
            self._reverse_all(reviewer, at)
            self.status = CaseStatus.REVERSED

    def _reverse_all(self, reviewer: Actor, at: datetime) -> None:
        for i, action in enumerate(self.actions):
            if not action.active:
                continue
            self.actions[i] = replace(action, reversed_at=at)
            self._log(at, reviewer, f"reversed:{action.kind}:{action.target}", "appeal overturned")
            self.events.append(
                EnforcementActionReversed(
                    self.case_id, action.action_id, action.kind, str(action.target), at
                )
            )

    def _require_independent(self, reviewer: Actor) -> None:
        if reviewer.kind is not ActorKind.OPERATOR:
            raise HumanReviewRequired("appeals are reviewed by an operator")
        if any(a.actor == reviewer for a in self.actions):
            raise AppealNotAllowed(
                "the reviewer of an appeal must not have acted on the case (four eyes): "
                f"{reviewer.ref} acted on it, so another operator must decide the appeal"
            )

    def _move_appeal(self, target: AppealState) -> None:
        if target not in _APPEAL_MOVES[self.appeal]:
            raise InvalidAppealTransition(f"appeal cannot go from {self.appeal} to {target}")
        self.appeal = target

    def _log(
        self, at: datetime, actor: Actor, event: str, reason: str, appeal_path: str = ""
    ) -> None:
        self._trail.append(at, actor, event, reason, appeal_path)
        self.version += 1
