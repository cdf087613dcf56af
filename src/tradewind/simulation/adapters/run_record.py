"""A simulation run's row while it runs: written at start, checkpointed after every tick,
finished with its KPIs. A run whose row still says ``running`` but whose process is gone (or
silent) was interrupted: ``tradewind simulate`` resumes it (see run_simulation).

The state lives in ``simulation_runs.kpis`` (no schema change): ``{"status": "running",
"host", "pid", "heartbeat", "resumes", "checkpoint"}`` until the run ends, then the report.
``sim_end`` follows the checkpoint, so a new run never starts inside a killed one.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from tradewind.transport.adapters import network_tables as nt

RUNNING = "running"
SILENT_AFTER = timedelta(minutes=2)  # a live run checkpoints every tick, far more often


@dataclass(frozen=True)
class Interrupted:
    run_id: str
    seed: int
    params: dict[str, Any]
    sim_start: datetime
    real_seconds: float
    resumes: int
    checkpoint: dict[str, Any] | None


def _liveness(resumes: int) -> dict[str, Any]:
    return {
        "status": RUNNING,
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "heartbeat": datetime.now(UTC).isoformat(),
        "resumes": resumes,
    }


def start(engine: Engine, run_id: str, seed: int, params: dict[str, Any], at: datetime) -> None:
    with engine.begin() as c:
        c.execute(
            insert(nt.simulation_runs),
            [
                {
                    "run_id": run_id,
                    "seed": seed,
                    "params": params,
                    "sim_start": at,
                    "sim_end": at,
                    "real_seconds": 0.0,
                    "kpis": _liveness(0) | {"checkpoint": None},
                }
            ],
        )


def checkpoint(
    engine: Engine, run_id: str, state: dict[str, Any], *, resumes: int, seconds: float
) -> None:
    """After a tick: where the run stands, and that its process is alive."""
    with engine.begin() as c:
        c.execute(
            update(nt.simulation_runs)
            .where(nt.simulation_runs.c.run_id == run_id)
            .values(
                sim_end=datetime.fromisoformat(state["t"]),
                real_seconds=seconds,
                kpis=_liveness(resumes) | {"checkpoint": state},
            )
        )


def finish(
    engine: Engine, run_id: str, sim_end: datetime, seconds: float, report: dict[str, Any]
) -> None:
    with engine.begin() as c:
        c.execute(
            update(nt.simulation_runs)
            .where(nt.simulation_runs.c.run_id == run_id)
            .values(sim_end=sim_end, real_seconds=seconds, kpis=report)
        )


def is_interrupted(kpis: dict[str, Any] | None, now: datetime | None = None) -> bool:
    """A ``running`` row whose process died (same host) or stopped checkpointing."""
    if not kpis or kpis.get("status") != RUNNING:
        return False
    if kpis.get("host") == socket.gethostname() and not _alive(int(kpis.get("pid") or 0)):
        return True
    beat = datetime.fromisoformat(kpis.get("heartbeat") or "1970-01-01T00:00:00+00:00")
    return (now or datetime.now(UTC)) - beat > SILENT_AFTER


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def interrupted_runs(conn: Connection) -> list[Interrupted]:
    """Interrupted runs, oldest first."""
    r = nt.simulation_runs.c
    rows = conn.execute(
        select(r.run_id, r.seed, r.params, r.sim_start, r.real_seconds, r.kpis).order_by(
            r.sim_start, r.run_id
        )
    ).all()
    return [
        Interrupted(
            x.run_id,
            x.seed,
            x.params,
            x.sim_start,
            x.real_seconds,
            int(x.kpis.get("resumes") or 0),
            x.kpis.get("checkpoint"),
        )
        for x in rows
        if is_interrupted(x.kpis)
    ]
