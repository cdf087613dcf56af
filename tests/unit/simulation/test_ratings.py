"""Simulated product ratings: deterministic per seed, plausible, and valid products."""

import random

from tradewind.simulation.adapters.world_inputs import origin_cities, site_inputs
from tradewind.simulation.catalog_draw import draw_reviews
from tradewind.simulation.world import WorldParams, build_world, products_of


def test_world_products_carry_deterministic_plausible_ratings():
    params = WorldParams(3, products=300, customers=100, third_party_sellers=15)
    inputs, cities = site_inputs(), origin_cities()

    def ratings():
        return [
            (p.rating_x10, p.review_count) for p in products_of(build_world(params, inputs, cities))
        ]

    a = ratings()
    assert a == ratings()
    rated = [r for r, n in a if n]
    assert all((r is None) == (n == 0) for r, n in a)
    assert all(10 <= r <= 50 for r in rated)
    assert 0 < len(rated) < len(a)  # some products have no reviews yet
    assert 38 <= sum(rated) / len(rated) <= 46  # skewed high, as on real marketplaces


def test_popular_products_collect_more_reviews():
    rng = random.Random(1)
    popular = sorted(draw_reviews(True, rng)[0] for _ in range(2_000))
    other = sorted(draw_reviews(False, rng)[0] for _ in range(2_000))
    assert popular[1_000] > 10 * max(1, other[1_000])
    one = [r for _ in range(2_000) for n, r in [draw_reviews(False, rng)] if n == 1]
    assert one and all(r is not None and r % 10 == 0 for r in one)  # one review: whole stars
