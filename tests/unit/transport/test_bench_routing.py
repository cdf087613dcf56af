"""``bench routing``: the CLI command and the runner that re-checks every solution."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from tradewind.transport.routing import Objective, Problem, Solution
from tradewind_bench.routing import cli as bench_routing
from tradewind_bench.routing.runner import BenchSettings, run_bench

from .conftest import TINY_ROWS, solomon_text


def make_app() -> typer.Typer:
    app = typer.Typer()
    bench_routing.register(app)

    @app.callback()
    def root() -> None:
        """Test root so ``routing`` stays a sub-command."""

    return app


def tiny_set(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "inst"
    folder.mkdir()
    (folder / "TINY.txt").write_text(solomon_text(TINY_ROWS))
    bks = tmp_path / "BKS.json"
    bks.write_text(json.dumps({"TINY": {"best_known_cost": 80.0, "solved_with_vehicles": 2}}))
    return folder, bks


def test_cli_prints_json_summary(tmp_path: Path) -> None:
    """The command solves, checks, and reports gap, vehicles and the baseline."""
    folder, bks = tiny_set(tmp_path)
    args = ["routing", "--instances", str(folder), "--bks", str(bks), "--time-limit", "0.2"]
    result = CliRunner().invoke(make_app(), [*args, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    summary = report["summary"]
    assert summary["instances"] == 1 and summary["solved_feasible"] == 1
    assert summary["mean_gap_pct"] is not None and summary["baseline_mean_gap_pct"] is not None
    assert report["instances"][0]["bks_vehicles"] == 2
    assert report["instances"][0]["bks_matches_objective"] is False  # no TINY_distance key
    assert report["settings"]["objective"] == "distance"
    assert "cpu" in report["machine"]["start"]
    assert "[1/1] TINY" in result.stderr


def test_cli_fleet_objective_uses_vehicles_first_record(tmp_path: Path) -> None:
    """Under vehicles-then-distance the plain (vehicles-first) record is the matching one."""
    folder, bks = tiny_set(tmp_path)
    args = ["routing", "--instances", str(folder), "--bks", str(bks), "--time-limit", "0.3"]
    extra = ["--objective", "vehicles-then-distance", "--no-baseline", "--json"]
    result = CliRunner().invoke(make_app(), [*args, *extra])
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)["instances"][0]
    assert row["status"] == "feasible" and row["bks_matches_objective"] is True
    assert row["vehicles"] == 2


def test_cli_reports_bad_file(tmp_path: Path) -> None:
    """A malformed instance is listed as bad_file with its line and the exit code is 1."""
    folder, bks = tiny_set(tmp_path)
    (folder / "BROKEN.txt").write_text(solomon_text(TINY_ROWS).replace("20  0  4", "x  0  4"))
    args = ["routing", "--instances", str(folder), "--bks", str(bks), "--time-limit", "0.1"]
    result = CliRunner().invoke(make_app(), [*args, "--no-baseline", "--json"])
    assert result.exit_code == 1
    rows = {r["instance"]: r for r in json.loads(result.stdout)["instances"]}
    assert rows["BROKEN"]["status"] == "bad_file"
    assert "BROKEN.txt:12" in rows["BROKEN"]["detail"]


def test_cli_rejects_missing_folder(tmp_path: Path) -> None:
    """A missing instances folder exits with code 2 and a message."""
    result = CliRunner().invoke(
        make_app(), ["routing", "--instances", str(tmp_path / "no"), "--time-limit", "1"]
    )
    assert result.exit_code == 2
    assert "not a directory" in result.stderr


class LyingSolver:
    """A fake solver that claims success but skips client 4."""

    name = "liar"

    def solve(
        self,
        problem: Problem,
        *,
        time_limit_s: float,
        seed: int = 0,
        objective: Objective = Objective.DISTANCE,
    ) -> Solution:
        return Solution.of([1, 2], [3], solver=self.name)


def test_runner_never_scores_an_unchecked_solution(tmp_path: Path) -> None:
    """An infeasible solution is flagged and gets no gap."""
    folder, _ = tiny_set(tmp_path)
    report = run_bench([folder / "TINY.txt"], [LyingSolver()], BenchSettings(time_limit_s=1))
    row = report["instances"][0]
    assert row["status"] == "infeasible_solution" and row["gap_pct"] is None
    assert any("missing_client" in v for v in row["violations"])
    assert report["summary"]["problems"]["infeasible_solution"] == 1


def test_runner_reports_infeasible_instance(tmp_path: Path) -> None:
    """An instance with a demand above capacity is reported as infeasible, not solved."""
    rows = [*TINY_ROWS[:-1], (4, 0, 10, 99, 0, 100, 1)]
    path = tmp_path / "HEAVY.txt"
    path.write_text(solomon_text(rows))
    report = run_bench([path], [LyingSolver()], BenchSettings(time_limit_s=1))
    row = report["instances"][0]
    assert row["status"] == "infeasible_instance"
    assert "exceeds capacity" in row["detail"][0]
