"""Load the vendored rule table (``data/rules.json``) into typed :class:`Rule` rows.

Loading happens on first use (never at import) and is cached; tests may build a
:class:`RuleBook` from their own rows to check that a threshold change is a data change.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

from tradewind.customs.errors import RuleDataInvalid, UnknownCountry, UnsupportedDestination
from tradewind.customs.fx import FxBook, default_fx_book
from tradewind.customs.model import Citation, Rule, RuleKind
from tradewind.shared.money import Money


def _country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes, kept as data so the domain needs no third-party package."""
    raw = resources.files("tradewind.customs.data").joinpath("countries.txt").read_text("utf-8")
    return frozenset(line.strip() for line in raw.splitlines() if line.strip())


@lru_cache(maxsize=1)
def iso_countries() -> frozenset[str]:
    return _country_codes()


def check_country(code: str) -> str:
    """Return the upper-cased ISO alpha-2 code, or raise :class:`UnknownCountry`."""
    norm = code.strip().upper()
    if norm not in iso_countries():
        raise UnknownCountry(f"unknown country code {code!r} (ISO 3166-1 alpha-2 expected)")
    return norm


@dataclass(frozen=True, slots=True)
class RuleBook:
    """All rule rows, indexed by destination country."""

    rules: tuple[Rule, ...]
    currencies: Mapping[str, str]
    _index: dict[str, tuple[Rule, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, list[Rule]] = {}
        for rule in self.rules:
            index.setdefault(rule.country, []).append(rule)
        object.__setattr__(self, "_index", {k: tuple(v) for k, v in index.items()})

    @property
    def destinations(self) -> tuple[str, ...]:
        return tuple(self.currencies)

    def currency_of(self, destination: str) -> str:
        check_country(destination)
        try:
            return self.currencies[destination]
        except KeyError:
            raise UnsupportedDestination(
                f"no customs rules for destination {destination!r}; supported: "
                + ", ".join(self.currencies)
            ) from None

    def in_force(self, destination: str, on: date) -> list[Rule]:
        """Rows for ``destination`` valid on ``on``, in file order."""
        return [r for r in self._index.get(destination, ()) if r.in_force(on)]


def _convert_params(value: Any, fx: FxBook) -> Any:
    """Turn ``{"amount": "3.00", "currency": "EUR"}`` leaves into Money, lists into tuples."""
    if isinstance(value, dict):
        if set(value) == {"amount", "currency"}:
            return fx.parse(str(value["amount"]), str(value["currency"]))
        return {str(k): _convert_params(v, fx) for k, v in value.items()}
    if isinstance(value, list):
        return tuple(_convert_params(v, fx) for v in value)
    return value


def parse_rules(doc: Mapping[str, Any], fx: FxBook) -> RuleBook:
    """Validate and expand a rules document (groups such as ``EU`` become member rows)."""
    groups: Mapping[str, list[str]] = doc.get("groups", {})
    rows: list[Rule] = []
    try:
        for row in doc["rules"]:
            kind = RuleKind(row["kind"])
            cit = row["citation"]
            citation = Citation(
                title=str(cit["title"]),
                url=str(cit["url"]),
                verified=bool(cit.get("verified", False)),
                note=str(cit.get("note", "")),
            )
            params = _convert_params(row.get("params", {}), fx)
            valid_to = date.fromisoformat(row["valid_to"]) if row.get("valid_to") else None
            for country in _expand(row["countries"], groups):
                rows.append(
                    Rule(
                        id=str(row["id"]),
                        country=country,
                        kind=kind,
                        valid_from=date.fromisoformat(row["valid_from"]),
                        valid_to=valid_to,
                        params=params,
                        citation=citation,
                    )
                )
        currencies = {str(k): str(v) for k, v in doc["currencies"].items()}
    except (KeyError, ValueError, TypeError) as exc:
        raise RuleDataInvalid(f"rules data is malformed: {exc!r}") from exc
    for r in rows:
        if r.valid_to is not None and r.valid_to < r.valid_from:
            raise RuleDataInvalid(f"rule {r.id} ends before it starts")
    return RuleBook(rules=tuple(rows), currencies=currencies)


def _expand(countries: Iterable[str], groups: Mapping[str, list[str]]) -> list[str]:
    out: list[str] = []
    for c in countries:
        out.extend(groups.get(c, [c]))
    return out


@lru_cache(maxsize=1)
def default_rule_book() -> RuleBook:
    """The vendored rule table, parsed once."""
    raw = resources.files("tradewind.customs.data").joinpath("rules.json").read_text("utf-8")
    return parse_rules(json.loads(raw), default_fx_book())


def money_param(rule: Rule, key: str) -> Money:
    value = rule.params[key]
    if not isinstance(value, Money):
        raise RuleDataInvalid(f"rule {rule.id}: {key} must be an amount")
    return value
