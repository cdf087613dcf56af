"""The OpenAPI document lists every answer each operation can give, as a checker needs it."""

import pytest
from fastapi.testclient import TestClient

from tradewind.bootstrap import bootstrap
from tradewind.platform.settings import Settings
from tradewind.platform.web.app import create_app

PROBLEM = "application/problem+json"
WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def spec(sqlite_url):
    app = create_app(bootstrap(Settings(database_url=sqlite_url)))
    return TestClient(app).get("/openapi.json").json()


def operations(spec):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            yield path, method, op


def test_every_error_response_is_a_closed_problem(spec):
    """Every 4xx/5xx of every operation is problem+json with the shared, closed Problem."""
    problem = spec["components"]["schemas"]["Problem"]
    assert problem["additionalProperties"] is False
    assert set(problem["required"]) >= {"type", "title", "status", "detail", "code", "errors"}
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    for path, method, op in operations(spec):
        errors = {s: r for s, r in op["responses"].items() if s[0] in "45"}
        assert {"422", "500"} <= set(errors), (method, path)
        for status, response in errors.items():
            assert list(response["content"]) == [PROBLEM], (method, path, status)
            ref = response["content"][PROBLEM]["schema"]["$ref"]
            assert ref == "#/components/schemas/Problem", (method, path, status)


def test_auth_ids_and_writes_declare_401_403_404_409(spec):
    """Token routes list 401 and 403, ids in the path 404, writes 409, bodies 413."""
    for path, method, op in operations(spec):
        statuses = set(op["responses"])
        if path.startswith(("/api/v1/seller", "/api/v1/cart", "/api/v1/orders", "/api/v1/ops")):
            assert {"401", "403"} & statuses, (method, path)
        if path.startswith("/api/v1/ops"):
            assert "403" in statuses, (method, path)
        if "{" in path:
            assert "404" in statuses, (method, path)
        if method in WRITES:
            assert "409" in statuses, (method, path)
        if "requestBody" in op:
            assert "413" in statuses, (method, path)
    checkout = spec["paths"]["/api/v1/checkout"]["post"]["responses"]
    assert {"400", "402", "504"} <= set(checkout)
    assert "WWW-Authenticate" in checkout["401"]["headers"]


def test_declared_response_models_are_closed(spec):
    """A response schema that names a model allows no property it does not list."""
    schemas = spec["components"]["schemas"]
    named = 0
    for _path, _method, op in operations(spec):
        for status, response in op["responses"].items():
            ref = response.get("content", {}).get("application/json", {}).get("schema", {})
            if status.startswith("2") and "$ref" in ref:
                named += 1
                model = schemas[ref["$ref"].rsplit("/", 1)[-1]]
                assert model.get("additionalProperties") is False, ref
    assert named >= 1
