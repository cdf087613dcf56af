"""Cases in SQL and enforcement that takes effect, on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select, update

from tests.integration.seed import make_shop
from tradewind.bootstrap import bootstrap
from tradewind.governance.adapters import tables as g
from tradewind.governance.adapters.case_repository import CaseFilter, SqlCaseRepository
from tradewind.governance.adapters.scan import scan
from tradewind.governance.audit import Actor, ActorKind, verify_chain
from tradewind.governance.case import ActionKind, AppealState, Case, CaseStatus
from tradewind.governance.errors import (
    CaseNotFound,
    InvalidCaseTransition,
    InvalidEnforcementTarget,
    NothingToHold,
)
from tradewind.governance.scores import Detector, Evidence, Subject, SubjectKind
from tradewind.governance.scores import score_from_evidence as score
from tradewind.governance.services import (
    DecideAppeal,
    FileAppeal,
    TakeAction,
    decide_appeal,
    file_appeal,
    take_action,
)
from tradewind.marketplace.commands import CreateOffer
from tradewind.marketplace.errors import SellerNotActive
from tradewind.marketplace.model import Condition
from tradewind.platform.db import tables as t
from tradewind.platform.db.repositories import SqlOfferRepository
from tradewind.platform.db.uow import SqlUnitOfWork
from tradewind.platform.db.views import Views
from tradewind.platform.settings import Settings
from tradewind.shared.clock import FixedClock
from tradewind.shared.money import Money

SYSTEM = Actor(ActorKind.SYSTEM, "rule:follow-sell")


@pytest.fixture()
def shop(engine):
    return make_shop(engine)


@pytest.fixture()
def clock():
    return FixedClock(datetime.now(UTC).replace(microsecond=0))


def open_offer_case(engine, clock, offer_id, seller_id, *, auto_suppress=False):
    """A follow-sell case on ``offer_id`` (two pieces of evidence), stored."""
    subject = Subject(SubjectKind.OFFER, offer_id)
    scores = (
        score(
            Detector.FOLLOW_SELL,
            subject,
            [
                Evidence("unauthorised_seller", f"{seller_id} is not authorised", 0.5),
                Evidence("below_plausible_cost", "price 900 < floor 1000", 0.5),
            ],
        ),
    )
    case = Case.open(
        f"case-{offer_id}-{clock.now().timestamp():.0f}",
        subject,
        seller_id,
        scores,
        rule_id="follow-sell",
        at=clock.now(),
        actor=SYSTEM,
    )
    with SqlUnitOfWork(engine) as tx:
        if auto_suppress:
            action = case.take_action(
                ActionKind.SUPPRESS_OFFER,
                target=subject,
                reason="automatic",
                actor=SYSTEM,
                at=clock.now(),
            )
            tx.cases.add(case)
            tx.enforcer.apply(case, action)
        else:
            tx.cases.add(case)
        tx.commit()
    return case.case_id


def act(engine, clock, case_id, kind, operator="op-a", **kw):
    clock.advance(timedelta(minutes=1))
    return take_action(
        TakeAction(case_id, kind, f"{kind} by test", operator, **kw), SqlUnitOfWork(engine), clock
    )


def appeal_and_overturn(engine, clock, case_id, seller_id):
    clock.advance(timedelta(minutes=1))
    file_appeal(
        FileAppeal(case_id, seller_id, "we bought these from the brand"),
        SqlUnitOfWork(engine),
        clock,
    )
    clock.advance(timedelta(minutes=1))
    return decide_appeal(
        DecideAppeal(case_id, "op-b", True, "invoices check out"), SqlUnitOfWork(engine), clock
    )


def test_case_round_trip_keeps_evidence_actions_appeal_and_a_verifiable_trail(engine, shop, clock):
    """A stored case comes back equal, with a hash chain that verifies until a row is edited."""
    sa, _ = shop.sellers
    cid = open_offer_case(engine, clock, shop.offers["a1"], sa, auto_suppress=True)
    clock.advance(timedelta(minutes=5))
    file_appeal(
        FileAppeal(cid, sa, "authorised reseller, see invoice 42"), SqlUnitOfWork(engine), clock
    )
    with SqlUnitOfWork(engine) as tx:
        case = tx.cases.get(cid)
        assert case.status is CaseStatus.ACTIONED and case.appeal is AppealState.FILED
        assert case.scores[0].evidence_codes == {"unauthorised_seller", "below_plausible_cost"}
        assert [a.kind for a in case.actions] == [ActionKind.SUPPRESS_OFFER]
        assert case.appeal_deadline == case.actions[0].at + timedelta(days=30)
        assert [e.event for e in case.audit] == [
            "case_opened",
            "action:suppress_offer:offer:" + shop.offers["a1"],
            "appeal_filed",
        ]
        assert verify_chain(case.audit)
        appeal = tx.cases.appeal_statement(cid)
        assert appeal["statement"] == "authorised reseller, see invoice 42"
        rows, total = tx.cases.list_cases(CaseFilter(respondent=sa))
        assert total == 1 and rows[0].detector == "follow_sell" and rows[0].score == 0.75
        assert tx.cases.open_for(shop.offers["a1"])[0].case_id == cid
    with engine.begin() as c:
        c.execute(
            update(g.case_audit_entries)
            .where(g.case_audit_entries.c.case_id == cid, g.case_audit_entries.c.seq == 1)
            .values(reason="nothing to see")
        )
    with SqlUnitOfWork(engine) as tx:
        assert not verify_chain(tx.cases.get(cid).audit)


def test_a_stale_case_cannot_be_saved_over_a_newer_one(engine, shop, clock):
    """Optimistic concurrency: a case read at version n is refused once someone saved n+1."""
    cid = open_offer_case(engine, clock, shop.offers["b1"], shop.sellers[1])
    with engine.connect() as conn:
        repo = SqlCaseRepository(conn)
        stale = repo.get(cid)
        conn.rollback()
        act(engine, clock, cid, ActionKind.SUPPRESS_OFFER)
        stale.dismiss(actor=Actor(ActorKind.OPERATOR, "op-x"), reason="late", at=clock.now())
        with pytest.raises(InvalidCaseTransition):
            repo.add(stale)
        conn.rollback()
    with pytest.raises(CaseNotFound), SqlUnitOfWork(engine) as tx:
        tx.cases.get("case-missing")


def test_suppressed_offer_leaves_buy_box_search_and_checkout_until_overturned(engine, shop, clock):
    """Suppressing the winner hands the buy box to the next offer, hides a sole offer from
    search, and an overturned appeal brings both back."""
    sa, _ = shop.sellers
    views = Views(engine, clock)
    p1 = shop.products[0]
    assert views.product_page(p1, shop.site)["buy_box"]["winner_offer_id"] == shop.offers["a1"]
    cid = open_offer_case(engine, clock, shop.offers["a1"], sa)
    act(engine, clock, cid, ActionKind.SUPPRESS_OFFER)
    page = views.product_page(p1, shop.site)
    assert page["buy_box"]["winner_offer_id"] == shop.offers["b1"]
    assert shop.offers["a1"] not in {o["offer_id"] for o in page["offers"]}
    with SqlUnitOfWork(engine) as tx:
        seen = SqlOfferRepository(tx.conn).for_checkout(shop.site, [shop.offers["a1"]])
        assert seen[shop.offers["a1"]].offer.active is False
    cid2 = open_offer_case(engine, clock, shop.offers["a2"], sa)
    act(engine, clock, cid2, ActionKind.SUPPRESS_OFFER)
    found = views.search_products(shop.site, f"widget {shop.tag}")
    assert found["count"] == 1 and found["data"][0]["product_id"] == p1
    appeal_and_overturn(engine, clock, cid, sa)
    appeal_and_overturn(engine, clock, cid2, sa)
    assert views.product_page(p1, shop.site)["buy_box"]["winner_offer_id"] == shop.offers["a1"]
    assert views.search_products(shop.site, f"widget {shop.tag}")["count"] == 2


def test_an_offer_stays_suppressed_while_another_action_holds_it(engine, shop, clock):
    """Two cases suppress one offer; reversing one leaves it suppressed, both clear it."""
    sa, _ = shop.sellers
    first = open_offer_case(engine, clock, shop.offers["a1"], sa)
    act(engine, clock, first, ActionKind.SUPPRESS_OFFER)
    second = open_offer_case(engine, clock, shop.offers["a2"], sa)
    act(engine, clock, second, ActionKind.SUSPEND_SELLER)
    appeal_and_overturn(engine, clock, second, sa)
    with engine.connect() as c:
        rows = dict(
            c.execute(
                select(t.offers.c.offer_id, t.offers.c.suppressed).where(t.offers.c.seller_id == sa)
            ).all()
        )
    assert rows == {shop.offers["a1"]: True, shop.offers["a2"]: False}


def test_suspended_seller_loses_offers_and_cannot_create_one_until_overturned(
    engine, db_url, shop, clock
):
    """Suspension: KYC suspended, every offer suppressed, new offers refused with a stable
    code; the overturn restores KYC and the offers."""
    sa, _ = shop.sellers
    container = bootstrap(Settings(database_url=db_url), engine=engine)
    cid = open_offer_case(engine, clock, shop.offers["a1"], sa)
    act(engine, clock, cid, ActionKind.SUSPEND_SELLER)
    with engine.connect() as c:
        assert (
            c.execute(select(t.sellers.c.kyc_status).where(t.sellers.c.seller_id == sa)).scalar()
            == "suspended"
        )
        suppressed = c.execute(
            select(func.count()).where(t.offers.c.seller_id == sa, t.offers.c.suppressed)
        ).scalar()
    assert suppressed == 2
    new = CreateOffer(sa, shop.products[1], shop.site, 999, condition=Condition.USED)
    with pytest.raises(SellerNotActive) as err:
        container.bus.handle(new)
    assert str(err.value.code) == "seller_not_active"
    appeal_and_overturn(engine, clock, cid, sa)
    with engine.connect() as c:
        assert (
            c.execute(select(t.sellers.c.kyc_status).where(t.sellers.c.seller_id == sa)).scalar()
            == "verified"
        )
        assert not c.execute(
            select(func.count()).where(t.offers.c.seller_id == sa, t.offers.c.suppressed)
        ).scalar()
    assert container.bus.handle(new)


def _payable(engine, seller):
    le = t.ledger_entries.c
    with engine.connect() as c:
        return {
            acct: int(total)
            for acct, total in c.execute(
                select(le.account, func.sum(le.amount_minor))
                .where(le.seller_id == seller)
                .group_by(le.account)
            )
        }


def test_hold_funds_moves_the_payable_balance_to_held_and_the_overturn_releases_it(
    engine, shop, clock
):
    """A hold is a balanced ledger move payable -> held; settlement sees less payable."""
    _, sb = shop.sellers
    with engine.begin() as c:
        c.execute(
            insert(t.ledger_entries),
            [
                {
                    "txn_id": f"sale-{shop.tag}",
                    "reference": "o1",
                    "account": a,
                    "seller_id": s,
                    "amount_minor": amt,
                    "currency": "USD",
                    "created_at": clock.now(),
                }
                for a, s, amt in (("psp:clearing", None, 5000), (f"seller:{sb}:payable", sb, -5000))
            ],
        )
    cid = open_offer_case(engine, clock, shop.offers["b1"], sb)
    out = act(engine, clock, cid, ActionKind.HOLD_FUNDS)
    assert out.case.actions[-1].amount == Money(5000, "USD")
    assert _payable(engine, sb) == {f"seller:{sb}:payable": 0, f"seller:{sb}:held": -5000}
    appeal_and_overturn(engine, clock, cid, sb)
    assert _payable(engine, sb) == {f"seller:{sb}:payable": -5000, f"seller:{sb}:held": 0}


def _balances(engine, seller):
    """(account, currency) -> sum of the seller's ledger entries."""
    le = t.ledger_entries.c
    with engine.connect() as c:
        return {
            (acct, cur): int(total)
            for acct, cur, total in c.execute(
                select(le.account, le.currency, func.sum(le.amount_minor))
                .where(le.seller_id == seller)
                .group_by(le.account, le.currency)
            )
        }


