"""Crash safety of checkout: kill -9 a real server during a checkout burst and restart it
(tests/e2e/crash_trial.py; scripts/crash_trial.py runs the 20-kill version)."""

import os

import pytest

from tests.e2e.crash_trial import Trial, run_trial


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_checkout_survives_kill_9_of_the_server(kind, fresh_db, tmp_path):
    """3 kills during concurrent checkouts with fixed keys: every 2xx key names one order,
    a retry after the crash gets it again or a clean failure, and check reports 0."""
    url = fresh_db(kind)
    env = {**os.environ, "TRADEWIND_DATABASE_URL": url}
    result = run_trial(tmp_path, env, Trial(kills=3, clients=3, keys_per_client=8, seed=1))
    assert result["problems"] == [], result
    assert result["kills"] == 3
    assert result["check_violations"] == 0
    assert result["orders"] > 0
