"""A running simulation's state at a tick boundary, as plain JSON, and back.

What a resumed run needs to continue as the killed one would have: the loop's clock, the demand
stream's random state (so the same orders are drawn, with the same Idempotency-Keys), the
counters, and the bookkeeping of shared trips, vans and customs clearance. Parcels on their way
are *not* in it: a resumed run re-derives them from the database (each parcel's journey is a
pure function of its plan and its own seeded stream; see ``Simulation.queue_journeys``).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any

from tradewind.simulation.journey import Node
from tradewind.simulation.runner import Simulation


def _node(n: Node) -> list[Any]:
    return [n.kind, n.node_id, n.lat, n.lon]


def snapshot(sim: Simulation) -> dict[str, Any]:
    """The state of ``sim`` after its last completed tick."""
    version, internal, gauss = sim.rng.getstate()
    st = sim.stats
    return {
        "t": sim.t.isoformat(),
        "last_restock": sim.last_restock.isoformat(),
        "now": sim.now.isoformat() if sim.now else None,
        "rng": [version, list(internal), gauss],
        "stats": {
            "attempted": st.attempted,
            "placed": st.placed,
            "refused": st.refused,
            "steps": st.steps,
            "restocked_units": st.restocked_units,
            "refusals": dict(st.refusals),
            "customs": dict(st.customs),
            "clearance_hours": st.clearance_hours,
        },
        "trips_seen": sorted(sim.trips_seen),
        "trip_loads": dict(sim.trip_loads),
        "van_stops": [[s, d.isoformat(), n] for (s, d), n in sorted(sim.van_stops.items())],
        "drops": [
            [_node(station), day.isoformat(), [_node(c) for c in customers]]
            for (station, day), customers in sim.drops.items()
        ],
        "declared_at": {k: v.isoformat() for k, v in sim.declared_at.items()},
        "held": sorted(sim.held),
    }


def restore(sim: Simulation, state: dict[str, Any]) -> None:
    """Put ``sim`` where ``snapshot`` left it."""
    sim.t = datetime.fromisoformat(state["t"])
    sim.last_restock = datetime.fromisoformat(state["last_restock"])
    sim.now = datetime.fromisoformat(state["now"]) if state["now"] else None
    version, internal, gauss = state["rng"]
    sim.rng.setstate((version, tuple(internal), gauss))
    st, saved = sim.stats, state["stats"]
    st.attempted, st.placed, st.refused = saved["attempted"], saved["placed"], saved["refused"]
    st.steps, st.restocked_units = saved["steps"], saved["restocked_units"]
    st.refusals, st.customs = Counter(saved["refusals"]), Counter(saved["customs"])
    st.clearance_hours = list(saved["clearance_hours"])
    sim.trips_seen = set(state["trips_seen"])
    sim.trip_loads = Counter(state["trip_loads"])
    sim.van_stops = Counter({(s, date.fromisoformat(d)): n for s, d, n in state["van_stops"]})
    sim.drops = {
        (Node(*station), date.fromisoformat(day)): [Node(*c) for c in customers]
        for station, day, customers in state["drops"]
    }
    sim.declared_at = {k: datetime.fromisoformat(v) for k, v in state["declared_at"].items()}
    sim.held = set(state["held"])
