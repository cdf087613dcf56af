"""Benchmark instance readers: Solomon/Homberger VRPTW text files and CVRPLIB ``.vrp``/``.sol``.

The files are parsed by the ``vrplib`` package; a light structural scan runs first so that a bad
file is rejected with the line that is wrong rather than a stack trace from deep inside a parser.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import vrplib

from tradewind.transport.routing import (
    Client,
    Depot,
    DistanceConvention,
    Objective,
    Problem,
    RoutingError,
)

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_SOLOMON_COLUMNS = 7


class InstanceFormatError(RoutingError):
    """An instance or solution file could not be read; ``line`` is 1-based when known."""

    def __init__(self, path: Path, message: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {message}")
        self.path, self.line = path, line


@dataclass(frozen=True, slots=True)
class BestKnown:
    """A best-known solution: total distance and the fleet it used."""

    cost: float
    vehicles: int | None
    key: str


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InstanceFormatError(path, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InstanceFormatError(path, f"cannot read file: {exc}") from None


def _numeric_row(path: Path, lineno: int, line: str, width: int) -> list[str]:
    fields = line.split()
    if len(fields) != width or not all(_NUMBER.match(f) for f in fields):
        raise InstanceFormatError(path, f"expected {width} numbers, got {line.strip()!r}", lineno)
    return fields


def _scan_solomon(path: Path, lines: list[str]) -> None:
    """Check the layout of a Solomon file, naming the first bad line."""
    upper = [ln.strip().upper() for ln in lines]
    if "VEHICLE" not in upper:
        raise InstanceFormatError(path, "no VEHICLE section (is this a Solomon file?)")
    if "CUSTOMER" not in upper:
        raise InstanceFormatError(path, "no CUSTOMER section")
    vehicle_at, customer_at = upper.index("VEHICLE"), upper.index("CUSTOMER")
    fleet_rows = [
        i
        for i in range(vehicle_at + 1, customer_at)
        if upper[i] and not upper[i].startswith("NUMBER")
    ]
    if len(fleet_rows) != 1:
        raise InstanceFormatError(path, "expected one 'NUMBER CAPACITY' row", vehicle_at + 1)
    _numeric_row(path, fleet_rows[0] + 1, lines[fleet_rows[0]], 2)
    expected = 0
    for i in range(customer_at + 1, len(lines)):
        if not upper[i] or upper[i].startswith("CUST"):
            continue
        fields = _numeric_row(path, i + 1, lines[i], _SOLOMON_COLUMNS)
        if float(fields[0]) != expected:
            raise InstanceFormatError(
                path, f"customer number {fields[0]}, expected {expected}", i + 1
            )
        expected += 1
    if expected < 2:
        raise InstanceFormatError(path, "needs a depot (customer 0) and at least one customer")


def read_solomon(path: str | Path) -> Problem:
    """Read a Solomon-format VRPTW instance (Solomon 100 and Gehring-Homberger sets).

    Raises
    ------
    InstanceFormatError
        When the file is missing or malformed; the message names the offending line.
    """
    path = Path(path)
    lines = _lines(path)
    _scan_solomon(path, lines)
    try:
        data = vrplib.read_instance(path, instance_format="solomon", compute_edge_weights=False)
    except Exception as exc:  # vrplib raises bare ValueError/IndexError on odd input
        raise InstanceFormatError(path, f"vrplib could not parse it: {exc}") from None
    coords, windows = data["node_coord"], data["time_window"]
    demand, service = data["demand"], data["service_time"]
    depot = Depot(
        float(coords[0][0]), float(coords[0][1]), float(windows[0][0]), float(windows[0][1])
    )
    clients = tuple(
        Client(
            id=i,
            x=float(coords[i][0]),
            y=float(coords[i][1]),
            demand=int(demand[i]),
            ready=float(windows[i][0]),
            due=float(windows[i][1]),
            service=float(service[i]),
        )
        for i in range(1, len(coords))
    )
    name = str(data.get("name") or path.stem).strip()
    return Problem(
        name=name,
        depot=depot,
        clients=clients,
        vehicle_capacity=int(data["capacity"]),
        fleet_size=int(data["vehicles"]),
    )


def _scan_vrplib(path: Path, lines: list[str]) -> dict[str, str]:
    """Check the header and sections of a CVRPLIB file; return the header fields."""
    header: dict[str, str] = {}
    section, rows = "", 0
    widths = {"NODE_COORD_SECTION": 3, "DEMAND_SECTION": 2}
    for lineno, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line == "EOF":
            continue
        if line.endswith("_SECTION"):
            section, rows = line, 0
            continue
        if ":" in line and not section:
            key, _, value = line.partition(":")
            header[key.strip().upper()] = value.strip()
            continue
        if section in widths:
            _numeric_row(path, lineno, raw, widths[section])
            rows += 1
        elif section == "DEPOT_SECTION":
            if line not in {"1", "-1"}:
                raise InstanceFormatError(path, f"only depot 1 is supported, got {line!r}", lineno)
        elif not section:
            raise InstanceFormatError(path, f"expected 'KEY : value', got {line!r}", lineno)
    for key in ("DIMENSION", "CAPACITY"):
        if key not in header:
            raise InstanceFormatError(path, f"missing {key} in the header")
    if header.get("EDGE_WEIGHT_TYPE", "EUC_2D") != "EUC_2D":
        raise InstanceFormatError(
            path, f"EDGE_WEIGHT_TYPE {header['EDGE_WEIGHT_TYPE']} is not supported (only EUC_2D)"
        )
    return header


def read_cvrplib(path: str | Path) -> Problem:
    """Read a CVRPLIB ``.vrp`` file (X set: ``EUC_2D``, one depot, no time windows).

    CVRPLIB records use edges rounded to the nearest integer, so the problem carries
    ``DistanceConvention.NEAREST_INT``; the fleet is unlimited (one vehicle per client).
    """
    path = Path(path)
    lines = _lines(path)
    _scan_vrplib(path, lines)
    try:
        data = vrplib.read_instance(path, compute_edge_weights=False)
    except Exception as exc:
        raise InstanceFormatError(path, f"vrplib could not parse it: {exc}") from None
    coords, demand = data["node_coord"], data["demand"]
    if len(coords) != int(data["dimension"]) or len(demand) != len(coords):
        raise InstanceFormatError(
            path,
            f"DIMENSION {data['dimension']} but {len(coords)} "
            f"coordinates and {len(demand)} demands",
        )
    clients = tuple(
        Client(id=i, x=float(coords[i][0]), y=float(coords[i][1]), demand=int(demand[i]))
        for i in range(1, len(coords))
    )
    return Problem(
        name=str(data.get("name", path.stem)),
        depot=Depot(*map(float, coords[0])),
        clients=clients,
        vehicle_capacity=int(data["capacity"]),
        fleet_size=max(1, len(clients)),
        distances=DistanceConvention.NEAREST_INT,
    )


def read_cvrplib_solution(path: str | Path) -> BestKnown:
    """Read a CVRPLIB ``.sol`` file: ``Route #k: ...`` lines and a ``Cost`` line."""
    path = Path(path)
    routes, cost = 0, None
    for lineno, raw in enumerate(_lines(path), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.lower().startswith("route"):
            _, _, visits = line.partition(":")
            if not all(v.isdigit() for v in visits.split()):
                raise InstanceFormatError(path, f"bad route line {line!r}", lineno)
            routes += 1
        elif line.lower().startswith("cost"):
            value = line[4:].strip()
            if not _NUMBER.match(value):
                raise InstanceFormatError(path, f"bad cost {value!r}", lineno)
            cost = float(value)
        else:
            raise InstanceFormatError(path, f"unexpected line {line!r}", lineno)
    if cost is None:
        raise InstanceFormatError(path, "no 'Cost' line")
    return BestKnown(cost=cost, vehicles=routes or None, key=path.stem)


def read_instance(path: str | Path) -> Problem:
    """Read ``.vrp`` files as CVRPLIB, anything else as Solomon text."""
    path = Path(path)
    return read_cvrplib(path) if path.suffix.lower() == ".vrp" else read_solomon(path)


def _natural_key(path: Path) -> list[Any]:
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", path.name)]


def find_instances(directory: str | Path) -> list[Path]:
    """Instance files in ``directory`` (``.txt`` Solomon, ``.vrp`` CVRPLIB), naturally sorted."""
    folder = Path(directory)
    if not folder.is_dir():
        raise RoutingError(f"{folder} is not a directory")
    found = [p for p in folder.iterdir() if p.suffix.lower() in {".txt", ".vrp"}]
    return sorted(found, key=_natural_key)


def load_bks(path: str | Path) -> dict[str, BestKnown]:
    """Read a ``BKS.json`` of ``{name: {best_known_cost, solved_with_vehicles, ...}}``."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InstanceFormatError(path, f"cannot read BKS file: {exc}") from None
    table: dict[str, BestKnown] = {}
    for key, entry in raw.items():
        cost = entry.get("best_known_cost") if isinstance(entry, dict) else None
        if not isinstance(cost, int | float) or not math.isfinite(cost):
            raise InstanceFormatError(path, f"entry {key!r} has no numeric best_known_cost")
        vehicles = entry.get("solved_with_vehicles")
        table[key.lower()] = BestKnown(float(cost), int(vehicles) if vehicles else None, key)
    return table


def best_known_for(
    table: dict[str, BestKnown], name: str, objective: Objective
) -> BestKnown | None:
    """The record matching the objective: ``<name>_distance`` first for distance-only runs.

    ``BKS.json`` keys ending ``_distance`` are the distance-only records where they differ; the
    plain keys are vehicles-first (fewest vehicles, then distance).
    """
    name = name.lower()
    if objective is Objective.DISTANCE and f"{name}_distance" in table:
        return table[f"{name}_distance"]
    return table.get(name)
