"""The myopic baseline with explicit back-orders: each line from the nearest FC with stock.

Same rule as ``nearest_fc_with_stock`` (spill to the next nearest FC when one cannot cover
the line), but a shortfall becomes a ``BackOrder`` instead of an exception, so a batch is
always fully decided. With ``regionalize`` the customer's region is tried first (nearest
in-region FC with stock), and other regions only once the region is out of stock.
"""

from __future__ import annotations

import time

from tradewind.fulfillment.sourcing import Allocation
from tradewind.fulfillment.sourcing_problem import (
    BackOrder,
    OrderRequest,
    OrderSourcing,
    SourcingProblem,
    SourcingResult,
    StockKey,
    score_order,
)


def greedy_sourcing(
    problem: SourcingProblem, *, fallback_reason: str | None = None
) -> SourcingResult:
    """Source the batch's orders in sequence, nearest FC first; never fails."""
    start = time.perf_counter()
    left = dict(problem.stock)
    holders = problem.holders()
    decided = tuple(_order(problem, order, left, holders) for order in problem.orders)
    ms = (time.perf_counter() - start) * 1000
    method = "greedy" if fallback_reason is None else "greedy_fallback"
    return SourcingResult(decided, method, fallback_reason, ms)


def _order(
    problem: SourcingProblem,
    order: OrderRequest,
    left: dict[StockKey, int],
    holders: dict[str, list[str]],
) -> OrderSourcing:
    dist = {fc: problem.km(order, fc) for line in order.lines for fc in holders.get(line.sku, [])}
    allocations: list[Allocation] = []
    backorders: list[BackOrder] = []
    for line in order.lines:
        need = line.quantity

        def rank(fc: str) -> tuple[bool, float, str]:
            away = problem.regionalize and not problem.in_region(order, fc)
            return (away, dist[fc], fc)

        for fc in sorted(holders.get(line.sku, []), key=rank):
            take = min(need, left.get((fc, line.sku), 0))
            if take <= 0:
                continue
            left[(fc, line.sku)] -= take
            allocations.append(Allocation(line.line_no, line.sku, fc, take, dist[fc]))
            need -= take
            if need == 0:
                break
        if need:
            backorders.append(BackOrder(order.order_id, line.line_no, line.sku, need))
    return score_order(problem, order, allocations, backorders)
