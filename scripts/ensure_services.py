"""Make sure PostgreSQL answers on 127.0.0.1:5432 before the suite runs; try to start it if not.

Used by `make test` (and therefore CI). Exits non-zero with a clear message when PostgreSQL
cannot be reached, because the suite must run on SQLite *and* PostgreSQL.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import time

HOST, PORT = "127.0.0.1", 5432


def answers() -> bool:
    try:
        with socket.create_connection((HOST, PORT), timeout=2):
            return True
    except OSError:
        return False


def try_start() -> None:
    versions = sorted(os.path.basename(p) for p in glob.glob("/etc/postgresql/*"))
    if versions and shutil.which("pg_ctlcluster"):
        cmd = ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"]
        print("starting PostgreSQL:", " ".join(cmd), flush=True)
        subprocess.run(cmd, check=False)
    elif shutil.which("service"):
        subprocess.run(["service", "postgresql", "start"], check=False)


def main() -> int:
    if answers():
        print(f"PostgreSQL answers at {HOST}:{PORT}")
        return 0
    try_start()
    for _ in range(30):
        if answers():
            print(f"PostgreSQL started and answers at {HOST}:{PORT}")
            return 0
        time.sleep(1)
    print(
        f"ERROR: PostgreSQL does not answer at {HOST}:{PORT} and could not be started",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
