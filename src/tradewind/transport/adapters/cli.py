"""``tradewind transport ...``: line-haul plans and lanes over the world's network.

``plan`` finds the cheapest (or lowest-CO2) sequence of scheduled departures that gets a
shipment from a node to another by a deadline; ``lanes`` summarises the network. Errors print
``error [code]: detail`` (or ``{"error": {...}}`` with ``--json``) on stderr and exit 2.
"""

from __future__ import annotations

from datetime import timedelta
from statistics import median
from typing import Any

import typer
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from tradewind.bootstrap import bootstrap
from tradewind.platform.cli.output import console, domain_error, emit, parse_when
from tradewind.platform.locale_data import format_money
from tradewind.shared.clock import SystemClock
from tradewind.shared.errors import TradewindError
from tradewind.transport.adapters.network_loader import load_network
from tradewind.transport.errors import InvalidNetwork
from tradewind.transport.linehaul import Criterion, Mode, Plan
from tradewind.transport.network import Network, NetworkLane, NetworkParams
from tradewind.transport.planner import make_request, plan

app = typer.Typer(
    help="Line-haul transport: plan shipments over sea, air, rail and truck lanes.",
    no_args_is_help=True,
)


@app.callback()
def _group() -> None:
    """Transport commands."""


def _fail(exc: TradewindError, as_json: bool) -> typer.Exit:
    return domain_error(exc, as_json)


def network_from_db(seed: int) -> Network:
    """The line-haul network of the configured database; a coded error when there is none."""
    network: Network | None
    try:
        network = load_network(bootstrap().engine, NetworkParams(seed=seed))
    except SQLAlchemyError:
        network = None
    if network is None or not network.nodes:
        raise InvalidNetwork(
            "the database holds no world; run `tradewind world build` first",
            errors=[{"field": "database", "reason": "no network nodes"}],
        )
    return network


def _money(amount: int, currency: str) -> dict[str, Any]:
    return {
        "amount": amount,
        "currency": currency,
        "formatted": format_money(amount, currency, "en-US"),
    }


def plan_public(found: Plan, network: Network, kg: float) -> dict[str, Any]:
    """The plan as JSON-ready data: legs, total cost (minor units + formatted) and CO2."""
    cur = network.params.currency
    legs = [
        {
            "from": d.lane.origin,
            "to": d.lane.destination,
            "mode": str(d.lane.mode),
            "depart": d.depart.isoformat(),
            "arrive": d.arrive.isoformat(),
            "distance_km": d.lane.distance_km,
            "cost": _money(d.lane.cost_minor(kg), cur),
            "co2_kg": round(d.lane.co2_kg(kg), 3),
        }
        for d in found.legs
    ]
    return {"legs": legs, "cost": _money(found.cost_minor, cur), "co2_kg": round(found.co2_kg, 3)}


