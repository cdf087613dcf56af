"""Shared CLI output helpers: one place decides between --json and rich tables."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from tradewind.shared.errors import TradewindError, ValidationFailed

console = Console()
err_console = Console(stderr=True)


def emit(data: dict[str, Any] | list[Any], *, as_json: bool, title: str = "") -> None:
    """Print ``data`` as JSON on stdout, or as a readable table."""
    if as_json:
        print(json.dumps(data, indent=2, sort_keys=False, default=str))
        return
    if isinstance(data, list):
        console.print_json(json.dumps(data, default=str))
        return
    table = Table(title=title or None, show_header=True)
    table.add_column("key")
    table.add_column("value", overflow="fold")
    for key, value in data.items():
        table.add_row(
            str(key), json.dumps(value, default=str) if not isinstance(value, str) else value
        )
    console.print(table)


def domain_error(exc: TradewindError, as_json: bool) -> typer.Exit:
    """Print a domain error (its stable code, detail and field errors) on stderr, as JSON with
    ``--json``; the caller raises the returned exit (status 2)."""
    if as_json:
        payload = {"code": str(exc.code), "detail": exc.detail, "errors": exc.errors}
        err_console.print(
            json.dumps({"error": payload}), highlight=False, markup=False, soft_wrap=True
        )
    else:
        err_console.print(f"error [{exc.code}]: {exc.detail}", highlight=False, markup=False)
    return typer.Exit(code=2)


def parse_when(text: str, option: str, *, end_of_day: bool = False) -> datetime:
    """An ISO date (start or end of that UTC day) or datetime (naive means UTC)."""
    try:
        if len(text.strip()) == 10:
            day = date.fromisoformat(text.strip())
            moment = time(23, 59, 59) if end_of_day else time(0, 0)
            return datetime.combine(day, moment, tzinfo=UTC)
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationFailed(
            f"{option} must be an ISO date or datetime, got {text!r}",
            errors=[{"field": option, "value": text}],
        ) from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
