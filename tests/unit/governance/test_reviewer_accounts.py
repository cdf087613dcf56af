"""Reviewer-account detector: evidence from the account's record, and the policy rule."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tradewind.governance.case import ActionKind
from tradewind.governance.detectors.reviewer_accounts import (
    AccountParams,
    AccountReview,
    ContactChange,
    ReviewerAccount,
    co_reviewers,
    score_reviewer_accounts,
)
from tradewind.governance.policy import default_rules, propose_cases
from tradewind.governance.scores import Detector, SubjectKind

DAY = timedelta(days=1)


def _reviews(t0: datetime, products: list[str], **kw: object) -> tuple[AccountReview, ...]:
    return tuple(
        AccountReview(p, t0 - DAY * (i + 1), **kw)  # type: ignore[arg-type]
        for i, p in enumerate(products)
    )


def _background(t0: datetime, n: int = 200) -> list[ReviewerAccount]:
    """Honest accounts, years old, each reviewing a few distinct products it bought."""
    return [
        ReviewerAccount(
            f"hon-{i:03d}",
            t0 - DAY * 900,
            20,
            _reviews(t0, [f"p-{i}-{j}" for j in range(5)], verified_purchase=True),
        )
        for i in range(n)
    ]


def _by_id(scores: list, ref: str):  # type: ignore[no-untyped-def]
    return next(s for s in scores if s.subject.ref == ref)


def test_refund_scheme_account_scores_and_opens_a_case(t0: datetime) -> None:
    """Mostly unverified reviews, refunds after review and a review on arrival: 0.79, a case
    that recommends removing the account's reviews and takes no automatic action."""
    rs = list(_reviews(t0, ["a", "b", "c", "d"], verified_purchase=False))
    rs += list(_reviews(t0, ["e", "f"], verified_purchase=True, refunded_after=True))
    rs.append(AccountReview("g", t0, True, delivery_lag=timedelta(hours=2)))
    acc = ReviewerAccount("farm-1", t0 - DAY * 400, 3, tuple(rs))
    scores = score_reviewer_accounts([acc, *_background(t0)], t0)
    s = _by_id(scores, "farm-1")
    assert s.detector is Detector.REVIEWER_ACCOUNT and s.subject.kind is SubjectKind.ACCOUNT
    assert s.evidence_codes == {
        "reviews_without_purchase",
        "refunds_after_review",
        "review_on_arrival",
    }
    assert s.score == pytest.approx(1 - 0.6 * 0.5 * 0.7)
    (case,) = propose_cases(scores, default_rules())
    assert case.subject.ref == "farm-1" and case.rule.rule_id == "reviewer-account"
    assert case.rule.auto_actions == ()
    assert case.rule.recommended_actions == (ActionKind.REMOVE_REVIEWS,)


def test_new_gift_reviewer_is_two_weak_signals_below_the_rule(t0: datetime) -> None:
    """A 20-day-old account reviewing gifts (new + unverified): 0.58, no case."""
    acc = ReviewerAccount(
        "gift-1", t0 - DAY * 20, 0, _reviews(t0, ["x", "y", "z"], verified_purchase=False)
    )
    scores = score_reviewer_accounts([acc, *_background(t0)], t0)
    s = _by_id(scores, "gift-1")
    assert s.evidence_codes == {"new_account", "reviews_without_purchase"}
    assert s.score == pytest.approx(1 - 0.7 * 0.6)
    assert propose_cases(scores, default_rules()) == []


def test_honest_background_scores_zero(t0: datetime) -> None:
    """Old accounts reviewing what they bought, days after delivery, score 0."""
    scores = score_reviewer_accounts(_background(t0), t0)
    assert all(s.score == 0.0 and not s.evidence for s in scores)


