"""Events of the governance context (past tense; published after commit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tradewind.shared.events import Event


@dataclass(frozen=True)
class CaseOpened(Event):
    case_id: str
    subject: str
    rule_id: str
    at: datetime


@dataclass(frozen=True)
class EnforcementActionTaken(Event):
    case_id: str
    action_id: str
    action: str
    target: str
    actor: str
    at: datetime


@dataclass(frozen=True)
class EnforcementActionReversed(Event):
    case_id: str
    action_id: str
    action: str
    target: str
    at: datetime


@dataclass(frozen=True)
class CaseDismissed(Event):
    case_id: str
    at: datetime


@dataclass(frozen=True)
class AppealFiled(Event):
    case_id: str
    appellant: str
    at: datetime


@dataclass(frozen=True)
class AppealDecided(Event):
    case_id: str
    outcome: str
    at: datetime
