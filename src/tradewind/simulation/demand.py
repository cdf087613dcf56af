"""When shoppers order: a daily volume shaped by hour of day, day of week and peak events.

The hour of day is local solar time (longitude / 15), good enough for a demand curve and
free of time-zone tables. Weights are relative; each tick draws a Poisson count.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

# Share of a day's orders by local hour (evening peak, night trough); normalised below.
HOURLY = (2, 1, 1, 1, 1, 2, 3, 5, 6, 6, 6, 6, 7, 6, 6, 6, 6, 7, 8, 9, 9, 8, 6, 4)
# Monday .. Sunday.
WEEKDAY = (1.00, 0.98, 0.97, 0.99, 1.02, 0.95, 1.09)
MEMBER_ORDER_WEIGHT = 2.5  # members order about 2.5x as often as other shoppers


@dataclass(frozen=True)
class DemandParams:
    orders_per_day: int = 2_000
    peak_days: tuple[date, ...] = ()
    peak_multiplier: float = 3.0
    site_weights: dict[str, int] = field(default_factory=dict)
    site_longitudes: dict[str, float] = field(default_factory=dict)


def poisson_sample(lam: float, rng: random.Random) -> int:
    """A Poisson draw (normal approximation above 50, where it keeps big ticks fast)."""
    if lam <= 0:
        return 0
    if lam > 50:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def expected_orders(params: DemandParams, site_id: str, start: datetime, minutes: int) -> float:
    total_weight = sum(params.site_weights.values()) or 1
    site_daily = params.orders_per_day * params.site_weights.get(site_id, 0) / total_weight
    local = start + timedelta(hours=params.site_longitudes.get(site_id, 0.0) / 15.0)
    hourly = HOURLY[local.hour] / sum(HOURLY)
    weekly = WEEKDAY[local.weekday()] / (sum(WEEKDAY) / 7)
    peak = params.peak_multiplier if local.date() in params.peak_days else 1.0
    return site_daily * hourly * weekly * peak * minutes / 60


def orders_in_tick(
    params: DemandParams, site_id: str, start: datetime, minutes: int, rng: random.Random
) -> int:
    return poisson_sample(expected_orders(params, site_id, start, minutes), rng)


def basket(rng: random.Random) -> list[int]:
    """Units per line of one order: 70 % single line, 22 % two, 8 % three; mostly 1 unit."""
    lines = rng.choices((1, 2, 3), weights=(70, 22, 8))[0]
    return [rng.choices((1, 2, 3), weights=(85, 12, 3))[0] for _ in range(lines)]


def popularity_weights(n: int, skew: float = 0.9) -> list[float]:
    """Zipf-like: a few products sell a lot, most sell a little."""
    return [1.0 / (rank + 10) ** skew for rank in range(n)]