def test_co_reviewing_rare_products_is_evidence_popular_ones_are_not(t0: datetime) -> None:
    """Two accounts sharing 4 products nobody else reviews are co-reviewers (P < 1e-6); two
    prolific accounts sharing 4 best sellers among 30 reviews each are not."""
    farm = ["r1", "r2", "r3", "r4"]
    a = ReviewerAccount("fa", t0 - DAY * 30, 1, _reviews(t0, farm, verified_purchase=True))
    b = ReviewerAccount("fb", t0 - DAY * 30, 1, _reviews(t0, farm, verified_purchase=True))
    best = [f"best-{j}" for j in range(4)]
    crowd = [
        ReviewerAccount(
            f"pro-{i}",
            t0 - DAY * 2000,
            300,
            _reviews(t0, best + [f"own-{i}-{j}" for j in range(26)], verified_purchase=True),
        )
        for i in range(2)
    ]
    fans = [
        ReviewerAccount(
            f"fan-{i}", t0 - DAY * 900, 10, _reviews(t0, [best[i % 4]], verified_purchase=True)
        )
        for i in range(40)
    ]
    peers = co_reviewers([a, b, *crowd, *fans, *_background(t0)], AccountParams())
    assert peers["fa"][:2] == ("fb", 4) and peers["fa"][2] < 1e-6
    assert "pro-0" not in peers and "pro-1" not in peers
    scores = score_reviewer_accounts([a, b, *crowd, *fans, *_background(t0)], t0)
    s = _by_id(scores, "fa")
    assert s.evidence_codes == {"new_account", "co_reviewer"}
    assert s.score == pytest.approx(1 - 0.7 * 0.4)
    cases = propose_cases(scores, default_rules())
    assert {c.subject.ref for c in cases} == {"fa", "fb"}


def test_one_strong_signal_never_acts(t0: datetime) -> None:
    """Refunds after review alone (0.5) opens nothing, whatever the threshold."""
    rs = _reviews(t0, ["e", "f", "g"], verified_purchase=True, refunded_after=True)
    acc = ReviewerAccount("ret-1", t0 - DAY * 800, 40, rs)
    scores = score_reviewer_accounts([acc, *_background(t0)], t0)
    assert _by_id(scores, "ret-1").evidence_codes == {"refunds_after_review"}
    assert propose_cases(scores, default_rules()) == []


def test_accounts_on_one_device_beyond_a_household_are_evidence(t0: datetime) -> None:
    """Four reviewing accounts on one phone: each gets 'shared_device' (three others); with
    reviews without a purchase it is a case. A family of three on a shared tablet is not
    evidence, and devices of accounts not passed in (not reviewing yet) do not count."""
    farm = [
        ReviewerAccount(
            f"f{i}",
            t0 - DAY * 700,
            0,
            _reviews(t0, [f"x{i}", f"y{i}", f"z{i}"], verified_purchase=False),
            devices=("phone-1", f"own-{i}"),
        )
        for i in range(4)
    ]
    family = [
        ReviewerAccount(
            f"h{i}", t0 - DAY * 900, 20, _reviews(t0, [f"q{i}"], verified_purchase=True), ("tab",)
        )
        for i in range(3)
    ]
    scores = score_reviewer_accounts([*farm, *family, *_background(t0)], t0)
    for i in range(4):
        s = _by_id(scores, f"f{i}")
        assert "shared_device" in s.evidence_codes and "3 other" in s.evidence[-1].detail
        assert s.score == pytest.approx(1 - 0.6 * 0.5)
    assert {p.subject.ref for p in propose_cases(scores, default_rules())} == {
        "f0",
        "f1",
        "f2",
        "f3",
    }
    assert all(_by_id(scores, f"h{i}").score == 0.0 for i in range(3))
    three = score_reviewer_accounts(farm[:3], t0)
    assert all("shared_device" not in s.evidence_codes for s in three)


def test_several_reviews_flagged_as_generated_weigh_more_than_one(t0: datetime) -> None:
    """The text model flags 5 % of human reviews: one flag is weak (0.25), three of three are
    improbable for a human (P = 1.25e-4) and weigh 0.5; two of forty are what chance gives."""

    def acc(ref: str, flagged: int, n: int) -> ReviewerAccount:
        reviews = tuple(
            AccountReview(
                f"{ref}-{i}", t0 - DAY, True, text_fake_probability=0.9 if i < flagged else 0.1
            )
            for i in range(n)
        )
        return ReviewerAccount(ref, t0 - DAY * 900, 50, reviews)

    scores = score_reviewer_accounts([acc("one", 1, 1), acc("three", 3, 3), acc("two", 2, 40)], t0)
    weight = {
        s.subject.ref: next(e.weight for e in s.evidence if e.code == "text_generated")
        for s in scores
    }
    assert weight == {"one": 0.25, "three": 0.5, "two": 0.25}
    three = _by_id(scores, "three")
    assert "3 of 3 reviews flagged" in three.evidence[0].detail


