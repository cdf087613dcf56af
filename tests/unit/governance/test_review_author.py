"""A review judged with its author: evidence merged, shared facts counted once."""

from __future__ import annotations

import pytest

from tradewind.governance.detectors.review_author import with_author
from tradewind.governance.policy import default_rules, propose_cases
from tradewind.governance.scores import (
    Detector,
    DetectorScore,
    Evidence,
    Subject,
    SubjectKind,
    score_from_evidence,
)


def review(ref: str, *ev: tuple[str, float]) -> DetectorScore:
    return score_from_evidence(
        Detector.FAKE_REVIEW,
        Subject(SubjectKind.REVIEW, ref),
        [Evidence(code, code, w) for code, w in ev],
    )


def account(ref: str, *ev: tuple[str, float]) -> DetectorScore:
    return score_from_evidence(
        Detector.REVIEWER_ACCOUNT,
        Subject(SubjectKind.ACCOUNT, ref),
        [Evidence(code, code, w) for code, w in ev],
    )


def rule(scores: list[DetectorScore]) -> str | None:
    found = propose_cases(scores, default_rules())
    return found[0].rule.rule_id if found else None


def test_a_review_beyond_sales_by_a_new_account_with_a_shared_phone_is_a_case() -> None:
    """One piece on the review (0.6), two on the author (0.65): neither side alone opens a
    case; together three pieces, 1 - 0.4 * 0.7 * 0.5 = 0.86, and the review's rule fires.
    The author's evidence names the author."""
    r = review("r1", ("reviews_beyond_sales", 0.6))
    a = account("acc1", ("new_account", 0.3), ("shared_device", 0.5))
    assert rule([r]) is None and rule([a]) is None
    [merged] = with_author([r], {"acc1": a}, {"r1": "acc1"})
    assert merged.detector is Detector.FAKE_REVIEW and merged.subject == r.subject
    assert merged.score == pytest.approx(1 - 0.4 * 0.7 * 0.5)
    assert rule([merged]) == "fake-review"
    assert any(e.detail.startswith("author acc1:") for e in merged.evidence)


def test_a_fact_both_sides_see_counts_once_as_the_author_weighs_it() -> None:
    """A flagged text (review 0.5) on an account with that one flag (0.25) and a review
    without a purchase (0.3) by an account whose record makes it 'reviews_without_purchase'
    (0.4): two pieces, 1 - 0.75 * 0.6 = 0.55, no case (an honest gift reviewer looks so)."""
    r = review("r1", ("text_generated", 0.5), ("unverified_purchase", 0.3))
    a = account("acc1", ("text_generated", 0.25), ("reviews_without_purchase", 0.4))
    [merged] = with_author([r], {"acc1": a}, {"r1": "acc1"})
    assert merged.evidence_codes == {"text_generated", "reviews_without_purchase"}
    assert merged.score == pytest.approx(1 - 0.75 * 0.6)
    assert rule([merged]) is None


def test_reviews_whose_author_has_nothing_are_unchanged() -> None:
    r1 = review("r1", ("unverified_purchase", 0.3))
    r2 = review("r2", ("unverified_purchase", 0.3))
    out = with_author([r1, r2], {"acc2": account("acc2")}, {"r1": "nobody", "r2": "acc2"})
    assert out == [r1, r2]
