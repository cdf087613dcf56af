"""Metrics of the simulated governance bench: per detector family, recall, false-positive
rate, precision and time to action, with one example case (split from ``simulated_eval.py``)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from tradewind.governance.audit import verify_chain
from tradewind.governance.case import Case
from tradewind_bench.fraud.records import Activity

if TYPE_CHECKING:
    from tradewind_bench.governance.simulated_family import Family

GOAL_RECALL, GOAL_FPR = 0.95, 0.01


def metrics(fam: Family) -> dict[str, Any]:
    flagged = set(fam.first_case)
    tp = len(flagged & set(fam.bad))
    fp = len(flagged & fam.honest)
    pos, neg = len(fam.bad), len(fam.honest)
    hours = sorted(
        (fam.first_case[r] - fam.bad[r]).total_seconds() / 3600 for r in fam.bad if r in flagged
    )
    recall = tp / pos if pos else None
    fpr = fp / neg if neg else None
    return {
        "injected_type": str(fam.kind),
        "unit": fam.unit,
        "positives": pos,
        "negatives": neg,
        "true_positives": tp,
        "false_positives": fp,
        "recall": _r(recall),
        "false_positive_rate": _r(fpr),
        "precision": _r(tp / (tp + fp) if tp + fp else None),
        "time_to_action_hours": _r(statistics.median(hours) if hours else None, 2),
        "time_to_action_hours_p90": _r(
            hours[math.ceil(0.9 * len(hours)) - 1] if hours else None, 2
        ),
        "meets_goal": meets_goal(recall, fpr),
        "example_case": _example(fam.example),
    }


def meets_goal(recall: float | None, fpr: float | None) -> bool:
    """Recall >= 0.95 at FPR <= 1 %, on unrounded ratios (None: nothing to measure)."""
    return recall is not None and fpr is not None and recall >= GOAL_RECALL and fpr <= GOAL_FPR


def _r(x: float | None, nd: int = 4) -> float | None:
    return None if x is None else round(x, nd)


def _example(case: Case | None) -> dict[str, Any] | None:
    if case is None:
        return None
    return {
        "case_id": case.case_id,
        "subject": str(case.subject),
        "rule": case.rule_id,
        "status": str(case.status),
        "evidence": sorted({e.code for s in case.scores for e in s.evidence}),
        "appeal_path": case.appeal_path,
        "audit_chain_ok": verify_chain(case.audit),
        "audit": [
            {"at": e.at.isoformat(), "actor": str(e.actor), "event": e.event, "reason": e.reason}
            for e in case.audit
        ],
    }


def honest_counts(act: Activity) -> dict[str, int]:
    def n(items: Iterable[Any]) -> int:
        return sum(1 for x in items if x.label is None)

    return {
        "order_seller_pairs": n(act.orders),
        "reviews": n(act.reviews),
        "new_offers": n(act.new_offers),
        "inbound_units": n(act.inbound),
        "tax_profiles": n(act.tax_profiles),
        "declarations": n(act.declarations),
    }
