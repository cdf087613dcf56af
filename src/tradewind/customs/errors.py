"""Customs errors: each carries a stable ``code`` so callers never parse English."""

from __future__ import annotations

from enum import StrEnum

from tradewind.shared.errors import TradewindError


class CustomsError(StrEnum):
    UNKNOWN_HS_CODE = "customs_unknown_hs_code"
    UNKNOWN_COUNTRY = "customs_unknown_country"
    UNSUPPORTED_DESTINATION = "customs_unsupported_destination"
    NEGATIVE_VALUE = "customs_negative_value"
    INVALID_AMOUNT = "customs_invalid_amount"
    INVALID_DATE = "customs_invalid_date"
    UNKNOWN_CURRENCY = "customs_unknown_currency"
    FX_RATE_MISSING = "customs_fx_rate_missing"
    EMPTY_CONSIGNMENT = "customs_empty_consignment"
    UNKNOWN_CATEGORY = "customs_unknown_category"
    INVALID_DECLARATION = "customs_invalid_declaration"
    INVALID_TRANSITION = "customs_invalid_transition"
    RULE_DATA_INVALID = "customs_rule_data_invalid"
    SCREENING_LIST_INVALID = "customs_screening_list_invalid"


class CustomsValidationError(TradewindError):
    """Base of customs input errors (HTTP 422)."""

    code = CustomsError.INVALID_AMOUNT
    status = 422


class UnknownHsCode(CustomsValidationError):
    code = CustomsError.UNKNOWN_HS_CODE


class UnknownCountry(CustomsValidationError):
    code = CustomsError.UNKNOWN_COUNTRY


class UnsupportedDestination(CustomsValidationError):
    code = CustomsError.UNSUPPORTED_DESTINATION


class NegativeValue(CustomsValidationError):
    code = CustomsError.NEGATIVE_VALUE


class InvalidAmount(CustomsValidationError):
    code = CustomsError.INVALID_AMOUNT


class InvalidDate(CustomsValidationError):
    code = CustomsError.INVALID_DATE


class UnknownCurrency(CustomsValidationError):
    code = CustomsError.UNKNOWN_CURRENCY


class FxRateMissing(CustomsValidationError):
    code = CustomsError.FX_RATE_MISSING


class EmptyConsignment(CustomsValidationError):
    code = CustomsError.EMPTY_CONSIGNMENT


class UnknownCategory(CustomsValidationError):
    code = CustomsError.UNKNOWN_CATEGORY


class InvalidDeclaration(CustomsValidationError):
    code = CustomsError.INVALID_DECLARATION


class InvalidTransition(TradewindError):
    """A clearance step that the workflow does not allow from the current state."""

    code = CustomsError.INVALID_TRANSITION
    status = 409


class RuleDataInvalid(TradewindError):
    """A vendored data file is malformed: a packaging bug, not a user error."""

    code = CustomsError.RULE_DATA_INVALID
    status = 500


class ScreeningListInvalid(CustomsValidationError):
    code = CustomsError.SCREENING_LIST_INVALID
