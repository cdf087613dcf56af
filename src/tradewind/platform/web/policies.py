"""Who may call each API route, declared on the route itself.

Every ``/api/v1`` route states its access policy with ``openapi_extra=<policy>`` on its
decorator; the declaration travels into the OpenAPI document as ``x-access`` and is read back
by ``access_of``. Nothing here enforces anything: the bearer-token dependencies in ``deps.py``
and the routes' own ownership checks do. The declaration is what the authorization-matrix
test (``tests/integration/test_authorization_matrix.py``) holds the routes to, and that test
fails for a route that declares none.

A policy is a role and, optionally, the path parameter naming a resource the caller must own:

- ``PUBLIC``: anyone, token optional.
- ``CUSTOMER`` / ``SELLER``: a token of that kind; the route answers about the caller only
  (their cart, their offers), so another principal of the same kind sees their own data.
- ``customer_owns("order_id")`` / ``seller_owns("offer_id")``: as above, and the resource
  named in the path belongs to one caller; anyone else gets a 404 like a missing one.
- ``OPERATOR``: an operator's token (anyone else 401/403).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

KEY = "x-access"


class Role(StrEnum):
    PUBLIC = "public"
    CUSTOMER = "customer"
    SELLER = "seller"
    OPERATOR = "operator"


@dataclass(frozen=True)
class Access:
    """A route's declared policy: who may call it, and which path id they must own."""

    role: Role
    owner_param: str | None = None


def _extra(role: Role, owner_param: str | None = None) -> dict[str, Any]:
    declared: dict[str, Any] = {"role": str(role)}
    if owner_param:
        declared["owner"] = owner_param
    return {KEY: declared}


PUBLIC = _extra(Role.PUBLIC)
CUSTOMER = _extra(Role.CUSTOMER)
SELLER = _extra(Role.SELLER)
OPERATOR = _extra(Role.OPERATOR)


def customer_owns(param: str) -> dict[str, Any]:
    """A customer route whose path parameter ``param`` names one of the caller's resources."""
    return _extra(Role.CUSTOMER, param)


def seller_owns(param: str) -> dict[str, Any]:
    """A seller route whose path parameter ``param`` names one of the caller's resources."""
    return _extra(Role.SELLER, param)


def access_of(route: Any) -> Access | None:
    """The policy ``route`` declares, or ``None`` when it declares none."""
    declared = (getattr(route, "openapi_extra", None) or {}).get(KEY)
    if not declared:
        return None
    return Access(Role(declared["role"]), declared.get("owner"))