def test_hold_funds_holds_the_payable_balance_in_every_currency_and_the_overturn_releases_all(
    engine, shop, clock
):
    """Regression: a one-click hold held only the largest of a seller's balances. A seller paid
    in USD, EUR, GBP and JPY gets one hold per currency (each a balanced payable -> held move);
    an overturn releases every one of them."""
    _, sb = shop.sellers
    owed = {"USD": 5000, "EUR": 7000, "GBP": 300, "JPY": 12000}
    with engine.begin() as c:
        c.execute(
            insert(t.ledger_entries),
            [
                {
                    "txn_id": f"sale-{shop.tag}-{cur}",
                    "reference": f"o-{cur}",
                    "account": a,
                    "seller_id": s,
                    "amount_minor": sign * amt,
                    "currency": cur,
                    "created_at": clock.now(),
                }
                for cur, amt in owed.items()
                for a, s, sign in (("psp:clearing", None, 1), (f"seller:{sb}:payable", sb, -1))
            ],
        )
    payable, held = f"seller:{sb}:payable", f"seller:{sb}:held"
    cid = open_offer_case(engine, clock, shop.offers["b1"], sb)
    out = act(engine, clock, cid, ActionKind.HOLD_FUNDS)
    holds = [a for a in out.case.actions if a.kind is ActionKind.HOLD_FUNDS]
    assert sorted((a.amount.currency, a.amount.amount) for a in holds) == sorted(owed.items())
    after = _balances(engine, sb)
    for cur, amt in owed.items():
        assert after[(payable, cur)] == 0 and after[(held, cur)] == -amt
    with engine.connect() as c:
        effects = c.execute(
            select(func.count()).where(
                g.enforcement_effects.c.kind == "hold_funds",
                g.enforcement_effects.c.action_id.in_([a.action_id for a in holds]),
            )
        ).scalar()
    assert effects == len(owed)
    # nothing left to hold: a second one-click hold is refused
    with pytest.raises(NothingToHold):
        act(engine, clock, cid, ActionKind.HOLD_FUNDS)
    appeal_and_overturn(engine, clock, cid, sb)
    released = _balances(engine, sb)
    for cur, amt in owed.items():
        assert released[(payable, cur)] == -amt and released[(held, cur)] == 0


