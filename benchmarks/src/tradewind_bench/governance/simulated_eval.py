"""Run the detectors and the policy over injected activity in simulated time, and score them.

Every ``step`` of simulated time (an hour by default) each detector sees the facts known by
then: orders placed, reviews posted, offers created, units received, declarations filed.
``default_rules()`` turn its scores into case proposals, and ``open_case`` opens a case (taking
the rule's automatic actions) with the system actor, reason and appeal path in the case's audit
trail. A bad actor's time to action is the first case on it minus its first bad act. Each
detector family keeps its own case repository so one rule's case never hides another's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tradewind.customs.api import DeclarationRiskScored, score_declared_value
from tradewind.governance.detectors.brushing import OrderFact, score_brushing, seller_graph_features
from tradewind.governance.detectors.declarations import (
    low_declaration_rate,
    score_declarations,
)
from tradewind.governance.detectors.follow_sell import (
    BrandRegistration,
    OfferFacts,
    score_follow_sell,
)
from tradewind.governance.detectors.inbound import InboundFacts, score_inbound
from tradewind.governance.detectors.review_author import with_author
from tradewind.governance.detectors.review_behaviour import ReviewFact, score_reviews
from tradewind.governance.detectors.tax import (
    DeclaredTaxId,
    SellerTaxProfile,
    score_tax_profile,
    shared_tax_ids,
)
from tradewind.governance.detectors.unit_codes import UnitCodeLedger, score_scan
from tradewind.governance.fakes import FakeTaxIdValidator
from tradewind.governance.policy import default_rules, propose_cases
from tradewind.governance.scores import DetectorScore
from tradewind.governance.services import OpenCase, open_case
from tradewind.shared.clock import FixedClock
from tradewind.shared.money import Money
from tradewind_bench.fraud.records import Activity, FraudKind, WorldFacts
from tradewind_bench.governance.simulated_family import Family
from tradewind_bench.governance.simulated_metrics import (
    GOAL_FPR,
    GOAL_RECALL,
    honest_counts,
    metrics,
)
from tradewind_bench.governance.simulated_reviewers import ReviewerFeed
from tradewind_bench.governance.simulated_test_buys import SimulatedTestBuys


@dataclass(frozen=True)
class PlatformFacts:
    """What the platform knew before the evaluated window: seller accounts, their listings
    and products' brands (read from the simulated world; no labels)."""

    sellers: frozenset[str] = frozenset()
    listings: frozenset[tuple[str, str]] = frozenset()  # (seller, product)
    product_brand: dict[str, str] = field(default_factory=dict)
    # Units sold: (placed at, product, quantity), in time order.
    sales: tuple[tuple[datetime, str, int], ...] = ()


