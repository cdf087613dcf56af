"""Instance readers: Solomon and CVRPLIB files, errors that name the line, BKS lookup."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tradewind.transport.routing import DistanceConvention, Objective
from tradewind_bench.routing.instances import (
    InstanceFormatError,
    best_known_for,
    find_instances,
    load_bks,
    read_cvrplib,
    read_cvrplib_solution,
    read_instance,
    read_solomon,
)

from .conftest import DATA, TINY_ROWS, solomon_text

VRP = """NAME : X-tiny
COMMENT : hand made
TYPE : CVRP
DIMENSION : 4
EDGE_WEIGHT_TYPE : EUC_2D
CAPACITY : 10
NODE_COORD_SECTION
1 0 0
2 3 4
3 6 8
4 0 5
DEMAND_SECTION
1 0
2 4
3 4
4 5
DEPOT_SECTION
1
-1
EOF
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_read_tiny_solomon(tmp_path: Path) -> None:
    """A hand-made Solomon file maps to depot, clients, fleet and capacity."""
    problem = read_solomon(write(tmp_path, "TINY.txt", solomon_text(TINY_ROWS)))
    assert problem.name == "TINY" and problem.num_clients == 4
    assert (problem.fleet_size, problem.vehicle_capacity) == (3, 10)
    assert problem.depot.due == 200.0 and problem.client(2).x == 20.0


@pytest.mark.skipif(not (DATA / "solomon" / "R101.txt").exists(), reason="no shared data")
def test_read_real_solomon() -> None:
    """R101 from the shared data has 100 clients, 25 vehicles of capacity 200."""
    problem = read_solomon(DATA / "solomon" / "R101.txt")
    assert (problem.name, problem.num_clients, problem.fleet_size) == ("R101", 100, 25)
    assert problem.total_demand == 1458


def test_bad_number_names_the_line(tmp_path: Path) -> None:
    """A non-numeric field is reported with its 1-based line number."""
    text = solomon_text(TINY_ROWS).replace("2  20  0  4", "2  twenty  0  4")
    with pytest.raises(InstanceFormatError) as err:
        read_solomon(write(tmp_path, "bad.txt", text))
    assert err.value.line == 12
    assert "bad.txt:12" in str(err.value)


def test_short_row_and_numbering_gap(tmp_path: Path) -> None:
    """Rows with missing columns or skipped customer numbers are rejected at their line."""
    short = solomon_text(TINY_ROWS).replace("3  -10  0  4  0  100  1", "3  -10  0  4")
    with pytest.raises(InstanceFormatError, match="expected 7 numbers") as err:
        read_solomon(write(tmp_path, "short.txt", short))
    assert err.value.line == 13
    gap = solomon_text([TINY_ROWS[0], TINY_ROWS[2]])
    with pytest.raises(InstanceFormatError, match="expected 1"):
        read_solomon(write(tmp_path, "gap.txt", gap))


def test_missing_sections_and_file(tmp_path: Path) -> None:
    """A file without the Solomon sections, or no file at all, gives a clear error."""
    with pytest.raises(InstanceFormatError, match="no VEHICLE section"):
        read_solomon(write(tmp_path, "x.txt", "hello\nworld\n"))
    with pytest.raises(InstanceFormatError, match="file not found"):
        read_solomon(tmp_path / "nope.txt")


def test_read_cvrplib_and_solution(tmp_path: Path) -> None:
    """X-format files use rounded distances and an unlimited fleet; .sol gives the BKS."""
    problem = read_cvrplib(write(tmp_path, "X-tiny.vrp", VRP))
    assert problem.num_clients == 3 and problem.vehicle_capacity == 10
    assert problem.distances is DistanceConvention.NEAREST_INT
    assert problem.distance(0, 2) == 10.0 and problem.fleet_size == 3
    sol = write(tmp_path, "X-tiny.sol", "Route #1: 1 2\nRoute #2: 3\nCost 30\n")
    best = read_cvrplib_solution(sol)
    assert (best.cost, best.vehicles) == (30.0, 2)
    assert read_instance(tmp_path / "X-tiny.vrp").name == "X-tiny"


def test_cvrplib_errors_name_the_line(tmp_path: Path) -> None:
    """Bad coordinates, unsupported weights and bad .sol lines are reported clearly."""
    with pytest.raises(InstanceFormatError) as err:
        read_cvrplib(write(tmp_path, "a.vrp", VRP.replace("3 6 8", "3 6")))
    assert err.value.line == 10
    with pytest.raises(InstanceFormatError, match="not supported"):
        read_cvrplib(write(tmp_path, "b.vrp", VRP.replace("EUC_2D", "GEO")))
    with pytest.raises(InstanceFormatError) as err:
        read_cvrplib_solution(write(tmp_path, "c.sol", "Route #1: 1 2\nfoo\nCost 3\n"))
    assert err.value.line == 2


def test_bks_lookup_matches_objective(tmp_path: Path) -> None:
    """Distance runs use the ``_distance`` record; vehicles-first runs use the plain one."""
    raw = {
        "R101": {"best_known_cost": 1645.79, "solved_with_vehicles": 19},
        "R101_distance": {"best_known_cost": 1642.88, "solved_with_vehicles": 20},
    }
    table = load_bks(write(tmp_path, "BKS.json", json.dumps(raw)))
    by_distance = best_known_for(table, "R101", Objective.DISTANCE)
    by_fleet = best_known_for(table, "r101", Objective.VEHICLES_THEN_DISTANCE)
    assert by_distance is not None and by_distance.vehicles == 20
    assert by_fleet is not None and by_fleet.cost == 1645.79
    with pytest.raises(InstanceFormatError, match="best_known_cost"):
        load_bks(write(tmp_path, "bad.json", json.dumps({"R1": {"cost": 1}})))


def test_find_instances_sorts_naturally(tmp_path: Path) -> None:
    """c1_2_10 comes after c1_2_9; other extensions are ignored."""
    for name in ("c1_2_10.txt", "c1_2_9.txt", "notes.md", "X-n2.vrp"):
        (tmp_path / name).write_text("")
    assert [p.name for p in find_instances(tmp_path)] == ["c1_2_9.txt", "c1_2_10.txt", "X-n2.vrp"]
