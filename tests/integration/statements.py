"""Count the SQL statements a block of code sends (query budgets are assertions here)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event


class StatementCounter:
    """Counts statements executed on ``engine`` inside the ``with`` block. SQLite's explicit
    ``BEGIN`` is counted unless ``include_begin=False`` (PostgreSQL has no such statement)."""

    def __init__(self, engine: Engine, *, include_begin: bool = True) -> None:
        self.engine, self.n, self.include_begin = engine, 0, include_begin

    def __enter__(self) -> StatementCounter:
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if self.include_begin or not statement.startswith("BEGIN"):
            self.n += 1
