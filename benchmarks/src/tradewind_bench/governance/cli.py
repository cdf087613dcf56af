"""``tradewind bench governance``: detector quality on public data and on the simulation
with injected, labelled bad actors (``--dataset simulated``).

Registered on ``tradewind bench`` by ``bench_governance.register(bench.app)`` in ``main.py``.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from tradewind.platform.cli.output import console, emit, err_console


class Dataset(StrEnum):
    UPU = "upu"
    REVIEWS = "reviews"
    SIMULATED = "simulated"


def machine_info() -> dict[str, Any]:
    import numpy
    import scipy
    import sklearn

    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "python": sys.version.split()[0],
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "scikit_learn": sklearn.__version__,
    }


def _fail(message: str, *, as_json: bool, code: str, exit_code: int = 2) -> typer.Exit:
    if as_json:
        emit({"error": {"code": code, "detail": message}}, as_json=True)
    else:
        err_console.print(f"[red]error[/red] ({code}): {message}")
    return typer.Exit(exit_code)


def _need_file(path: Path | None, flag: str, as_json: bool) -> Path:
    if path is None:
        raise _fail(f"{flag} PATH is required for this dataset", as_json=as_json, code="usage")
    if not path.is_file():
        raise _fail(f"{flag} {path} does not exist", as_json=as_json, code="file_not_found")
    return path


def _run_upu(data: Path, seed: int, repeats: int) -> dict[str, Any]:
    from tradewind_bench.governance.upu import UpuSettings, evaluate_upu, load_upu

    graph = load_upu(data)
    runs = [evaluate_upu(graph, UpuSettings(seed=seed + k)) for k in range(repeats)]
    out = dict(runs[0])
    if repeats > 1:
        keys = ("auc_supervised", "auc_unsupervised", "f1_macro")
        out["repeats"] = [
            {"seed": r["split"]["seed"], **{k: r[k] for k in keys}, "variants": r["variants_auc"]}
            for r in runs
        ]
        for k in keys:
            out[f"{k}_mean"] = round(sum(r[k] for r in runs) / repeats, 4)
    out["model"] = {
        "supervised": "HistGradientBoosting on 25 features + neighbour mean/max + log-degree",
        "unsupervised": "IsolationForest on 25 features + (own - neighbour mean), no labels",
    }
    return out


def _run_reviews(train: Path, test: Path | None, seed: int) -> dict[str, Any]:
    from tradewind_bench.governance.reviews import (
        ReviewSettings,
        evaluate_reviews,
        load_reviews,
    )

    held = load_reviews(test) if test is not None else None
    return evaluate_reviews(load_reviews(train), held, ReviewSettings(seed=seed))


WORLDS = {"demo": (2_000, 3_000, 120), "small": (300, 600, 40)}


def _run_simulated(
    seed: int,
    days: float,
    rate: float,
    orders_per_day: int,
    world: str,
    as_json: bool,
    repeats: int = 1,
    jobs: int = 1,
) -> dict[str, Any]:
    from tradewind_bench.governance.simulated import (
        SimulatedBenchSettings,
        run_simulated_bench,
    )
    from tradewind_bench.governance.simulated_pooled import run_seeds

    if world not in WORLDS:
        raise _fail(f"--world must be one of {sorted(WORLDS)}", as_json=as_json, code="usage")
    products, customers, sellers = WORLDS[world]
    settings = SimulatedBenchSettings(
        seed=seed,
        days=days,
        rate=rate,
        orders_per_day=orders_per_day,
        products=products,
        customers=customers,
        sellers=sellers,
    )

    def say(message: str) -> None:
        # One progress line per message, whatever the width: logs are read and grepped.
        err_console.print(message, highlight=False, markup=False, soft_wrap=True)

    if repeats > 1:
        return run_seeds(settings, repeats, jobs, say=say)
    return run_simulated_bench(settings, say=say)


def governance(
    dataset: Annotated[Dataset, typer.Option("--dataset", help="upu, reviews or simulated")],
    data: Annotated[Path | None, typer.Option("--data", help="amazon_upu.mat (upu)")] = None,
    train: Annotated[Path | None, typer.Option("--train", help="labelled CSV (reviews)")] = None,
    test: Annotated[
        Path | None, typer.Option("--test", help="held-out CSV, same columns (reviews)")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="seed of splits and models")] = 0,
    repeats: Annotated[
        int,
        typer.Option(
            "--repeats", min=1, help="upu, simulated: seeds seed..seed+n-1 (simulated: pooled)"
        ),
    ] = 1,
    jobs: Annotated[
        int, typer.Option("--jobs", min=1, help="simulated: seeds run at once (processes)")
    ] = 1,
    days: Annotated[
        float, typer.Option("--days", min=0.01, max=60, help="simulated: days of demand")
    ] = 1.0,
    rate: Annotated[
        float, typer.Option("--rate", min=0.001, max=0.4, help="simulated: share of bad actors")
    ] = 0.05,
    orders_per_day: Annotated[
        int, typer.Option("--orders-per-day", min=1, help="simulated: mean orders per day")
    ] = 2_000,
    world: Annotated[
        str, typer.Option("--world", help="simulated: demo (2,000 products) or small (300)")
    ] = "demo",
    threads: Annotated[int, typer.Option("--threads", min=1, help="BLAS/OpenMP threads")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Detector quality: UPU graph AUCs, fake-review accuracy, simulated injected fraud
    (recall, false-positive rate, precision and time to action per detector)."""
    from threadpoolctl import threadpool_limits

    started = time.perf_counter()
    with threadpool_limits(limits=threads):
        if dataset is Dataset.SIMULATED:
            result = _run_simulated(seed, days, rate, orders_per_day, world, as_json, repeats, jobs)
        elif dataset is Dataset.UPU:
            result = _run_upu(_need_file(data, "--data", as_json), seed, repeats)
        else:
            train_path = _need_file(train, "--train", as_json)
            test_path = _need_file(test, "--test", as_json) if test is not None else None
            result = _run_reviews(train_path, test_path, seed)
    result = {"dataset": str(dataset), **result}
    result["threads"] = threads
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["machine"] = machine_info()
    if "pooled" in result and not as_json:
        print_pooled(result)
        return
    emit(result, as_json=as_json, title=f"bench governance: {dataset}")


