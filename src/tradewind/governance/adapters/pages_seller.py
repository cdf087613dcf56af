"""Seller Central: enforcement actions against the logged-in seller, each with its reason, the
appeal deadline and path, and an appeal form. Only the seller's own cases are ever shown;
posting an appeal on another seller's case is a 404 like a missing one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from tradewind.governance.adapters.enforcement_public import (
    seller_case,
    seller_case_public,
    seller_cases,
)
from tradewind.governance.services import FileAppeal
from tradewind.platform.web import reads
from tradewind.platform.web.pages_common import (
    SellerId,
    container,
    domain_error,
    redirect,
    render,
)
from tradewind.shared.errors import TradewindError

router = APIRouter(prefix="/seller/enforcement", include_in_schema=False)


@router.get("", response_class=HTMLResponse)
def enforcement(request: Request, seller_id: SellerId, filed: str = "") -> Response:
    c = container(request)
    cases = [seller_case_public(x) for x in seller_cases(c.engine, seller_id)]
    return render(
        request,
        "seller/enforcement.html",
        seller=reads.seller_summary(c.engine, seller_id),
        section="enforcement",
        cases=cases,
        filed=filed,
    )


@router.post("/{case_id}/appeal")
def appeal(
    request: Request,
    seller_id: SellerId,
    case_id: str,
    statement: Annotated[str, Form(min_length=10, max_length=4000)],
) -> Response:
    c = container(request)
    try:
        seller_case(c.engine, seller_id, case_id)
        out = c.bus.handle(FileAppeal(case_id, seller_id, statement))
    except TradewindError as exc:
        return domain_error(request, exc)
    if request.headers.get("HX-Request") == "true":
        return render(
            request,
            "seller/enforcement_case.html",
            case=seller_case_public(out.case),
            filed=case_id,
        )
    return redirect("/seller/enforcement", filed=case_id)
