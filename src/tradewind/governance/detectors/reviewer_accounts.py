"""Reviewer accounts: is the account behind a review a farm account?

A farm spreads a campaign over many accounts, one or two reviews each, so the reviews alone
rarely form a burst or a group. The account's own record does: which devices it logs in
from (a farm runs many accounts from a few phones), how old it is, how many of its
reviews have no purchase behind them, whether its reviewed purchases were refunded after the
review (the "review, then get your money back" scheme), whether it reviews the same products as
another account far more often than the products' popularity explains, whether it posts
within hours of delivery, and whether its sign-in email and phone were replaced together from a
device it had never used (an aged account changing hands). Each of these is common enough among
honest people (new accounts, gift reviewers, prolific reviewers of best sellers, returns, a new
phone and a new address) that none acts alone: the policy rule needs two of them and a combined
score of 0.7.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import combinations

from tradewind.governance.detectors.brushing import binomial_tail
from tradewind.governance.detectors.review_behaviour import poisson_tail
from tradewind.governance.scores import (
    Detector,
    DetectorScore,
    Evidence,
    Subject,
    SubjectKind,
    score_from_evidence,
)


@dataclass(frozen=True, slots=True)
class AccountReview:
    """One review by the account, before or during the window, as the platform records it."""

    product_id: str
    at: datetime
    verified_purchase: bool
    refunded_after: bool = False  # the purchase was refunded after the review was posted
    delivery_lag: timedelta | None = None  # review time minus delivery, when known
    text_fake_probability: float | None = None


@dataclass(frozen=True, slots=True)
class ContactChange:
    """A change of the account's sign-in contact details, from the security log."""

    at: datetime
    email: bool
    phone: bool
    new_device: bool  # made from a device the account had never used before


@dataclass(frozen=True, slots=True)
class ReviewerAccount:
    reviewer_id: str
    created_at: datetime
    purchases: int  # verified purchases on record, reviewed or not
    reviews: tuple[AccountReview, ...]
    devices: tuple[str, ...] = ()  # device fingerprints from the account's login records
    contact_changes: tuple[ContactChange, ...] = ()


@dataclass(frozen=True, slots=True)
class AccountParams:
    new_account: timedelta = timedelta(days=90)
    w_new: float = 0.3
    # Reviews without a purchase: at least this many reviews, at least this share unverified.
    unverified_min_reviews: int = 3
    unverified_share: float = 0.5
    w_unverified: float = 0.4
    # Refunds after review: at least this many and this share of reviewed purchases.
    refunds_min: int = 2
    refunds_share: float = 0.25
    w_refunds: float = 0.5
    # Co-reviewing: shared products with one other account whose Poisson tail, given both
    # accounts' review counts and products' popularity, is below alpha (~10^4-10^5 pairs).
    co_review_alpha: float = 1e-6
    co_review_min: int = 2
    w_co_review: float = 0.6
    # Posting on arrival: a reviewed purchase reviewed within this lag of delivery.
    arrival_lag: timedelta = timedelta(hours=12)
    w_arrival: float = 0.3
    text_threshold: float = 0.8
    w_text: float = 0.25
    # The text model's measured rate of flagging human-written reviews (hold-out, 5 %).
    text_human_flag_rate: float = 0.05
    text_repeat_alpha: float = 0.01
    w_text_repeated: float = 0.5
    # A device other reviewing accounts also log in from: a family shares one, a farm runs
    # many accounts from a few (evidence from this many other accounts on one device).
    device_min_others: int = 3
    w_shared_device: float = 0.5
    # A device an account already under a case logs in from (whatever the count): operators
    # confirmed that account, and accounts on its devices are run by the same hands or share
    # a household with them.
    w_device_of_actioned: float = 0.4
    # A handover: email and phone replaced together, from a device the account never used,
    # after its first ``new_account`` days and within this long of now. A buyer of an aged
    # account does this so the seller cannot win it back; honest people seldom change both at
    # once from a new device (the simulated rate is 2 % a year, on the generous side).
    handover_window: timedelta = timedelta(days=180)
    w_handover: float = 0.6


def co_reviewers(
    accounts: list[ReviewerAccount], p: AccountParams
) -> dict[str, tuple[str, int, float]]:
    """For each account, its most improbable co-reviewer: reviewer -> (other, shared, tail P).

    Under independence two accounts with ``n_a`` and ``n_b`` distinct products share about
    ``n_a * n_b * sum(q^2)`` of them, ``q`` being each product's share of all reviewed
    (account, product) pairs: popular products are shared often, and that is not evidence.
    """
    products = {a.reviewer_id: {r.product_id for r in a.reviews} for a in accounts}
    share: dict[str, int] = defaultdict(int)
    holders: dict[str, list[str]] = defaultdict(list)
    for reviewer, prods in sorted(products.items()):
        for prod in prods:
            share[prod] += 1
            holders[prod].append(reviewer)
    total = sum(share.values())
    if total == 0:
        return {}
    concentration = sum((n / total) ** 2 for n in share.values())
    common: dict[tuple[str, str], int] = defaultdict(int)
    for group in holders.values():
        for a, b in combinations(group, 2):
            common[(a, b)] += 1
    best: dict[str, tuple[str, int, float]] = {}
    for (a, b), k in sorted(common.items()):
        if k < p.co_review_min:
            continue
        tail = poisson_tail(k, len(products[a]) * len(products[b]) * concentration)
        if tail >= p.co_review_alpha:
            continue
        for me, other in ((a, b), (b, a)):
            if me not in best or tail < best[me][2]:
                best[me] = (other, k, tail)
    return best