def print_pooled(result: dict[str, Any]) -> None:
    """The pooled figures of several simulated seeds as a table (``--json`` has the rest)."""
    from rich.table import Table

    seeds = result["seeds"]
    table = Table(title=f"simulated fraud, seeds {seeds[0]}-{seeds[-1]} pooled")
    table.add_column("detector", no_wrap=True)
    for column in ("recall", "95 % interval", "FPR", "goal", "seeds meeting it"):
        table.add_column(column)
    for name, p in result["pooled"].items():
        interval = p["recall_ci95"]
        table.add_row(
            name,
            f"{p['true_positives']}/{p['positives']} = {p['recall']}",
            "-" if interval is None else f"{interval[0]}-{interval[1]}",
            f"{p['false_positives']}/{p['negatives']} = {p['false_positive_rate']}",
            "met" if p["meets_goal"] else "not met",
            f"{p['seeds_meeting_goal']} of {len(seeds)}",
        )
    console.print(table)
    console.print(
        f"goal: recall >= {result['goal']['recall']} at FPR <= "
        f"{result['goal']['false_positive_rate']}; all types together on "
        f"{result['seeds_all_types_meet_goal']} of {len(seeds)} seeds; {result['seconds']} s "
        "(--json for per-seed figures)",
        highlight=False,
    )


def register(bench_app: typer.Typer) -> None:
    """Add the ``governance`` command to the ``bench`` sub-app."""
    bench_app.command("governance")(governance)
