"""Liveness and readiness.

``/healthz`` says the process serves HTTP (it touches nothing else, so a supervisor does not
restart every worker while the database is away); ``/readyz`` says it can do useful work: the
database answers ``SELECT 1`` (else a 503 ``database_unavailable`` problem, which a load
balancer reads as "send traffic elsewhere").
"""

from __future__ import annotations

import os

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict
from sqlalchemy import text

from tradewind import __version__

router = APIRouter(tags=["ops"])


class Health(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: str
    version: str
    pid: int


@router.get("/healthz")
def healthz() -> Health:
    """The process is alive (no dependency is checked)."""
    return Health(status="ok", version=__version__, pid=os.getpid())


@router.get("/readyz")
def readyz(request: Request) -> Health:
    """The database answers; an unreachable one is a 503 problem (see ``problems``)."""
    with request.app.state.container.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return Health(status="ready", version=__version__, pid=os.getpid())
