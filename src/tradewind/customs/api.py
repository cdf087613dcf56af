"""The customs context's published surface for other contexts (checkout, tracking)."""

from __future__ import annotations

from tradewind.customs.clearance import BizStep, Clearance, ClearanceState, ClearanceStep
from tradewind.customs.declarations import (
    Declaration,
    DeclarationInput,
    DeclarationItem,
    Party,
    build_declaration,
)
from tradewind.customs.hs import hs_for_category
from tradewind.customs.landed_cost import QuoteEngine, quote_landed_cost
from tradewind.customs.model import LandedCostQuote, QuoteLine, QuoteRequest
from tradewind.customs.render import quote_to_dict
from tradewind.customs.risk import RiskAssessment, SenderHistory, assess_risk
from tradewind.customs.screening import ScreeningList, load_csl_csv, sample_screening_list

__all__ = [
    "BizStep",
    "Clearance",
    "ClearanceState",
    "ClearanceStep",
    "Declaration",
    "DeclarationInput",
    "DeclarationItem",
    "LandedCostQuote",
    "Party",
    "QuoteEngine",
    "QuoteLine",
    "QuoteRequest",
    "RiskAssessment",
    "ScreeningList",
    "SenderHistory",
    "assess_risk",
    "build_declaration",
    "hs_for_category",
    "load_csl_csv",
    "quote_landed_cost",
    "quote_to_dict",
    "sample_screening_list",
]
