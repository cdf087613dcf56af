"""Operations console: test buys. The offers the follow-sell policy wants test-bought (scored
on the stored offers when the page is asked for; no case is opened by looking) with a form to
record what inspection found, and the latest recorded results. Recording scores the offer
again at once: an item that failed inspection opens a case that suppresses the offer, and the
page goes to it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from tradewind.governance.adapters.routes import local_only
from tradewind.governance.adapters.scan import wanted_test_buys
from tradewind.governance.adapters.test_buys import recent_test_buys, record_test_buy
from tradewind.governance.detectors.follow_sell import InspectionResult
from tradewind.platform.web.pages_common import (
    OperatorId,
    container,
    domain_error,
    redirect,
    render,
)
from tradewind.shared.errors import TradewindError

router = APIRouter(
    prefix="/ops/test-buys", include_in_schema=False, dependencies=[Depends(local_only)]
)


@router.get("", response_class=HTMLResponse)
def test_buys_page(request: Request, operator: OperatorId, saved: str = "") -> Response:
    c = container(request)
    return render(
        request,
        "ops/test_buys.html",
        wanted=wanted_test_buys(c.engine, c.clock),
        recent=recent_test_buys(c.engine),
        results=[r.value for r in InspectionResult],
        operator=operator,
        saved=saved,
    )


@router.post("")
def record(
    request: Request,
    operator: OperatorId,
    offer_id: Annotated[str, Form(max_length=40)],
    result: Annotated[str, Form(max_length=20)],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    c = container(request)
    try:
        out = record_test_buy(c.engine, c.clock, offer_id, result, operator, note)
    except TradewindError as exc:
        return domain_error(request, exc)
    c.reindex_products(out.scan.products)
    if out.case_id:
        return redirect(f"/ops/cases/{out.case_id}", saved=f"test buy {out.result.value}")
    return redirect("/ops/test-buys", saved=f"{offer_id}: {out.result.value}")
