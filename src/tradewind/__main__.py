"""``python -m tradewind`` runs the CLI (used by tests and scripts)."""

from tradewind.platform.cli.main import app

app()