@app.command("plan")
def plan_command(
    origin: str = typer.Option(..., "--from", help="node id: UN/LOCODE or FC id, e.g. CNSHA"),
    destination: str = typer.Option(..., "--to", help="node id, e.g. DE-FC-001"),
    kg: float = typer.Option(..., "--kg", help="shipment weight in kg (> 0)"),
    by: str = typer.Option(..., "--by", help="deadline: ISO date (end of day UTC) or datetime"),
    ready: str | None = typer.Option(None, "--ready", help="ready time, ISO (default: now UTC)"),
    minimise: Criterion = typer.Option(Criterion.COST, "--minimise", help="cost or co2"),
    seed: int = typer.Option(0, "--seed", help="seed of the lane schedules"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
) -> None:
    """Cheapest (or lowest-CO2) line-haul plan that arrives by the deadline."""
    try:
        start = parse_when(ready, "--ready") if ready else SystemClock().now()
        deadline = parse_when(by, "--by", end_of_day=True)
        network = network_from_db(seed)
        src, dst = origin.strip().upper(), destination.strip().upper()
        request = make_request(network, src, dst, kg, (start, deadline), minimise)
        found = plan(network, request)
    except TradewindError as exc:
        raise _fail(exc, as_json) from None
    slack = (deadline - found.arrival) / timedelta(hours=1)
    data: dict[str, Any] = {
        "from": src,
        "to": dst,
        "kg": kg,
        "minimise": str(minimise),
        "ready": start.isoformat(),
        "deadline": deadline.isoformat(),
        "arrival": found.arrival.isoformat(),
        "slack_hours": round(slack, 1),
        **plan_public(found, network, kg),
        "seed": seed,
        "planning_percentile": network.params.percentile,
    }
    if as_json:
        emit(data, as_json=True)
        return
    console.print(f"{src} -> {dst}, {kg:g} kg, minimising {minimise}", highlight=False)
    for leg in data["legs"]:
        console.print(
            f"  {leg['from']:>9} -> {leg['to']:<9} {leg['mode']:<5} "
            f"{leg['depart'][:16].replace('T', ' ')} -> {leg['arrive'][:16].replace('T', ' ')}  "
            f"{leg['cost']['formatted']:>10}  {leg['co2_kg']:8.1f} kg CO2e",
            highlight=False,
            soft_wrap=True,
        )
    console.print(
        f"total {data['cost']['formatted']}, {data['co2_kg']:.1f} kg CO2e; arrives "
        f"{data['arrival']} (deadline {data['deadline']}, {data['slack_hours']} h to spare)",
        highlight=False,
    )


def _stats(values: list[float]) -> dict[str, float]:
    return {"min": min(values), "median": round(median(values), 1), "max": max(values)}


def lane_public(nl: NetworkLane, currency: str) -> dict[str, Any]:
    lane = nl.lane
    return {
        "from": lane.origin,
        "to": lane.destination,
        "mode": str(lane.mode),
        "distance_km": lane.distance_km,
        "cost_per_kg": _money(lane.cost_per_kg_minor, currency),
        "cost_per_shipment": _money(lane.cost_per_shipment_minor, currency),
        "transit_mean_hours": nl.transit.mean_hours,
        "transit_spread_hours": nl.transit.spread_hours,
        "planned_hours": nl.planned / timedelta(hours=1),
        "schedule": nl.schedule.describe(),
        "departures_per_week": nl.schedule.per_week,
        "capacity_kg": nl.capacity_kg,
        "co2_g_per_tonne_km": lane.co2_g_per_tonne_km,
    }


def lanes_public(network: Network, lanes: list[NetworkLane], limit: int) -> dict[str, Any]:
    """Counts and distributions per mode, plus the first ``limit`` lanes."""
    by_mode: dict[str, Any] = {}
    for mode in Mode:
        group = [nl for nl in lanes if nl.lane.mode is mode]
        if group:
            by_mode[str(mode)] = {
                "lanes": len(group),
                "departures_per_week": sum(nl.schedule.per_week for nl in group),
                "distance_km": _stats([nl.lane.distance_km for nl in group]),
                "planned_hours": _stats([nl.planned / timedelta(hours=1) for nl in group]),
                "cost_per_kg_minor": _stats([nl.lane.cost_per_kg_minor for nl in group]),
                "co2_g_per_tonne_km": group[0].lane.co2_g_per_tonne_km,
            }
    kinds: dict[str, int] = {}
    for node in network.nodes.values():
        kinds[str(node.kind)] = kinds.get(str(node.kind), 0) + 1
    cur = network.params.currency
    return {
        "seed": network.params.seed,
        "planning_percentile": network.params.percentile,
        "currency": cur,
        "nodes": dict(sorted(kinds.items())),
        "lanes": len(lanes),
        "by_mode": by_mode,
        "shown": min(limit, len(lanes)),
        "list": [lane_public(nl, cur) for nl in lanes[:limit]],
    }


@app.command("lanes")
def lanes_command(
    mode: Mode | None = typer.Option(None, "--mode", help="sea, air, rail or truck"),
    origin: str | None = typer.Option(None, "--from", help="only lanes leaving this node"),
    destination: str | None = typer.Option(None, "--to", help="only lanes into this node"),
    limit: int = typer.Option(20, "--limit", min=0, help="lanes to list (the summary counts all)"),
    seed: int = typer.Option(0, "--seed", help="seed of the lane schedules"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
) -> None:
    """Summarise the line-haul lanes (optionally of one mode, from or to one node)."""
    try:
        network = network_from_db(seed)
        src = network.node(origin.strip().upper()).node_id if origin else None
        dst = network.node(destination.strip().upper()).node_id if destination else None
    except TradewindError as exc:
        raise _fail(exc, as_json) from None
    lanes = [
        nl
        for nl in network.lanes
        if (mode is None or nl.lane.mode is mode)
        and (src is None or nl.lane.origin == src)
        and (dst is None or nl.lane.destination == dst)
    ]
    data = lanes_public(network, lanes, limit)
    if as_json:
        emit(data, as_json=True)
        return
    emit({k: v for k, v in data.items() if k != "list"}, as_json=False, title="Line-haul lanes")
    table = Table(title=f"first {data['shown']} of {data['lanes']} lanes")
    for col in ("from", "to", "mode", "km", "per kg", "per shipment", "planned h", "schedule"):
        table.add_column(col, no_wrap=True)
    for row in data["list"]:
        table.add_row(
            row["from"],
            row["to"],
            row["mode"],
            f"{row['distance_km']:,.0f}",
            row["cost_per_kg"]["formatted"],
            row["cost_per_shipment"]["formatted"],
            f"{row['planned_hours']:g}",
            row["schedule"],
        )
    console.print(table)
