"""The multimodal line-haul network: nodes, lanes and their schedules (stdlib only).

Built from the world's nodes (FCs, sort centers, the sites' sea ports and airports) plus the
vendored foreign gateways and rail terminals of :mod:`tradewind.transport.data.locations`.
Lanes follow five rules (``docs/transport.md`` explains why):

1. **Long haul**: every sea port to every sea port of another country that belongs to a site
   (sea), every airport likewise (air), every rail terminal to every site rail terminal of
   another country (rail). Foreign gateways are origins only.
2. **Drayage**: truck between gateways of the same country within ``drayage_max_km``, so a
   shipment ready at a port can reach the country's airport or rail terminal.
3. **Import**: truck from each site gateway to every FC of its site (and of every site a rail
   terminal ``serves``). A *remote* FC (farther than ``remote_fc_km`` from every other FC and
   gateway of its site: Honolulu, Anchorage) gets a domestic feeder vessel or flight instead.
4. **Transfers**: truck between FCs of a site within ``transfer_max_km`` (one driver-day); a
   remote FC and the nearest FC a road reaches trade stock by feeder flight both ways (the
   drives to and from the airports are inside the flight's handling time).
5. **Outbound**: truck from each FC to the sort centers of its region.

A lane's schedule is drawn from a per-lane ``random.Random`` seeded with ``(seed, lane)``, so
one seed always gives the same departures, and adding a node does not reshuffle other lanes.
"""

from __future__ import annotations

import difflib
import math
import random
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from tradewind.shared.geo import haversine_km
from tradewind.transport.data.locations import DESTINATION_TERMINALS, ORIGIN_GATEWAYS
from tradewind.transport.errors import InvalidNetwork, UnknownNode
from tradewind.transport.linehaul import Departure, Lane, Mode
from tradewind.transport.modes import MODE_PARAMS, PLANNING_PERCENTILE, ModeParams, z_score


class NodeKind(StrEnum):
    FC = "fc"
    SORT_CENTER = "sort_center"
    SEA_PORT = "sea_port"
    AIRPORT = "airport"
    RAIL_TERMINAL = "rail_terminal"


GATEWAY_KINDS = frozenset({NodeKind.SEA_PORT, NodeKind.AIRPORT, NodeKind.RAIL_TERMINAL})
LONG_HAUL = {
    NodeKind.SEA_PORT: Mode.SEA,
    NodeKind.AIRPORT: Mode.AIR,
    NodeKind.RAIL_TERMINAL: Mode.RAIL,
}
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True, slots=True)
class Node:
    """A place freight is handed over; ``site_id`` is ``None`` for a foreign origin gateway."""

    node_id: str
    kind: NodeKind
    country: str
    name: str
    lat: float
    lon: float
    site_id: str | None = None
    region: str = ""
    serves: tuple[str, ...] = ()  # rail terminals: the sites they feed by truck


@dataclass(frozen=True, slots=True)
class TransitTime:
    """Transit-time distribution of a lane: mean and standard deviation, in hours."""

    mean_hours: float
    spread_hours: float

    def planned(self, percentile: float) -> timedelta:
        """The ``percentile`` quantile (normal approximation), rounded up to whole hours."""
        hours = self.mean_hours + z_score(percentile) * self.spread_hours
        return timedelta(hours=math.ceil(hours))

    def sample(self, rng: random.Random) -> timedelta:
        """One realised transit time; never under half the mean (a delay model, not a race)."""
        hours = max(self.mean_hours / 2, rng.gauss(self.mean_hours, self.spread_hours))
        return timedelta(hours=hours)


@dataclass(frozen=True, slots=True)
class Schedule:
    """Departures on fixed weekdays (Monday = 0) at one UTC hour."""

    weekdays: tuple[int, ...]
    hour: int

    def __post_init__(self) -> None:
        if not self.weekdays or not set(self.weekdays) <= set(range(7)):
            raise InvalidNetwork(f"weekdays must be in 0..6, got {self.weekdays}")
        if not 0 <= self.hour < 24:
            raise InvalidNetwork(f"hour must be in 0..23, got {self.hour}")

    @property
    def per_week(self) -> int:
        return len(self.weekdays)

    def times(self, start: datetime, end: datetime) -> Iterator[datetime]:
        """Every departure time in ``[start, end]``, in order."""
        day, last = start.astimezone(UTC).date(), end.astimezone(UTC).date()
        while day <= last:
            if day.weekday() in self.weekdays:
                at = datetime(day.year, day.month, day.day, self.hour, tzinfo=UTC)
                if start <= at <= end:
                    yield at
            day += timedelta(days=1)

    def describe(self) -> str:
        days = "daily" if self.per_week == 7 else ",".join(WEEKDAYS[d] for d in self.weekdays)
        return f"{days} {self.hour:02d}:00 UTC"


