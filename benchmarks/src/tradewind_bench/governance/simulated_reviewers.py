"""Feeding the reviewer-account detector in the simulated bench.

At each step the detector sees, for every account that has reviewed in the window so far, its
history before the window (``Activity.reviewers``), the devices it logs in from, the changes of
its sign-in contact details (``fraud_security.py``), its reviews posted so far (with the
delivery of the reviewed purchase, when verified) and the refunds known so far. Device
sharing is counted among those accounts only (not accounts that review later). No label is
read.

How a caught account counts in the ``fake_review`` metric (unit: review): a case on an account
removes its reviews (``remove_reviews``), so every review of that account posted by then counts
as actioned at the case's time, and every later one at the time it is posted (held on arrival).
An honest account caught costs all its reviews as false positives. The account-level figures
(unit: account) are reported next to it as ``fake_review.reviewer_accounts``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from tradewind.governance.detectors.reviewer_accounts import (
    AccountReview,
    ContactChange,
    ReviewerAccount,
    score_reviewer_accounts,
)
from tradewind.governance.scores import DetectorScore
from tradewind_bench.fraud.records import Activity, ReviewRec


class ReviewerFeed:
    """Incremental inputs of :func:`score_reviewer_accounts` as simulated time passes."""

    def __init__(self, act: Activity) -> None:
        self.act = act
        self.past: dict[str, tuple[AccountReview, ...]] = {
            rid: tuple(
                AccountReview(r.product_id, r.at, r.verified, r.refunded) for r in rec.past_reviews
            )
            for rid, rec in act.reviewers.items()
        }
        self.changes: dict[str, tuple[ContactChange, ...]] = {
            rid: tuple(
                ContactChange(c.at, c.email, c.phone, c.new_device) for c in rec.contact_changes
            )
            for rid, rec in act.reviewers.items()
        }
        self.window: dict[str, list[ReviewRec]] = defaultdict(list)
        self.refunded: set[str] = set()
        self.n_reviews = 0
        self.n_refunds = 0
        self.actioned: frozenset[str] = frozenset()

    def step(
        self,
        t: datetime,
        known_reviews: list[ReviewRec],
        actioned: frozenset[str] = frozenset(),
    ) -> list[DetectorScore]:
        """Scores of every reviewing account, if anything new arrived since the last step
        (reviews, refunds, or accounts put under a case: ``actioned``)."""
        new_refunds = 0
        while self.n_refunds < len(self.act.refunds) and self.act.refunds[self.n_refunds].at <= t:
            self.refunded.add(self.act.refunds[self.n_refunds].order_id)
            self.n_refunds += 1
            new_refunds += 1
        for r in known_reviews[self.n_reviews :]:
            self.window[r.reviewer_id].append(r)
        fresh = len(known_reviews) > self.n_reviews or actioned != self.actioned
        self.n_reviews = len(known_reviews)
        self.actioned = actioned
        if not fresh and not new_refunds:
            return []
        return score_reviewer_accounts(
            [self._account(rid) for rid in sorted(self.window)], t, actioned=actioned
        )

    def _account(self, reviewer: str) -> ReviewerAccount:
        rec = self.act.reviewers.get(reviewer)
        mine = tuple(
            AccountReview(
                r.product_id,
                r.at,
                r.order_id is not None,
                r.order_id in self.refunded,
                None if r.delivered_at is None else r.at - r.delivered_at,
                r.text_fake_probability,
            )
            for r in self.window[reviewer]
        )
        if rec is None:  # no history on record: treated as an account created at its 1st review
            first = min(r.at for r in self.window[reviewer])
            return ReviewerAccount(reviewer, first, sum(r.verified_purchase for r in mine), mine)
        purchases = rec.past_purchases + sum(r.verified_purchase for r in mine)
        return ReviewerAccount(
            reviewer,
            rec.created_at,
            purchases,
            self.past[reviewer] + mine,
            rec.devices,
            self.changes[reviewer],
        )
