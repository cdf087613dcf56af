"""The simulated bench over several seeds, pooled.

One seed's world holds few bad actors of some types (about six VAT fraudsters and six brushing
sellers at the default rate), so one miss moves that seed's recall by 0.17: whether a detector
meets the goal is a question about its pooled counts and their uncertainty, not about one
seed. Each seed is a whole run of the bench (its own world, simulation, injection and
evaluation); the counts are summed per detector and reported with Wilson 95 % intervals,
beside how many seeds met the goal on their own.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from scipy.stats import binomtest

from tradewind_bench.governance.simulated import (
    Progress,
    SimulatedBenchSettings,
    run_simulated_bench,
)
from tradewind_bench.governance.simulated_metrics import GOAL_FPR, GOAL_RECALL, meets_goal

COUNTS = ("positives", "negatives", "true_positives", "false_positives")


def wilson_interval(
    successes: int, trials: int, confidence: float = 0.95
) -> tuple[float, float] | None:
    """Wilson score interval of a binomial proportion (None without trials), from SciPy: unlike
    the normal approximation it stays inside [0, 1] and is usable at 0 or n successes."""
    if trials <= 0:
        return None
    if not 0 <= successes <= trials:
        raise ValueError(f"successes {successes} not in 0..{trials}")
    ci = binomtest(successes, trials).proportion_ci(confidence_level=confidence, method="wilson")
    return float(ci.low), float(ci.high)


def pool_reports(reports: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Per-seed figures and pooled counts of bench reports (each ``run_simulated_bench``'s
    output, with its ``settings.seed``)."""
    if not reports:
        raise ValueError("no reports to pool")
    runs = [_run_summary(r) for r in reports]
    names = list(reports[0]["detectors"])
    pooled = {}
    for name in names:
        sums = {k: sum(int(r["detectors"][name][k]) for r in reports) for k in COUNTS}
        tp, pos = sums["true_positives"], sums["positives"]
        fp, neg = sums["false_positives"], sums["negatives"]
        pooled[name] = {
            **sums,
            "recall": _ratio(tp, pos),
            "recall_ci95": _ci(tp, pos),
            "false_positive_rate": _ratio(fp, neg),
            "false_positive_rate_ci95": _ci(fp, neg),
            "meets_goal": meets_goal(tp / pos if pos else None, fp / neg if neg else None),
            "seeds_meeting_goal": sum(r["detectors"][name]["meets_goal"] for r in runs),
        }
    return {
        "seeds": [r["seed"] for r in runs],
        "goal": {"recall": GOAL_RECALL, "false_positive_rate": GOAL_FPR},
        "pooled": pooled,
        "all_types_meet_goal_pooled": all(p["meets_goal"] for p in pooled.values()),
        "seeds_all_types_meet_goal": sum(
            all(d["meets_goal"] for d in r["detectors"].values()) for r in runs
        ),
        "runs": runs,
    }


def run_seeds(
    settings: SimulatedBenchSettings, repeats: int, jobs: int = 1, say: Progress = print
) -> dict[str, Any]:
    """Run the bench for seeds ``settings.seed .. settings.seed + repeats - 1`` (``jobs`` at a
    time, each in its own process and temporary database) and pool them."""
    if repeats < 1 or jobs < 1:
        raise ValueError("repeats and jobs must be at least 1")
    every = [dataclasses.replace(settings, seed=settings.seed + k) for k in range(repeats)]
    reports: list[dict[str, Any]] = []
    if jobs == 1:
        for s in every:
            reports.append(_run_one(s, say))
            _done(reports[-1], say)
    else:
        say(f"{repeats} seeds, {jobs} at a time (progress per seed on stderr)")
        with ProcessPoolExecutor(max_workers=min(jobs, repeats)) as pool:
            for report in pool.map(_one_seed, every):
                reports.append(report)
                _done(report, say)
    out = pool_reports(reports)
    out["settings"] = {**dataclasses.asdict(settings), "repeats": repeats, "jobs": jobs}
    out["fraud_params"] = reports[0]["fraud_params"]
    return out


def _one_seed(s: SimulatedBenchSettings) -> dict[str, Any]:
    """A worker's run; its progress lines go to stderr, prefixed with the seed."""

    def say(message: str) -> None:
        print(f"[seed {s.seed}] {message}", file=sys.stderr, flush=True)

    return _run_one(s, say)


def _run_one(s: SimulatedBenchSettings, say: Progress) -> dict[str, Any]:
    """One seed's run; a failure names its seed (the other seeds' figures are on stderr)."""
    try:
        return run_simulated_bench(s, say=say)
    except Exception as exc:
        raise RuntimeError(f"seed {s.seed} failed: {exc}") from exc


def _done(report: dict[str, Any], say: Progress) -> None:
    missed = [n for n, d in report["detectors"].items() if not d["meets_goal"]]
    say(
        f"seed {report['settings']['seed']} done "
        f"({report['simulation']['seconds']} s simulation, {report['evaluation_seconds']} s "
        f"evaluation); below the goal: {', '.join(missed) or 'none'}"
    )


def _run_summary(report: dict[str, Any]) -> dict[str, Any]:
    keep = (*COUNTS, "recall", "false_positive_rate", "meets_goal")
    return {
        "seed": report["settings"]["seed"],
        "simulation_seconds": report["simulation"]["seconds"],
        "evaluation_seconds": report["evaluation_seconds"],
        "detectors": {n: {k: d[k] for k in keep} for n, d in report["detectors"].items()},
    }


def _ratio(k: int, n: int) -> float | None:
    return round(k / n, 4) if n else None


def _ci(k: int, n: int) -> list[float] | None:
    interval = wilson_interval(k, n)
    return None if interval is None else [round(interval[0], 4), round(interval[1], 4)]
