"""A review judged together with its author.

The review detector (``review_behaviour.py``) sees the review: its text, the product's other
reviews and sales, whether a purchase is behind it. The account detector
(``reviewer_accounts.py``) sees the author: age, devices, refunds, co-reviewing. A moderator
looks at both, and so does this: a review's evidence is its own plus its author's, so a review
on a product reviewed beyond its sales by an account a few weeks old is two facts, not one fact
in each of two places. A fact both detectors see is counted once, as the author's detector
weighs it, because that one sees all the author's reviews: a text flag (one flag on an account
is weak, the classifier flags 5 % of human text; several are not) and a review without a
purchase (the author's ``reviews_without_purchase``, when its record makes it one). The rules
are unchanged: ``fake-review`` still needs two distinct pieces and 0.7.
"""

from __future__ import annotations

from collections.abc import Mapping

from tradewind.governance.scores import (
    Detector,
    DetectorScore,
    Evidence,
    score_from_evidence,
)

# Review evidence code -> the author's evidence code for the same fact.
SAME_FACT = {"unverified_purchase": "reviews_without_purchase", "text_generated": "text_generated"}


def with_author(
    reviews: list[DetectorScore],
    accounts: Mapping[str, DetectorScore],
    author: Mapping[str, str],
) -> list[DetectorScore]:
    """Each review's score (``Detector.FAKE_REVIEW``) with its author's account score
    (``accounts`` by account id, ``author`` review id -> account id) merged in; reviews whose
    author has no score keep theirs."""
    out: list[DetectorScore] = []
    for review in reviews:
        account = accounts.get(author.get(review.subject.ref, ""))
        if account is None or not account.evidence:
            out.append(review)
            continue
        merged: dict[str, Evidence] = {}
        for e in review.evidence:
            merged[SAME_FACT.get(e.code, e.code)] = e
        for e in account.evidence:
            merged[e.code] = Evidence(e.code, f"author {account.subject.ref}: {e.detail}", e.weight)
        evidence = [merged[k] for k in sorted(merged)]
        out.append(score_from_evidence(Detector.FAKE_REVIEW, review.subject, evidence))
    return out
