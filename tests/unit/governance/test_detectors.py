"""Pure detectors on small hand-made cases: follow-sell, unit codes, tax, brushing."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradewind.customs.api import score_declared_value
from tradewind.governance.detectors.brushing import (
    OrderFact,
    score_brushing,
    seller_graph_features,
)
from tradewind.governance.detectors.declarations import score_declarations
from tradewind.governance.detectors.follow_sell import (
    BrandRegistration,
    OfferFacts,
    score_follow_sell,
)
from tradewind.governance.detectors.tax import (
    DeclaredTaxId,
    SellerTaxProfile,
    prefix_country,
    score_tax_profile,
    shared_tax_ids,
)
from tradewind.governance.detectors.unit_codes import ScanVerdict, UnitCodeLedger, score_scan
from tradewind.governance.fakes import FakeTaxIdValidator
from tradewind.governance.policy import default_rules, propose_cases
from tradewind.shared.money import Money

REGISTRY = {"acme": BrandRegistration("acme", "sel_acme", frozenset({"sel_dist"}))}


def offer(seller: str, price: int, age_days: int, now: datetime) -> OfferFacts:
    return OfferFacts(
        offer_id=f"off_{seller}",
        seller_id=seller,
        product_id="p1",
        brand_id="acme",
        price=Money(price, "EUR"),
        reference_price=Money(10_000, "EUR"),
        seller_created_at=now - timedelta(days=age_days),
    )


# -- follow-sell ---------------------------------------------------------------------------
def test_hijacker_scores_high_and_opens_case(t0: datetime) -> None:
    """Unauthorised, at 30 % of list price, from a 3-day-old account: a follow-sell case."""
    s = score_follow_sell(offer("sel_new", 3_000, 3, t0), REGISTRY, t0)
    assert {"unauthorised_seller", "below_plausible_cost", "new_account"} <= s.evidence_codes
    assert s.score > 0.8
    [proposal] = propose_cases([s], default_rules())
    assert proposal.rule.rule_id == "follow-sell"


def test_authorised_distributor_scores_zero(t0: datetime) -> None:
    """Brand owner's authorised sellers are never flagged, even when cheap and new."""
    assert score_follow_sell(offer("sel_dist", 3_000, 1, t0), REGISTRY, t0).score == 0.0


def test_unregistered_brand_is_out_of_scope(t0: datetime) -> None:
    """Without brand registry there is no 'unauthorised' to speak of."""
    assert score_follow_sell(offer("sel_x", 100, 1, t0), {}, t0).score == 0.0


def test_old_unauthorised_seller_at_fair_price_does_not_open_case(t0: datetime) -> None:
    """Unauthorised alone (a reseller at a fair price) stays below the follow-sell rule."""
    s = score_follow_sell(offer("sel_old", 9_500, 900, t0), REGISTRY, t0)
    assert s.score < 0.7
    assert propose_cases([s], default_rules()) == []


# -- serialized unit codes -----------------------------------------------------------------
def test_unit_codes_block_unknown_reused_and_foreign(t0: datetime) -> None:
    """Issued codes pass once; unknown, reused, missing and foreign codes block the unit."""
    ledger = UnitCodeLedger()
    ledger.enrol("acme", "p1")
    ledger.enrol("acme", "p2")
    c1, c2 = ledger.issue("acme", "p1", 2, random.Random(0))
    [other] = ledger.issue("acme", "p2", 1, random.Random(1))
    scan = ledger.scan
    assert scan("u1", "p1", c1, fc_id="FRA1", at=t0).verdict is ScanVerdict.ACCEPT
    assert scan("u2", "p1", c1, fc_id="WRO1", at=t0).verdict is ScanVerdict.REUSED
    assert scan("u3", "p1", "ZZZZZZZZZZZZ", fc_id="FRA1", at=t0).verdict is ScanVerdict.UNKNOWN
    assert scan("u4", "p1", None, fc_id="FRA1", at=t0).verdict is ScanVerdict.MISSING
    assert scan("u5", "p1", other, fc_id="FRA1", at=t0).verdict is ScanVerdict.WRONG_PRODUCT
    assert scan("u6", "p9", None, fc_id="FRA1", at=t0).verdict is ScanVerdict.NOT_ENROLLED
    assert scan("u7", "p1", c2, fc_id="FRA1", at=t0).verdict is ScanVerdict.ACCEPT


