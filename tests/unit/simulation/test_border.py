"""Cross-border parcels in the simulation: seller declarations and clearance at the gateway."""

import random
from collections import Counter
from datetime import UTC, datetime

from tradewind.customs.api import Recommendation, RiskAssessment
from tradewind.customs.risk import RiskFinding, RiskReason
from tradewind.shared.money import Money
from tradewind.simulation import border
from tradewind.simulation.border import BorderCheck, clear_parcel, declared_fraction
from tradewind.simulation.journey import Node, ShipmentPlan, plan_journey

T0 = datetime(2026, 12, 1, tzinfo=UTC)
SELLER = Node("seller", "sel-1", 31.2, 121.5)
GATEWAY = Node("gateway", "DEFRA", 50.1, 8.7)
HOME = Node("customer", "cus-1", 52.5, 13.4)
LOW = RiskAssessment(5, (RiskFinding(RiskReason.NEW_SENDER, 5, "0 past"),), Recommendation.RELEASE)
UNDERVALUED = RiskAssessment(
    45,
    (
        RiskFinding(RiskReason.UNDERVALUED_SEVERE, 40, "item 0: 35%"),
        RiskFinding(RiskReason.NEW_SENDER, 5, "0 past"),
    ),
    Recommendation.INSPECT,
)
DENIED = RiskAssessment(
    100, (RiskFinding(RiskReason.DENIED_PARTY_MATCH, 100, "x"),), Recommendation.REFUSE
)


def check(assessment, gap=0):
    return BorderCheck("DE:DEFRA", assessment, Money(gap, "EUR"))


def test_a_low_risk_parcel_is_mostly_released_within_hours():
    """Low risk: released after the risk check (1-4 h), except the random 2 % inspected."""
    finals, held = Counter(), 0
    for seed in range(2000):
        state, events = clear_parcel(check(LOW), "shp", T0, random.Random(seed))
        finals[state] += 1
        steps = [e.step for e in events]
        assert steps[0] == "customs_declared" and steps[-1] in (
            "customs_cleared",
            "customs_refused",
        )
        times = [e.at for e in events]
        assert times == sorted(times) and times[0] == T0
        held += "customs_held" in steps
        if steps == ["customs_declared", "customs_cleared"]:
            assert (times[-1] - T0).total_seconds() <= 4 * 3600
    assert 15 <= held <= 70  # about 2 % of 2,000
    assert finals["released"] >= 1990


def test_an_undervalued_parcel_is_inspected_and_the_avoided_duty_demanded():
    """Held for inspection; passing it, the duty gap is demanded, then paid or abandoned."""
    outcomes = Counter()
    for seed in range(500):
        state, events = clear_parcel(check(UNDERVALUED, gap=1234), "shp", T0, random.Random(seed))
        reasons = [e.reason for e in events if e.step == "customs_held"]
        assert reasons[0] == "risk_inspection"
        outcomes[(state, tuple(reasons))] += 1
    paid = outcomes[("released", ("risk_inspection", "duty_unpaid"))]
    abandoned = outcomes[("refused", ("risk_inspection", "duty_unpaid"))]
    failed = outcomes[("refused", ("risk_inspection",))]
    assert paid + abandoned + failed == 500
    assert 380 < paid < 480 and 20 < abandoned < 90 and failed < 35


def test_a_denied_party_is_refused_at_once():
    state, events = clear_parcel(check(DENIED), "shp", T0, random.Random(0))
    assert state == "refused"
    assert [e.step for e in events] == ["customs_declared", "customs_refused"]
    assert events[-1].reason == "risk_refused"


def test_declared_fraction_is_a_seeded_seller_trait():
    """Most sellers declare the price; about 5 % declare 30-60 % of it, on every parcel."""
    fractions = [declared_fraction(f"sel-{n}", 0) for n in range(4000)]
    under = [f for f in fractions if f < 1.0]
    assert 120 < len(under) < 290
    assert all(
        border.UNDERDECLARED_FRACTION[0] <= f <= border.UNDERDECLARED_FRACTION[1] for f in under
    )
    assert declared_fraction("sel-7", 0) == declared_fraction("sel-7", 0)


def test_a_cross_border_parcel_flies_to_the_gateway_and_clears_before_delivery():
    plan = ShipmentPlan(
        "shp_1", "ord_1", T0, SELLER, None, None, HOME, units=1, weight_g=500,
        handling_days=2, border=check(LOW), gateway=GATEWAY,
    )  # fmt: skip
    j = plan_journey(plan, random.Random(3))
    steps = [(s.step, s.where.node_id) for s in j.steps]
    assert steps[:5] == [
        ("pack", "sel-1"),
        ("depart", "sel-1"),
        ("arrive", "DEFRA"),
        ("customs_declared", "DEFRA"),
        ("customs_cleared", "DEFRA"),
    ]
    assert steps[-2:] == [("depart", "DEFRA"), ("delivered", "cus-1")]
    assert [s.at for s in j.steps] == sorted(s.at for s in j.steps)
    assert j.delivered_at is not None


def test_a_refused_parcel_is_never_delivered():
    plan = ShipmentPlan(
        "shp_1", "ord_1", T0, SELLER, None, None, HOME, units=1, weight_g=500,
        border=check(DENIED), gateway=GATEWAY,
    )  # fmt: skip
    j = plan_journey(plan, random.Random(3))
    assert j.steps[-1].step == "customs_refused" and j.steps[-1].status == "customs_refused"
    assert j.delivered_at is None and all(s.step != "delivered" for s in j.steps)
