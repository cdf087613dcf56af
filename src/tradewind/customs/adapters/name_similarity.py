"""RapidFuzz scoring for denied-party screening (the customs ``NameSimilarity`` port).

``fuzz.ratio`` is the normalised Indel similarity, 2·M / (|a| + |b|) with M the longest common
subsequence: the same formula as :meth:`difflib.SequenceMatcher.ratio`, which this replaced,
except that difflib's M (Ratcliff-Obershelp blocks) can be shorter than the LCS, so a score can
only stay equal or rise (on the shipped sample the hits and their scores are unchanged). Word
order does not matter: the token-sorted ratio is scored too and the better one kept.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from tradewind.customs import screening
from tradewind.customs.screening import ScreeningList


def rapidfuzz_similarity(a: str, b: str, cutoff: float) -> float:
    """Best of the plain and the token-sorted ratio in 0..1; 0 below ``cutoff``."""
    floor = cutoff * 100
    best = fuzz.ratio(a, b, score_cutoff=floor)
    return max(best, fuzz.token_sort_ratio(a, b, score_cutoff=floor)) / 100


def sample_screening_list() -> ScreeningList:
    """The fictitious sample list shipped with the package, scored by RapidFuzz."""
    return screening.sample_screening_list(rapidfuzz_similarity)


def load_csl_csv(text: str) -> ScreeningList:
    """A Consolidated Screening List CSV, scored by RapidFuzz."""
    return screening.load_csl_csv(text, rapidfuzz_similarity)
