"""Dependencies: the container, and who is calling (bearer token -> seller, customer or
operator)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request

from tradewind.bootstrap import Container
from tradewind.shared.errors import Forbidden, Unauthorized
from tradewind.shared.tokens import token_hash


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
    # Only the token's digest is stored; the lookup compares digests in constant time.
    found = container.views.principal(token_hash(token))
    if found is None:
        raise Unauthorized("unknown or revoked token")
    return Principal(*found)


def _caller_of_kind(kind: str, article: str = "a") -> Callable[[Principal | None], str]:
    """A dependency answering the caller's id when the bearer token is of ``kind``: 401
    without a token, 403 with another kind's."""

    def caller(p: Annotated[Principal | None, Depends(optional_principal)]) -> str:
        if p is None:
            raise Unauthorized(f"{article} {kind} token is required")
        if p.kind != kind:
            raise Forbidden(f"this endpoint is for {kind}s")
        return p.subject_id

    return caller


current_seller = _caller_of_kind("seller")
current_customer = _caller_of_kind("customer")
current_operator = _caller_of_kind("operator", "an")


MaybePrincipal = Annotated[Principal | None, Depends(optional_principal)]
CurrentOperator = Annotated[str, Depends(current_operator)]
CurrentSeller = Annotated[str, Depends(current_seller)]
CurrentCustomer = Annotated[str, Depends(current_customer)]
