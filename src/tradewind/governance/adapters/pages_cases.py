"""Operations console: the governance case queue and a case page with evidence, one-click
actions (HTMX posts that swap the case panel), the appeal decision and the audit trail with
its hash-chain check. Like the ops API, it answers only clients on this machine, and only to
a logged-in operator (``/ops/login`` with an operator token): the session says who acts."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from tradewind.catalog.adapters.pages import DEMO_CREDENTIALS
from tradewind.governance.adapters.case_repository import CaseFilter
from tradewind.governance.adapters.enforcement_public import (
    OPERATOR_ACTIONS,
    case_public,
    case_queue,
    load_case,
)
from tradewind.governance.adapters.routes import local_only
from tradewind.governance.case import ActionKind, CaseStatus
from tradewind.governance.scores import Detector
from tradewind.governance.services import (
    DecideAppeal,
    DismissCase,
    Outcome,
    TakeAction,
)
from tradewind.platform.web.pages_common import (
    OPERATOR_COOKIE,
    OperatorId,
    container,
    domain_error,
    log_in,
    log_out,
    redirect,
    render,
    safe_next,
)
from tradewind.platform.web.schemas import MAX_OFFSET
from tradewind.shared.errors import TradewindError

router = APIRouter(prefix="/ops/cases", include_in_schema=False, dependencies=[Depends(local_only)])
login_router = APIRouter(prefix="/ops", include_in_schema=False, dependencies=[Depends(local_only)])

ReasonField = Annotated[str, Form(min_length=3, max_length=2000)]


@login_router.get("/login", response_class=HTMLResponse)
def login_form(
    request: Request,
    error: str = "",
    next_url: Annotated[str, Query(alias="next")] = "",
) -> HTMLResponse:
    # Listing tokens is a demo convenience: only when started by ``tradewind demo`` (these
    # routes answer loopback clients only, and every local process is one of those).
    demo = []
    if container(request).settings.demo and DEMO_CREDENTIALS.exists():
        creds = json.loads(DEMO_CREDENTIALS.read_text())
        demo = sorted((who, tok) for who, tok in creds.items() if who.startswith("ops-"))
    back = safe_next(next_url) or ""  # where the login returns to (a same-site path only)
    return render(request, "ops/login.html", error=error, demo=demo, next_url=back)


@login_router.post("/login")
def login(
    request: Request,
    token: Annotated[str, Form(max_length=200)],
    next_url: Annotated[str, Form(alias="next", max_length=2000)] = "",
) -> Response:
    """Log in and go back to the page that asked for it (``next``, a same-site relative path;
    anything else is ignored), else the case queue."""
    return log_in(request, token, "operator", OPERATOR_COOKIE, "/ops/cases", "/ops/login", next_url)


@login_router.post("/logout")
def logout() -> Response:
    return log_out(OPERATOR_COOKIE, "/ops/login")


@router.get("", response_class=HTMLResponse)
def queue(
    request: Request,
    operator: OperatorId,
    status: str = "",
    detector: str = "",
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Response:
    page = case_queue(
        container(request).engine,
        CaseFilter(status or None, detector or None, None, 50, max(0, offset)),
    )
    return render(
        request,
        "ops/cases.html",
        page=page,
        status=status,
        detector=detector,
        offset=max(0, offset),
        statuses=[s.value for s in CaseStatus],
        detectors=[d.value for d in Detector],
        operator=operator,
    )


def _case_page(
    request: Request, case_id: str, operator: str, *, saved: str = "", status_code: int = 200
) -> Response:
    case = load_case(container(request).engine, case_id)
    partial = request.headers.get("HX-Request") == "true"
    return render(
        request,
        "ops/cases_panel.html" if partial else "ops/cases_detail.html",
        status_code=status_code,
        case=case_public(case),
        actions=[k.value for k in OPERATOR_ACTIONS],
        operator=operator,
        saved=saved,
    )


@router.get("/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, operator: OperatorId, case_id: str, saved: str = "") -> Response:
    try:
        return _case_page(request, case_id, operator, saved=saved)
    except TradewindError as exc:
        return domain_error(request, exc)


def _done(request: Request, case_id: str, outcome: Outcome, operator: str, saved: str) -> Response:
    if request.headers.get("HX-Request") == "true":
        return _case_page(request, case_id, operator, saved=saved)
    return redirect(f"/ops/cases/{case_id}", saved=saved)


@router.post("/{case_id}/actions")
def act(
    request: Request,
    case_id: str,
    operator: OperatorId,
    kind: Annotated[ActionKind, Form()],
    reason: ReasonField,
) -> Response:
    """One click: the action on its default target (the respondent or the case subject)."""
    c = container(request)
    try:
        out = c.bus.handle(TakeAction(case_id, kind, reason, operator))
    except TradewindError as exc:
        return domain_error(request, exc)
    return _done(request, case_id, out, operator, kind.value)


@router.post("/{case_id}/dismiss")
def dismiss(request: Request, operator: OperatorId, case_id: str, reason: ReasonField) -> Response:
    c = container(request)
    try:
        out = c.bus.handle(DismissCase(case_id, operator, reason))
    except TradewindError as exc:
        return domain_error(request, exc)
    return _done(request, case_id, out, operator, "dismissed")


@router.post("/{case_id}/appeal")
def decide(
    request: Request,
    case_id: str,
    operator: OperatorId,
    decision: Annotated[str, Form(pattern="^(uphold|overturn)$")],
    reason: ReasonField,
) -> Response:
    c = container(request)
    cmd = DecideAppeal(case_id, operator, decision == "overturn", reason)
    try:
        out = c.bus.handle(cmd)
    except TradewindError as exc:
        return domain_error(request, exc)
    return _done(request, case_id, out, operator, f"appeal {decision}")
