"""The OpenAPI document says every answer an operation can give.

FastAPI documents only the success and a 422 it calls ``application/json``. Here every
operation also lists its problems as ``application/problem+json`` with the shared, closed
``Problem`` schema, derived from what the route depends on: a bearer-token dependency can
answer 401 (and 403 for another kind of token), a loopback-only operator route 403, an id in
the path or query 404, a write 409, a body 413, and every operation 422 (the input guard reads the
query string of any request) and 500. Statuses a domain error adds to one operation only (a
declined payment) are listed in ``EXTRA``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi

from tradewind.platform.web.deps import (
    current_customer,
    current_operator,
    current_seller,
    optional_principal,
)
from tradewind.platform.web.problems import MEDIA_TYPE, Problem, api_routes

DESCRIPTIONS = {
    400: "Bad request (a required header is missing)",
    401: "No bearer token, or an unknown one",
    402: "Payment declined",
    403: "Forbidden (another kind of token, or not from this machine)",
    404: "Not found (or not yours)",
    409: "Conflict with the current state (stale version, duplicate, wrong state)",
    413: "Request body too large",
    422: "The request is not valid",
    500: "Internal error (logged; the body says nothing about the code)",
    504: "Payment provider timed out",
}
EXTRA: dict[tuple[str, str], frozenset[int]] = {
    ("POST", "/api/v1/checkout"): frozenset({400, 402, 504}),
}
_KIND_CALLERS = (current_seller, current_customer, current_operator)
_LOCAL_ONLY = frozenset({"local_only", "_local_only"})


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for dep in dependant.dependencies:
        if dep.call is not None:
            yield dep.call
        yield from _calls(dep)


def statuses(route: Any, method: str) -> set[int]:
    """The problem statuses ``method`` on ``route`` can answer."""
    calls = list(_calls(route.dependant))
    found = {422, 500}
    if any(c is optional_principal for c in calls):
        found.add(401)
    if any(c in _KIND_CALLERS for c in calls):
        found |= {401, 403}
    if any(getattr(c, "__name__", "") in _LOCAL_ONLY for c in calls):
        found.add(403)
    if route.dependant.path_params or route.dependant.query_params:
        found.add(404)  # an id or site the caller names may not exist
    if method in ("POST", "PUT", "PATCH", "DELETE"):
        found |= {404, 409}
    if route.dependant.body_params:
        found.add(413)
    return found | EXTRA.get((method, route.path_format), frozenset())


def _problem_response(status: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "description": DESCRIPTIONS.get(status, "Problem"),
        "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    if status == 401:
        out["headers"] = {
            "WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer"}
        }
    return out


def document(schema: dict[str, Any], routes: list[Any]) -> dict[str, Any]:
    """Add the problem responses to every operation of ``schema`` (changed in place)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    for route in api_routes(routes):
        if not route.include_in_schema:
            continue
        for method in route.methods:
            operation = schema["paths"][route.path_format].get(method.lower())
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for status in sorted(statuses(route, method)):
                responses[str(status)] = _problem_response(status)
    return schema


def install(app: FastAPI) -> None:
    """Replace ``app.openapi`` with one that documents the problems (built once)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            app.openapi_schema = document(schema, app.routes)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
