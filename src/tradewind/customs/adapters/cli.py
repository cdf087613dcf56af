"""``tradewind customs ...``: landed-cost quotes from the command line.

Parses decimal strings exactly into minor units (no floats), builds a
:class:`~tradewind.customs.model.QuoteRequest` and renders the quote. Bad input prints a
coded error on stderr, exits with status 2 and prints no quote.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, NoReturn

import typer

from tradewind.customs.api import QuoteLine, QuoteRequest, quote_landed_cost, quote_to_dict
from tradewind.customs.errors import InvalidDate
from tradewind.customs.fx import default_fx_book
from tradewind.platform.cli.output import domain_error, emit, err_console
from tradewind.shared.clock import SystemClock
from tradewind.shared.errors import TradewindError

app = typer.Typer(
    help="Customs: landed cost (duty, VAT/GST, fees) for cross-border orders.",
    no_args_is_help=True,
)


@app.callback()
def _group() -> None:
    """Customs commands (a callback keeps ``quote`` a sub-command when run standalone)."""


def _parse_date(text: str | None) -> date:
    if text is None:
        return SystemClock().now().date()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidDate(f"--date must be YYYY-MM-DD, got {text!r}") from None


def build_request(
    *,
    origin: str,
    dest: str,
    hs: str,
    value: str,
    currency: str,
    shipping: str = "0",
    on: str | None = None,
    region: str | None = None,
) -> QuoteRequest:
    """Turn CLI strings into a request; raises a coded customs error on bad input."""
    fx = default_fx_book()
    cur = currency.strip().upper()
    return QuoteRequest(
        origin=origin.strip().upper(),
        destination=dest.strip().upper(),
        lines=(QuoteLine(hs_code=hs, value=fx.parse(value, cur)),),
        shipping=fx.parse(shipping, cur),
        on=_parse_date(on),
        region=region.strip().upper() if region else None,
    )


@app.command("quote")
def quote(
    origin: Annotated[str, typer.Option("--origin", help="ISO country the parcel ships from")],
    dest: Annotated[str, typer.Option("--dest", help="ISO destination country")],
    hs: Annotated[str, typer.Option("--hs", help="HS code, 6 to 10 digits")],
    value: Annotated[str, typer.Option("--value", help="goods value, e.g. 45.00")],
    currency: Annotated[str, typer.Option("--currency", help="ISO currency of the amounts")],
    shipping: Annotated[str, typer.Option("--shipping", help="shipping charged")] = "0",
    on: Annotated[str | None, typer.Option("--date", help="quote date YYYY-MM-DD")] = None,
    region: Annotated[str | None, typer.Option("--region", help="province/state")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Quote duty, import VAT/GST and fees in the destination currency."""
    try:
        request = build_request(
            origin=origin,
            dest=dest,
            hs=hs,
            value=value,
            currency=currency,
            shipping=shipping,
            on=on,
            region=region,
        )
        result = quote_landed_cost(request)
    except TradewindError as exc:
        _fail(exc, json_output)
    data = quote_to_dict(result)
    data["date"] = request.on.isoformat()
    if not json_output:
        data["rules"] = "\n".join(f"{r['id']}: {r['detail']}" for r in data["rules"])
    emit(data, as_json=json_output, title=f"Landed cost {request.origin} -> {request.destination}")


@app.command("declaration")
def declaration(
    shipment: Annotated[str, typer.Option("--shipment", help="shipment id of a seller parcel")],
    json_output: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """The CN23 / EU H7 declaration of a stored cross-border parcel and its risk score."""
    from tradewind.bootstrap import bootstrap
    from tradewind.customs.adapters.declarations import declaration_for

    try:
        data = declaration_for(bootstrap().engine, shipment)
    except TradewindError as exc:
        _fail(exc, json_output)
    emit(data, as_json=json_output, title=f"Declaration of {shipment}")


@app.command("screen")
def screen(
    name: Annotated[str, typer.Option("--name", help="party name to screen")],
    list_file: Annotated[
        str | None,
        typer.Option(
            "--list",
            help="consolidated screening list CSV (e.g. the US CSL download); "
            "default: the small fictitious sample shipped with the package",
        ),
    ] = None,
    threshold: Annotated[float, typer.Option(min=0.5, max=1.0, help="match score")] = 0.8,
    json_output: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Fuzzy denied-party screening of one name."""
    from pathlib import Path

    from tradewind.customs.adapters.name_similarity import load_csl_csv, sample_screening_list

    if list_file is not None and not Path(list_file).is_file():
        err_console.print(f"error [not_found]: no screening list at {list_file}", markup=False)
        raise typer.Exit(code=2)
    listing = (
        load_csl_csv(Path(list_file).read_text("utf-8")) if list_file else sample_screening_list()
    )
    hits = listing.screen(name, threshold=threshold)
    data = {
        "name": name,
        "threshold": threshold,
        "list": list_file or "sample (fictitious)",
        "hits": [
            {
                "id": h.party.id,
                "party": h.party.name,
                "matched_name": h.matched_name,
                "score": h.score,
                "source": h.party.source,
            }
            for h in hits
        ],
    }
    emit(data, as_json=json_output, title=f"Screening {name!r}")


def _fail(exc: TradewindError, json_output: bool) -> NoReturn:
    raise domain_error(exc, json_output) from None
