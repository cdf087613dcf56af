"""Scores, evidence and the rules that turn them into cases."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradewind.governance.case import ActionKind
from tradewind.governance.errors import GovernanceError, InvalidRule, InvalidScore
from tradewind.governance.policy import Rule, default_rules, propose_cases
from tradewind.governance.scores import (
    Detector,
    DetectorScore,
    Evidence,
    Subject,
    SubjectKind,
    noisy_or,
    score_from_evidence,
)

OFFER = Subject(SubjectKind.OFFER, "off_1")


def test_score_outside_unit_interval_is_rejected() -> None:
    """Scores live in [0, 1] and carry a stable error code otherwise."""
    with pytest.raises(InvalidScore) as err:
        DetectorScore(Detector.FOLLOW_SELL, OFFER, 1.5, (Evidence("x", "x", 0.5),))
    assert err.value.code is GovernanceError.INVALID_SCORE


def test_nonzero_score_needs_evidence() -> None:
    """A positive score with no evidence cannot be explained, so it cannot exist."""
    with pytest.raises(InvalidScore):
        DetectorScore(Detector.FOLLOW_SELL, OFFER, 0.4)


def test_rule_needs_two_pieces_of_evidence() -> None:
    """A rule that would act on one opaque score is refused."""
    with pytest.raises(InvalidRule):
        Rule("r", frozenset({Detector.FAKE_REVIEW}), 0.5, min_evidence=1)


def test_rule_cannot_automate_severe_actions() -> None:
    """Suspensions and destruction always need an operator."""
    with pytest.raises(InvalidRule):
        Rule(
            "r",
            frozenset({Detector.BRUSHING}),
            0.5,
            auto_actions=(ActionKind.SUSPEND_SELLER,),
        )


def test_high_score_with_single_evidence_opens_no_case() -> None:
    """A score never acts alone: 0.95 from one signal does not meet a 2-evidence rule."""
    one = DetectorScore(
        Detector.FAKE_REVIEW,
        Subject(SubjectKind.SELLER, "s1"),
        0.95,
        (Evidence("text_model", "p=0.95", 0.95),),
    )
    assert propose_cases([one], default_rules()) == []


def test_corroborated_score_opens_case_with_rule_actions() -> None:
    """Two independent signals on the same seller make a brushing case proposal."""
    seller = Subject(SubjectKind.SELLER, "s1")
    scores = [
        score_from_evidence(Detector.BRUSHING, seller, [Evidence("buyer_ring", "ring", 0.6)]),
        score_from_evidence(Detector.FAKE_REVIEW, seller, [Evidence("text_model", "p=0.9", 0.9)]),
    ]
    [proposal] = propose_cases(scores, default_rules())
    assert proposal.rule.rule_id == "brushing-ring"
    assert proposal.subject == seller
    assert ActionKind.REMOVE_REVIEWS in proposal.rule.recommended_actions


weights = st.lists(st.floats(min_value=0.01, max_value=1.0), min_size=0, max_size=8)


@given(weights, st.floats(min_value=0.01, max_value=1.0))
def test_noisy_or_is_bounded_and_monotone(ws: list[float], extra: float) -> None:
    """Combining evidence stays in [0, 1] and never decreases when a new signal arrives."""
    ev = [Evidence(f"c{i}", "d", w) for i, w in enumerate(ws)]
    before = noisy_or(ev)
    after = noisy_or([*ev, Evidence("new", "d", extra)])
    assert 0.0 <= before <= after <= 1.0
    assert after >= extra - 1e-12


@given(weights)
def test_noisy_or_ignores_order_and_duplicates(ws: list[float]) -> None:
    """The same evidence in any order, or repeated, gives the same score."""
    ev = [Evidence(f"c{i}", "d", w) for i, w in enumerate(ws)]
    assert noisy_or(ev) == pytest.approx(noisy_or(list(reversed(ev))))
    assert noisy_or(ev) == pytest.approx(noisy_or(ev + ev))