def test_destroy_units_waits_for_the_appeal_window_then_writes_off_stock(engine, shop, clock):
    """Units are blocked first; after the appeal window, destroy writes off unreserved units."""
    sa, _ = shop.sellers
    sku = f"{shop.products[0]}.{sa}"
    cid = open_offer_case(engine, clock, shop.offers["a1"], sa)
    unit = Subject(SubjectKind.UNIT, sku)
    act(engine, clock, cid, ActionKind.BLOCK_UNITS, target=unit)
    with pytest.raises(InvalidCaseTransition):
        act(engine, clock, cid, ActionKind.DESTROY_UNITS, target=unit)
    clock.advance(timedelta(days=31))
    act(engine, clock, cid, ActionKind.DESTROY_UNITS, target=unit)
    with engine.connect() as c:
        left = c.execute(
            select(func.sum(t.inventory_positions.c.on_hand)).where(
                t.inventory_positions.c.sku == sku
            )
        ).scalar()
        detail = c.execute(
            select(g.enforcement_effects.c.detail).where(
                g.enforcement_effects.c.kind == "destroy_units",
                g.enforcement_effects.c.target_ref == sku,
            )
        ).scalar()
    assert left == 0 and sum(detail["destroyed"].values()) == 13


def test_actions_must_target_the_case_or_its_respondent(engine, shop, clock):
    """An operator cannot suppress another seller's offer through an unrelated case."""
    sa, _ = shop.sellers
    cid = open_offer_case(engine, clock, shop.offers["a1"], sa)
    with pytest.raises(InvalidEnforcementTarget) as err:
        act(
            engine,
            clock,
            cid,
            ActionKind.SUPPRESS_OFFER,
            target=Subject(SubjectKind.OFFER, shop.offers["b1"]),
        )
    assert str(err.value.code) == "invalid_enforcement_target"