@dataclass(frozen=True, slots=True)
class NetworkLane:
    """A lane plus what the planner needs to expand it into departures."""

    lane: Lane
    transit: TransitTime
    planned: timedelta
    schedule: Schedule
    capacity_kg: float

    @property
    def key(self) -> str:
        return f"{self.lane.origin}>{self.lane.destination}:{self.lane.mode}"


def departure_id(dep: Departure) -> str:
    """Stable id of a departure: its lane and UTC departure minute."""
    lane = dep.lane
    return f"{lane.origin}>{lane.destination}:{lane.mode}@{dep.depart:%Y-%m-%dT%H:%MZ}"


def _default_modes() -> Mapping[Mode, ModeParams]:
    return MODE_PARAMS


@dataclass(frozen=True, slots=True)
class NetworkParams:
    """How the network is built; ``seed`` fixes every schedule."""

    seed: int = 0
    percentile: float = PLANNING_PERCENTILE
    transfer_max_km: float = 800.0
    drayage_max_km: float = 2_500.0
    remote_fc_km: float = 2_000.0
    min_connection: timedelta = timedelta(hours=4)
    currency: str = "USD"
    modes: Mapping[Mode, ModeParams] = field(default_factory=_default_modes)


@dataclass(frozen=True, slots=True)
class Network:
    """Nodes by id and lanes sorted by key; build it with :func:`build_network`."""

    nodes: Mapping[str, Node]
    lanes: tuple[NetworkLane, ...]
    params: NetworkParams

    def node(self, node_id: str) -> Node:
        """The node with this id; :class:`UnknownNode` lists up to five close ids."""
        found = self.nodes.get(node_id)
        if found is not None:
            return found
        close = self.suggest(node_id)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownNode(
            f"no node {node_id!r} in the line-haul network{hint}",
            errors=[{"field": "node", "value": node_id, "suggestions": close}],
        )

    def suggest(self, node_id: str, n: int = 5) -> list[str]:
        """Ids that look like ``node_id`` (prefix matches first, then by similarity)."""
        key = node_id.strip().upper()
        ids = sorted(self.nodes)
        prefix = [i for i in ids if key and i.upper().startswith(key)]
        similar = difflib.get_close_matches(key, ids, n=n, cutoff=0.6)
        return list(dict.fromkeys([*similar, *prefix]))[:n]

    def departures(
        self,
        start: datetime,
        end: datetime,
        *,
        lanes: Iterable[NetworkLane] | None = None,
        booked: Mapping[str, float] | None = None,
    ) -> list[Departure]:
        """Departures leaving at or after ``start`` that arrive by ``end``.

        ``booked`` maps :func:`departure_id` to kg already booked; it lowers the free capacity.
        """
        out: list[Departure] = []
        for nl in self.lanes if lanes is None else lanes:
            for at in nl.schedule.times(start, end - nl.planned):
                dep = Departure(nl.lane, at, at + nl.planned, nl.capacity_kg)
                taken = booked.get(departure_id(dep), 0.0) if booked else 0.0
                if taken:
                    dep = Departure(nl.lane, at, dep.arrive, max(0.0, nl.capacity_kg - taken))
                out.append(dep)
        return out


def _schedule(mode: Mode, rng: random.Random) -> Schedule:
    """Weekly vessel, 2-3 trains a week, daily flights and trucks; days and hours drawn."""
    if mode is Mode.SEA:
        return Schedule((rng.randrange(7),), rng.randrange(6, 22))
    if mode is Mode.RAIL:
        days = rng.sample(range(7), rng.choice((2, 3)))
        return Schedule(tuple(sorted(days)), rng.randrange(6, 22))
    if mode is Mode.AIR:
        return Schedule(tuple(range(7)), rng.randrange(24))
    return Schedule(tuple(range(7)), rng.randrange(4, 23))


def make_lane(origin: Node, destination: Node, mode: Mode, params: NetworkParams) -> NetworkLane:
    """One lane with its distance, rates, transit distribution and seeded schedule."""
    mp = params.modes[mode]
    km = haversine_km(origin.lat, origin.lon, destination.lat, destination.lon) * mp.circuity
    lane = Lane(
        origin.node_id,
        destination.node_id,
        mode,
        round(km, 1),
        mp.per_kg_cents(km),
        mp.per_shipment_cents,
        mp.co2_g_per_tonne_km,
    )
    mean = mp.mean_hours(km)
    transit = TransitTime(round(mean, 2), round(mean * mp.spread_cv, 2))
    rng = random.Random(f"{params.seed}|{origin.node_id}|{destination.node_id}|{mode}")
    return NetworkLane(
        lane,
        transit,
        transit.planned(params.percentile),
        _schedule(mode, rng),
        mp.departure_capacity_kg,
    )


