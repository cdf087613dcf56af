"""Denied-party screening and clearance risk scoring."""

from __future__ import annotations

import pytest

from tradewind.customs.adapters.name_similarity import (
    load_csl_csv,
    rapidfuzz_similarity,
    sample_screening_list,
)
from tradewind.customs.declarations import (
    DeclarationInput,
    DeclarationItem,
    Party,
    build_declaration,
)
from tradewind.customs.errors import CustomsError, ScreeningListInvalid
from tradewind.customs.risk import (
    Recommendation,
    RiskReason,
    SenderHistory,
    assess_risk,
    chapters_for_description,
)
from tradewind.customs.screening import load_csl_csv as load_list_with
from tradewind.customs.screening import normalize_name
from tradewind.shared.money import Money

CSL_SNIPPET = (
    "_id,source,entity_number,type,programs,name,title,addresses,alt_names\n"
    "abc1,Entity List (EL) - Bureau of Industry and Security,,Entity,,"
    'Example Optics Limited,,"Room 1, Example Tower",Ex Optics; Example Optical Co\n'
)


def test_normalisation_drops_case_accents_punctuation_and_legal_forms() -> None:
    """'Société Générale S.A.' and 'societe generale' normalise alike."""
    assert normalize_name("Société Générale S.A.") == normalize_name("societe generale")


def test_fuzzy_match_on_sample_list() -> None:
    """Misspellings, reordered words and aliases hit; an unrelated name does not."""
    sample = sample_screening_list()
    assert sample.screen("Golden Fantom Industries")[0].party.id == "tw-sample-5"
    assert sample.screen("Examplov, Ivan Petrovich")[0].score == 1.0
    assert sample.screen("NW Shadow Trading Limited")[0].party.id == "tw-sample-1"
    assert sample.screen("Acme Widgets GmbH") == []


def test_rapidfuzz_scores_equal_the_difflib_ratios_they_replaced() -> None:
    """The RapidFuzz adapter keeps the difflib scores: 2*23/49 for "fantom" vs "phantom",
    the token-sorted ratio when words are reordered, 0 below the cutoff."""
    sample = sample_screening_list()
    assert sample.screen("Golden Fantom Industries")[0].score == 0.9388  # difflib: 0.93878
    assert sample.screen("Blue Lanterns Export")[0].score == 0.9744
    assert rapidfuzz_similarity("delta crimson", "crimson delta", 0.88) == 1.0
    assert rapidfuzz_similarity("acme widgets", "golden phantom", 0.88) == 0.0


def test_screening_list_passes_its_threshold_to_the_similarity_port() -> None:
    """An exact normalised name scores 1 without the port; otherwise the port's score decides,
    with the threshold as its cutoff."""
    calls: list[float] = []

    def half(a: str, b: str, cutoff: float) -> float:
        calls.append(cutoff)
        return 0.5

    listing = load_list_with(CSL_SNIPPET, half)
    assert listing.screen("Example Optics Ltd")[0].score == 1.0
    assert listing.screen("Something Else", threshold=0.5)[0].score == 0.5
    assert listing.screen("Something Else", threshold=0.6) == [] and calls[-1] == 0.6


def test_csl_loader_reads_official_columns_and_aliases() -> None:
    """The trade.gov CSL CSV columns (name, alt_names with ';') are understood."""
    csl = load_csl_csv(CSL_SNIPPET)
    assert csl.parties[0].alt_names == ("Ex Optics", "Example Optical Co")
    assert csl.screen("Example Optical Company")[0].party.source.startswith("Entity List")
    with pytest.raises(ScreeningListInvalid) as info:
        load_csl_csv("foo,bar\n1,2\n")
    assert info.value.code == CustomsError.SCREENING_LIST_INVALID


def _decl(sender: str = "Honest Shoes Co", description: str = "Running shoes") -> object:
    return build_declaration(
        DeclarationInput(
            reference="P1",
            sender=Party(sender, "1 Road, Shenzhen", "CN"),
            receiver=Party("Anna Schmidt", "Hauptstr. 1, Berlin", "DE"),
            items=(DeclarationItem(description, "640411", 2, 700, Money(1000, "EUR"), "CN"),),
            shipping=Money(500, "EUR"),
            gross_weight_g=1600,
        )
    )


TRUSTED = SenderHistory(shipments=200, holds=0, seizures=0)


def test_clean_consignment_is_released() -> None:
    """Fair value, matching HS, trusted sender, no list hit: release."""
    decl = _decl()
    a = assess_risk(
        decl,  # type: ignore[arg-type]
        catalog_prices={0: Money(500, "EUR")},
        history=TRUSTED,
        screening=sample_screening_list(),
    )
    assert a.recommendation == Recommendation.RELEASE and a.score == 0


def test_undervaluation_and_hs_mismatch_hold_for_inspection() -> None:
    """Declared at 20% of catalog price and 'phone' under chapter 64: inspect."""
    decl = _decl(description="Smartphone 128GB")
    a = assess_risk(
        decl,  # type: ignore[arg-type]
        catalog_prices={0: Money(2500, "EUR")},
        history=TRUSTED,
        screening=sample_screening_list(),
    )
    assert {RiskReason.UNDERVALUED_SEVERE, RiskReason.HS_DESCRIPTION_MISMATCH} <= set(
        f.reason for f in a.findings
    )
    assert a.recommendation == Recommendation.INSPECT
    assert chapters_for_description("Smartphone 128GB") == frozenset({"85"})


def test_denied_party_is_refused_and_history_adds_points() -> None:
    """A strong screening hit alone reaches the refusal score; seizures add risk."""
    decl = _decl(sender="Blue Lantern Exports Ltd.")
    a = assess_risk(
        decl,  # type: ignore[arg-type]
        catalog_prices={},
        history=SenderHistory(shipments=10, holds=2, seizures=1),
        screening=sample_screening_list(),
    )
    assert a.recommendation == Recommendation.REFUSE
    assert set(a.reasons()) >= {"denied_party_match", "sender_history"}
