"""HS 2022 nomenclature, category -> HS mapping and ad valorem duty tables by HS prefix.

The nomenclature is the public-domain ``datasets/harmonized-system`` CSV (see
``data/HS2022_PROVENANCE.md``), read lazily from a gzip file inside the package.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from tradewind.customs.errors import RuleDataInvalid, UnknownCategory, UnknownHsCode
from tradewind.customs.model import Citation

_DATA = "tradewind.customs.data"


@dataclass(frozen=True, slots=True)
class HsEntry:
    code: str
    description: str
    parent: str
    level: int
    section: str


@dataclass(frozen=True, slots=True)
class Nomenclature:
    """Chapters (2), headings (4) and subheadings (6) of HS 2022, keyed by code."""

    entries: Mapping[str, HsEntry]

    def normalize(self, code: str) -> str:
        """Strip dots/spaces; accept 6, 8 or 10 digits; the first 6 must be a real subheading."""
        digits = code.replace(".", "").replace(" ", "").strip()
        if not digits.isdigit() or len(digits) not in (6, 8, 10):
            raise UnknownHsCode(f"HS code must be 6, 8 or 10 digits, got {code!r}")
        if digits[:6] not in self.entries:
            raise UnknownHsCode(f"{digits[:6]} is not an HS 2022 subheading")
        return digits

    def get(self, code: str) -> HsEntry:
        return self.entries[self.normalize(code)[:6]]

    def chapter(self, code: str) -> HsEntry:
        return self.entries[self.normalize(code)[:2]]


@lru_cache(maxsize=1)
def nomenclature() -> Nomenclature:
    """Parse the vendored gzip CSV once (about 7,000 rows)."""
    blob = resources.files(_DATA).joinpath("hs2022.csv.gz").read_bytes()
    text = gzip.decompress(blob).decode("utf-8-sig")
    entries: dict[str, HsEntry] = {}
    for row in csv.DictReader(io.StringIO(text)):
        if row["section"] == "TOTAL":
            continue  # UN Comtrade's "99 not specified" pseudo-chapter is not HS
        entries[row["hscode"]] = HsEntry(
            code=row["hscode"],
            description=row["description"],
            parent=row["parent"],
            level=int(row["level"]),
            section=row["section"],
        )
    if len(entries) < 5000:
        raise RuleDataInvalid("hs2022.csv.gz looks truncated")
    return Nomenclature(entries=entries)


def _read_json(name: str) -> dict[str, Any]:
    raw = resources.files(_DATA).joinpath(name).read_text("utf-8")
    doc = json.loads(raw)
    if not isinstance(doc, dict):
        raise RuleDataInvalid(f"{name} must hold a JSON object")
    return doc


@lru_cache(maxsize=1)
def category_map() -> Mapping[str, str]:
    """Marketplace category id -> default HS subheading."""
    return {str(k): str(v) for k, v in _read_json("category_hs.json")["categories"].items()}


def hs_for_category(category: str) -> str:
    """Default HS code for a catalog category (a seller's own code should win)."""
    try:
        return category_map()[category]
    except KeyError:
        raise UnknownCategory(f"no HS mapping for category {category!r}") from None


@dataclass(frozen=True, slots=True)
class DutyTable:
    """Ad valorem duty (basis points) for one destination, by longest HS prefix."""

    key: str
    default_bps: int
    lines: Mapping[str, int]
    citation: Citation

    def rate_for(self, hs_code: str) -> tuple[int, str]:
        """Return ``(bps, matched_prefix)``; the prefix is ``"default"`` when none matched."""
        for size in (6, 4, 2):
            prefix = hs_code[:size]
            if prefix in self.lines:
                return self.lines[prefix], prefix
        return self.default_bps, "default"


@lru_cache(maxsize=1)
def duty_tables() -> Mapping[str, DutyTable]:
    doc = _read_json("duty_rates.json")
    out: dict[str, DutyTable] = {}
    try:
        for key, t in doc["tables"].items():
            c = t["citation"]
            out[key] = DutyTable(
                key=key,
                default_bps=int(t["default_bps"]),
                lines={str(k): int(v) for k, v in t["lines"].items()},
                citation=Citation(c["title"], c["url"], bool(c["verified"]), c.get("note", "")),
            )
    except (KeyError, TypeError, ValueError) as exc:
        raise RuleDataInvalid(f"duty_rates.json is malformed: {exc!r}") from exc
    return out


_EU = frozenset({"DE", "FR", "IT", "ES", "NL"})


def duty_table_for(destination: str) -> DutyTable:
    """The destination's table; EU members share the Common Customs Tariff."""
    key = "EU" if destination in _EU else destination
    try:
        return duty_tables()[key]
    except KeyError:
        raise RuleDataInvalid(f"no duty table for {destination}") from None
