"""``SqlCaseRepository``: the governance ``CaseRepository`` port over one Connection.

``add`` inserts a new case or saves a loaded one (optimistic: the row's ``version`` must be the
one read). Audit entries are append-only: saving writes only entries the table lacks, and a case
comes back with its stored digests, so ``verify_chain`` still detects a row edited in SQL.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from tradewind.governance.adapters import tables as g
from tradewind.governance.audit import Actor, ActorKind, AuditEntry, AuditTrail
from tradewind.governance.case import ActionKind, AppealState, Case, CaseStatus, EnforcementAction
from tradewind.governance.errors import CaseNotFound, InvalidCaseTransition
from tradewind.governance.scores import Detector, DetectorScore, Evidence, Subject, SubjectKind
from tradewind.shared.money import Money

LIVE = (CaseStatus.OPEN.value, CaseStatus.ACTIONED.value)


@dataclass(frozen=True, slots=True)
class CaseFilter:
    status: str | None = None
    detector: str | None = None
    respondent: str | None = None
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One line of the case queue (no evidence or trail: the case page loads those)."""

    case_id: str
    subject: str
    respondent: str
    rule_id: str
    detector: str
    score: float
    status: str
    appeal: str
    opened_at: datetime
    updated_at: datetime


class SqlCaseRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._read_versions: dict[str, int] = {}
        self.seen: dict[str, Case] = {}

    # -- port ------------------------------------------------------------------------------
    def add(self, case: Case) -> None:
        """Insert ``case`` or save the changes made to it since it was loaded."""
        read = self._read_versions.get(case.case_id)
        if read is None:
            self._insert(case)
        else:
            self._update(case, read)
        self._read_versions[case.case_id] = case.version
        self.seen[case.case_id] = case

    def get(self, case_id: str) -> Case:
        row = self.conn.execute(select(g.cases).where(g.cases.c.case_id == case_id)).first()
        if row is None:
            raise CaseNotFound(f"no case {case_id}")
        case = self._load(row)
        self._read_versions[case_id] = case.version
        self.seen[case_id] = case
        return case

    def open_for(self, subject_ref: str) -> list[Case]:
        ids = self.conn.execute(
            select(g.cases.c.case_id)
            .where(g.cases.c.subject_ref == subject_ref, g.cases.c.status.in_(LIVE))
            .order_by(g.cases.c.opened_at, g.cases.c.case_id)
        ).scalars()
        return [self.get(i) for i in list(ids)]

    # -- queue -----------------------------------------------------------------------------
    def list_cases(self, f: CaseFilter | None = None) -> tuple[list[CaseRow], int]:
        """Cases matching ``f``, riskiest first, and how many match in all."""
        f = f or CaseFilter()
        c = g.cases.c
        q = select(g.cases)
        if f.status:
            q = q.where(c.status == f.status)
        if f.detector:
            q = q.where(c.detector == f.detector)
        if f.respondent:
            q = q.where(c.respondent == f.respondent)
        total = self.conn.execute(select(func.count()).select_from(q.subquery())).scalar() or 0
        rows = self.conn.execute(
            q.order_by(c.score.desc(), c.opened_at, c.case_id).limit(f.limit).offset(f.offset)
        )
        found = [
            CaseRow(
                r.case_id,
                f"{r.subject_kind}:{r.subject_ref}",
                r.respondent,
                r.rule_id,
                r.detector,
                r.score,
                r.status,
                r.appeal,
                r.opened_at,
                r.updated_at,
            )
            for r in rows
        ]
        return found, int(total)

    def appeal_statement(self, case_id: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            select(g.case_appeals).where(g.case_appeals.c.case_id == case_id)
        ).first()
        return dict(row._mapping) if row else None

    # -- writing ---------------------------------------------------------------------------
    def _insert(self, case: Case) -> None:
        top = max(case.scores, key=lambda s: s.score) if case.scores else None
        now = case.audit[-1].at if case.audit else datetime.now(UTC)
        self.conn.execute(
            insert(g.cases),
            [
                {
                    "case_id": case.case_id,
                    "subject_kind": case.subject.kind.value,
                    "subject_ref": case.subject.ref,
                    "respondent": case.respondent,
                    "rule_id": case.rule_id,
                    "detector": top.detector.value if top else "",
                    "score": top.score if top else 0.0,
                    "appeal_window_s": int(case.appeal_window.total_seconds()),
                    "opened_at": case.audit[0].at if case.audit else now,
                    **self._state(case),
                }
            ],
        )
        self._insert_scores(case)
        self._write_children(case, stored_audit=0, stored_actions=set())

    def _insert_scores(self, case: Case) -> None:
        scores, evidence = [], []
        for i, s in enumerate(case.scores):
            scores.append(
                {
                    "case_id": case.case_id,
                    "seq": i,
                    "detector": s.detector.value,
                    "subject_kind": s.subject.kind.value,
                    "subject_ref": s.subject.ref,
                    "score": s.score,
                    "model_version": s.model_version,
                }
            )
            evidence += [
                {
                    "case_id": case.case_id,
                    "score_seq": i,
                    "seq": j,
                    "code": e.code,
                    "detail": e.detail,
                    "weight": e.weight,
                }
                for j, e in enumerate(s.evidence)
            ]
        if scores:
            self.conn.execute(insert(g.case_scores), scores)
        if evidence:
            self.conn.execute(insert(g.case_evidence), evidence)

    def _update(self, case: Case, read_version: int) -> None:
        if case.version == read_version:
            return
        res = self.conn.execute(
            update(g.cases)
            .where(g.cases.c.case_id == case.case_id, g.cases.c.version == read_version)
            .values(**self._state(case))
        )
        if res.rowcount != 1:
            raise InvalidCaseTransition(f"case {case.case_id} was changed by someone else")
        stored_audit = self.conn.execute(
            select(func.count()).where(g.case_audit_entries.c.case_id == case.case_id)
        ).scalar()
        stored = self.conn.execute(
            select(g.enforcement_actions.c.action_id, g.enforcement_actions.c.reversed_at).where(
                g.enforcement_actions.c.case_id == case.case_id
            )
        ).all()
        for a in case.actions:
            was = next((r for r in stored if r.action_id == a.action_id), None)
            if was is not None and was.reversed_at is None and a.reversed_at is not None:
                self.conn.execute(
                    update(g.enforcement_actions)
                    .where(g.enforcement_actions.c.action_id == a.action_id)
                    .values(reversed_at=a.reversed_at)
                )
        self._write_children(case, int(stored_audit or 0), {r.action_id for r in stored})

    def _state(self, case: Case) -> dict[str, Any]:
        return {
            "status": case.status.value,
            "appeal": case.appeal.value,
            "first_action_at": case._first_action_at,
            "updated_at": case.audit[-1].at if case.audit else datetime.now(UTC),
            "version": case.version,
        }

    def _write_children(self, case: Case, stored_audit: int, stored_actions: set[str]) -> None:
        new_actions = [a for a in case.actions if a.action_id not in stored_actions]
        if new_actions:
            self.conn.execute(
                insert(g.enforcement_actions),
                [_action_values(case.case_id, case.actions.index(a), a) for a in new_actions],
            )
        entries = case.audit[stored_audit:]
        if entries:
            self.conn.execute(
                insert(g.case_audit_entries), [_entry_values(case.case_id, e) for e in entries]
            )
        self._write_appeal(case, entries)

    def _write_appeal(self, case: Case, entries: tuple[AuditEntry, ...]) -> None:
        for e in entries:
            if e.event == "appeal_filed":
                self.conn.execute(
                    insert(g.case_appeals),
                    [
                        {
                            "case_id": case.case_id,
                            "appellant": e.actor.ref,
                            "statement": e.reason,
                            "filed_at": e.at,
                            "state": AppealState.FILED.value,
                        }
                    ],
                )
            elif e.event.startswith("appeal_") and e.event != "appeal_filed":
                values: dict[str, Any] = {"state": case.appeal.value}
                if e.event in ("appeal_upheld", "appeal_overturned", "appeal_withdrawn"):
                    values.update(decided_at=e.at, decided_by=str(e.actor))
                self.conn.execute(
                    update(g.case_appeals)
                    .where(g.case_appeals.c.case_id == case.case_id)
                    .values(**values)
                )

    # -- reading ---------------------------------------------------------------------------
    def _load(self, row: Any) -> Case:
        cid = row.case_id
        evidence: dict[int, list[Evidence]] = defaultdict(list)
        for e in self.conn.execute(
            select(g.case_evidence)
            .where(g.case_evidence.c.case_id == cid)
            .order_by(g.case_evidence.c.score_seq, g.case_evidence.c.seq)
        ):
            evidence[e.score_seq].append(Evidence(e.code, e.detail, e.weight))
        scores = tuple(
            DetectorScore(
                Detector(s.detector),
                Subject(SubjectKind(s.subject_kind), s.subject_ref),
                s.score,
                tuple(evidence[s.seq]),
                s.model_version,
            )
            for s in self.conn.execute(
                select(g.case_scores)
                .where(g.case_scores.c.case_id == cid)
                .order_by(g.case_scores.c.seq)
            )
        )
        case = Case(
            cid,
            Subject(SubjectKind(row.subject_kind), row.subject_ref),
            row.respondent,
            scores,
            row.rule_id,
            timedelta(seconds=row.appeal_window_s),
        )
        case.status = CaseStatus(row.status)
        case.appeal = AppealState(row.appeal)
        case.version = row.version
        case.actions = [
            _action_from(a)
            for a in self.conn.execute(
                select(g.enforcement_actions)
                .where(g.enforcement_actions.c.case_id == cid)
                .order_by(g.enforcement_actions.c.seq)
            )
        ]
        entries = [
            _entry_from(e)
            for e in self.conn.execute(
                select(g.case_audit_entries)
                .where(g.case_audit_entries.c.case_id == cid)
                .order_by(g.case_audit_entries.c.seq)
            )
        ]
        _restore(case, entries, row.first_action_at)
        return case