def test_a_device_of_an_account_under_a_case_is_evidence(t0: datetime) -> None:
    """An old account with a purchase behind its one review, on a phone that one other
    reviewing account uses: nothing by itself; once that account is under a case the shared
    phone is 'device_of_actioned_account' (0.4), and with the phone's other accounts (three)
    it is a case. Sharing with an account that is not under a case adds nothing."""
    bought = ReviewerAccount(
        "b1", t0 - DAY * 2000, 40, _reviews(t0, ["p1"], verified_purchase=True), ("phone", "own")
    )
    caught = ReviewerAccount(
        "c1", t0 - DAY * 30, 0, _reviews(t0, ["p2"], verified_purchase=False), ("phone",)
    )
    before = _by_id(score_reviewer_accounts([bought, caught, *_background(t0)], t0), "b1")
    assert before.score == 0.0
    after = score_reviewer_accounts(
        [bought, caught, *_background(t0)], t0, actioned=frozenset({"c1"})
    )
    linked = _by_id(after, "b1")
    assert linked.evidence_codes == {"device_of_actioned_account"}
    assert "c1" in linked.evidence[0].detail and linked.score == pytest.approx(0.4)
    assert "device_of_actioned_account" not in _by_id(after, "c1").evidence_codes
    others = [
        ReviewerAccount(
            f"o{i}", t0 - DAY * 900, 20, _reviews(t0, [f"q{i}"], verified_purchase=True), ("phone",)
        )
        for i in range(2)
    ]
    crowd = score_reviewer_accounts(
        [bought, caught, *others, *_background(t0)], t0, actioned=frozenset({"c1"})
    )
    s = _by_id(crowd, "b1")
    assert s.evidence_codes == {"device_of_actioned_account", "shared_device"}
    assert s.score == pytest.approx(1 - 0.6 * 0.5)
    assert "b1" in {p.subject.ref for p in propose_cases(crowd, default_rules())}


def test_a_handover_is_email_and_phone_replaced_from_a_new_device(t0: datetime) -> None:
    """Only email and phone replaced together, from a device never used, after the account's
    first 90 days and within 180 days of now is 'account_handover' (0.6); one detail, a known
    device, a change on a young account or an old change is not. Alone it opens no case; with
    reviews without a purchase it is the two facts the rule needs."""
    old = t0 - DAY * 2_000
    bought = ContactChange(t0 - DAY * 120, email=True, phone=True, new_device=True)
    cases = {
        "handover": (old, bought),
        "email-only": (old, ContactChange(t0 - DAY * 120, True, False, True)),
        "known-device": (old, ContactChange(t0 - DAY * 120, True, True, False)),
        "young": (t0 - DAY * 150, ContactChange(t0 - DAY * 120, True, True, True)),
        "long-ago": (old, ContactChange(t0 - DAY * 200, True, True, True)),
    }
    mine = _reviews(t0, ["x-1"], verified_purchase=True)
    accounts = [
        ReviewerAccount(name, created, 30, mine, contact_changes=(change,))
        for name, (created, change) in cases.items()
    ]
    scores = score_reviewer_accounts(_background(t0) + accounts, t0)
    handover = _by_id(scores, "handover")
    assert handover.evidence_codes == {"account_handover"}
    assert handover.evidence[0].weight == pytest.approx(0.6)
    assert "120 days ago" in handover.evidence[0].detail
    for name in ("email-only", "known-device", "young", "long-ago"):
        assert "account_handover" not in _by_id(scores, name).evidence_codes, name
    assert propose_cases([handover], default_rules()) == []
    unverified = _reviews(t0, ["y-1", "y-2", "y-3"], verified_purchase=False)
    both = ReviewerAccount("both", old, 30, unverified, contact_changes=(bought,))
    [score] = score_reviewer_accounts([both], t0)
    assert score.evidence_codes == {"account_handover", "reviews_without_purchase"}
    [case] = propose_cases([score], default_rules())
    assert case.rule.rule_id == "reviewer-account"
