"""Domain errors with stable codes; the web adapter renders them as RFC 9457 problems."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar


class CommonError(StrEnum):
    VALIDATION_FAILED = "validation_failed"
    NOT_FOUND = "not_found"
    CURRENCY_MISMATCH = "currency_mismatch"
    UNAUTHORIZED = "unauthorized"
    FORBIDDEN = "forbidden"
    CONFLICT = "conflict"


class TradewindError(Exception):
    """Base class of every domain error.

    Subclasses set ``code`` (a member of a per-context StrEnum, stable across releases) and
    ``status`` (the HTTP status the API uses). ``errors`` carries field-level details.
    """

    code: ClassVar[StrEnum] = CommonError.VALIDATION_FAILED
    status: ClassVar[int] = 422

    def __init__(self, detail: str, *, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []

    def __str__(self) -> str:
        return f"[{self.code}] {self.detail}"


class ValidationFailed(TradewindError):
    code = CommonError.VALIDATION_FAILED
    status = 422


class NotFound(TradewindError):
    code = CommonError.NOT_FOUND
    status = 404


class Unauthorized(TradewindError):
    code = CommonError.UNAUTHORIZED
    status = 401


class Forbidden(TradewindError):
    code = CommonError.FORBIDDEN
    status = 403


class Conflict(TradewindError):
    code = CommonError.CONFLICT
    status = 409
