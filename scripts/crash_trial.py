"""The full checkout crash trial: kill -9 ``tradewind serve`` N times during a checkout burst.

    .venv/bin/python scripts/crash_trial.py --kills 20 [--db sqlite|postgres] [--clients 8]
        [--keys 60] [--seed 0]

Builds a world in a temporary directory (SQLite file, or a fresh PostgreSQL database on
127.0.0.1:5432), runs the burst (tests/e2e/crash_trial.py says what must hold), prints the
figures as JSON and exits 1 when anything broke.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.crash_trial import Trial, run_trial


def _postgres() -> str:
    import psycopg

    name = f"tradewind_crash_{secrets.token_hex(4)}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--keys", type=int, default=60, help="keys per client")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        url = f"sqlite:///{work / 'crash.db'}" if args.db == "sqlite" else _postgres()
        env = {**os.environ, "TRADEWIND_DATABASE_URL": url}
        trial = Trial(args.kills, args.clients, args.keys, args.seed)
        result = run_trial(work, env, trial) | {"database": args.db}
    print(json.dumps(result, indent=2))
    return 1 if result["problems"] or result["kills"] < args.kills else 0


if __name__ == "__main__":
    raise SystemExit(main())