def _history_evidence(a: ReviewerAccount, now: datetime, p: AccountParams) -> list[Evidence]:
    ev: list[Evidence] = []
    age = now - a.created_at
    if age < p.new_account:
        ev.append(Evidence("new_account", f"account {age.days} days old", p.w_new))
    n = len(a.reviews)
    unverified = sum(not r.verified_purchase for r in a.reviews)
    if n >= p.unverified_min_reviews and unverified >= p.unverified_share * n:
        ev.append(
            Evidence(
                "reviews_without_purchase",
                f"{unverified} of {n} reviews without a purchase ({a.purchases} purchases)",
                p.w_unverified,
            )
        )
    verified = sum(r.verified_purchase for r in a.reviews)
    refunded = sum(r.refunded_after for r in a.reviews)
    if refunded >= p.refunds_min and refunded >= p.refunds_share * verified:
        ev.append(
            Evidence(
                "refunds_after_review",
                f"{refunded} of {verified} reviewed purchases refunded after the review",
                p.w_refunds,
            )
        )
    handovers = [
        c
        for c in a.contact_changes
        if c.email
        and c.phone
        and c.new_device
        and c.at - a.created_at >= p.new_account
        and now - p.handover_window <= c.at <= now
    ]
    if handovers:
        last = max(c.at for c in handovers)
        ev.append(
            Evidence(
                "account_handover",
                f"email and phone replaced together from a new device {(now - last).days} days "
                f"ago, {(last - a.created_at).days} days into the account's life",
                p.w_handover,
            )
        )
    return ev


def _window_evidence(a: ReviewerAccount, p: AccountParams) -> list[Evidence]:
    ev: list[Evidence] = []
    fast = [r for r in a.reviews if r.delivery_lag is not None and r.delivery_lag < p.arrival_lag]
    if fast:
        hours = min(r.delivery_lag for r in fast if r.delivery_lag is not None) / timedelta(hours=1)
        ev.append(
            Evidence("review_on_arrival", f"reviewed {hours:.1f} h after delivery", p.w_arrival)
        )
    scored = [r.text_fake_probability for r in a.reviews if r.text_fake_probability is not None]
    flagged = sum(x >= p.text_threshold for x in scored)
    if flagged:
        # The classifier flags human text at a known rate: several flags on one account are
        # far less likely by chance than one, and weigh more.
        tail = binomial_tail(flagged, len(scored), p.text_human_flag_rate)
        repeated = flagged >= 2 and tail < p.text_repeat_alpha
        ev.append(
            Evidence(
                "text_generated",
                f"{flagged} of {len(scored)} reviews flagged as generated (P = {tail:.2g} for "
                f"human text)",
                p.w_text_repeated if repeated else p.w_text,
            )
        )
    return ev


def score_reviewer_accounts(
    accounts: list[ReviewerAccount],
    now: datetime,
    params: AccountParams | None = None,
    *,
    actioned: frozenset[str] = frozenset(),
) -> list[DetectorScore]:
    """One score per account (``SubjectKind.ACCOUNT``), in reviewer id order. ``actioned``:
    accounts already under a case; sharing a device with one is evidence."""
    p = params or AccountParams()
    peers = co_reviewers(accounts, p)
    on_device: dict[str, set[str]] = defaultdict(set)
    for acc in accounts:
        for device in acc.devices:
            on_device[device].add(acc.reviewer_id)
    out: list[DetectorScore] = []
    for a in sorted(accounts, key=lambda x: x.reviewer_id):
        ev = _history_evidence(a, now, p) + _window_evidence(a, p)
        shared = max((len(on_device[d]) - 1 for d in a.devices), default=0)
        if shared >= p.device_min_others:
            ev.append(
                Evidence(
                    "shared_device",
                    f"logs in from a device {shared} other reviewing accounts use",
                    p.w_shared_device,
                )
            )
        linked = sorted(
            {x for d in a.devices for x in on_device[d] if x in actioned} - {a.reviewer_id}
        )
        if linked:
            ev.append(
                Evidence(
                    "device_of_actioned_account",
                    f"logs in from a device of {', '.join(linked[:3])} (under a case)",
                    p.w_device_of_actioned,
                )
            )
        if a.reviewer_id in peers:
            other, k, tail = peers[a.reviewer_id]
            ev.append(
                Evidence(
                    "co_reviewer",
                    f"shares {k} reviewed products with {other} (P = {tail:.1e})",
                    p.w_co_review,
                )
            )
        out.append(
            score_from_evidence(
                Detector.REVIEWER_ACCOUNT, Subject(SubjectKind.ACCOUNT, a.reviewer_id), ev
            )
        )
    return out
