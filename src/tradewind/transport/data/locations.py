"""Foreign origin gateways and rail terminals the world's own nodes do not cover.

The world (``tradewind world build``) stores the import gateways of its 14 sites (one or two
sea ports and a cargo airport each, see ``simulation.markets.GATEWAYS``). Sellers also ship
from countries that are not sites: of ``SELLER_ORIGIN_SHARES`` those are CN, KR, VN and TR.
This table adds their main export gateways plus the China–Europe rail terminals.

Provenance
----------
* Codes are UN/LOCODEs (UNECE, "UN/LOCODE code list by country", 2024-1 release); the
  function (port / airport / rail terminal) is the one the code is used for here, which the
  code list marks among the location's functions.
* Coordinates are those of the port, airport or terminal (rounded to 4 decimals), taken from
  public gazetteers (the UN/LOCODE list itself only gives minutes); they feed great-circle
  distances, so a few km of error are irrelevant.
* China–Europe rail: Chongqing (Tuanjiecun) and Chengdu (Qingbaijiang international railway
  port) are the two largest origins of the scheduled block trains; Duisburg (duisport) is the
  main European terminal. ``serves`` lists the sites a terminal feeds by truck.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Location:
    """One vendored node: a UN/LOCODE, its kind and where it is."""

    locode: str
    kind: str  # sea_port | airport | rail_terminal
    country: str
    name: str
    lat: float
    lon: float
    serves: tuple[str, ...] = ()  # destination terminals: sites reached by truck


ORIGIN_GATEWAYS: tuple[Location, ...] = (
    Location("CNSHA", "sea_port", "CN", "Shanghai (Yangshan)", 30.6267, 122.0650),
    Location("CNNGB", "sea_port", "CN", "Ningbo-Zhoushan", 29.9333, 121.8500),
    Location("CNYTN", "sea_port", "CN", "Shenzhen-Yantian", 22.5760, 114.2750),
    Location("CNPVG", "airport", "CN", "Shanghai-Pudong airport", 31.1443, 121.8083),
    Location("CNSZX", "airport", "CN", "Shenzhen-Bao'an airport", 22.6393, 113.8107),
    Location(
        "CNCKG", "rail_terminal", "CN", "Chongqing Tuanjiecun rail terminal", 29.6150, 106.4500
    ),
    Location(
        "CNCTU", "rail_terminal", "CN", "Chengdu international railway port", 30.8000, 104.2500
    ),
    Location("KRPUS", "sea_port", "KR", "Busan", 35.1028, 129.0403),
    Location("KRICN", "airport", "KR", "Incheon airport", 37.4602, 126.4407),
    Location("VNSGN", "sea_port", "VN", "Ho Chi Minh City (Cat Lai)", 10.7626, 106.7890),
    Location("VNHAN", "airport", "VN", "Hanoi Noi Bai airport", 21.2187, 105.8042),
    Location("TRMER", "sea_port", "TR", "Mersin", 36.7950, 34.6410),
    Location("TRIST", "airport", "TR", "Istanbul airport", 41.2753, 28.7519),
)

DESTINATION_TERMINALS: tuple[Location, ...] = (
    Location("DEDUI", "rail_terminal", "DE", "Duisburg (duisport)", 51.4344, 6.7623, ("DE", "NL")),
)
