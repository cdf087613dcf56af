"""``tradewind db ...``: schema migrations."""

from __future__ import annotations

import typer

from tradewind.platform.cli.output import emit
from tradewind.platform.db.migrate import current_head, upgrade
from tradewind.platform.settings import get_settings

app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)


@app.command("upgrade")
def db_upgrade(
    revision: str = typer.Argument("head", help="target revision"),
    as_json: bool = typer.Option(False, "--json", help="print a JSON report"),
) -> None:
    """Apply migrations up to REVISION (default: head) on TRADEWIND_DATABASE_URL."""
    url = get_settings().database_url
    upgrade(url, revision)
    emit(
        {
            "database": _redact(url),
            "revision": current_head() if revision == "head" else revision,
            "status": "upgraded",
        },
        as_json=as_json,
    )


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
