"""Request ids and structured JSON logs.

Every request carries an id: the caller's ``X-Request-ID`` when it is a short token of safe
characters, else a fresh one. The id is echoed in the ``X-Request-ID`` response header, in
problem+json bodies (``request_id``) and on every log line written while the request runs, so
one id joins a client's report, the access line and a server trace.

Logs are one JSON object per line on stderr (``ts``, ``level``, ``logger``, ``msg``, the
request id when there is one, an ``exc`` trace when there is one, plus the access fields
``method``, ``path``, ``status``, ``duration_ms``, ``pid``), which any log shipper can parse.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "x-request-id"
MAX_ID_LENGTH = 64
# Letters, digits and a few separators: nothing a log viewer or a header could misread.
_VALID_ID = re.compile(rf"[A-Za-z0-9._:\-]{{1,{MAX_ID_LENGTH}}}")
_request_id: ContextVar[str | None] = ContextVar("tradewind_request_id", default=None)
access_log = logging.getLogger("tradewind.access")
# Attributes every LogRecord has; anything else passed as ``extra=`` goes into the JSON line.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "color_message",  # uvicorn's ANSI copy of msg
}


def current_request_id() -> str | None:
    """The id of the request being served (None outside a request)."""
    return _request_id.get()


def accept_request_id(raw: str | None) -> str:
    """The caller's id when it is valid (1-64 of ``A-Z a-z 0-9 . _ : -``), else a new one."""
    if raw and _VALID_ID.fullmatch(raw):
        return raw
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Pure ASGI (no per-request task or body buffering): sets the id, echoes it in the
    response header and writes one access line when the response has been sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = next((v for k, v in scope["headers"] if k == HEADER.encode()), None)
        rid = accept_request_id(raw.decode("latin-1") if raw is not None else None)
        # Not reset afterwards: the server-error handler outside this middleware renders its
        # 500 in the same task and reads the id from here.
        _request_id.set(rid)
        scope.setdefault("state", {})["request_id"] = rid
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k != HEADER.encode()]
                message["headers"] = [*headers, (HEADER.encode(), rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            access_log.info(
                "%s %s %s",
                scope["method"],
                scope["path"],
                status,
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )


class JsonFormatter(logging.Formatter):
    """One JSON object per record; the current request id is added when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
            "pid": os.getpid(),
        }
        rid = getattr(record, "request_id", None) or current_request_id()
        if rid:
            line["request_id"] = rid
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in line and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def log_config(level: str = "info", *, access: bool = True) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for the server (uvicorn's ``log_config``): JSON lines
    on stderr for Tradewind's and uvicorn's loggers; uvicorn's own access line is off (the
    middleware writes a richer one with the request id)."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    lvl = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.JsonFormatter"}},
        "handlers": {"json": handler},
        "loggers": {
            "tradewind": {"handlers": ["json"], "level": lvl, "propagate": False},
            "tradewind.access": {"level": lvl if access else "WARNING"},
            "uvicorn": {"handlers": ["json"], "level": lvl, "propagate": False},
            "uvicorn.error": {"level": lvl},
            "uvicorn.access": {"level": "WARNING"},
        },
        "root": {"handlers": ["json"], "level": "WARNING"},
    }


def install(app: Starlette) -> None:
    """Add the request-id middleware; call it last so it is the outermost middleware and its
    id is set before any other middleware answers (a 413, a 429) with a problem."""
    app.add_middleware(RequestIdMiddleware)
