"""``tradewind track ORDER_ID`` and ``tradewind epcis ...``: EPCIS tracking on the command line.

``track_command`` is registered on the root app as ``track``; ``epcis_app`` as ``epcis``
(``export`` the validated EPCIS 2.0 document of an order, ``where`` every unit of a SKU is,
what happened ``at`` a location in a time window).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.table import Table
from sqlalchemy.exc import OperationalError, ProgrammingError

from tradewind.bootstrap import bootstrap
from tradewind.platform.cli.output import console, err_console
from tradewind.shared.errors import TradewindError
from tradewind.tracking.identifiers import Gtin
from tradewind.tracking.jsonld import event_to_jsonld, format_time
from tradewind.tracking.model import EpcisEvent
from tradewind.tracking.queries import Whereabouts
from tradewind.tracking.services import TrackingService

epcis_app = typer.Typer(
    help="EPCIS 2.0 events: export an order's document, trace queries.", no_args_is_help=True
)

JsonOption = Annotated[bool, typer.Option("--json", help="print JSON instead of a table")]


@contextmanager
def _tracking() -> Iterator[TrackingService]:
    """The container's TrackingService (the configured database); domain errors exit with
    code 1."""
    c = bootstrap()
    try:
        yield c.tracking
    except TradewindError as exc:
        _fail(exc)
    except (OperationalError, ProgrammingError) as exc:  # e.g. not migrated to 0002 yet
        err_console.print(f"[red]error[/] database: {exc.orig}", highlight=False)
        err_console.print("hint: run `tradewind db upgrade`", highlight=False)
        raise typer.Exit(1) from None
    finally:
        c.engine.dispose()


def _fail(exc: TradewindError) -> NoReturn:
    err_console.print(f"[red]error[/] {exc.code}: {exc.detail}", highlight=False)
    for error in exc.errors[:20]:
        err_console.print(f"  {error}", highlight=False)
    raise typer.Exit(1)


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def track_command(
    order_id: Annotated[str, typer.Argument(help="order id, e.g. from `orders list`")],
    as_json: JsonOption = False,
) -> None:
    """An order's chain of custody: every EPCIS event of its units and packages, in time order
    (with the containers and trailers they travelled in)."""
    with _tracking() as tracking:
        events = tracking.order_events(order_id)
    if as_json:
        _print_json(
            {
                "order_id": order_id,
                "events": [event_to_jsonld(e, with_context=True) for e in events],
            }
        )
        return
    console.print(_events_table(f"Tracking of order {order_id}", events))


@epcis_app.command("export")
def export(
    order: Annotated[str, typer.Option("--order", help="order id")],
    out: Annotated[
        Path | None, typer.Option("--out", help="write to this file (default: stdout)")
    ] = None,
) -> None:
    """The order's events as an EPCIS 2.0 JSON-LD document, validated against GS1's schema."""
    with _tracking() as tracking:
        document = tracking.order_document(order)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if out is None:
        print(text, end="")
        return
    out.write_text(text, encoding="utf-8")
    count = len(document["epcisBody"]["eventList"])
    err_console.print(f"wrote {count} events of order {order} to {out}", highlight=False)


@epcis_app.command("where")
def where(
    gtin: Annotated[str, typer.Option("--gtin", help="GTIN-14 of the item (SKU)")],
    prefix_length: Annotated[
        int, typer.Option(min=6, max=12, help="GS1 company prefix length of the GTIN")
    ] = 6,
    as_json: JsonOption = False,
) -> None:
    """Where every serialised unit of an item is now (last custody event of each)."""
    with _tracking() as tracking:
        item = Gtin.from_gtin14(gtin, prefix_length)
        units = tracking.units_of(item)
    rows = [_whereabouts_json(w) for w in units.values()]
    if as_json:
        _print_json({"gtin": gtin, "epc_class": item.epc_class, "units": rows})
        return
    table = Table(title=f"Units of {item.epc_class} ({len(rows)})")
    for column in ("epc", "location", "last seen at", "disposition", "in", "since"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            row["epc"],
            row["location"] or "(in transit)",
            row["read_point"] or "",
            _short(row["disposition"]),
            " < ".join(row["carriers"]),
            row["event_time"],
        )
    console.print(table)


@epcis_app.command("at")
def at(
    location: Annotated[str, typer.Option("--location", help="SGLN, urn:epc:id:sgln:...")],
    start: Annotated[str, typer.Option("--from", help="ISO 8601 with offset, inclusive")],
    end: Annotated[str, typer.Option("--to", help="ISO 8601 with offset, exclusive")],
    as_json: JsonOption = False,
) -> None:
    """Events read at or placed in a location with FROM <= eventTime < TO."""
    begin, finish = _aware(start, "--from"), _aware(end, "--to")
    with _tracking() as tracking:
        events = tracking.events_at(location, begin, finish)
    if as_json:
        _print_json(
            {
                "location": location,
                "from": format_time(begin),
                "to": format_time(finish),
                "events": [event_to_jsonld(e, with_context=True) for e in events],
            }
        )
        return
    console.print(_events_table(f"Events at {location}", events))


def _aware(text: str, option: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        err_console.print(f"[red]error[/] {option} needs an ISO 8601 time with an offset or Z")
        raise typer.Exit(2)
    return moment


def _whereabouts_json(w: Whereabouts) -> dict[str, Any]:
    return {
        "epc": w.epc,
        "location": w.location,
        "read_point": w.event.read_point,
        "disposition": w.disposition,
        "carriers": list(w.carriers),
        "event_time": format_time(w.event.event_time),
        "biz_step": w.event.biz_step,
        "event_id": w.event.event_id,
    }


def _events_table(title: str, events: list[EpcisEvent]) -> Table:
    table = Table(title=f"{title} ({len(events)} events)")
    for column in ("time (UTC)", "event", "step", "disposition", "where", "what"):
        table.add_column(column, overflow="fold")
    for event in events:
        jsonld = event_to_jsonld(event)
        where_ = event.biz_location or f"{event.read_point} (in transit)"
        table.add_row(
            jsonld["eventTime"],
            f"{event.event_type.removesuffix('Event')} {jsonld.get('action', '')}".strip(),
            _short(event.biz_step),
            _short(event.disposition),
            where_,
            _what(event, jsonld),
        )
    return table


def _what(event: EpcisEvent, jsonld: dict[str, Any]) -> str:
    if "parentID" in jsonld:
        children = ", ".join(jsonld.get("childEPCs", [])) or "(all)"
        return f"{jsonld['parentID']} <- {children}"
    return ", ".join(sorted(event.epcs()))


def _short(uri: str | None) -> str:
    """``https://ref.gs1.org/cbv/BizStep-packing`` -> ``packing``; Tradewind URIs alike."""
    if uri is None:
        return ""
    return uri.rsplit("/", 1)[-1].split("-", 1)[-1].rsplit(":", 1)[-1]


__all__ = ["epcis_app", "track_command"]
