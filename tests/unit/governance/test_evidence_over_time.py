"""Evidence added for the simulated bench (issue 8): price undercut and dormant accounts on
follow-sell, the sender around an inbound unit, shared tax numbers and the never-issued-number
rule, undervaluation as a sender's pattern, brushing as excess over base rates, and reviews
beyond what sales explain."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from tradewind.customs.api import DeclarationRiskScored, score_declared_value
from tradewind.governance.case import ActionKind
from tradewind.governance.detectors.brushing import (
    BrushingParams,
    OrderFact,
    binomial_tail,
    score_brushing,
    seller_graph_features,
)
from tradewind.governance.detectors.declarations import (
    low_declaration_rate,
    score_declarations,
)
from tradewind.governance.detectors.follow_sell import (
    BrandRegistration,
    InspectionResult,
    OfferFacts,
    score_follow_sell,
)
from tradewind.governance.detectors.inbound import InboundFacts, score_inbound
from tradewind.governance.detectors.review_behaviour import (
    BehaviourParams,
    ReviewFact,
    poisson_tail,
    reviews_beyond_sales,
    score_reviews,
)
from tradewind.governance.detectors.tax import (
    DeclaredTaxId,
    SellerTaxProfile,
    score_tax_profile,
    shared_tax_ids,
)
from tradewind.governance.fakes import FakeTaxIdValidator
from tradewind.governance.policy import default_rules, offers_to_test_buy, propose_cases
from tradewind.governance.scores import Detector
from tradewind.shared.money import Money

REGISTRY = {"acme": BrandRegistration("acme", "sel_acme", frozenset({"sel_dist"}))}


def offer(seller: str, price: int, age_days: int, now: datetime, prior: int | None) -> OfferFacts:
    return OfferFacts(
        f"off_{seller}",
        seller,
        "p1",
        "acme",
        Money(price, "EUR"),
        Money(10_000, "EUR"),
        now - timedelta(days=age_days),
        prior_activity=prior,
    )


def wanted(scores: list) -> list:  # type: ignore[type-arg]
    """The scores the policy wants a test buy for."""
    return offers_to_test_buy(scores, propose_cases(scores, default_rules()))


def rule_of(scores: list) -> str | None:  # type: ignore[type-arg]
    found = propose_cases(scores, default_rules())
    return found[0].rule.rule_id if found else None


# -- follow-sell ---------------------------------------------------------------------------
def test_new_account_undercutting_by_a_fifth_gets_a_test_buy_not_a_case(t0: datetime) -> None:
    """Unauthorised, new, 'new' condition and 20 % under the reference (1-.5*.7*.7*.9 =
    0.78): genuine new resellers look like this too, so the policy asks for a test buy."""
    s = score_follow_sell(offer("sel_new", 8_000, 5, t0, 0), REGISTRY, t0)
    assert {"unauthorised_seller", "undercuts_reference", "new_account"} <= s.evidence_codes
    assert "below_plausible_cost" not in s.evidence_codes
    assert s.score == pytest.approx(1 - 0.5 * 0.7 * 0.7 * 0.9)
    assert rule_of([s]) is None and wanted([s]) == [s]


def test_new_account_far_under_the_reference_is_a_case_at_once(t0: datetime) -> None:
    """New and under half the reference (0.84): acted on without waiting for a test buy."""
    s = score_follow_sell(offer("sel_new", 4_000, 5, t0, 0), REGISTRY, t0)
    assert s.score == pytest.approx(1 - 0.5 * 0.5 * 0.7 * 0.9) and rule_of([s]) == "follow-sell"
    assert wanted([s]) == []


def test_test_buy_result_decides_the_ambiguous_offer(t0: datetime) -> None:
    """A failed test buy (counterfeit, never shipped, not as described) is a fact that
    suppresses the offer at once; genuine goods clear it (lawful resale), and an offer that
    was test-bought is never asked for again."""
    base = offer("sel_new", 9_500, 5, t0, 0)
    for failed in (
        InspectionResult.COUNTERFEIT,
        InspectionResult.NOT_RECEIVED,
        InspectionResult.NOT_AS_DESCRIBED,
    ):
        s = score_follow_sell(replace(base, test_buy=failed), REGISTRY, t0)
        assert "test_buy_failed" in s.evidence_codes
        [p] = propose_cases([s], default_rules())
        assert p.rule.rule_id == "follow-sell-test-buy"
        assert p.rule.auto_actions == (ActionKind.SUPPRESS_OFFER,)
        assert wanted([s]) == []
    genuine = score_follow_sell(replace(base, test_buy=InspectionResult.GENUINE), REGISTRY, t0)
    assert genuine.score == 0.0 and rule_of([genuine]) is None
    # Authorised sellers are never test-bought: nothing concerns the brand there.
    dist = score_follow_sell(offer("sel_dist", 9_500, 5, t0, 0), REGISTRY, t0)
    assert wanted([dist]) == []


def test_new_reseller_at_a_fair_price_stays_below_the_rule(t0: datetime) -> None:
    """A new unauthorised reseller at 95 % of the reference: no undercut, no case; a test
    buy is wanted (0.685), which a genuine reseller passes."""
    s = score_follow_sell(offer("sel_new", 9_500, 5, t0, 0), REGISTRY, t0)
    assert "undercuts_reference" not in s.evidence_codes
    assert s.score == pytest.approx(1 - 0.5 * 0.7 * 0.9) and rule_of([s]) is None
    assert wanted([s]) == [s]


def test_old_reseller_in_clearance_stays_below_the_rule(t0: datetime) -> None:
    """An active old reseller at 60 %: unauthorised + undercut (0.685) is not enough."""
    s = score_follow_sell(offer("sel_old", 6_000, 900, t0, 40), REGISTRY, t0)
    assert s.evidence_codes == {
        "unauthorised_seller",
        "undercuts_reference",
        "claims_new_condition",
    }
    assert s.score < 0.7 and rule_of([s]) is None


def test_dormant_old_account_listing_a_registered_brand_is_suspect(t0: datetime) -> None:
    """A 3-year-old account with no activity suddenly lists: taken over? At 90 % of the
    reference (0.73) a test buy decides; undercutting as well (0.81) is a case at once."""
    s = score_follow_sell(offer("sel_dormant", 9_000, 3 * 365, t0, 0), REGISTRY, t0)
    assert "dormant_account_reactivated" in s.evidence_codes
    assert s.score == pytest.approx(1 - 0.5 * 0.6 * 0.9) and rule_of([s]) is None
    assert wanted([s]) == [s]
    cut = score_follow_sell(offer("sel_dormant", 8_000, 3 * 365, t0, 0), REGISTRY, t0)
    assert cut.score == pytest.approx(1 - 0.5 * 0.6 * 0.7 * 0.9) and rule_of([cut]) == "follow-sell"
    active = score_follow_sell(offer("sel_dormant", 9_000, 3 * 365, t0, 12), REGISTRY, t0)
    unknown = score_follow_sell(offer("sel_dormant", 9_000, 3 * 365, t0, None), REGISTRY, t0)
    assert "dormant_account_reactivated" not in active.evidence_codes | unknown.evidence_codes


# -- inbound sender ------------------------------------------------------------------------
def unit(seller: str, *, listed: bool, known: bool = True, brand: str | None = "acme"):  # type: ignore[no-untyped-def]
    return InboundFacts(f"u_{seller}", seller, "p1", brand, listed, known)


def test_unlisted_unauthorised_inbound_is_quarantined() -> None:
    """Unauthorised and no offer for the product: 1-.6*.4, a counterfeit-inbound case that
    blocks the unit (reversible) and leaves suspension to an operator."""
    s = score_inbound(unit("sel_x", listed=False), REGISTRY)
    assert s.detector is Detector.COUNTERFEIT
    assert s.evidence_codes == {"unauthorised_inbound", "inbound_without_offer"}
    assert s.score == pytest.approx(0.76)
    [p] = propose_cases([s], default_rules())
    assert p.rule.rule_id == "counterfeit-inbound"
    assert p.rule.auto_actions == (ActionKind.BLOCK_UNITS,)
    ghost = score_inbound(unit("sel_y", listed=False, known=False), REGISTRY)
    assert ghost.score == pytest.approx(1 - 0.6 * 0.4 * 0.5)


def test_listed_unauthorised_reseller_and_authorised_sellers_are_not_cases() -> None:
    """Legal resale (listed, unauthorised) is one signal; authorised or unregistered is 0."""
    resale = score_inbound(unit("sel_x", listed=True), REGISTRY)
    assert resale.evidence_codes == {"unauthorised_inbound"} and rule_of([resale]) is None
    assert score_inbound(unit("sel_dist", listed=False), REGISTRY).score == 0.0
    assert score_inbound(unit("sel_x", listed=False, brand="nobrand"), REGISTRY).score == 0.0


# -- tax -----------------------------------------------------------------------------------
VALIDATOR = FakeTaxIdValidator({"DE": {"DE111111111", "DE222222222"}})
LIMITS = {"DE": Money(1_000_000, "EUR")}


def profile(seller: str, number: str, sales: int = 0) -> SellerTaxProfile:
    return SellerTaxProfile(
        seller, "DE", (DeclaredTaxId("DE", number),), {"FR": Money(sales, "EUR")}
    )


def test_borrowed_number_is_shared_evidence_on_both_but_not_a_case_alone() -> None:
    """A valid number declared by two sellers: each gets 'shared_tax_id', neither a case."""
    owner, borrower = profile("s_owner", "DE111111111"), profile("s_borrow", "DE111111111")
    shared = shared_tax_ids([owner, borrower])
    for p in (owner, borrower):
        s = score_tax_profile(p, VALIDATOR, LIMITS, shared=shared)
        assert s.evidence_codes == {"shared_tax_id"} and s.score == pytest.approx(0.4)
        assert rule_of([s]) is None
    lone = score_tax_profile(profile("s_lone", "DE222222222"), VALIDATOR, LIMITS, shared=shared)
    assert lone.score == 0.0


def test_shared_number_and_unregistered_sales_make_a_case() -> None:
    """Borrowed number plus unregistered sales over a threshold: two signals, tax-id rule."""
    limits = {**LIMITS, "FR": Money(1_000_000, "EUR")}
    borrower = profile("s_borrow", "DE111111111", sales=2_000_000)
    shared = shared_tax_ids([profile("s_owner", "DE111111111"), borrower])
    s = score_tax_profile(borrower, VALIDATOR, limits, shared=shared)
    assert s.evidence_codes == {"shared_tax_id", "unregistered_over_threshold"}
    assert rule_of([s]) == "tax-id"


def test_never_issued_number_opens_a_case_without_automatic_action() -> None:
    """A number the register never issued is a fact: a case for an operator, no auto action."""
    s = score_tax_profile(profile("s_fake", "DE999999999"), VALIDATOR, LIMITS)
    assert s.evidence_codes == {"invalid_tax_id"} and s.score == pytest.approx(0.6)
    [p] = propose_cases([s], default_rules())
    assert p.rule.rule_id == "tax-id-not-issued" and p.rule.auto_actions == ()


def test_register_naming_the_holder_tells_owner_from_borrower() -> None:
    """Where the register names a number's holder (VIES for most member states), the
    borrower gets 'tax_id_holder_mismatch' (a looked-up fact: a case, no automatic action)
    and the owner is cleared of 'shared_tax_id'; a register that does not name holders
    (Germany) leaves both with the shared-number signal only."""
    named = FakeTaxIdValidator(
        {"FR": {"FR40303265045"}}, holders={("FR", "FR40303265045"): "Owner SARL"}
    )
    owner = SellerTaxProfile(
        "s_owner", "FR", (DeclaredTaxId("FR", "FR40303265045"),), {}, legal_name="owner  sarl"
    )
    borrower = SellerTaxProfile(
        "s_borrow", "FR", (DeclaredTaxId("FR", "FR 403 032 650 45"),), {}, legal_name="Other"
    )
    shared = shared_tax_ids([owner, borrower])
    assert score_tax_profile(owner, named, LIMITS, shared=shared).score == 0.0
    b = score_tax_profile(borrower, named, LIMITS, shared=shared)
    assert b.evidence_codes == {"tax_id_holder_mismatch", "shared_tax_id"}
    assert "Owner SARL" in next(e.detail for e in b.evidence if e.code.endswith("mismatch"))
    assert rule_of([b]) == "tax-id"  # two pieces: the tax rule acts
    alone = score_tax_profile(borrower, named, LIMITS)  # the owner not (yet) on the platform
    [p] = propose_cases([alone], default_rules())
    assert p.rule.rule_id == "tax-id-held-by-another" and p.rule.auto_actions == ()
    unnamed = FakeTaxIdValidator({"FR": {"FR40303265045"}})
    for prof in (owner, borrower):
        s = score_tax_profile(prof, unnamed, LIMITS, shared=shared)
        assert s.evidence_codes == {"shared_tax_id"}


# -- undervaluation as a pattern -----------------------------------------------------------
def decl(i: int, sender: str, pct: int) -> DeclarationRiskScored:
    """Customs' event for a parcel declared at ``pct`` % of a 100 EUR price."""
    return score_declared_value(f"d{i}", sender, Money(pct * 100, "EUR"), Money(10_000, "EUR"))


