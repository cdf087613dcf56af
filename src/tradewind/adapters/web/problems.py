"""RFC 9457 problem+json for every error: ``type`` /problems/<code>, ``title``, ``status``,
``detail``, ``instance``, plus the stable ``code`` and field ``errors``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from tradewind.shared.errors import TradewindError

MEDIA_TYPE = "application/problem+json"
_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "validation_failed",
}


def problem(
    status: int, code: str, detail: str, instance: str, errors: list[dict[str, Any]] | None = None
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
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


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
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
        return problem(exc.status_code, code, str(exc.detail), request.url.path)
