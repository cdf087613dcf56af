"""Test buys in the fraud model: what inspecting an item bought from each new offer would
find, and how long after ordering the result is known.

Drawn for every new offer from a stream of its own (the other streams are unchanged); the bench
reveals an outcome only when the policy orders that test buy. Assumptions, each with its
reason (there is no public data on test-buy outcomes):

* a hijacker's item fails inspection: counterfeit 80 %, never shipped 15 % (hijackers often
  sell stock they do not have); 5 % ship genuine goods bought at retail, which inspection
  cannot tell from a reseller's;
* a genuine reseller's item passes, except 1.5 % not as described (a used item sold as new, a
  wrong variant): an honest seller's mistake that still fails inspection;
* the result is back 1-4 days after ordering (delivery) plus 2-24 hours of inspection.
"""

from __future__ import annotations

import random
from datetime import timedelta

from tradewind_bench.fraud.records import Activity, FraudKind, TestBuyRec

HIJACKER_RESULTS = (("counterfeit", 80), ("not_received", 15), ("genuine", 5))
HONEST_NOT_AS_DESCRIBED = 0.015


def draw_test_buys(act: Activity, rng: random.Random) -> None:
    """One outcome per new offer, in offer id order (deterministic per seed)."""
    names = [r for r, _ in HIJACKER_RESULTS]
    weights = [w for _, w in HIJACKER_RESULTS]
    for offer in sorted(act.new_offers, key=lambda o: o.offer_id):
        if offer.label is FraudKind.HIJACKER:
            result = rng.choices(names, weights)[0]
        else:
            result = "not_as_described" if rng.random() < HONEST_NOT_AS_DESCRIBED else "genuine"
        lag = timedelta(days=rng.uniform(1.0, 4.0), hours=rng.uniform(2.0, 24.0))
        act.test_buys[offer.offer_id] = TestBuyRec(result, lag)
