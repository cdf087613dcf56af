"""The customs context's published surface for other contexts (checkout, tracking, the
economics reports' currency conversion, governance's undervaluation detector)."""

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
from tradewind.customs.errors import FxRateMissing, UnknownCurrency
from tradewind.customs.events import DeclarationRiskScored
from tradewind.customs.fx import ROUNDING, FxBook, FxTable, default_fx_book
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
    risk_scored,
    score_declared_value,
    select_for_inspection,
    value_ratio,
)
from tradewind.customs.screening import ScreeningList, load_csl_csv, sample_screening_list

__all__ = [
    "ROUNDING",
    "TRACKING_STEP",
    "BizStep",
    "Clearance",
    "ClearanceState",
    "ClearanceStep",
    "Declaration",
    "DeclarationInput",
    "DeclarationItem",
    "DeclarationRiskScored",
    "FxBook",
    "FxRateMissing",
    "FxTable",
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
    "UnknownCurrency",
    "assess_risk",
    "build_declaration",
    "default_fx_book",
    "hs_for_category",
    "load_csl_csv",
    "quote_landed_cost",
    "quote_to_dict",
    "risk_scored",
    "sample_screening_list",
    "score_declared_value",
    "select_for_inspection",
    "value_ratio",
]
