"""Errors of the line-haul network and planner, each with a stable code."""

from __future__ import annotations

from enum import StrEnum

from tradewind.shared.errors import TradewindError


class TransportError(StrEnum):
    """Stable codes of line-haul errors (``--json`` output and problem+json ``code``)."""

    UNKNOWN_NODE = "unknown_node"
    INVALID_WEIGHT = "invalid_weight"
    DEADLINE_BEFORE_READY = "deadline_before_ready"
    SAME_NODE = "same_node"
    DEADLINE_UNMET = "deadline_unmet"
    NO_ROUTE = "no_route"
    OVER_CAPACITY = "over_capacity"
    INVALID_NETWORK = "invalid_network"


class UnknownNode(TradewindError):
    """A node id is not in the network; ``errors`` lists close ids."""

    code = TransportError.UNKNOWN_NODE
    status = 404


class InvalidWeight(TradewindError):
    code = TransportError.INVALID_WEIGHT
    status = 422


class DeadlineBeforeReady(TradewindError):
    code = TransportError.DEADLINE_BEFORE_READY
    status = 422


class SameNode(TradewindError):
    code = TransportError.SAME_NODE
    status = 422


class DeadlineUnmet(TradewindError):
    """A path exists but arrives too late; ``errors`` carries the earliest arrival."""

    code = TransportError.DEADLINE_UNMET
    status = 409


class NoRoute(TradewindError):
    """No sequence of departures reaches the destination within the search horizon."""

    code = TransportError.NO_ROUTE
    status = 409


class OverCapacity(TradewindError):
    code = TransportError.OVER_CAPACITY
    status = 409


class InvalidNetwork(TradewindError):
    code = TransportError.INVALID_NETWORK
    status = 422