def test_one_low_parcel_is_one_signal() -> None:
    """A single parcel at 30 % names one piece of evidence and opens nothing."""
    [s] = score_declarations([decl(1, "a", 30)])
    assert s.evidence_codes == {"declared_below_reference"} and rule_of([s]) is None


def test_pattern_reaches_back_to_earlier_parcels_and_the_40_to_60_band() -> None:
    """Parcels at 30 % then 50 % where 5 % of declarations are low: the pattern (2 of 2 under
    60 %, tail 0.0025) is evidence on both, the first included, and the 50 % one, alone not
    low enough, now counts."""
    first, second = score_declarations([decl(1, "a", 30), decl(2, "a", 50)], base_rate=0.05)
    for s in (first, second):
        assert s.evidence_codes == {"declared_below_reference", "sender_undervalues"}
        assert rule_of([s]) == "tax-id"
    assert second.score == pytest.approx(1 - 0.5 * 0.5)


def test_honest_sender_with_one_low_parcel_among_many_has_no_pattern() -> None:
    """1 of 4 parcels under 60 %: no pattern; the 95 % parcels score 0."""
    scores = score_declarations(
        [decl(1, "h", 95), decl(2, "h", 35), decl(3, "h", 92), decl(4, "h", 98)],
        base_rate=0.05,
    )
    assert [s.score for s in scores] == [0.0, pytest.approx(0.65), 0.0, 0.0]
    assert all("sender_undervalues" not in s.evidence_codes for s in scores)


