"""Make sure PostgreSQL (127.0.0.1:5432) and NATS JetStream (127.0.0.1:4222) answer before the
suite runs; try to start them if not.

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


NATS_PORT = 4222


def answers(port: int = PORT) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=2):
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


def ensure_nats() -> int:
    """The outbox relay's JetStream test needs NATS (the machines here run it as a service)."""
    if answers(NATS_PORT):
        print(f"NATS answers at {HOST}:{NATS_PORT}")
        return 0
    server = shutil.which("nats-server") or "/usr/sbin/nats-server"
    if os.path.exists(server) and shutil.which("start-stop-daemon"):
        print("starting NATS with JetStream", flush=True)
        cmd = ["start-stop-daemon", "--start", "--oknodo", "--background", "--exec", server]
        cmd += ["--", "-a", HOST, "-p", str(NATS_PORT), "-js", "-sd", "/var/lib/nats-server"]
        subprocess.run(cmd, check=False)
        for _ in range(20):
            if answers(NATS_PORT):
                print(f"NATS started and answers at {HOST}:{NATS_PORT}")
                return 0
            time.sleep(0.5)
    print(f"ERROR: NATS does not answer at {HOST}:{NATS_PORT}", file=sys.stderr)
    return 1


def main() -> int:
    if ensure_nats() != 0 and os.environ.get("CI", "").lower() == "true":
        return 1
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
