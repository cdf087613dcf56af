"""``tradewind inbound ...``: FBA inbound plans, receiving and transfer proposals.

``plan`` reads a CSV with a header row and the columns ``product_id,units``. Every bad row is
reported with its line number (the header is line 1) and nothing is applied. The plan's
line-haul (one shipment per destination FC, from the seller's origin gateway, to arrive by
``--by``, at most 180 days ahead) is planned before anything is written, and the plan, its
stock and its containers (EPCIS events) are written together or not at all; ``linehaul``
shows it again (or with another promise) without recording. Limits (lines, units, promise,
time budget): ``fulfillment/inbound_limits.py``. Errors print
``error [code]: detail`` (or a JSON ``{"error": ...}`` with ``--json``) on stderr and exit 2.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from typing import Any

import typer

from tradewind.bootstrap import Container, bootstrap
from tradewind.fulfillment.adapters.inbound_repository import load_plan, transfer_report
from tradewind.fulfillment.adapters.inbound_wiring import wire_inbound
from tradewind.fulfillment.adapters.linehaul_planner import with_transfer_plans
from tradewind.fulfillment.inbound import InvalidInboundPlan
from tradewind.fulfillment.inbound_limits import MAX_COVER_DAYS, MAX_PROMISE, MIN_COVER_DAYS
from tradewind.fulfillment.inbound_linehaul import BookInboundPlan, PlanInboundLinehaul
from tradewind.fulfillment.inbound_public import linehaul_json, plan_public
from tradewind.fulfillment.inbound_services import CreateInboundPlan, ReceiveInbound
from tradewind.fulfillment.linehaul_port import DEFAULT_LEAD_TIME
from tradewind.platform.cli.output import console, domain_error, emit, parse_when
from tradewind.shared.errors import TradewindError
from tradewind.transport.linehaul import Criterion

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
    return domain_error(exc, as_json)


BY_HELP = (
    "promised arrival: ISO date (end of day UTC) or datetime "
    f"(default: {DEFAULT_LEAD_TIME.days} days after the plan is created; "
    f"at most {MAX_PROMISE.days})"
)


def _promise(by: str | None, c: Container) -> datetime | None:
    """``--by`` parsed; refused before anything is created when it is already past."""
    if by is None:
        return None
    when = parse_when(by, "--by", end_of_day=True)
    if when <= c.clock.now():
        raise InvalidInboundPlan(
            f"--by {when.isoformat()} is not in the future",
            errors=[{"field": "--by", "value": by}],
        )
    return when


@app.command("plan")
def plan(
    seller: str = typer.Option(..., "--seller", help="seller id"),
    file: Path = typer.Option(..., "--file", help="CSV with columns product_id,units"),
    destinations: int | None = typer.Option(
        None, "--destinations", min=1, help="most FCs you accept (fewer: placement fee)"
    ),
    site: str | None = typer.Option(None, "--site", help="site id (default: from your offers)"),
    by: str | None = typer.Option(None, "--by", help=BY_HELP),
    minimise: Criterion = typer.Option(Criterion.COST, "--minimise", help="cost or co2"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Create an inbound plan: placement over FCs, the placement-fee trade-off, and the
    line-haul of each shipment (legs, cost, CO2; containers recorded as EPCIS events)."""
    try:
        lines = read_plan_csv(file)
        c = _container()
        arrive_by = _promise(by, c)
        create = CreateInboundPlan(seller, lines, site_id=site, destinations=destinations)
        lh = c.bus.handle(BookInboundPlan(create, arrive_by, str(minimise)))
    except TradewindError as exc:
        raise _fail(exc, as_json) from None
    plan_id = lh.plan_id
    found = load_plan(c.engine, plan_id)
    assert found is not None
    data = {**plan_public(found), "linehaul": linehaul_json(lh)}
    _show(data, as_json, f"Inbound plan {plan_id}")


@app.command("linehaul")
def linehaul(
    plan_id: str = typer.Option(..., "--plan", help="inbound plan id"),
    by: str | None = typer.Option(None, "--by", help=BY_HELP),
    minimise: Criterion = typer.Option(Criterion.COST, "--minimise", help="cost or co2"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Show a plan's line-haul (from its creation time) for a promise; records nothing."""
    try:
        c = _container()
        arrive_by = parse_when(by, "--by", end_of_day=True) if by else None
        lh = c.bus.handle(PlanInboundLinehaul(plan_id, arrive_by, str(minimise), record=False))
    except TradewindError as exc:
        raise _fail(exc, as_json) from None
    _show({"plan_id": plan_id, "linehaul": linehaul_json(lh)}, as_json, f"Line-haul {plan_id}")


def _show(data: dict[str, Any], as_json: bool, title: str) -> None:
    if as_json:
        emit(data, as_json=True)
        return
    lh = data["linehaul"]
    emit({k: v for k, v in data.items() if k != "linehaul"}, as_json=False, title=title)
    console.print(
        f"line-haul from {lh['origin']}, arrive by {lh['arrive_by']}, minimising {lh['minimise']}",
        highlight=False,
        markup=False,
    )
    for s in lh["shipments"]:
        if s["status"] != "planned":
            miss = s["no_path"]
            console.print(
                f"  {s['shipment_id']}: no path [{miss['code']}] earliest "
                f"{miss['earliest_arrival']}",
                highlight=False,
                markup=False,
            )
            continue
        console.print(
            f"  {s['shipment_id']} ({s['kg']:g} kg): ${s['cost_cents'] / 100:,.2f}, "
            f"{s['co2_kg']:.1f} kg CO2e, arrives {s['arrival']}",
            highlight=False,
        )
        for leg in s["legs"]:
            console.print(
                f"    {leg['from']:>9} -> {leg['to']:<9} {leg['mode']:<5} "
                f"{leg['depart'][:16]} -> {leg['arrive'][:16]}",
                highlight=False,
                markup=False,
            )
    for x in lh["containers"]:
        console.print(
            f"  {x['unit_id']} {x['unit']} {x['from']}->{x['to']} {x['depart'][:16]}: "
            f"{len(x['shipments'])} shipment(s), {x['kg']:g} kg",
            highlight=False,
        )


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
    cover_days: float = typer.Option(14.0, "--cover-days", min=MIN_COVER_DAYS, max=MAX_COVER_DAYS),
    limit: int = typer.Option(1000, "--limit", min=1, max=1000, help="most proposals shown"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Transfer and 1P replenishment proposals where a region runs short (read only); each
    transfer carries its truck plan (cheapest path within the transfer lead time)."""
    c = bootstrap()
    report = transfer_report(c.engine, site, cover_days)
    emit(
        with_transfer_plans(report, c.linehaul_network(), c.engine, c.clock.now(), limit=limit),
        as_json=as_json,
    )