def test_a_single_parcel_joins_the_pattern_of_the_parcels_cleared_before() -> None:
    """One parcel at 45 % (not low enough alone) from a sender whose last 20 parcels were 12
    under 60 %: a pattern, so the parcel is evidence twice over and the rule acts."""
    earlier = {"u": tuple([0.3] * 12 + [0.95] * 8)}
    [s] = score_declarations([decl(1, "u", 45)], history=earlier, base_rate=0.05)
    assert s.evidence_codes == {"declared_below_reference", "sender_undervalues"}
    assert rule_of([s]) == "tax-id"


def test_two_low_parcels_after_a_long_honest_record_are_not_a_pattern() -> None:
    """Two parcels at 30 % and 50 % from a sender with 60 honest parcels and 2 low ones
    before: 4 of 62 is what 5 % of low declarations predicts, so no pattern."""
    earlier = {"h": tuple([0.95] * 58 + [0.4, 0.55])}
    scores = score_declarations(
        [decl(1, "h", 30), decl(2, "h", 50)], history=earlier, base_rate=0.05
    )
    assert all("sender_undervalues" not in s.evidence_codes for s in scores)
    assert [s.evidence_codes for s in scores] == [{"declared_below_reference"}, frozenset()]


def test_the_platform_share_of_low_declarations_is_pooled_and_floored() -> None:
    """The base rate is over the parcels and the record given; it never drops below 5 %."""
    parcels = [decl(1, "a", 30), decl(2, "b", 95)]
    assert low_declaration_rate(parcels, {"b": (0.9, 0.5)}) == pytest.approx(0.5)
    assert low_declaration_rate([decl(3, "c", 95)], {"c": (0.9,) * 99}) == 0.05
    # Without a base rate, a lone sender's own parcels are the whole record: 2 of 2 is normal.
    assert all(
        "sender_undervalues" not in s.evidence_codes
        for s in score_declarations([decl(1, "a", 30), decl(2, "a", 50)])
    )


