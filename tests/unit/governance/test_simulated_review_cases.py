"""How a fake-review case counts in the simulated bench: it covers its author's reviews."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tradewind.adapters.governance.simulated_eval import Evaluator
from tradewind.simulation.fraud_records import Activity, FraudKind, FraudParams, ReviewRec

T0 = datetime(2026, 12, 1, tzinfo=UTC)


def review(rid: str, author: str, hours: float) -> ReviewRec:
    return ReviewRec(rid, author, "p1", None, T0 + timedelta(hours=hours), 5, 0.1)


def test_a_review_case_covers_the_authors_other_reviews_from_the_next_step() -> None:
    """Author a's first review is under a case: its other review (posted before) counts as
    actioned at the next step and the one it posts later on arrival; author b's review, by
    another account, stays untouched, and no account case is opened."""
    act = Activity(FraudParams(0, 0.05), T0, T0 + timedelta(days=1), T0 + timedelta(days=2))
    act.reviews = [review("r1", "a", 1), review("r2", "a", 2), review("r3", "b", 2)]
    ev = Evaluator(act)
    reviews = ev.fam[FraudKind.REVIEW_FARM]
    ev.ptr["reviews"] = 3
    reviews.first_case["r1"] = T0 + timedelta(hours=3)
    ev._reviewer_accounts(T0 + timedelta(hours=4))
    assert reviews.first_case["r2"] == T0 + timedelta(hours=4)
    assert "r3" not in reviews.first_case and not ev.accounts.first_case
    act.reviews.append(review("r4", "a", 5))
    ev.ptr["reviews"] = 4
    ev._reviewer_accounts(T0 + timedelta(hours=5))
    assert reviews.first_case["r4"] == T0 + timedelta(hours=5)
