"""``tradewind governance ...``: scan stored data for fraud and list the case queue.

``scan`` runs the detectors that work on stored data (seller tax IDs, follow-sell on
brand-registered products) and opens cases through the policy: a score never acts alone.
``operator-add`` creates a login for the case queue (pages and API); ``test-buy`` records an
inspected test buy of an offer the scan listed as wanting one.
Errors print ``error [code]: detail`` (or ``{"error": ...}`` with ``--json``) and exit 2.
"""

from __future__ import annotations

import typer

from tradewind.bootstrap import bootstrap
from tradewind.governance.adapters.case_repository import CaseFilter
from tradewind.governance.adapters.enforcement_public import case_public, case_queue, load_case
from tradewind.governance.adapters.scan import scan
from tradewind.platform.cli.output import console, domain_error, emit
from tradewind.shared.errors import TradewindError

app = typer.Typer(help="Governance: fraud scans, cases and enforcement.", no_args_is_help=True)


@app.callback()
def _group() -> None:
    """Governance commands."""


def _fail(exc: TradewindError, as_json: bool) -> typer.Exit:
    return domain_error(exc, as_json)


@app.command("scan")
def scan_command(as_json: bool = typer.Option(False, "--json")) -> None:
    """Score sellers' tax IDs and follow-sell offers; open the cases the rules propose."""
    c = bootstrap()
    try:
        report = scan(c.engine, c.clock)
    except TradewindError as exc:
        raise _fail(exc, as_json) from None
    c.reindex_products(report.products)
    data = report.public()
    if as_json:  # the offers to test-buy, highest score first (a count in the table)
        data["test_buys"] = report.test_buys
    emit(data, as_json=as_json, title="Governance scan")


@app.command("cases")
def cases_command(
    status: str | None = typer.Option(None, "--status", help="open, actioned, dismissed ..."),
    detector: str | None = typer.Option(None, "--detector", help="tax_id, follow_sell ..."),
    limit: int = typer.Option(50, "--limit", min=1, max=1000),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """The case queue, riskiest first."""
    c = bootstrap()
    page = case_queue(c.engine, CaseFilter(status=status, detector=detector, limit=limit))
    if as_json:
        emit(page, as_json=True)
        return
    from rich.table import Table

    table = Table(title=f"Cases ({page['count']})")
    for col in ("case", "detector", "subject", "score", "status", "appeal"):
        table.add_column(col)
    for r in page["data"]:
        table.add_row(
            r["case_id"], r["detector"], r["subject"], f"{r['score']:.2f}", r["status"], r["appeal"]
        )
    console.print(table)


@app.command("case")
def case_command(
    case_id: str = typer.Argument(..., help="case id"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """One case: evidence, actions, appeal and the audit trail (with chain verification)."""
    c = bootstrap()
    try:
        data = case_public(load_case(c.engine, case_id))
    except TradewindError as exc:
        raise _fail(exc, as_json) from None
    emit(data, as_json=as_json, title=f"Case {case_id}")


@app.command("operator-add")
def operator_add(
    operator_id: str = typer.Option(..., "--id", help="e.g. ops-alice"),
    name: str = typer.Option(..., "--name", help="the person's name, for the audit trail"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Create an operator of the case queue and print their token (shown once: only its hash
    is stored). The token logs in at /ops/login and authorises the /api/v1/ops/cases API."""
    from tradewind.governance.adapters.operators import add_operator

    try:
        token = add_operator(bootstrap().engine, operator_id, name)
    except TradewindError as exc:
        raise _fail(exc, as_json) from None
    emit({"operator_id": operator_id, "name": name.strip(), "token": token}, as_json=as_json)


@app.command("test-buy")
def test_buy(
    offer_id: str = typer.Option(..., "--offer", help="the offer the item was bought from"),
    result: str = typer.Option(
        ..., "--result", help="genuine, counterfeit, not_received or not_as_described"
    ),
    operator_id: str = typer.Option(..., "--operator", help="who inspected it (operator id)"),
    note: str = typer.Option("", "--note", help="what inspection found"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Record an inspected test buy (`governance scan` lists the offers that want one) and
    score the offer again: a failed item opens a follow-sell case that suppresses it."""
    from tradewind.governance.adapters.test_buys import record_test_buy

    c = bootstrap()
    try:
        out = record_test_buy(c.engine, c.clock, offer_id, result, operator_id, note)
    except TradewindError as exc:
        raise _fail(exc, as_json) from None
    c.reindex_products(out.scan.products)
    emit(out.public(), as_json=as_json, title="Test buy")
