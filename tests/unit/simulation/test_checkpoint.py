"""A simulation stopped at a tick boundary and resumed from its checkpoint (with its parcels
re-derived) ends exactly where an uninterrupted run ends."""

import json
from collections import Counter
from dataclasses import replace

from tests.unit.simulation.test_runner import START, FakePorts
from tradewind.simulation.checkpoint import restore, snapshot
from tradewind.simulation.runner import SimParams, Simulation

PARAMS = SimParams(seed=4, days=0.5, start=START, orders_per_day=500)


class PlanBook(FakePorts):
    """Remembers each order's parcels by its Idempotency-Key (the database's role)."""

    def __init__(self):
        super().__init__()
        self.plans = {}

    def place_order(self, customer_id, lines, key):
        plans = [
            replace(p, shipment_id=f"s-{key}") for p in super().place_order(customer_id, lines, key)
        ]
        self.plans[key] = plans
        return plans


def test_a_resumed_run_ends_as_an_uninterrupted_one():
    """Stop after 20 ticks, JSON round trip of the checkpoint, fresh process, re-derived
    parcels: same orders (same keys), steps, trip costs and counters as one straight run."""
    full_ports = PlanBook()
    full = Simulation(full_ports, PARAMS).run()

    first = PlanBook()
    sim = Simulation(first, PARAMS)
    ticks = iter(range(10_000))
    sim.run(should_stop=lambda: next(ticks) >= 20)
    state = json.loads(json.dumps(snapshot(sim)))

    second = PlanBook()
    second.now = first.now
    resumed = Simulation(second, PARAMS)
    restore(resumed, state)
    for key, plans in first.plans.items():
        resumed.queue_journeys(int(key.rsplit("-", 1)[1]), plans, after=resumed.t)
    stats = resumed.run()

    assert [o[3] for o in first.orders + second.orders] == [o[3] for o in full_ports.orders]
    assert (stats.placed, stats.steps, stats.attempted) == (full.placed, full.steps, full.attempted)
    assert len(first.steps) + len(second.steps) == len(full_ports.steps)
    assert first.trips + second.trips == full_ports.trips
    assert stats.sim_end == full.sim_end


def test_a_checkpoint_is_plain_json_and_restores_to_itself():
    """snapshot -> JSON -> restore -> snapshot is the identity."""
    sim = Simulation(PlanBook(), PARAMS)
    ticks = iter(range(10_000))
    sim.run(should_stop=lambda: next(ticks) >= 8)
    state = json.loads(json.dumps(snapshot(sim)))
    other = Simulation(PlanBook(), PARAMS)
    restore(other, state)
    assert snapshot(other) == state
    assert isinstance(other.stats.refusals, Counter)
