"""Run the detectors that work on stored data and open cases through the policy.

* tax IDs: each third-party seller's declared tax numbers, checked by python-stdnum (through
  the ``TaxIdValidator`` port) against the seller's establishment country, and against the
  countries where it holds stock (a VAT registration is due there from the first sale);
* follow-sell: every live offer on a product of a brand with a registered owner. The owner and
  the platform's own retail accounts are authorised; the reference price is the owner's price
  for the product on that site, else the median offer price there.

Scores never act alone: ``propose_cases`` applies the rules (thresholds, minimum and required
evidence), and ``open_case`` opens at most one live case per subject and takes only the rule's
automatic, reversible actions, which take effect here through ``SqlEnforcer``. Offers in the
follow-sell band where hijackers and genuine resellers overlap are listed as test buys wanted
(``policy.offers_to_test_buy``): no case, no action. An operator buys and inspects the item and
records the result (``test_buys.record_test_buy``), which the follow-sell detector then reads.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from statistics import median_low
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from tradewind.governance.adapters import tables as g
from tradewind.governance.detectors.follow_sell import (
    BrandRegistration,
    InspectionResult,
    OfferFacts,
    score_follow_sell,
)
from tradewind.governance.detectors.tax import DeclaredTaxId, SellerTaxProfile, score_tax_profile
from tradewind.governance.policy import (
    CaseProposal,
    default_rules,
    offers_to_test_buy,
    propose_cases,
)
from tradewind.governance.ports import TaxIdValidator
from tradewind.governance.scores import DetectorScore, SubjectKind
from tradewind.governance.services import OpenCase, open_case
from tradewind.marketplace.model import SellerKind
from tradewind.platform.db import tables as t
from tradewind.platform.db.uow import SqlUnitOfWork
from tradewind.platform.taxids import StdnumTaxIdValidator
from tradewind.shared.clock import Clock
from tradewind.shared.money import Money


@dataclass
class ScanReport:
    scored: dict[str, int] = field(default_factory=dict)  # detector -> subjects scored
    flagged: int = 0  # scores above zero
    proposals: int = 0
    opened: list[str] = field(default_factory=list)
    already_open: int = 0
    by_rule: dict[str, int] = field(default_factory=dict)
    products: set[str] = field(default_factory=set)  # to re-index after commit
    test_buys: list[dict[str, Any]] = field(default_factory=list)  # wanted, by score

    def public(self) -> dict[str, Any]:
        return {
            "scored": self.scored,
            "flagged": self.flagged,
            "proposals": self.proposals,
            "opened": len(self.opened),
            "case_ids": self.opened,
            "already_open": self.already_open,
            "test_buys_wanted": len(self.test_buys),
            "by_rule": self.by_rule,
        }


def tax_scores(conn: Connection, validator: TaxIdValidator) -> list[DetectorScore]:
    s, x = t.sellers.c, t.seller_tax_ids.c
    ids: dict[str, list[DeclaredTaxId]] = defaultdict(list)
    for r in conn.execute(select(x.seller_id, x.country, x.number).order_by(x.seller_id)):
        ids[r.seller_id].append(DeclaredTaxId(r.country, r.number))
    sellers = conn.execute(
        select(s.seller_id, s.country)
        .where(s.kind == SellerKind.THIRD_PARTY.value)
        .order_by(s.seller_id)
    ).all()
    stock = stock_countries(conn)
    return [
        score_tax_profile(
            SellerTaxProfile(
                r.seller_id,
                r.country,
                tuple(ids.get(r.seller_id, ())),
                {},
                stock_countries=stock.get(r.seller_id, frozenset()),
            ),
            validator,
            {},
        )
        for r in sellers
    ]


def stock_countries(conn: Connection) -> dict[str, frozenset[str]]:
    """Per seller, the countries of the fulfilment centres where it has units on hand or
    inbound."""
    i, f, st = t.inventory_positions.c, t.fulfillment_centers.c, t.sites.c
    rows = conn.execute(
        select(i.seller_id, st.country)
        .join(t.fulfillment_centers, f.fc_id == i.fc_id)
        .join(t.sites, st.site_id == f.site_id)
        .where(i.on_hand + i.inbound > 0)
        .distinct()
    )
    out: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        out[r.seller_id].add(r.country)
    return {k: frozenset(v) for k, v in out.items()}


def follow_sell_scores(conn: Connection, now: datetime) -> list[DetectorScore]:
    facts, registry = follow_sell_facts(conn)
    return [score_follow_sell(f, registry, now) for f in facts]


def follow_sell_facts(
    conn: Connection,
) -> tuple[list[OfferFacts], dict[str, BrandRegistration]]:
    """Every live offer on a brand-registered product as the detector sees it, and the
    brand registry (owners and the platform's 1P retail accounts are authorised)."""
    o, p, b, s = t.offers.c, t.products.c, t.brands.c, t.sellers.c
    rows = conn.execute(
        select(
            o.offer_id,
            o.seller_id,
            o.product_id,
            o.site_id,
            o.price_minor,
            o.currency,
            o.condition,
            p.brand_id,
            b.owner_seller_id,
            s.created_at,
        )
        .join(t.products, p.product_id == o.product_id)
        .join(t.brands, b.brand_id == p.brand_id)
        .join(t.sellers, s.seller_id == o.seller_id)
        .where(b.owner_seller_id.is_not(None), o.active, ~o.suppressed)
        .order_by(o.offer_id)
    ).all()
    retail = frozenset(
        conn.execute(select(s.seller_id).where(s.kind == SellerKind.RETAIL_1P.value)).scalars()
    )
    registry = {r.brand_id: BrandRegistration(r.brand_id, r.owner_seller_id, retail) for r in rows}
    prices: dict[tuple[str, str], list[int]] = defaultdict(list)
    owner_price: dict[tuple[str, str], int] = {}
    for r in rows:
        prices[(r.product_id, r.site_id)].append(r.price_minor)
        if r.seller_id == r.owner_seller_id:
            owner_price[(r.product_id, r.site_id)] = r.price_minor
    inspected = latest_results(conn)
    facts = []
    for r in rows:
        key = (r.product_id, r.site_id)
        reference = owner_price.get(key) or median_low(prices[key])
        offer = OfferFacts(
            r.offer_id,
            r.seller_id,
            r.product_id,
            r.brand_id,
            Money(r.price_minor, r.currency),
            Money(reference, r.currency),
            r.created_at,
            condition_new=r.condition == "new",
            test_buy=inspected.get(r.offer_id),
        )
        facts.append(offer)
    return facts, registry


def latest_results(conn: Connection) -> dict[str, InspectionResult]:
    """The latest recorded test-buy result per offer."""
    b = g.test_buys.c
    latest = select(b.offer_id, func.max(b.recorded_at).label("at")).group_by(b.offer_id).subquery()
    rows = conn.execute(
        select(b.offer_id, b.result, b.test_buy_id)
        .join(latest, (latest.c.offer_id == b.offer_id) & (latest.c.at == b.recorded_at))
        .order_by(b.offer_id, b.test_buy_id)
    ).all()
    return {r.offer_id: InspectionResult(r.result) for r in rows}


def _respondents(conn: Connection, proposals: list[CaseProposal]) -> dict[str, str]:
    """Subject ref -> the seller who answers for it (an offer's seller, or the seller)."""
    out = {p.subject.ref: p.subject.ref for p in proposals if p.subject.kind is SubjectKind.SELLER}
    offer_ids = [p.subject.ref for p in proposals if p.subject.kind is SubjectKind.OFFER]
    if offer_ids:
        o = t.offers.c
        out.update(
            conn.execute(select(o.offer_id, o.seller_id).where(o.offer_id.in_(offer_ids))).all()
        )
    return out


def _case_id(p: CaseProposal, now: datetime) -> str:
    raw = f"{p.rule.rule_id}|{p.subject}|{now.isoformat()}"
    return f"case-{hashlib.sha256(raw.encode()).hexdigest()[:12]}"


def _wanted(scores: list[DetectorScore], proposals: list[CaseProposal]) -> list[dict[str, Any]]:
    wanted = offers_to_test_buy(scores, proposals)
    return [
        {
            "offer_id": s.subject.ref,
            "score": round(s.score, 3),
            "evidence": sorted(s.evidence_codes),
        }
        for s in sorted(wanted, key=lambda s: (-s.score, s.subject.ref))
    ]


def wanted_test_buys(engine: Engine, clock: Clock, limit: int = 50) -> list[dict[str, Any]]:
    """The offers the policy wants test-bought now, highest score first, with their seller,
    product and price (read only: no case is opened)."""
    now = clock.now()
    with engine.connect() as conn:
        facts, registry = follow_sell_facts(conn)
    scores = [score_follow_sell(f, registry, now) for f in facts]
    rows = _wanted(scores, propose_cases(scores, default_rules()))[:limit]
    by_id = {f.offer_id: f for f in facts}
    for w in rows:
        offer = by_id[w["offer_id"]]
        w.update(
            seller_id=offer.seller_id,
            product_id=offer.product_id,
            price={"amount": offer.price.amount, "currency": offer.price.currency},
        )
    return rows


def scan(
    engine: Engine,
    clock: Clock,
    validator: TaxIdValidator | None = None,
    *,
    only_offer: str | None = None,
) -> ScanReport:
    """Score stored sellers and offers, and open the cases the policy proposes (one
    transaction; running it again opens nothing new for subjects with a live case).
    ``only_offer``: score and act on that one offer only (after a test buy of it)."""
    report = ScanReport()
    now = clock.now()
    with SqlUnitOfWork(engine) as tx:
        assert tx.conn is not None
        if only_offer is None:
            scores = tax_scores(tx.conn, validator or StdnumTaxIdValidator())
            scores += follow_sell_scores(tx.conn, now)
        else:  # the reference price still needs every offer of the product on the site
            scores = [s for s in follow_sell_scores(tx.conn, now) if s.subject.ref == only_offer]
        report.scored = dict(Counter(s.detector.value for s in scores))
        report.flagged = sum(1 for s in scores if s.score > 0)
        proposals = propose_cases(scores, default_rules())
        report.proposals = len(proposals)
        report.test_buys = _wanted(scores, proposals)
        respondents = _respondents(tx.conn, proposals)
        for p in proposals:
            respondent = respondents.get(p.subject.ref)
            if respondent is None:
                continue
            hold = tuple(tx.enforcer.payable_balances(respondent))
            cmd = OpenCase(_case_id(p, now), p, respondent, hold)
            case = open_case(cmd, tx.cases, clock)
            if case.case_id != cmd.case_id:
                report.already_open += 1
                continue
            for action in case.actions:
                tx.enforcer.apply(case, action)
            report.opened.append(case.case_id)
            report.by_rule[p.rule.rule_id] = report.by_rule.get(p.rule.rule_id, 0) + 1
        tx.commit()
        report.products = set(tx.enforcer.touched_products)
    return report
