"""Country groups the contexts share (ISO 3166-1 alpha-2)."""

from __future__ import annotations

# The 27 member states of the European Union (VAT and customs union), as of 2026.
EU_MEMBER_STATES = frozenset({"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR",
                              "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL",
                              "PT", "RO", "SE", "SI", "SK"})  # fmt: skip