# -- brushing: excess over base rates ------------------------------------------------------
def test_binomial_tail_matches_hand_computation() -> None:
    """P(X >= 2) for Binomial(3, 0.5) is 0.5; edges are 1 and 0."""
    assert binomial_tail(2, 3, 0.5) == pytest.approx(0.5)
    assert binomial_tail(0, 10, 0.1) == 1.0 and binomial_tail(11, 10, 0.1) == 0.0
    assert binomial_tail(5, 5_000, 0.001) == pytest.approx(0.5595, abs=1e-3)


def excess_world() -> list[OrderFact]:
    """400 honest orders over 20 sellers (1 in 7 reviewed five stars, own address); seller
    B has 10 honest orders plus 8 by 4 accounts that each ship to 2 strangers' addresses and
    review every order five stars."""
    orders = [
        OrderFact(f"h{i}", f"c{i}", f"S{i % 20}", f"home{i}", i % 7 == 0, 5 if i % 7 == 0 else 0)
        for i in range(400)
    ]
    orders += [OrderFact(f"b{i}", f"cb{i}", "B", f"homeb{i}") for i in range(10)]
    orders += [OrderFact(f"f{i}", f"fake{i % 4}", "B", f"stranger{i}", True, 5) for i in range(8)]
    return orders


def test_two_excess_tests_are_brushing_evidence() -> None:
    """B's five-star share and address hopping are far above base rates: two pieces of
    evidence at 0.5 each (0.75), a brushing-ring case; honest sellers have none."""
    feats = seller_graph_features(excess_world())
    b = feats["B"]
    assert b.p_five_star < 0.01 and b.p_address_hopping < 0.001 and b.p_drop_address == 1.0
    s = score_brushing(b)
    assert s.evidence_codes == {"excess_five_star_reviews", "excess_address_hopping"}
    assert s.score == pytest.approx(0.75) and rule_of([s]) == "brushing-ring"
    assert all(score_brushing(feats[f"S{i}"]).score == 0.0 for i in range(20))