class Evaluator:
    def __init__(self, act: Activity, world: PlatformFacts | None = None) -> None:
        self.act = act
        self.world = world or PlatformFacts()
        self.listings: set[tuple[str, str]] = set(self.world.listings)
        self.activity: dict[str, int] = defaultdict(int)  # seller -> offers and sales seen
        for seller, _ in self.world.listings:
            self.activity[seller] += 1
        self.declared: dict[str, list[DeclarationRiskScored]] = defaultdict(list)
        self.tax_scored = act.start
        self.author_scores: dict[str, DetectorScore] = {}
        self.sold: dict[str, int] = defaultdict(int)
        self.sales_ptr = 0
        self.clock = FixedClock(act.start)
        self.rules = default_rules()
        self.fam = {
            k: Family(d, k, u)
            for d, k, u in (
                ("brushing", FraudKind.BRUSHING_RING, "seller"),
                ("fake_review", FraudKind.REVIEW_FARM, "review"),
                ("follow_sell", FraudKind.HIJACKER, "offer"),
                ("unit_code", FraudKind.COUNTERFEITER, "unit"),
                ("tax_id", FraudKind.VAT_FRAUD, "seller"),
                ("undervaluation", FraudKind.UNDERVALUATION, "declaration"),
            )
        }
        # Reviewer accounts: a family of its own (cases, unit: account) whose cases also
        # count on their reviews in ``fake_review`` (see ``simulated_reviewers.py``).
        self.accounts = Family("reviewer_account", FraudKind.REVIEW_FARM, "account")
        self.reviewer_feed = ReviewerFeed(act)
        self._truth()
        self.ledger = UnitCodeLedger(enrolled=dict(act.enrolled), issued=dict(act.issued))
        self.registry = {
            b: BrandRegistration(b, owner, frozenset(act.authorised.get(b, set())))
            for b, owner in act.brand_owner.items()
            if owner
        }
        self.validator = FakeTaxIdValidator(act.tax_register, act.tax_holders)
        self.thresholds = {c: Money(v, cur) for c, (v, cur) in act.thresholds_minor.items()}
        self.ptr: dict[str, int] = defaultdict(int)
        self.n_cases = 0
        self.test_buys = SimulatedTestBuys(act.test_buys)

    def _truth(self) -> None:
        a, f = self.act, self.fam
        for o in a.orders:
            f[FraudKind.BRUSHING_RING].mark(o.seller_id, o.label, o.at, o.seller_id)
        for r in a.reviews:
            f[FraudKind.REVIEW_FARM].mark(r.review_id, r.label, r.at, r.reviewer_id)
            self.accounts.mark(r.reviewer_id, r.label, r.at, r.reviewer_id)
        for n in a.new_offers:
            f[FraudKind.HIJACKER].mark(n.offer_id, n.label, n.at, n.seller_id)
        for u in a.inbound:
            f[FraudKind.COUNTERFEITER].mark(u.unit_id, u.label, u.at, u.seller_id)
        for p in a.tax_profiles:
            f[FraudKind.VAT_FRAUD].mark(p.seller_id, p.label, p.at, p.seller_id)
        for d in a.declarations:
            f[FraudKind.UNDERVALUATION].mark(d.shipment_id, d.label, d.at, d.seller_id)

    # -- one step -----------------------------------------------------------------------------
    def _new(self, name: str, items: list[Any], t: datetime) -> list[Any]:
        i = self.ptr[name]
        j = i
        while j < len(items) and items[j].at <= t:
            j += 1
        self.ptr[name] = j
        return items[i:j]

    def step(self, t: datetime) -> None:
        a = self.act
        self.clock.set(t)
        new_orders = self._new("orders", a.orders, t)
        for o in new_orders:
            self.activity[o.seller_id] += 1
        new_reviews = self._new("reviews", a.reviews, t)
        if new_orders or any(r.order_id for r in new_reviews):
            self._brushing(t)
        authors_changed = self._reviewer_accounts(t)
        if new_reviews or authors_changed:
            self._reviews(t)
        self._act(FraudKind.HIJACKER, self._offers(t))
        self._act(FraudKind.COUNTERFEITER, self._inbound(t))
        self._act(FraudKind.VAT_FRAUD, self._tax(t))
        self._act(FraudKind.UNDERVALUATION, self._declarations(t))

    def _reviews(self, t: datetime) -> None:
        """Score every review known by now, each with its author's account score."""
        known = self.act.reviews[: self.ptr["reviews"]]
        facts = [
            ReviewFact(
                r.review_id,
                r.reviewer_id,
                r.product_id,
                r.at,
                r.rating,
                r.order_id is not None,
                r.text_fake_probability,
            )
            for r in known
        ]
        scores = score_reviews(facts, sales=self._sold(t))
        author = {r.review_id: r.reviewer_id for r in known}
        self._act(FraudKind.REVIEW_FARM, with_author(scores, self.author_scores, author))

    def _reviewer_accounts(self, t: datetime) -> bool:
        """Score reviewing accounts; a case on one actions all its reviews known by now.
        Whether any account was scored again."""
        known = self.act.reviews[: self.ptr["reviews"]]
        scores = self.reviewer_feed.step(t, known, frozenset(self.accounts.first_case))
        self.author_scores.update((s.subject.ref, s) for s in scores)
        self._open(self.accounts, scores)
        reviews = self.fam[FraudKind.REVIEW_FARM]
        for r in known:
            if r.reviewer_id in self.accounts.first_case and r.review_id not in reviews.first_case:
                reviews.first_case[r.review_id] = t
        return bool(scores)

    def _sold(self, t: datetime) -> dict[str, int]:
        sales = self.world.sales
        while self.sales_ptr < len(sales) and sales[self.sales_ptr][0] <= t:
            _, product, qty = sales[self.sales_ptr]
            self.sold[product] += qty
            self.sales_ptr += 1
        return self.sold

    def _offers(self, t: datetime) -> list[DetectorScore]:
        """New offers scored on arrival; the ambiguous ones get a test buy, whose result
        scores the offer again when it is back."""
        out = self.test_buys.results(t, self.registry)
        arrived: dict[str, OfferFacts] = {}
        for o in self._new("offers", self.act.new_offers, t):
            facts = OfferFacts(
                o.offer_id,
                o.seller_id,
                o.product_id,
                o.brand_id,
                Money(o.price_minor, o.currency),
                Money(o.reference_minor, o.currency),
                o.seller_created_at,
                o.condition_new,
                prior_activity=self.activity[o.seller_id],
            )
            score = score_follow_sell(facts, self.registry, o.at)
            out.append(score)
            arrived[o.offer_id] = facts
            self.activity[o.seller_id] += 1
            self.listings.add((o.seller_id, o.product_id))
        scored = [s for s in out if s.subject.ref in arrived]
        self.test_buys.order(scored, arrived, self.rules, t)
        return out

    def _inbound(self, t: datetime) -> list[DetectorScore]:
        out = []
        known = self.world.sellers
        for u in self._new("inbound", self.act.inbound, t):
            res = self.ledger.scan(u.unit_id, u.product_id, u.code, fc_id=u.fc_id, at=u.at)
            out.append(score_scan(res, u.seller_id))
            facts = InboundFacts(
                u.unit_id,
                u.seller_id,
                u.product_id,
                self.world.product_brand.get(u.product_id),
                (u.seller_id, u.product_id) in self.listings,
                u.seller_id in known,
            )
            out.append(score_inbound(facts, self.registry))
        return out

    def _tax(self, t: datetime) -> list[DetectorScore]:
        """New profiles when they appear, and every profile once a day: deadlines (a notice's,
        the law's) pass while nothing about the seller changes."""
        new = self._new("tax", self.act.tax_profiles, t)
        daily = t - self.tax_scored >= timedelta(days=1)
        if not new and not daily:
            return []
        profiles = [self._profile(p) for p in self.act.tax_profiles[: self.ptr["tax"]]]
        shared = shared_tax_ids(profiles)
        mine = {p.seller_id for p in new}
        if daily:
            self.tax_scored = t
        return [
            score_tax_profile(p, self.validator, self.thresholds, shared=shared, now=t)
            for p in profiles
            if daily or p.seller_id in mine
        ]

    def _profile(self, p: Any) -> SellerTaxProfile:
        return SellerTaxProfile(
            p.seller_id,
            p.establishment_country,
            tuple(DeclaredTaxId(c, n) for c, n in p.tax_ids),
            {
                c: Money(v, self.thresholds[c].currency)
                for c, v in p.sales_minor
                if c in self.thresholds
            },
            over_threshold_since=dict(p.over_since),
            registration_notices=dict(p.notices),
        )

    def _brushing(self, t: datetime) -> None:
        known = self.act.orders[: self.ptr["orders"]]
        rating = {r.order_id: r.rating for r in self.act.reviews[: self.ptr["reviews"]]}
        facts = [
            OrderFact(
                o.order_id,
                o.buyer_id,
                o.seller_id,
                o.ship_to,
                o.order_id in rating,
                rating.get(o.order_id, 0),
                o.site_id,
            )
            for o in known
        ]
        feats = seller_graph_features(facts)
        self._act(FraudKind.BRUSHING_RING, [score_brushing(f) for f in feats.values()])

    def _declarations(self, t: datetime) -> list[DetectorScore]:
        """Re-score every known declaration of each sender with a new one, with the parcels it
        cleared before the window: a pattern that shows later is evidence on the earlier
        parcels too (post-clearance audit). The platform's share of low declarations is over
        everything cleared so far."""
        senders = set()
        for d in self._new("declarations", self.act.declarations, t):
            # Customs scores the declaration; the detector reads its event.
            self.declared[d.seller_id].append(
                score_declared_value(
                    d.shipment_id,
                    d.seller_id,
                    Money(d.declared_minor, d.currency),
                    Money(d.reference_minor, d.currency),
                )
            )
            senders.add(d.seller_id)
        if not senders:
            return []
        history = self.act.declaration_history
        base = low_declaration_rate([d for v in self.declared.values() for d in v], history)
        return score_declarations(
            [d for s in sorted(senders) for d in self.declared[s]],
            history=history,
            base_rate=base,
        )

    def _act(self, kind: FraudKind, scores: list[DetectorScore]) -> None:
        self._open(self.fam[kind], scores)

    def _open(self, fam: Family, scores: list[DetectorScore]) -> None:
        fresh = [s for s in scores if s.score > 0 and s.subject.ref not in fam.first_case]
        for proposal in propose_cases(fresh, self.rules):
            ref = proposal.subject.ref
            self.n_cases += 1
            case = open_case(
                OpenCase(f"case-{self.n_cases:06d}", proposal, fam.respondent.get(ref, ref)),
                fam.cases,
                self.clock,
            )
            fam.first_case[ref] = self.clock.now()
            if fam.example is None and ref in fam.bad:
                fam.example = case


