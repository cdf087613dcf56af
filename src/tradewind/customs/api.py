"""The customs context's published surface for other contexts (checkout, tracking)."""

from __future__ import annotations

from tradewind.customs.clearance import (
    TRACKING_STEP,
    BizStep,
    Clearance,
    ClearanceState,
    ClearanceStep,
)
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
from tradewind.customs.risk import (
    Recommendation,
    RiskAssessment,
    RiskReason,
    SenderHistory,
    assess_risk,
    select_for_inspection,
)
from tradewind.customs.screening import ScreeningList, load_csl_csv, sample_screening_list

__all__ = [
    "TRACKING_STEP",
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
    "Recommendation",
    "RiskAssessment",
    "RiskReason",
    "ScreeningList",
    "SenderHistory",
    "assess_risk",
    "build_declaration",
    "hs_for_category",
    "load_csl_csv",
    "quote_landed_cost",
    "quote_to_dict",
    "sample_screening_list",
    "select_for_inspection",
]
