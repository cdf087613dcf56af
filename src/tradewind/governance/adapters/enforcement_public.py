"""What the API, pages and CLI show of cases: plain dicts built from the aggregate.

Operators see everything (evidence, actions, the audit trail and whether its hash chain
verifies). A seller sees only cases against them, with each action's reason, the appeal
deadline and path, and never the detector internals of other parties.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import Engine

from tradewind.governance.adapters.case_repository import CaseFilter, CaseRow, SqlCaseRepository
from tradewind.governance.audit import verify_chain
from tradewind.governance.case import ActionKind, Case, CaseStatus, EnforcementAction
from tradewind.governance.errors import CaseNotFound

#: Buttons on an open or actioned case, in the order the console shows them.
OPERATOR_ACTIONS = (
    ActionKind.SUPPRESS_OFFER,
    ActionKind.HOLD_FUNDS,
    ActionKind.SUSPEND_SELLER,
    ActionKind.REMOVE_REVIEWS,
    ActionKind.BLOCK_UNITS,
    ActionKind.DESTROY_UNITS,
)


def action_public(a: EnforcementAction) -> dict[str, Any]:
    return {
        "action_id": a.action_id,
        "kind": a.kind.value,
        "target": str(a.target),
        "reason": a.reason,
        "actor": str(a.actor),
        "at": a.at.isoformat(),
        "amount": {"amount": a.amount.amount, "currency": a.amount.currency} if a.amount else None,
        "active": a.active,
        "reversed_at": a.reversed_at.isoformat() if a.reversed_at else None,
    }


def _appeal_public(case: Case) -> dict[str, Any]:
    deadline = case.appeal_deadline
    return {
        "state": case.appeal.value,
        "deadline": deadline.isoformat() if deadline else None,
        "path": case.appeal_path,
        "can_appeal": case.status is CaseStatus.ACTIONED and case.appeal.value == "none",
    }


def case_public(case: Case) -> dict[str, Any]:
    """The operator's full view of one case."""
    top = max(case.scores, key=lambda s: s.score) if case.scores else None
    return {
        "case_id": case.case_id,
        "subject": str(case.subject),
        "respondent": case.respondent,
        "rule_id": case.rule_id,
        "status": case.status.value,
        "detector": top.detector.value if top else None,
        "score": round(top.score, 4) if top else 0.0,
        "scores": [
            {
                "detector": s.detector.value,
                "subject": str(s.subject),
                "score": round(s.score, 4),
                "model_version": s.model_version,
                "evidence": [asdict(e) for e in s.evidence],
            }
            for s in case.scores
        ],
        "actions": [action_public(a) for a in case.actions],
        "appeal": _appeal_public(case),
        "audit": [
            {
                "seq": e.seq,
                "at": e.at.isoformat(),
                "actor": str(e.actor),
                "event": e.event,
                "reason": e.reason,
                "appeal_path": e.appeal_path,
                "digest": e.digest,
            }
            for e in case.audit
        ],
        "audit_verified": verify_chain(case.audit),
        "version": case.version,
    }


def seller_case_public(case: Case) -> dict[str, Any]:
    """What the respondent sees: the actions against them, why, and how to appeal."""
    return {
        "case_id": case.case_id,
        "subject": str(case.subject),
        "status": case.status.value,
        "evidence": sorted({e.code for s in case.scores for e in s.evidence}),
        "actions": [action_public(a) for a in case.actions],
        "appeal": _appeal_public(case),
    }


def row_public(r: CaseRow) -> dict[str, Any]:
    return {
        "case_id": r.case_id,
        "subject": r.subject,
        "respondent": r.respondent,
        "rule_id": r.rule_id,
        "detector": r.detector,
        "score": round(r.score, 4),
        "status": r.status,
        "appeal": r.appeal,
        "opened_at": r.opened_at.isoformat(),
        "updated_at": r.updated_at.isoformat(),
    }


def case_queue(engine: Engine, f: CaseFilter) -> dict[str, Any]:
    with engine.connect() as conn:
        rows, total = SqlCaseRepository(conn).list_cases(f)
    return {"data": [row_public(r) for r in rows], "count": total}


def load_case(engine: Engine, case_id: str) -> Case:
    with engine.connect() as conn:
        return SqlCaseRepository(conn).get(case_id)


def seller_cases(engine: Engine, seller_id: str, *, limit: int = 100) -> list[Case]:
    """Cases against ``seller_id`` that reached them (an open case with no action yet is an
    investigation the seller is not told about)."""
    with engine.connect() as conn:
        repo = SqlCaseRepository(conn)
        rows, _ = repo.list_cases(CaseFilter(respondent=seller_id, limit=limit))
        cases = [repo.get(r.case_id) for r in rows]
    return [c for c in cases if c.actions]


def seller_case(engine: Engine, seller_id: str, case_id: str) -> Case:
    """One of the seller's own cases; another seller's is a 404 like a missing one."""
    try:
        case = load_case(engine, case_id)
    except CaseNotFound:
        case = None
    if case is None or case.respondent != seller_id or not case.actions:
        raise CaseNotFound(f"no case {case_id} against this seller")
    return case
