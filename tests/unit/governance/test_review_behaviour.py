"""Behavioural fake-review signals: bursts, co-review groups, and the fake-review rule."""

from __future__ import annotations

from datetime import datetime, timedelta

from tradewind.governance.detectors.review_behaviour import (
    BehaviourParams,
    ReviewFact,
    burst_reviews,
    co_review_groups,
    score_reviews,
)
from tradewind.governance.policy import default_rules, propose_cases


def campaign(t0: datetime) -> list[ReviewFact]:
    """A product with a slow trickle of real reviews, then 6 unverified reviews in a day
    from a group that also reviews the same 3 other products."""
    out = [
        ReviewFact(f"real{i}", f"cust{i}", "p1", t0 + timedelta(days=10 * i), 4, True)
        for i in range(10)
    ]
    burst_at = t0 + timedelta(days=53)
    for i in range(6):
        out.append(
            ReviewFact(f"fake{i}", f"farm{i}", "p1", burst_at + timedelta(hours=i), 5, False, 0.9)
        )
        for k in range(3):
            out.append(
                ReviewFact(f"f{i}x{k}", f"farm{i}", f"q{k}", t0 + timedelta(days=k), 5, False)
            )
    return out


def test_burst_flags_the_campaign_not_the_trickle(t0: datetime) -> None:
    """Six reviews in six hours on a product that gets one every ten days is a burst."""
    flagged = burst_reviews(campaign(t0), BehaviourParams())
    assert {f"fake{i}" for i in range(6)} <= flagged
    assert not any(r.startswith("real") for r in flagged)


def test_co_review_groups_count_shared_products(t0: datetime) -> None:
    """Farm accounts share p1 and q0..q2; real customers share only p1."""
    groups = co_review_groups(campaign(t0))
    assert groups["farm0"] == 4 and groups["cust0"] == 1


def test_campaign_reviews_open_fake_review_cases(t0: datetime) -> None:
    """Fake reviews carry text, burst, unverified and group evidence; real ones open nothing."""
    scores = {s.subject.ref: s for s in score_reviews(campaign(t0))}
    fake = scores["fake0"]
    assert {"text_generated", "review_burst", "unverified_purchase", "co_review_group"} <= (
        fake.evidence_codes
    )
    proposals = propose_cases(list(scores.values()), default_rules())
    flagged = {p.subject.ref for p in proposals}
    assert {f"fake{i}" for i in range(6)} <= flagged
    assert not any(ref.startswith("real") for ref in flagged)
    assert all(p.rule.rule_id == "fake-review" for p in proposals)
