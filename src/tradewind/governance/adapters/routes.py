"""Governance API: the operator case queue under ``/ops/cases``, test buys under
``/ops/test-buys`` and a seller's enforcement under ``/seller/enforcement``.

The ops routes need an operator's bearer token (``tradewind governance operator add``) and, as
for FBA receiving, a client on this machine. The token says who acts: the audit trail records
that operator, and the four-eyes rule (who decides an appeal must not have acted on the case)
compares logins, not names typed into a request. A seller (bearer token) sees only cases
against them that reached them; another seller's case is a 404 exactly like a missing one.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from tradewind.governance.adapters.case_repository import CaseFilter
from tradewind.governance.adapters.enforcement_public import (
    case_public,
    case_queue,
    load_case,
    seller_case,
    seller_case_public,
    seller_cases,
)
from tradewind.governance.adapters.test_buys import record_test_buy
from tradewind.governance.case import ActionKind
from tradewind.governance.scores import Subject, SubjectKind
from tradewind.governance.services import (
    DecideAppeal,
    DismissCase,
    FileAppeal,
    TakeAction,
)
from tradewind.platform.web import policies
from tradewind.platform.web.deps import (
    ContainerDep,
    CurrentOperator,
    CurrentSeller,
    current_operator,
)
from tradewind.platform.web.schemas import MAX_OFFSET, MAX_PRICE_MINOR, Currency
from tradewind.shared.errors import Forbidden, ValidationFailed
from tradewind.shared.money import Money

LOCAL_CLIENTS = frozenset({"127.0.0.1", "::1", "localhost", "testclient"})


def local_only(request: Request) -> None:
    host = request.client.host if request.client else ""
    if host not in LOCAL_CLIENTS:
        raise Forbidden("the case queue is an operator tool, allowed from this machine only")


ops_router = APIRouter(
    prefix="/ops/cases",
    tags=["governance"],
    dependencies=[Depends(local_only), Depends(current_operator)],
)
test_buy_router = APIRouter(
    prefix="/ops/test-buys",
    tags=["governance"],
    dependencies=[Depends(local_only), Depends(current_operator)],
)
seller_router = APIRouter(prefix="/seller/enforcement", tags=["governance"])


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ActionIn(_Strict):
    kind: ActionKind
    reason: str = Field(min_length=3, max_length=2000)
    target_kind: SubjectKind | None = None
    target_ref: str | None = Field(default=None, max_length=100)
    amount_minor: int | None = Field(default=None, gt=0, le=MAX_PRICE_MINOR)
    currency: Currency | None = None


class DismissIn(_Strict):
    reason: str = Field(min_length=3, max_length=2000)


class DecisionIn(_Strict):
    overturn: bool
    reason: str = Field(min_length=3, max_length=2000)


class TestBuyIn(_Strict):
    offer_id: str = Field(min_length=1, max_length=40)
    result: str = Field(min_length=1, max_length=20)
    note: str = Field(default="", max_length=2000)


class AppealIn(_Strict):
    statement: str = Field(min_length=10, max_length=4000)


def action_command(case_id: str, body: ActionIn, operator: str) -> TakeAction:
    target = None
    if body.target_kind is not None or body.target_ref:
        if body.target_kind is None or not body.target_ref:
            raise ValidationFailed("give both target_kind and target_ref, or neither")
        target = Subject(body.target_kind, body.target_ref)
    amount = None
    if body.amount_minor is not None:
        if not body.currency:
            raise ValidationFailed("amount_minor needs a currency")
        amount = Money(body.amount_minor, body.currency)
    return TakeAction(case_id, body.kind, body.reason, operator, target, amount)


@ops_router.get("", openapi_extra=policies.OPERATOR)
def list_cases(
    c: ContainerDep,
    status: str | None = None,
    detector: str | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> dict[str, Any]:
    """The case queue, riskiest first, filtered by status and detector."""
    return case_queue(c.engine, CaseFilter(status, detector, None, limit, offset))


@ops_router.get("/{case_id}", openapi_extra=policies.OPERATOR)
def get_case(c: ContainerDep, case_id: str) -> dict[str, Any]:
    """Evidence, actions, appeal and the audit trail (``audit_verified``: the hash chain)."""
    return case_public(load_case(c.engine, case_id))


@ops_router.post("/{case_id}/actions", status_code=201, openapi_extra=policies.OPERATOR)
def act(c: ContainerDep, operator: CurrentOperator, case_id: str, body: ActionIn) -> dict[str, Any]:
    """Take an enforcement action; it takes effect in the same transaction."""
    out = c.bus.handle(action_command(case_id, body, operator))
    return case_public(out.case)


@ops_router.post("/{case_id}/dismiss", openapi_extra=policies.OPERATOR)
def dismiss(
    c: ContainerDep, operator: CurrentOperator, case_id: str, body: DismissIn
) -> dict[str, Any]:
    out = c.bus.handle(DismissCase(case_id, operator, body.reason))
    return case_public(out.case)


@ops_router.post("/{case_id}/appeal/decision", openapi_extra=policies.OPERATOR)
def decide(
    c: ContainerDep, operator: CurrentOperator, case_id: str, body: DecisionIn
) -> dict[str, Any]:
    """Uphold or overturn an appeal; overturning restores what the actions changed."""
    cmd = DecideAppeal(case_id, operator, body.overturn, body.reason)
    out = c.bus.handle(cmd)
    return case_public(out.case)


@seller_router.get("", openapi_extra=policies.SELLER)
def my_enforcement(c: ContainerDep, seller_id: CurrentSeller) -> dict[str, Any]:
    """Enforcement actions against the calling seller, with reasons and how to appeal."""
    found = [seller_case_public(x) for x in seller_cases(c.engine, seller_id)]
    return {"data": found, "count": len(found)}


@seller_router.get("/{case_id}", openapi_extra=policies.seller_owns("case_id"))
def my_case(c: ContainerDep, seller_id: CurrentSeller, case_id: str) -> dict[str, Any]:
    return seller_case_public(seller_case(c.engine, seller_id, case_id))


@seller_router.post(
    "/{case_id}/appeal", status_code=201, openapi_extra=policies.seller_owns("case_id")
)
def appeal(
    c: ContainerDep, seller_id: CurrentSeller, case_id: str, body: AppealIn
) -> dict[str, Any]:
    """File an appeal against the actions of one of your cases (once, before the deadline)."""
    seller_case(c.engine, seller_id, case_id)  # 404 unless it is the caller's
    out = c.bus.handle(FileAppeal(case_id, seller_id, body.statement))
    return seller_case_public(out.case)


@test_buy_router.post("", status_code=201, openapi_extra=policies.OPERATOR)
def record(c: ContainerDep, operator: CurrentOperator, body: TestBuyIn) -> dict[str, Any]:
    """Record an inspected test buy of an offer (the operator is who the token says) and scan:
    a failed item opens a follow-sell case that suppresses the offer (``case_id``)."""
    out = record_test_buy(c.engine, c.clock, body.offer_id, body.result, operator, body.note)
    c.reindex_products(out.scan.products)
    return out.public()