def _km(a: Node, b: Node) -> float:
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def _long_haul(gateways: Sequence[Node]) -> Iterator[tuple[Node, Node, Mode]]:
    for a in gateways:
        for b in gateways:
            if b.site_id is not None and a.country != b.country and a.kind == b.kind:
                yield a, b, LONG_HAUL[a.kind]


def _remote_fcs(
    fcs: Mapping[str, Sequence[Node]], gateways: Sequence[Node], remote_km: float
) -> set[str]:
    """FCs farther than ``remote_km`` from every other FC and gateway of their site."""
    remote: set[str] = set()
    for site, site_fcs in fcs.items():
        others = [g for g in gateways if g.site_id == site]
        for a in site_fcs:
            near = [_km(a, b) for b in (*site_fcs, *others) if b is not a]
            if near and min(near) > remote_km:
                remote.add(a.node_id)
    return remote


def _remote_feeders(
    site_fcs: Sequence[Node], remote: set[str]
) -> Iterator[tuple[Node, Node, Mode]]:
    """A remote FC trades stock with the nearest FC that a road reaches, by feeder flight both
    ways. Only that one partner: with flights to several mainland FCs, mainland transfers would
    be routed through the island."""
    mainland = [n for n in site_fcs if n.node_id not in remote]
    for fc in site_fcs:
        if fc.node_id in remote and mainland:
            partner = min(mainland, key=lambda n: (_km(fc, n), n.node_id))
            yield partner, fc, Mode.AIR
            yield fc, partner, Mode.AIR


def _domestic(nodes: Sequence[Node], p: NetworkParams) -> Iterator[tuple[Node, Node, Mode]]:
    gateways = [n for n in nodes if n.kind in GATEWAY_KINDS]
    fcs: dict[str, list[Node]] = {}
    for n in nodes:
        if n.kind is NodeKind.FC and n.site_id is not None:
            fcs.setdefault(n.site_id, []).append(n)
    truck = Mode.TRUCK
    remote = _remote_fcs(fcs, gateways, p.remote_fc_km)
    for a in gateways:
        for b in gateways:
            if a is not b and a.country == b.country and _km(a, b) <= p.drayage_max_km:
                yield a, b, truck
        if a.site_id is not None:
            for site in dict.fromkeys((a.site_id, *a.serves)):
                for fc in fcs.get(site, ()):
                    if fc.node_id not in remote:
                        yield a, fc, truck
                    elif a.kind is not NodeKind.RAIL_TERMINAL and site == a.site_id:
                        yield a, fc, LONG_HAUL[a.kind]  # a domestic feeder vessel or flight
    for site_fcs in fcs.values():
        for a in site_fcs:
            for b in site_fcs:
                if a is not b and _km(a, b) <= p.transfer_max_km:
                    yield a, b, truck
        yield from _remote_feeders(site_fcs, remote)
    for sc in (n for n in nodes if n.kind is NodeKind.SORT_CENTER):
        for fc in fcs.get(sc.site_id or "", ()):
            if fc.region == sc.region:
                yield fc, sc, truck


def build_network(nodes: Iterable[Node], params: NetworkParams | None = None) -> Network:
    """Apply the five lane rules of the module docstring to ``nodes``.

    Raises
    ------
    InvalidNetwork
        When two nodes share an id.
    """
    p = params or NetworkParams()
    by_id: dict[str, Node] = {}
    for n in nodes:
        if n.node_id in by_id:
            raise InvalidNetwork(f"node id {n.node_id!r} appears twice")
        by_id[n.node_id] = n
    ordered = [by_id[k] for k in sorted(by_id)]
    gateways = [n for n in ordered if n.kind in GATEWAY_KINDS]
    triples = {(a.node_id, b.node_id, m) for a, b, m in _long_haul(gateways)}
    triples |= {(a.node_id, b.node_id, m) for a, b, m in _domestic(ordered, p)}
    lanes = tuple(make_lane(by_id[o], by_id[d], m, p) for o, d, m in sorted(triples))
    return Network(by_id, lanes, p)


def vendored_nodes(sites: Iterable[str] | None = None) -> list[Node]:
    """Foreign origin gateways and rail terminals from :mod:`.data.locations`.

    A destination terminal belongs to its country's site and keeps only the served sites in
    ``sites`` (all when ``None``); it is dropped when none of them is left.
    """
    known = None if sites is None else set(sites)
    out = [
        Node(g.locode, NodeKind(g.kind), g.country, g.name, g.lat, g.lon) for g in ORIGIN_GATEWAYS
    ]
    for t in DESTINATION_TERMINALS:
        serves = tuple(s for s in t.serves if known is None or s in known)
        if serves:
            site = t.country if known is None or t.country in known else serves[0]
            out.append(
                Node(t.locode, NodeKind(t.kind), t.country, t.name, t.lat, t.lon, site, "", serves)
            )
    return out