def evaluate(
    act: Activity,
    *,
    step: timedelta = timedelta(hours=1),
    say: Callable[[str], None] = print,
    world: PlatformFacts | None = None,
) -> dict[str, Any]:
    """Step through simulated time, then score every detector on its injected type."""
    ev = Evaluator(act, world)
    t = act.start
    last_day = -1
    while t < act.end + step:
        t += step
        ev.step(t)
        day = int((t - act.start) / timedelta(days=1))
        if day != last_day:
            last_day = day
            say(f"  evaluating day {day}: {ev.n_cases} cases so far")
    reviews = ev.fam[FraudKind.REVIEW_FARM]
    reviews.example = reviews.example or ev.accounts.example  # caught through the account
    detectors = {f.detector: metrics(f) for f in ev.fam.values()}
    detectors["fake_review"]["reviewer_accounts"] = metrics(ev.accounts)
    detectors["follow_sell"]["test_buys"] = ev.test_buys.report()
    detectors["tax_id"]["registration_notices"] = _notices(act)
    detectors["undervaluation"]["earlier_declarations"] = sum(
        len(h) for h in act.declaration_history.values()
    )
    return {
        "dataset": "simulated",
        "goal": {"recall": GOAL_RECALL, "false_positive_rate": GOAL_FPR},
        "detectors": detectors,
        "injected_actors": {str(k): v for k, v in sorted(act.injected.items())},
        "honest_counts": honest_counts(act),
        "cases_opened": ev.n_cases,
        "step_minutes": int(step / timedelta(minutes=1)),
    }


def _notices(act: Activity) -> dict[str, int]:
    """What registration notices cost: sellers notified by the end of the evaluation (before
    the window included), and how many of them were honest."""
    sent = [p for p in act.tax_profiles if any(at <= act.end for _, at in p.notices)]
    return {
        "sellers_notified": len(sent),
        "honest_notified": sum(p.label is None for p in sent),
    }


def platform_facts(facts: WorldFacts) -> PlatformFacts:
    """The platform's own records from the simulated world (accounts, listings, brands)."""
    return PlatformFacts(
        frozenset(s.seller_id for s in facts.sellers),
        frozenset((o.seller_id, o.product_id) for o in facts.offers),
        dict(facts.product_brand),
        tuple(
            sorted(
                (o.placed_at, ln.product_id, ln.quantity) for o in facts.orders for ln in o.lines
            )
        ),
    )
