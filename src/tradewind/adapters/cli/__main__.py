"""``python -m tradewind.adapters.cli`` runs the CLI (used by tests and scripts)."""

from tradewind.adapters.cli.main import app

app()
