"""Read the world's physical nodes from the database and build the line-haul network.

One SQL round trip: ``network_nodes`` joined to ``sites`` for the country. Delivery stations
are last-mile nodes and stay out of the line-haul graph. The vendored foreign gateways and
rail terminals (``transport.data.locations``) are added unless the world already holds a node
with the same id.
"""

from __future__ import annotations

from sqlalchemy import Engine, select

from tradewind.platform.db import tables as t
from tradewind.transport.adapters import network_tables as nt
from tradewind.transport.network import (
    Network,
    NetworkParams,
    Node,
    NodeKind,
    build_network,
    vendored_nodes,
)

LINEHAUL_KINDS = tuple(k.value for k in NodeKind)


def world_nodes(engine: Engine) -> list[Node]:
    """The world's FCs, sort centers, sea ports and airports, ordered by id."""
    n, s = nt.network_nodes.c, t.sites.c
    query = (
        select(n.node_id, n.kind, s.country, n.name, n.lat, n.lon, n.site_id, n.region)
        .join(t.sites, t.sites.c.site_id == n.site_id)
        .where(n.kind.in_(LINEHAUL_KINDS))
        .order_by(n.node_id)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [
        Node(r.node_id, NodeKind(r.kind), r.country, r.name, r.lat, r.lon, r.site_id, r.region)
        for r in rows
    ]


def load_network(engine: Engine, params: NetworkParams | None = None) -> Network:
    """The line-haul network of the world in ``engine`` (empty lanes for an empty world)."""
    nodes = world_nodes(engine)
    have = {node.node_id for node in nodes}
    sites = {node.site_id for node in nodes if node.site_id is not None}
    extra = [v for v in vendored_nodes(sites) if v.node_id not in have] if nodes else []
    return build_network([*nodes, *extra], params)
