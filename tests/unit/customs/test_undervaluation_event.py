"""Customs' one undervaluation measure and the event governance reads it from."""

from __future__ import annotations

from fractions import Fraction

from tradewind.customs.declarations import (
    DeclarationInput,
    DeclarationItem,
    Party,
    build_declaration,
)
from tradewind.customs.risk import (
    RiskReason,
    SenderHistory,
    assess_risk,
    risk_scored,
    score_declared_value,
    value_ratio,
)
from tradewind.governance.detectors.declarations import score_declarations
from tradewind.shared.money import Money

TRUSTED = SenderHistory(shipments=200)


class NoHits:
    """A screening list that matches nobody (screening is not what these tests are about)."""

    def screen(self, name: str, threshold: float = 0.0) -> list[object]:
        return []


def _decl(*values: int) -> object:
    """A two-pair-of-shoes item per value (EUR cents), sender in CN, receiver in DE."""
    return build_declaration(
        DeclarationInput(
            reference="P7",
            sender=Party("Sender Co", "1 Road, Shenzhen", "CN"),
            receiver=Party("Anna Schmidt", "Hauptstr. 1, Berlin", "DE"),
            items=tuple(
                DeclarationItem("Running shoes", "640411", 2, 700, Money(v, "EUR"), "CN")
                for v in values
            ),
            shipping=Money(500, "EUR"),
            gross_weight_g=1600,
        )
    )


def test_value_ratio_is_exact_and_needs_a_comparable_price() -> None:
    """Declared over price, as a fraction; no ratio without a price in the same currency."""
    assert value_ratio(Money(1_000, "EUR"), Money(3_000, "EUR")) == Fraction(1, 3)
    assert value_ratio(Money(1_000, "EUR"), Money(0, "EUR")) is None
    assert value_ratio(Money(1_000, "EUR"), Money(3_000, "USD")) is None


def test_bands_at_their_edges() -> None:
    """Under 50 % of the price is severe (40 points), under 80 % undervalued (15), 80 % none."""
    ref = Money(10_000, "EUR")
    scored = {
        pct: score_declared_value("s", "x", Money(pct * 100, "EUR"), ref)
        for pct in (49, 50, 79, 80)
    }
    assert [scored[p].reasons for p in (49, 50, 79, 80)] == [
        ("undervalued_severe",),
        ("undervalued",),
        ("undervalued",),
        (),
    ]
    assert [scored[p].score for p in (49, 50, 79, 80)] == [40, 15, 15, 0]
    assert scored[49].recommendation == "inspect" and scored[80].recommendation == "release"


def test_clearance_event_carries_the_assessment_and_the_declaration_totals() -> None:
    """Two items at 20 % and 100 % of their price: the clearance assessment's points and
    reasons travel in the event, with the totals' ratio (1,400 of 3,000 = 46.7 %)."""
    decl = _decl(200, 1_200)
    prices = {0: Money(500, "EUR"), 1: Money(600, "EUR")}  # unit prices; 2 pairs each
    a = assess_risk(decl, catalog_prices=prices, history=TRUSTED, screening=NoHits())  # type: ignore[arg-type]
    e = risk_scored(decl, "sel-cn-1", prices, a)  # type: ignore[arg-type]
    assert [f.reason for f in a.findings] == [RiskReason.UNDERVALUED_SEVERE]
    assert (e.shipment_id, e.sender_id) == ("P7", "sel-cn-1")
    assert (e.declared, e.reference) == (Money(1_400, "EUR"), Money(2_200, "EUR"))
    assert e.value_ratio == 1_400 / 2_200
    assert (e.score, e.recommendation, e.reasons) == (40, "inspect", ("undervalued_severe",))
    assert e.payload()["declared"] == {"amount": 1_400, "currency": "EUR"}


def test_governance_scores_the_event_it_is_given() -> None:
    """The detector's evidence names customs' figures: 10 % of the reference, weight 0.9."""
    e = score_declared_value("shp", "x", Money(1_000, "EUR"), Money(10_000, "EUR"))
    [s] = score_declarations([e], base_rate=0.05)
    assert s.evidence_codes == {"declared_below_reference"}
    assert "declared 1000 is 10% of reference 10000 EUR" in s.evidence[0].detail
