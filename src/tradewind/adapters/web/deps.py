"""Dependencies: the container, and who is calling (bearer token -> seller, customer or
operator)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request

from tradewind.bootstrap import Container
from tradewind.shared.errors import Forbidden, Unauthorized


def get_container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(get_container)]


@dataclass(frozen=True)
class Principal:
    kind: str  # "seller", "customer" or "operator"
    subject_id: str


def optional_principal(
    container: ContainerDep, authorization: Annotated[str | None, Header()] = None
) -> Principal | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("use 'Authorization: Bearer <token>'")
    found = container.views.principal(hashlib.sha256(token.strip().encode()).hexdigest())
    if found is None:
        raise Unauthorized("unknown or revoked token")
    return Principal(*found)


def current_seller(p: Annotated[Principal | None, Depends(optional_principal)]) -> str:
    if p is None:
        raise Unauthorized("a seller token is required")
    if p.kind != "seller":
        raise Forbidden("this endpoint is for sellers")
    return p.subject_id


def current_customer(p: Annotated[Principal | None, Depends(optional_principal)]) -> str:
    if p is None:
        raise Unauthorized("a customer token is required")
    if p.kind != "customer":
        raise Forbidden("this endpoint is for customers")
    return p.subject_id


def current_operator(p: Annotated[Principal | None, Depends(optional_principal)]) -> str:
    if p is None:
        raise Unauthorized("an operator token is required")
    if p.kind != "operator":
        raise Forbidden("this endpoint is for operators")
    return p.subject_id


MaybePrincipal = Annotated[Principal | None, Depends(optional_principal)]
CurrentOperator = Annotated[str, Depends(current_operator)]
CurrentSeller = Annotated[str, Depends(current_seller)]
CurrentCustomer = Annotated[str, Depends(current_customer)]
