"""``tradewind inbound ...``: FBA inbound plans, receiving and transfer proposals.

``plan`` reads a CSV with a header row and the columns ``product_id,units``. Every bad row is
reported with its line number (the header is line 1) and nothing is applied. Errors print
``error [code]: detail`` (or a JSON ``{"error": ...}`` with ``--json``) on stderr and exit 2.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import typer

from tradewind.adapters.cli.output import emit, err_console
from tradewind.adapters.db.inbound_repository import load_plan, transfer_report
from tradewind.adapters.inbound_wiring import wire_inbound
from tradewind.bootstrap import Container, bootstrap
from tradewind.fulfillment.inbound import InvalidInboundPlan
from tradewind.fulfillment.inbound_public import plan_public
from tradewind.fulfillment.inbound_services import CreateInboundPlan, ReceiveInbound
from tradewind.shared.errors import TradewindError

app = typer.Typer(help="FBA inbound: placement plans, receiving, transfers.", no_args_is_help=True)


@app.callback()
def _group() -> None:
    """Inbound commands."""


def _container() -> Container:
    c = bootstrap()
    wire_inbound(c)  # no-op once bootstrap wires inbound
    return c


def read_plan_csv(path: Path) -> tuple[tuple[str, int], ...]:
    """``(product_id, units)`` rows; raises ``InvalidInboundPlan`` naming every bad line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidInboundPlan(f"cannot read {path}: {exc.strerror}") from None
    reader = csv.DictReader(text.splitlines())
    cols = {c.strip() for c in reader.fieldnames or []}
    if not {"product_id", "units"} <= cols:
        raise InvalidInboundPlan(
            "the CSV needs a header row with the columns product_id,units",
            errors=[{"field": "row 1", "reason": "missing product_id or units column"}],
        )
    rows: list[tuple[str, int]] = []
    errors: list[dict[str, Any]] = []
    seen: set[str] = set()
    for n, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}
        pid, units = row.get("product_id", ""), row.get("units", "")
        if not pid and not units:
            continue  # a blank line
        if not pid:
            errors.append({"field": f"row {n}", "reason": "product_id is empty"})
        elif pid in seen:
            errors.append({"field": f"row {n}", "reason": f"product {pid} appears twice"})
        if not units.isdigit() or int(units) <= 0:
            errors.append({"field": f"row {n}", "reason": f"units must be > 0, got {units!r}"})
        if pid and units.isdigit() and int(units) > 0 and pid not in seen:
            rows.append((pid, int(units)))
        seen.add(pid)
    if not rows and not errors:
        errors.append({"field": "file", "reason": "no data rows"})
    if errors:
        detail = "; ".join(f"{e['field']}: {e['reason']}" for e in errors)
        raise InvalidInboundPlan(f"bad plan file ({detail}); nothing applied", errors=errors)
    return tuple(rows)


def _fail(exc: TradewindError, as_json: bool) -> typer.Exit:
    if as_json:
        payload = {"code": str(exc.code), "detail": exc.detail, "errors": exc.errors}
        err_console.print(
            json.dumps({"error": payload}), highlight=False, markup=False, soft_wrap=True
        )
    else:
        err_console.print(f"error [{exc.code}]: {exc.detail}", highlight=False, markup=False)
    return typer.Exit(code=2)


@app.command("plan")
def plan(
    seller: str = typer.Option(..., "--seller", help="seller id"),
    file: Path = typer.Option(..., "--file", help="CSV with columns product_id,units"),
    destinations: int | None = typer.Option(
        None, "--destinations", min=1, help="most FCs you accept (fewer: placement fee)"
    ),
    site: str | None = typer.Option(None, "--site", help="site id (default: from your offers)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Create an inbound plan: placement over FCs and the placement-fee trade-off."""
    try:
        lines = read_plan_csv(file)
        c = _container()
        plan_id = c.bus.handle(
            CreateInboundPlan(seller, lines, site_id=site, destinations=destinations)
        )
    except TradewindError as exc:
        raise _fail(exc, as_json) from None
    found = load_plan(c.engine, plan_id)
    assert found is not None
    emit(plan_public(found), as_json=as_json, title=f"Inbound plan {plan_id}")


@app.command("receive")
def receive(
    plan_id: str = typer.Option(..., "--plan", help="inbound plan id"),
    fc: str | None = typer.Option(None, "--fc", help="FC the units arrived at (default: all)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Operator: the plan's expected units arrive (at one FC or all) and become sellable."""
    try:
        c = _container()
        receipts = c.bus.handle(ReceiveInbound(plan_id, fc))
    except TradewindError as exc:
        raise _fail(exc, as_json) from None
    found = load_plan(c.engine, plan_id)
    assert found is not None
    data = plan_public(found)
    data["receipts"] = [
        {"fc_id": r.fc_id, "sku": r.sku, "units": r.units, "over": r.over, "short": r.short}
        for r in receipts
    ]
    emit(data, as_json=as_json, title=f"Received {plan_id}")


@app.command("transfers")
def transfers(
    site: str = typer.Option(..., "--site", help="site id, e.g. US"),
    cover_days: float = typer.Option(14.0, "--cover-days", min=0.1),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Transfer and 1P replenishment proposals where a region runs short (read only)."""
    emit(transfer_report(bootstrap().engine, site, cover_days), as_json=as_json)
