"""Run the real CLI and a real uvicorn process for end-to-end tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

CLI = [sys.executable, "-m", "tradewind"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_cli(work: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run([*CLI, *args], cwd=work, env=env, check=True, capture_output=True)


@contextmanager
def serving(work: Path, env: dict[str, str]) -> Iterator[str]:
    """``tradewind serve`` on a free port; yields the base URL once /healthz answers."""
    port = free_port()
    proc = subprocess.Popen(
        [*CLI, "serve", "--port", str(port)],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            proc.kill()
            raise RuntimeError(proc.stdout.read().decode() if proc.stdout else "no server")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