def test_blocked_unit_opens_case_that_blocks_automatically(t0: datetime) -> None:
    """A reused code is a fact: the unit-code rule blocks it and recommends destruction."""
    ledger = UnitCodeLedger()
    ledger.enrol("acme", "p1")
    [c] = ledger.issue("acme", "p1", 1, random.Random(0))
    ledger.scan("u1", "p1", c, fc_id="FRA1", at=t0)
    s = score_scan(ledger.scan("u2", "p1", c, fc_id="FRA1", at=t0), "sel_bad")
    [proposal] = propose_cases([s], default_rules())
    assert proposal.rule.rule_id == "unit-code-block"
    assert "unit_code_reused" in s.evidence_codes


@settings(max_examples=30)
@given(st.integers(min_value=0, max_value=2**32), st.integers(min_value=1, max_value=40))
def test_issued_codes_are_unique_and_accepted_exactly_once(seed: int, n: int) -> None:
    """For any seed, every issued code is accepted once and rejected as reused after."""
    ledger = UnitCodeLedger()
    ledger.enrol("b", "p")
    codes = ledger.issue("b", "p", n, random.Random(seed))
    assert len(set(codes)) == n
    t = datetime(2026, 1, 1).astimezone()
    first = [ledger.scan(f"u{i}", "p", c, fc_id="F", at=t).verdict for i, c in enumerate(codes)]
    again = [ledger.scan(f"v{i}", "p", c, fc_id="F", at=t).verdict for i, c in enumerate(codes)]
    assert set(first) == {ScanVerdict.ACCEPT} and set(again) == {ScanVerdict.REUSED}


# -- tax -----------------------------------------------------------------------------------
VALIDATOR = FakeTaxIdValidator({"DE": {"DE136695976"}, "FR": {"FR40303265045"}})
THRESHOLDS = {"FR": Money(8_500_000, "EUR"), "DE": Money(2_200_000, "EUR")}


def test_clean_seller_scores_zero() -> None:
    """A DE seller with a valid DE VAT number and sales under thresholds is clean."""
    prof = SellerTaxProfile(
        "s1", "DE", (DeclaredTaxId("DE", "DE136695976"),), {"FR": Money(100_000, "EUR")}
    )
    assert score_tax_profile(prof, VALIDATOR, THRESHOLDS).score == 0.0


def test_mismatched_invalid_and_unregistered_seller() -> None:
    """A French number declared as German, invalid, and big unregistered FR sales."""
    prof = SellerTaxProfile(
        "s2", "DE", (DeclaredTaxId("DE", "FR40303265045"),), {"FR": Money(9_000_000, "EUR")}
    )
    s = score_tax_profile(prof, VALIDATOR, THRESHOLDS)
    assert {"tax_id_country_mismatch", "invalid_tax_id", "unregistered_over_threshold"} <= (
        s.evidence_codes
    )
    [proposal] = propose_cases([s], default_rules())
    assert proposal.rule.rule_id == "tax-id"


def test_greek_prefix_is_el() -> None:
    """EL is Greece's VAT prefix, not a mismatch."""
    assert prefix_country("EL094259216") == "GR"
    assert prefix_country("123456789") is None


def test_shared_tax_ids() -> None:
    """Borrowed tax numbers are listed, whatever their spacing."""
    a = SellerTaxProfile("a", "DE", (DeclaredTaxId("DE", "DE 136 695 976"),), {})
    b = SellerTaxProfile("b", "DE", (DeclaredTaxId("DE", "DE136695976"),), {})
    assert shared_tax_ids([a, b]) == {"DE136695976": ["a", "b"]}


