"""A ``tradewind simulate`` killed with SIGKILL mid-run is resumed by the next start, and the
invariant checker reports 0 violations afterwards."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import select

from tradewind.platform.check import run_checks
from tradewind.platform.db.engine import make_engine
from tradewind.simulation.adapters.world_cli import build_into
from tradewind.simulation.world import WorldParams
from tradewind.transport.adapters import network_tables as nt

CLI = [sys.executable, "-m", "tradewind"]
ARGS = ["simulate", "--days", "0.3", "--seed", "3", "--orders-per-day", "600", "--json"]


def _progress(engine):
    """The running run's checkpointed tick, or None before the first checkpoint."""
    with engine.connect() as c:
        row = c.execute(select(nt.simulation_runs.c.kpis)).first()
    checkpoint = (row.kpis or {}).get("checkpoint") if row else None
    return checkpoint["t"] if checkpoint else None


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_killed_simulation_resumes_and_leaves_nothing_stranded(kind, fresh_db, tmp_path):
    """Kill -9 after a few ticks: check names the interrupted run; the next simulate resumes
    it (same run id), drains its parcels, and check reports 0."""
    url = fresh_db(kind)
    engine = make_engine(url)
    build_into(url, WorldParams(11, products=80, customers=300, third_party_sellers=20))
    env = {**os.environ, "TRADEWIND_DATABASE_URL": url}
    proc = subprocess.Popen([*CLI, *ARGS], cwd=tmp_path, env=env, stdout=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while (_progress(engine) or "") < "2026-12-01T03:00" and time.monotonic() < deadline:
        time.sleep(0.2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    found = {c.name: c.examples for c in run_checks(engine).checks if c.violations}
    # the killed run and, depending on where the kill fell, what it left half-done: an order
    # pending between a checkout's two transactions (the resumed run's sweeper settles it) or
    # a parcel whose scan was written before its status (the resumed run moves it on)
    half_done = {"stale_pending_orders", "shipment_status_matches_tracking"}
    assert set(found) <= {"interrupted_simulation_runs", *half_done}, found
    killed_run = found["interrupted_simulation_runs"]
    assert len(killed_run) == 1
    out = subprocess.run([*CLI, *ARGS], cwd=tmp_path, env=env, capture_output=True, check=True)
    report = json.loads(out.stdout)
    assert report["run_id"] == killed_run[0] and report["resumes"] == 1
    assert report["delivered"] + report["customs"]["refused"] == report["shipments"]
    final = run_checks(engine)
    assert final.violations == 0, final.as_dict()
    engine.dispose()
