"""Recording a test buy: an operator bought an item from an offer and inspected it.

The result is stored (table ``test_buys``; the latest per offer counts) and the offer is
scanned again at once (that offer only), so the follow-sell detector reads it: an item that
failed inspection opens the ``follow-sell-test-buy`` case, which suppresses the offer; genuine
goods clear the offer from the test buys wanted. Bad input (unknown offer or operator, a
result that is not one of ``InspectionResult``) changes nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, insert, select

from tradewind.governance.adapters import tables as g
from tradewind.governance.adapters.scan import ScanReport, scan
from tradewind.governance.detectors.follow_sell import InspectionResult
from tradewind.marketplace.errors import OfferNotFound
from tradewind.platform.db import tables as t
from tradewind.shared.clock import Clock
from tradewind.shared.errors import NotFound, ValidationFailed


@dataclass(frozen=True)
class TestBuyRecorded:
    test_buy_id: str
    offer_id: str
    result: InspectionResult
    case_id: str | None  # the case the result opened, if any
    scan: ScanReport

    def public(self) -> dict[str, object]:
        return {
            "test_buy_id": self.test_buy_id,
            "offer_id": self.offer_id,
            "result": self.result.value,
            "case_id": self.case_id,
        }


def parse_result(value: str) -> InspectionResult:
    try:
        return InspectionResult(value.strip().lower())
    except ValueError:
        allowed = ", ".join(r.value for r in InspectionResult)
        raise ValidationFailed(f"result must be one of {allowed}, not {value!r}") from None


def record_test_buy(
    engine: Engine, clock: Clock, offer_id: str, result: str, operator_id: str, note: str = ""
) -> TestBuyRecorded:
    """Store the inspected result, then scan the offer so that the policy acts on it."""
    inspected = parse_result(result)
    if len(note) > 2000:
        raise ValidationFailed("note: at most 2,000 characters")
    test_buy_id = f"tb-{secrets.token_hex(8)}"
    with engine.begin() as c:
        if not c.execute(
            select(t.offers.c.offer_id).where(t.offers.c.offer_id == offer_id)
        ).first():
            raise OfferNotFound(f"no offer {offer_id}")
        o = g.operators.c
        if not c.execute(select(o.operator_id).where(o.operator_id == operator_id)).first():
            raise NotFound(f"no operator {operator_id}")
        c.execute(
            insert(g.test_buys).values(
                test_buy_id=test_buy_id,
                offer_id=offer_id,
                result=inspected.value,
                operator_id=operator_id,
                note=note,
                recorded_at=clock.now(),
            )
        )
    report = scan(engine, clock, only_offer=offer_id)
    # The scan scored this offer only: a case it opened is this offer's.
    case_id = report.opened[0] if report.opened else None
    return TestBuyRecorded(test_buy_id, offer_id, inspected, case_id, report)


def recent_test_buys(engine: Engine, limit: int = 20) -> list[dict[str, object]]:
    """The latest recorded test buys, newest first."""
    b = g.test_buys.c
    with engine.connect() as c:
        rows = c.execute(
            select(b.test_buy_id, b.offer_id, b.result, b.operator_id, b.note, b.recorded_at)
            .order_by(b.recorded_at.desc(), b.test_buy_id)
            .limit(limit)
        ).all()
    return [
        {
            "test_buy_id": r.test_buy_id,
            "offer_id": r.offer_id,
            "result": r.result,
            "operator": r.operator_id,
            "note": r.note,
            "recorded_at": r.recorded_at.isoformat(),
        }
        for r in rows
    ]
