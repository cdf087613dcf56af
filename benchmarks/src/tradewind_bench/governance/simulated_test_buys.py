"""Test buys in the simulated bench: the policy asks for one on an ambiguous follow-sell
offer (``policy.offers_to_test_buy``); the result (drawn by ``tradewind_bench.fraud.test_buys``)
arrives after its lag and the offer is scored again with it. A test buy is not a case: an
honest offer test-bought and found genuine costs the platform an item, not a false positive."""

from __future__ import annotations

import dataclasses
import heapq
from collections.abc import Mapping
from datetime import datetime

from tradewind.governance.detectors.follow_sell import (
    BrandRegistration,
    InspectionResult,
    OfferFacts,
    score_follow_sell,
)
from tradewind.governance.policy import Rule, offers_to_test_buy, propose_cases
from tradewind.governance.scores import DetectorScore
from tradewind_bench.fraud.records import TestBuyRec


class SimulatedTestBuys:
    def __init__(self, outcomes: Mapping[str, TestBuyRec]) -> None:
        self.outcomes = outcomes
        self.pending: list[tuple[datetime, str, OfferFacts]] = []
        self.ordered = 0
        self.failed = 0

    def order(
        self,
        scores: list[DetectorScore],
        facts: Mapping[str, OfferFacts],
        rules: list[Rule],
        t: datetime,
    ) -> None:
        """Order a test buy for every offer the policy wants one for."""
        for s in offers_to_test_buy(scores, propose_cases(scores, rules)):
            offer = facts[s.subject.ref]
            outcome = self.outcomes.get(offer.offer_id)
            if outcome is None:  # no item can be bought (not modelled): nothing is learnt
                continue
            self.ordered += 1
            result = InspectionResult(outcome.result)
            self.failed += result is not InspectionResult.GENUINE
            done = dataclasses.replace(offer, test_buy=result)
            heapq.heappush(self.pending, (t + outcome.lag, offer.offer_id, done))

    def results(
        self, t: datetime, registry: Mapping[str, BrandRegistration]
    ) -> list[DetectorScore]:
        """The offers whose test buy is back by ``t``, scored with the result."""
        out = []
        while self.pending and self.pending[0][0] <= t:
            back, _, offer = heapq.heappop(self.pending)
            out.append(score_follow_sell(offer, registry, back))
        return out

    def report(self) -> dict[str, int]:
        return {"ordered": self.ordered, "failed_inspection": self.failed}
