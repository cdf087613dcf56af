"""Stable error codes of the governance context."""

from __future__ import annotations

from enum import StrEnum

from tradewind.shared.errors import TradewindError


class GovernanceError(StrEnum):
    CASE_NOT_FOUND = "case_not_found"
    INVALID_SCORE = "invalid_score"
    INVALID_RULE = "invalid_rule"
    INVALID_CASE_TRANSITION = "invalid_case_transition"
    HUMAN_REVIEW_REQUIRED = "human_review_required"
    APPEAL_NOT_ALLOWED = "appeal_not_allowed"
    INVALID_APPEAL_TRANSITION = "invalid_appeal_transition"
    UNIT_CODE_CONFLICT = "unit_code_conflict"
    INVALID_ENFORCEMENT_TARGET = "invalid_enforcement_target"
    NOTHING_TO_HOLD = "nothing_to_hold"


class CaseNotFound(TradewindError):
    code = GovernanceError.CASE_NOT_FOUND
    status = 404


class InvalidScore(TradewindError):
    code = GovernanceError.INVALID_SCORE
    status = 422


class InvalidRule(TradewindError):
    code = GovernanceError.INVALID_RULE
    status = 422


class InvalidCaseTransition(TradewindError):
    code = GovernanceError.INVALID_CASE_TRANSITION
    status = 409


class HumanReviewRequired(TradewindError):
    """A severe or irreversible action was attempted by an automated actor."""

    code = GovernanceError.HUMAN_REVIEW_REQUIRED
    status = 403


class AppealNotAllowed(TradewindError):
    code = GovernanceError.APPEAL_NOT_ALLOWED
    status = 403


class InvalidAppealTransition(TradewindError):
    code = GovernanceError.INVALID_APPEAL_TRANSITION
    status = 409


class UnitCodeConflict(TradewindError):
    code = GovernanceError.UNIT_CODE_CONFLICT
    status = 409


class InvalidEnforcementTarget(TradewindError):
    code = GovernanceError.INVALID_ENFORCEMENT_TARGET
    status = 422


class NothingToHold(TradewindError):
    code = GovernanceError.NOTHING_TO_HOLD
    status = 409