def _restore(case: Case, entries: list[AuditEntry], first_action_at: datetime | None) -> None:
    """Put the stored trail and appeal clock back. The domain has no restore constructor, so
    the adapter sets these two private fields (and only these) itself."""
    trail = AuditTrail()
    trail._entries = entries  # stored digests as they are: verify_chain checks them
    case._trail = trail
    case._first_action_at = first_action_at


def _action_values(case_id: str, seq: int, a: EnforcementAction) -> dict[str, Any]:
    return {
        "action_id": a.action_id,
        "case_id": case_id,
        "seq": seq,
        "kind": a.kind.value,
        "target_kind": a.target.kind.value,
        "target_ref": a.target.ref,
        "reason": a.reason,
        "actor_kind": a.actor.kind.value,
        "actor_ref": a.actor.ref,
        "at": a.at,
        "amount_minor": a.amount.amount if a.amount else None,
        "currency": a.amount.currency if a.amount else None,
        "reversed_at": a.reversed_at,
    }


def _action_from(r: Any) -> EnforcementAction:
    return EnforcementAction(
        r.action_id,
        ActionKind(r.kind),
        Subject(SubjectKind(r.target_kind), r.target_ref),
        r.reason,
        Actor(ActorKind(r.actor_kind), r.actor_ref),
        r.at,
        Money(r.amount_minor, r.currency) if r.amount_minor is not None else None,
        r.reversed_at,
    )


def _entry_values(case_id: str, e: AuditEntry) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "seq": e.seq,
        "at": e.at,
        "actor_kind": e.actor.kind.value,
        "actor_ref": e.actor.ref,
        "event": e.event,
        "reason": e.reason,
        "appeal_path": e.appeal_path,
        "prev_digest": e.prev_digest,
        "digest": e.digest,
    }


def _entry_from(r: Any) -> AuditEntry:
    return AuditEntry(
        r.seq,
        r.at,
        Actor(ActorKind(r.actor_kind), r.actor_ref),
        r.event,
        r.reason,
        r.appeal_path,
        r.prev_digest,
        r.digest,
    )
