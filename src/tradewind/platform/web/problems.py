"""RFC 9457 problem+json for every error: ``type`` /problems/<code>, ``title``, ``status``,
``detail``, ``instance``, plus the stable ``code`` and field ``errors``.

Nothing leaves as text/plain: a value the database cannot store (out of range, too long) is a
422 ``invalid_value``, a constraint the request broke a 409 ``conflict``, a database that
cannot be reached a 503 ``database_unavailable`` (with ``Retry-After``), and anything else a
500 ``internal_error`` whose body says nothing about the code (the trace goes to the log).
Every problem carries the request's ``request_id``."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI, Request, routing
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import DataError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from tradewind.platform.web.observability import current_request_id
from tradewind.shared.errors import TradewindError

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"
_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    422: "validation_failed",
}


class Problem(BaseModel):
    """An RFC 9457 problem document (``application/problem+json``)."""

    model_config = ConfigDict(extra="forbid", title="Problem")

    type: str = Field(description="/problems/<code>")
    title: str
    status: int = Field(ge=400, le=599)
    detail: str
    instance: str = Field(description="the request path")
    code: str = Field(description="stable machine-readable error code")
    errors: list[dict[str, Any]] = Field(description="field-level details")
    request_id: str | None = Field(
        default=None, description="the request's X-Request-ID (quote it when reporting)"
    )


def problem(
    status: int,
    code: str,
    detail: str,
    instance: str,
    errors: list[dict[str, Any]] | None = None,
    extra_headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = {
        "type": f"/problems/{code}",
        "title": code.replace("_", " ").capitalize(),
        "status": status,
        "detail": detail,
        "instance": instance,
        "code": code,
        "errors": errors or [],
    }
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    if rid := current_request_id():
        body["request_id"] = rid
        headers["X-Request-ID"] = rid
    headers.update(extra_headers or {})
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def api_routes(routes: list[Any]) -> Iterator[Any]:
    """Every API route of ``routes`` (FastAPI 0.16x wraps included routers; older versions
    list ``APIRoute`` objects), each with ``path_format``, ``path_regex``, ``methods``,
    ``dependant`` and ``include_in_schema``."""
    iter_contexts = getattr(routing, "iter_route_contexts", None)
    if iter_contexts is None:
        yield from (r for r in routes if isinstance(r, routing.APIRoute))
        return
    for ctx in iter_contexts(routes):
        if isinstance(ctx.original_route, routing.APIRoute):
            yield ctx


def _allowed(request: Request) -> str:
    """Every method some route of the app serves at this path (for ``Allow`` on a 405)."""
    methods: set[str] = set()
    for route in api_routes(request.app.routes):
        if route.path_regex.match(request.url.path):
            methods |= set(route.methods or ())
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods))


def is_api_path(path: str) -> bool:
    """Paths that answer problem+json on every error, never a page: the JSON API, the OpenAPI
    document, health checks and static files."""
    return path == "/api" or path.startswith(
        ("/api/", "/openapi", "/healthz", "/readyz", "/static/")
    )


def install(app: FastAPI) -> None:
    @app.exception_handler(TradewindError)
    async def _domain(request: Request, exc: TradewindError) -> JSONResponse:
        return problem(exc.status, str(exc.code), exc.detail, request.url.path, exc.errors)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": ".".join(str(p) for p in e.get("loc", ())), "reason": e.get("msg")}
            for e in exc.errors()
        ]
        return problem(
            422, "validation_failed", "the request is not valid", request.url.path, errors
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = _HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
        page = getattr(request.app.state, "page_error", None)
        if exc.status_code == 404 and page is not None and not is_api_path(request.url.path):
            # A page address that does not exist: the HTML error page (the API keeps JSON).
            detail = str(exc.detail)
            if detail == "Not Found":
                detail = "there is no page at this address"
            return page(request, 404, code, detail)  # type: ignore[no-any-return]
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = _allowed(request) or headers.get("Allow", "")
        return problem(exc.status_code, code, str(exc.detail), request.url.path, None, headers)

    @app.exception_handler(DataError)
    async def _data(request: Request, exc: DataError) -> JSONResponse:
        log.info("refused a value the database cannot store: %s", exc.orig)
        detail = "a value is out of the range, length or format that can be stored"
        return problem(422, "invalid_value", detail, request.url.path)

    @app.exception_handler(OverflowError)
    async def _overflow(request: Request, exc: OverflowError) -> JSONResponse:
        log.info("refused an out-of-range number: %s", exc)
        return problem(422, "invalid_value", "a number is out of range", request.url.path)

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        log.info("refused a write that breaks a constraint: %s", exc.orig)
        detail = "the request conflicts with the current state (a constraint was violated)"
        return problem(409, "conflict", detail, request.url.path)

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    @app.exception_handler(PoolTimeout)
    async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
        # Connection refused or lost, or no pooled connection in time: a retry with the same
        # Idempotency-Key is safe (it answers the order if the commit did land). Pre-ping
        # replaces dead pooled connections once the database is back.
        log.warning("database unavailable: %s", str(exc).splitlines()[0])
        detail = "the database is unavailable; retry shortly"
        headers = {"Retry-After": "1"}
        return problem(503, "database_unavailable", detail, request.url.path, None, headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Starlette logs the trace after this answer; the body says nothing about the code.
        detail = "the server could not complete the request; the error was logged"
        return problem(500, "internal_error", detail, request.url.path)