def test_one_excess_test_alone_is_weak() -> None:
    """With the hopping test switched off (alpha 0 keeps only p < 0), nothing fires; with
    only one test under alpha the evidence weighs 0.15."""
    b = seller_graph_features(excess_world())["B"]
    assert score_brushing(b, BrushingParams(alpha=0.0)).score == 0.0
    one = score_brushing(b, BrushingParams(alpha=max(b.p_five_star, b.p_address_hopping) / 2))
    assert len(one.evidence_codes) == 1 and one.score == pytest.approx(0.15)


# -- reviews beyond sales ------------------------------------------------------------------
def test_poisson_tail_matches_hand_computation() -> None:
    """P(X >= 1) = 1 - e^-lam; P(X >= 0) = 1."""
    assert poisson_tail(1, 0.2) == pytest.approx(0.18127, abs=1e-5)
    assert poisson_tail(0, 3.0) == 1.0 and poisson_tail(2, 0.0) == 0.0


def test_reviews_on_a_product_few_bought_are_beyond_sales(t0: datetime) -> None:
    """Four reviews (two verified) on a product that sold one unit: lam = .1*2 + .05, tail
    ~1.6e-4, excess; four on a best seller with 60 units sold are expected. With an
    unverified purchase, the excess opens a fake-review case."""
    reviews = [
        ReviewFact(f"r{i}", f"acc{i}", "rare", t0 + timedelta(hours=i), 5, i < 2) for i in range(4)
    ] + [ReviewFact(f"b{i}", f"cus{i}", "best", t0, 4, True) for i in range(4)]
    sales = {"rare": 1, "best": 60}
    excess = reviews_beyond_sales(reviews, sales, BehaviourParams())
    assert set(excess) == {"rare"} and excess["rare"] == pytest.approx(poisson_tail(4, 0.25))
    by_id = {s.subject.ref: s for s in score_reviews(reviews, sales=sales)}
    assert "reviews_beyond_sales" in by_id["r3"].evidence_codes
    assert by_id["r3"].score == pytest.approx(1 - 0.4 * 0.7)
    assert rule_of([by_id["r3"]]) == "fake-review"
    assert rule_of([by_id["r0"]]) is None  # verified, human text: one signal
    assert by_id["b0"].score == 0.0
    assert "reviews_beyond_sales" not in {
        c for s in score_reviews(reviews) for c in s.evidence_codes
    }  # without sales the test is not run


