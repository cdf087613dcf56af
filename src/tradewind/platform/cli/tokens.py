"""``tradewind tokens ...``: rotate, revoke and list the bearer tokens of sellers, customers and
operators.

Only a token's SHA-256 digest is stored, so ``rotate`` prints the new token once (keep it);
the previous token stops working as the command commits. ``revoke`` leaves the subject without
a token (the API answers 401) until the next ``rotate``. ``list`` shows who holds a token and
when it was created, rotated or revoked, never a token or a digest.
Errors print ``error [code]: detail`` (or ``{"error": ...}`` with ``--json``) and exit 2.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import typer
from rich.table import Table
from sqlalchemy import Engine

from tradewind.platform.cli.output import console, domain_error, emit
from tradewind.platform.db.engine import make_engine
from tradewind.platform.db.tokens import list_tokens, revoke, rotate
from tradewind.platform.settings import get_settings
from tradewind.shared.errors import TradewindError

app = typer.Typer(
    help="Bearer tokens of sellers, customers and operators: rotate, revoke, list.",
    no_args_is_help=True,
)

KIND_HELP = "seller, customer or operator (only needed when two kinds share the id)"
R = TypeVar("R")


def _run(work: Callable[[Engine], R], as_json: bool) -> R:
    """Run ``work`` on an engine for the configured database; a domain error exits 2."""
    engine = make_engine(get_settings().database_url)
    try:
        return work(engine)
    except TradewindError as exc:
        raise domain_error(exc, as_json) from None
    finally:
        engine.dispose()


@app.callback()
def _group() -> None:
    """Token commands."""


@app.command("rotate")
def rotate_command(
    subject: str = typer.Option(..., "--subject", help="seller, customer or operator id"),
    kind: str | None = typer.Option(None, "--kind", help=KIND_HELP),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Issue a new token and print it once; the old one stops working at once."""
    done = _run(lambda e: rotate(e, subject, kind=kind), as_json)
    emit(
        {
            "kind": done.kind,
            "subject_id": done.subject_id,
            "token": done.token,
            "rotated_at": done.rotated_at.isoformat(),
        },
        as_json=as_json,
        title="token rotated (shown once: only its hash is stored)",
    )


@app.command("revoke")
def revoke_command(
    subject: str = typer.Option(..., "--subject", help="seller, customer or operator id"),
    kind: str | None = typer.Option(None, "--kind", help=KIND_HELP),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Revoke the subject's token: it can no longer authenticate (401) until a rotation."""
    done = _run(lambda e: revoke(e, subject, kind=kind), as_json)
    emit(done, as_json=as_json, title="token revoked")


@app.command("list")
def list_command(
    kind: str | None = typer.Option(None, "--kind", help="only sellers, customers or operators"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Subjects with a token (or a revoked one): kind, status, created/rotated/revoked times."""
    rows = _run(lambda e: list_tokens(e, kind), as_json)
    if as_json:
        emit(rows, as_json=True)
        return
    table = Table(title=f"tokens ({len(rows)})")
    for col in ("kind", "subject_id", "status", "created_at", "rotated_at", "revoked_at"):
        table.add_column(col)
    for r in rows:
        table.add_row(*("" if r[k] is None else str(r[k]) for k in r))
    console.print(table)