def test_undervaluation_is_read_from_the_customs_event_not_rescored() -> None:
    """Customs measures the value ratio once and publishes it; the detector's evidence comes
    from the event's ratio (a 10 % declaration is flagged with weight 0.9, a 90 % one is not),
    and a single low parcel is one signal that the tax rule (>= 2 pieces) never acts on."""
    rules = [r for r in default_rules() if r.rule_id == "tax-id"]
    ref = Money(10_000, "EUR")
    low = score_declared_value("shp1", "s", Money(1_000, "EUR"), ref)
    fine = score_declared_value("shp2", "s2", Money(9_000, "EUR"), ref)
    assert low.value_ratio == 0.1 and low.reasons == ("undervalued_severe",) and low.score == 40
    assert fine.value_ratio == 0.9 and fine.reasons == () and fine.score == 0
    flagged, clean = score_declarations([low, fine], base_rate=0.05)
    assert flagged.evidence_codes == {"declared_below_reference"}
    assert flagged.evidence[0].weight == pytest.approx(0.9) and clean.score == 0.0
    assert not propose_cases([flagged], rules)
    # The detector trusts the event: the same totals with another ratio score differently.
    edited = replace(low, value_ratio=0.95)
    [trusted] = score_declarations([edited], base_rate=0.05)
    assert trusted.score == 0.0


# -- brushing ------------------------------------------------------------------------------
def brushing_world() -> list[OrderFact]:
    """Ring: 6 farm accounts buy from sellers R1 and R2, ship to 2 drop addresses, review all.
    Honest: 30 buyers with their own addresses buy from H1..H3 with little overlap."""
    orders: list[OrderFact] = []
    for i in range(6):
        for seller in ("R1", "R2"):
            orders.append(OrderFact(f"o{seller}{i}", f"farm{i}", seller, f"drop{i % 2}", True))
    for i in range(30):
        seller = f"H{i % 3 + 1}"
        orders.append(OrderFact(f"oh{i}", f"buyer{i}", seller, f"home{i}", i % 5 == 0))
    orders.append(OrderFact("ox", "buyer0", "H2", "home0"))  # one honest cross-purchase
    return orders


def test_ring_sellers_flagged_honest_sellers_clean() -> None:
    """R1 and R2 form a ring with shared and captive addresses; H* do not."""
    feats = seller_graph_features(brushing_world())
    assert feats["R1"].ring == ("R1", "R2")
    assert feats["R1"].captive_address_share == 1.0
    r1 = score_brushing(feats["R1"])
    assert {"buyer_ring", "shared_ship_to", "captive_addresses", "review_every_order"} <= (
        r1.evidence_codes
    )
    assert r1.score > 0.8
    for h in ("H1", "H2", "H3"):
        assert score_brushing(feats[h]).score == 0.0


def test_ring_hidden_in_honest_volume_is_linked_by_lift() -> None:
    """Two sellers (20 honest buyers each, ~4,000 buyers in all) who also share 6 fake
    accounts: under 50 % overlap, but far above chance, so they are a ring, and the ring's own
    orders (drop addresses, all reviewed) are judged apart from the honest volume. Two busy
    sellers sharing buyers only at chance level stay unlinked."""
    orders = [OrderFact(f"x{i}", f"pop{i}", f"P{i % 8}", f"home-x{i}") for i in range(4_000)]
    for seller in ("R1", "R2"):
        for i in range(20):
            orders.append(OrderFact(f"h{seller}{i}", f"{seller}b{i}", seller, f"home{seller}{i}"))
        for i in range(6):
            orders.append(OrderFact(f"f{seller}{i}", f"farm{i}", seller, f"drop{i % 2}", True))
    for i in range(4):  # two busy honest sellers sharing 4 buyers: below chance level
        orders.append(OrderFact(f"c{i}", f"pop{i * 8}", "P1", f"home-x{i * 8}"))
    feats = seller_graph_features(orders)
    assert feats["R1"].ring == ("R1", "R2") and feats["R1"].max_buyer_overlap < 0.5
    assert feats["R1"].ring_orders == 6 and feats["R1"].ring_shared_address_share == 1.0
    assert {"buyer_ring", "shared_ship_to", "review_every_order"} <= score_brushing(
        feats["R1"]
    ).evidence_codes
    assert feats["P0"].ring == () and feats["P1"].ring == ()


def test_small_sellers_are_not_scored() -> None:
    """Below min_orders there is too little to say anything."""
    feats = seller_graph_features([OrderFact("o", "b", "S", "a", True)])
    assert score_brushing(feats["S"]).score == 0.0