def test_drop_addresses_count_but_parcel_lockers_do_not() -> None:
    """Seller D's 6 fake orders go from 3 accounts to one drop that only D ships to; seller
    L's 6 orders go to a locker where 6 other sellers deliver too. Only D's orders count as
    drop-address orders (p far below L's, which stays at 1)."""
    orders = [OrderFact(f"h{i}", f"c{i}", f"S{i % 10}", f"home{i}") for i in range(300)]
    orders += [OrderFact(f"d{i}", f"acc{i % 3}", "D", "drop") for i in range(6)]
    orders += [OrderFact(f"dh{i}", f"dc{i}", "D", f"dhome{i}") for i in range(6)]
    orders += [OrderFact(f"l{i}", f"lc{i}", "L", f"lhome{i}") for i in range(6)]
    orders += [
        OrderFact(f"lk{i}", f"lk{i}", ("L", "A", "B", "C", "E", "F")[i], "locker") for i in range(6)
    ]
    feats = seller_graph_features(orders)
    assert feats["D"].p_drop_address < 0.001
    assert feats["L"].p_drop_address == 1.0


def test_a_busy_locker_matching_market_shares_is_not_a_drop() -> None:
    """A locker whose 30 parcels come mostly from the site's big seller (as its 60 % share
    predicts) is a locker, not a drop, though it sees more parcels than sellers; an address
    whose parcels all come from two small sellers is a drop. Shares are per site: a
    big seller elsewhere does not change what the US expects."""
    big = [OrderFact(f"r{i}", f"rc{i}", "RETAIL", f"rhome{i}", site="US") for i in range(600)]
    small = [OrderFact(f"s{i}", f"sc{i}", f"S{i % 40}", f"shome{i}", site="US") for i in range(400)]
    abroad = [OrderFact(f"j{i}", f"jc{i}", "JPBIG", f"jhome{i}", site="JP") for i in range(900)]
    locker = [
        OrderFact(f"lk{i}", f"lk{i % 12}", "RETAIL" if i % 5 < 3 else f"S{i}", "locker", site="US")
        for i in range(30)
    ]
    drop = [
        OrderFact(f"d{i}", f"acc{i % 4}", ("X", "Y")[i % 2], "drop", site="US") for i in range(8)
    ]
    feats = seller_graph_features(big + small + abroad + locker + drop)
    assert feats["RETAIL"].p_drop_address == 1.0
    assert feats["X"].p_drop_address < 0.01 and feats["Y"].p_drop_address < 0.01