def test_scan_opens_a_follow_sell_case_that_suppresses_the_offer_once(engine, shop, clock):
    """A non-owner undercutting the brand owner below plausible cost gets a case with an
    automatic suppression; scanning again opens nothing new for it."""
    _, sb = shop.sellers
    with engine.begin() as c:
        c.execute(
            update(t.offers).where(t.offers.c.offer_id == shop.offers["b1"]).values(price_minor=900)
        )
    report = scan(engine, clock)
    with SqlUnitOfWork(engine) as tx:
        live = tx.cases.open_for(shop.offers["b1"])
    assert len(live) == 1 and live[0].case_id in report.opened
    case = live[0]
    assert case.rule_id == "follow-sell" and case.respondent == sb
    assert case.scores[0].evidence_codes >= {"unauthorised_seller", "below_plausible_cost"}
    assert [a.kind for a in case.actions] == [ActionKind.SUPPRESS_OFFER]
    assert shop.offers["a1"] not in {s.subject.ref for s in case.scores}
    page = Views(engine, clock).product_page(shop.products[0], shop.site)
    assert {o["offer_id"] for o in page["offers"]} == {shop.offers["a1"]}
    clock.advance(timedelta(minutes=1))
    again = scan(engine, clock)
    with SqlUnitOfWork(engine) as tx:
        assert [c.case_id for c in tx.cases.open_for(shop.offers["b1"])] == [case.case_id]
    assert case.case_id not in again.opened


def test_scan_opens_a_case_on_stock_held_where_the_seller_has_no_vat_number(engine, shop, clock):
    """Both sellers are established in Germany with a valid German number and hold FBA stock
    in the shop's fulfilment centres, here in France. Seller A also declares its French
    number; seller B has none there: a looked-up fact, so a case with no automatic action.
    A German seller's stock in Germany would need no second number."""
    sa, sb = shop.sellers
    with engine.begin() as c:
        c.execute(update(t.sites).where(t.sites.c.site_id == shop.site).values(country="FR"))
        c.execute(update(t.sellers).where(t.sellers.c.seller_id.in_([sa, sb])).values(country="DE"))
        c.execute(
            insert(t.seller_tax_ids),
            [
                {"seller_id": sa, "country": "DE", "number": "DE136695976"},
                {"seller_id": sa, "country": "FR", "number": "FR40303265045"},
                {"seller_id": sb, "country": "DE", "number": "DE111111125"},
            ],
        )
    report = scan(engine, clock)
    with SqlUnitOfWork(engine) as tx:
        assert tx.cases.open_for(sa) == []
        [case] = tx.cases.open_for(sb)
    assert case.case_id in report.opened and case.rule_id == "tax-stock-unregistered"
    assert case.scores[0].evidence_codes == {"stock_without_registration"}
    assert "FR" in case.scores[0].evidence[0].detail and case.actions == []
