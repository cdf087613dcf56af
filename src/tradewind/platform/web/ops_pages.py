"""Operations console: network map (Leaflet), live KPI panel (ECharts) refreshed by HTMX.
Like the case queue: for clients on this machine, and only to a logged-in operator
(``/ops/login``)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse

from tradewind.governance.adapters.routes import local_only
from tradewind.platform.web import reads
from tradewind.platform.web.pages_common import container, render, require_operator
from tradewind.transport.network import Network

router = APIRouter(
    prefix="/ops",
    include_in_schema=False,
    dependencies=[Depends(local_only), Depends(require_operator)],
)
POLL_SECONDS = 5


def _latest_run(request: Request) -> dict[str, Any] | None:
    from sqlalchemy import select

    from tradewind.transport.adapters import network_tables as nt

    runs = nt.simulation_runs.c
    with container(request).engine.connect() as c:
        row = c.execute(
            select(runs.run_id, runs.seed, runs.kpis).order_by(runs.sim_end.desc()).limit(1)
        ).first()
    return dict(row._mapping) if row else None


@router.get("", response_class=HTMLResponse)
def console(request: Request) -> HTMLResponse:
    nodes = reads.network_nodes(container(request).engine)
    counts = Counter((n["site_id"], n["kind"]) for n in nodes)
    sites = sorted({n["site_id"] for n in nodes})
    return render(
        request,
        "ops/index.html",
        counts=counts,
        node_sites=sites,
        kinds=reads.NODE_KINDS,
        kpis=reads.live_kpis(container(request).engine),
        run=_latest_run(request),
        poll=POLL_SECONDS,
    )


@router.get("/kpis", response_class=HTMLResponse)
def kpi_panel(request: Request) -> HTMLResponse:
    """The KPI partial that the console polls every few seconds."""
    return render(
        request,
        "ops/_kpis.html",
        kpis=reads.live_kpis(container(request).engine),
        run=_latest_run(request),
        poll=POLL_SECONDS,
    )


@router.get("/network.json")
def network(request: Request) -> JSONResponse:
    """Nodes of the network and its long-haul lanes (sea, air, rail) for the map."""
    from tradewind.transport.adapters.network_loader import load_network

    engine = container(request).engine
    nodes = reads.network_nodes(engine)
    net = load_network(engine)
    known = {n["node_id"] for n in nodes}
    abroad = [  # origin ports, airports and rail terminals outside the sites
        {"node_id": n.node_id, "kind": str(n.kind), "site_id": n.country, "region": "",
         "name": n.name, "city": n.name, "lat": n.lat, "lon": n.lon}
        for n in net.nodes.values()
        if n.node_id not in known
    ]  # fmt: skip
    return JSONResponse({"nodes": nodes + abroad, "lanes": _long_haul(net)})


def _long_haul(net: Network) -> list[dict[str, Any]]:
    """Sea, air and rail lanes of the line-haul network (trucks would hide the map)."""
    lanes = []
    for nl in net.lanes:
        lane = nl.lane
        if lane.mode == "truck":
            continue
        a, b = net.nodes[lane.origin], net.nodes[lane.destination]
        lanes.append(
            {
                "from": lane.origin,
                "to": lane.destination,
                "mode": str(lane.mode),
                "path": [[a.lat, a.lon], [b.lat, b.lon]],
            }
        )
    return lanes
