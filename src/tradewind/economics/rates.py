"""Currency conversion for the reports in USD: the customs rate book at one pinned date.

There is one rate table and one conversion function in the platform
(``customs/fx.py``, data in ``customs/data/fx_rates.json``, dated, with its provenance);
this module only pins *which* dated table the KPIs use, so that reports are reproducible
whatever the order dates: the table in force on ``RATES_ON``, whose ``as_of``
(:func:`rates_as_of`) every report states as ``fx_rates_as_of``. Rounding is the book's one
rule: half up to the minor unit.

This module used to hold its own table (JPY 155 per USD, as of 2026-01-02, rounding
half to even); it disagreed with the customs table (JPY 151.72 per USD) and was retired.
"""

from __future__ import annotations

from datetime import date

from tradewind.customs.api import FxRateMissing, UnknownCurrency, default_fx_book
from tradewind.shared.money import Money

# The simulated world runs from 2026-12-01: its customs quotes use the 2026-11-02 table,
# and so do its reports.
RATES_ON = date(2026, 11, 2)


def rates_as_of() -> str:
    """The ``as_of`` date (ISO) of the table the reports convert with."""
    return default_fx_book().table_for(RATES_ON).as_of.isoformat()


def convert_minor(amount_minor: int, src: str, dst: str) -> int:
    """Convert ``amount_minor`` minor units of ``src`` into minor units of ``dst`` at the
    table in force on ``RATES_ON``, rounded half up. A currency without a rate or a known
    minor unit raises ``KeyError``."""
    try:
        return default_fx_book().convert(Money(amount_minor, src), dst, RATES_ON).amount
    except (FxRateMissing, UnknownCurrency) as exc:
        raise KeyError(f"no rate for {src} -> {dst}: {exc}") from exc
