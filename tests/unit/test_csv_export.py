"""CSV the server writes is safe to open in a spreadsheet (formula injection, CWE-1236)."""

import csv
import io
import re
from pathlib import Path

import tradewind
from tradewind.platform.web.csv_export import formula_safe, write_csv


def test_cells_a_spreadsheet_would_evaluate_are_quoted():
    """= + - @ tab CR at the start get a leading quote; other text and numbers stay as they are."""
    for bad in ("=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://e/")'):
        assert formula_safe(bad) == "'" + bad
    for fine in ("Widget", " =x", "1-2", "", "a=b"):
        assert formula_safe(fine) == fine
    assert formula_safe(-12.5) == -12.5 and formula_safe(None) is None


def test_write_csv_round_trips_the_quoted_text():
    """A title crafted as a formula is read back as text with its quote; the rest unchanged."""
    text = write_csv(["title", "price"], [['=cmd|" /C calc"!A0', -3], ["Widget, red", 5]])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["title", "price"], ['\'=cmd|" /C calc"!A0', "-3"], ["Widget, red", "5"]]


def test_no_csv_is_written_outside_the_safe_writer():
    """Every csv.writer / DictWriter in the package is in csv_export.py (add exports there)."""
    root = Path(tradewind.__file__).parent
    offenders = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if p.name != "csv_export.py" and re.search(r"csv\.(writer|DictWriter)\(", p.read_text())
    ]
    assert offenders == []