def test_sales_over_a_threshold_past_the_deadline_are_overdue() -> None:
    """Unregistered sales over a threshold: within the registration deadline after crossing
    they are the weak 'unregistered_over_threshold' (honest sellers show it while they
    register); past it they are 'registration_overdue', a fact that opens a case for an
    operator with no automatic action. A registration there, or no crossing date, changes
    that."""
    now = datetime(2026, 12, 1, tzinfo=UTC)
    limits = {**LIMITS, "FR": Money(1_000_000, "EUR")}

    def seller(days_over: int, ids: tuple[DeclaredTaxId, ...] = ()) -> SellerTaxProfile:
        return SellerTaxProfile(
            "s_over",
            "DE",
            (DeclaredTaxId("DE", "DE222222222"), *ids),
            {"FR": Money(1_500_000, "EUR")},
            over_threshold_since={"FR": now - timedelta(days=days_over)},
        )

    recent = score_tax_profile(seller(40), VALIDATOR, limits, now=now)
    assert recent.evidence_codes == {"unregistered_over_threshold"} and rule_of([recent]) is None
    overdue = score_tax_profile(seller(120), VALIDATOR, limits, now=now)
    assert overdue.evidence_codes == {"registration_overdue"}
    assert "120 days" in overdue.evidence[0].detail
    [p] = propose_cases([overdue], default_rules())
    assert p.rule.rule_id == "tax-registration-overdue" and p.rule.auto_actions == ()
    fr = FakeTaxIdValidator({"DE": {"DE222222222"}, "FR": {"FR40303265045"}})
    registered = seller(120, (DeclaredTaxId("FR", "FR40303265045"),))
    assert score_tax_profile(registered, fr, limits, now=now).score == 0.0
    # Without a clock (the stored-data scan today) the crossing date is not used.
    assert score_tax_profile(seller(120), VALIDATOR, limits).evidence_codes == {
        "unregistered_over_threshold"
    }


def test_a_notice_left_unanswered_past_its_deadline_opens_a_case() -> None:
    """A seller notified of sales over the FR threshold 20 days ago is still within the
    notice's 30 days; 35 days after the notice (50 after crossing, before the law's 90) it
    is 'registration_notice_ignored', with its own rule and no automatic action."""
    now = datetime(2026, 12, 1, tzinfo=UTC)
    limits = {**LIMITS, "FR": Money(1_000_000, "EUR")}

    def seller(notice_days: int) -> SellerTaxProfile:
        return SellerTaxProfile(
            "s_notified",
            "DE",
            (DeclaredTaxId("DE", "DE222222222"),),
            {"FR": Money(1_500_000, "EUR")},
            over_threshold_since={"FR": now - timedelta(days=50)},
            registration_notices={"FR": now - timedelta(days=notice_days)},
        )

    waiting = score_tax_profile(seller(20), VALIDATOR, limits, now=now)
    assert waiting.evidence_codes == {"unregistered_over_threshold"}
    ignored = score_tax_profile(seller(35), VALIDATOR, limits, now=now)
    assert ignored.evidence_codes == {"registration_notice_ignored"}
    assert "35 days" in ignored.evidence[0].detail
    [p] = propose_cases([ignored], default_rules())
    assert p.rule.rule_id == "tax-registration-notice-ignored" and p.rule.auto_actions == ()


def test_stock_in_a_country_without_a_registration_there_is_a_fact() -> None:
    """A German seller with stock in France and Italy declares France only: Italy is
    'stock_without_registration' with its own rule (case, no automatic action). Stock at
    home, or in a country outside the EU/UK storage rule (US), needs nothing more."""
    fr_it = FakeTaxIdValidator({"DE": {"DE222222222"}, "FR": {"FR40303265045"}})

    def seller(*stock: str) -> SellerTaxProfile:
        return SellerTaxProfile(
            "s_stock",
            "DE",
            (DeclaredTaxId("DE", "DE222222222"), DeclaredTaxId("FR", "FR40303265045")),
            {},
            stock_countries=frozenset(stock),
        )

    italy = score_tax_profile(seller("DE", "FR", "IT"), fr_it, {})
    assert italy.evidence_codes == {"stock_without_registration"}
    assert "IT" in italy.evidence[0].detail
    [p] = propose_cases([italy], default_rules())
    assert p.rule.rule_id == "tax-stock-unregistered" and p.rule.auto_actions == ()
    assert score_tax_profile(seller("DE", "FR", "US"), fr_it, {}).score == 0.0
