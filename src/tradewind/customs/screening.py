"""Denied-party screening: fuzzy name matching against a screening list.

Ships a tiny fictitious sample (``data/denied_parties_sample.csv``) and a loader for the
US Consolidated Screening List CSV (columns ``source, name, alt_names, addresses, ...``;
aliases separated by ``;``) that the operator downloads from trade.gov. Names are
normalised here (case, accents, punctuation, legal suffixes); the fuzzy score of two normalised
names is a :class:`NameSimilarity` port, supplied by the RapidFuzz adapter
(``tradewind.customs.adapters.name_similarity``) so this module stays stdlib-only.
A hit is a reason to hold and review, never an automatic legal determination.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Protocol

from tradewind.customs.errors import ScreeningListInvalid

_SUFFIXES = frozenset({"co", "company", "corp", "corporation", "inc", "llc", "ltd", "limited",
                       "gmbh", "sa", "sarl", "srl", "spa", "bv", "nv", "plc", "ag", "oy", "ab",
                       "pte", "pty", "jsc", "ooo", "oao", "the"})  # fmt: skip
DEFAULT_THRESHOLD = 0.88


def normalize_name(name: str) -> str:
    """Lower-case ASCII words without punctuation or legal-form suffixes."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace(".", "")  # "S.A." -> "sa", so abbreviated legal forms drop too
    text = "".join(c if c.isalnum() else " " for c in text)
    words = [w for w in text.split() if w not in _SUFFIXES]
    return " ".join(words)


class NameSimilarity(Protocol):
    """Similarity in 0..1 of two normalised names; any value below ``cutoff`` may be 0.

    The adapter scores the best of the plain and the token-sorted ratio (word order is not
    meaningful in a party's name)."""

    def __call__(self, a: str, b: str, cutoff: float) -> float: ...


@dataclass(frozen=True, slots=True)
class DeniedParty:
    id: str
    name: str
    alt_names: tuple[str, ...]
    source: str
    addresses: str = ""


@dataclass(frozen=True, slots=True)
class ScreeningHit:
    party: DeniedParty
    matched_name: str
    score: float


@dataclass(frozen=True, slots=True)
class ScreeningList:
    """A screening list with each party's names normalised once."""

    parties: tuple[DeniedParty, ...]
    similarity: NameSimilarity
    _names: tuple[tuple[DeniedParty, str, str], ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        names = tuple(
            (p, n, normalize_name(n)) for p in self.parties for n in (p.name, *p.alt_names) if n
        )
        object.__setattr__(self, "_names", names)

    def screen(self, name: str, threshold: float = DEFAULT_THRESHOLD) -> list[ScreeningHit]:
        """Hits at or above ``threshold`` (0..1), best first, one per listed party."""
        query = normalize_name(name)
        best: dict[str, ScreeningHit] = {}
        for party, raw, norm in self._names:
            score = 1.0 if norm == query else self._score(query, norm, threshold)
            if score >= threshold and (party.id not in best or best[party.id].score < score):
                best[party.id] = ScreeningHit(party, raw, round(score, 4))
        return sorted(best.values(), key=lambda h: (-h.score, h.party.id))

    def _score(self, query: str, name: str, threshold: float) -> float:
        return self.similarity(query, name, threshold) if query and name else 0.0


def load_csl_csv(text: str, similarity: NameSimilarity) -> ScreeningList:
    """Parse a Consolidated Screening List CSV (or the same columns in our sample)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if reader.fieldnames is None or "name" not in reader.fieldnames:
        raise ScreeningListInvalid("screening CSV needs at least a 'name' column")
    parties: list[DeniedParty] = []
    for n, row in enumerate(reader):
        name = (row.get("name") or "").strip()
        if not name:
            continue
        aliases = tuple(a.strip() for a in (row.get("alt_names") or "").split(";") if a.strip())
        parties.append(
            DeniedParty(
                id=(row.get("_id") or row.get("id") or f"row-{n + 1}").strip(),
                name=name,
                alt_names=aliases,
                source=(row.get("source") or "").strip(),
                addresses=(row.get("addresses") or "").strip(),
            )
        )
    return ScreeningList(tuple(parties), similarity)


@lru_cache(maxsize=4)
def sample_screening_list(similarity: NameSimilarity) -> ScreeningList:
    """The fictitious sample list shipped for tests and demos."""
    raw = resources.files("tradewind.customs.data").joinpath("denied_parties_sample.csv")
    return load_csl_csv(raw.read_text("utf-8"), similarity)
