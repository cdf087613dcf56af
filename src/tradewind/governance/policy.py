"""Policy: rules turn detector scores into cases. A score never acts alone.

A rule fires for a subject only when (a) a score from one of its detectors reaches the
threshold, (b) the scores together name at least ``min_evidence`` distinct pieces of evidence,
and (c) every code in ``required_evidence`` is present. The proposal it returns carries the
actions the rule may take at once (only reversible ones) and those it recommends to an operator.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from tradewind.governance.case import AUTOMATABLE, ActionKind
from tradewind.governance.errors import InvalidRule
from tradewind.governance.scores import Detector, DetectorScore, Subject, SubjectKind


@dataclass(frozen=True, slots=True)
class Rule:
    rule_id: str
    detectors: frozenset[Detector]
    threshold: float
    min_evidence: int = 2
    required_evidence: frozenset[str] = frozenset()
    auto_actions: tuple[ActionKind, ...] = ()
    recommended_actions: tuple[ActionKind, ...] = ()
    subjects: frozenset[SubjectKind] = frozenset()  # empty: any kind of subject

    def __post_init__(self) -> None:
        if not self.detectors:
            raise InvalidRule(f"rule {self.rule_id} names no detector")
        if not 0.0 < self.threshold <= 1.0:
            raise InvalidRule(f"rule {self.rule_id}: threshold must be in (0, 1]")
        if self.min_evidence < 2 and not self.required_evidence:
            # One opaque number must not be enough to act against someone.
            raise InvalidRule(f"rule {self.rule_id}: needs >= 2 pieces of evidence")
        severe = [a for a in self.auto_actions if a not in AUTOMATABLE]
        if severe:
            raise InvalidRule(f"rule {self.rule_id}: {severe} cannot be automatic")

    def matches(self, scores: list[DetectorScore]) -> bool:
        if self.subjects and any(s.subject.kind not in self.subjects for s in scores):
            return False
        mine = [s for s in scores if s.detector in self.detectors]
        if not any(s.score >= self.threshold for s in mine):
            return False
        codes = frozenset(e.code for s in mine for e in s.evidence)
        return len(codes) >= self.min_evidence and self.required_evidence <= codes


@dataclass(frozen=True, slots=True)
class CaseProposal:
    subject: Subject
    rule: Rule
    scores: tuple[DetectorScore, ...]


def propose_cases(scores: list[DetectorScore], rules: list[Rule]) -> list[CaseProposal]:
    """The first matching rule (in the given order) per subject; subjects in a stable order."""
    by_subject: dict[Subject, list[DetectorScore]] = defaultdict(list)
    for s in scores:
        by_subject[s.subject].append(s)
    proposals: list[CaseProposal] = []
    for subject in sorted(by_subject, key=str):
        found = by_subject[subject]
        for rule in rules:
            if rule.matches(found):
                mine = tuple(s for s in found if s.detector in rule.detectors)
                proposals.append(CaseProposal(subject, rule, mine))
                break
    return proposals


# Follow-sell scores from which the policy acts without a test buy, and from which it asks
# for one: a new account at a normal price (0.685) and an established reseller clearing
# stock under half the reference (0.775) are where hijackers and genuine resellers overlap.
FOLLOW_SELL_ACT = 0.8
FOLLOW_SELL_TEST_BUY = 0.6


def offers_to_test_buy(
    scores: list[DetectorScore], proposals: list[CaseProposal]
) -> list[DetectorScore]:
    """Follow-sell scores worth a test buy: an unauthorised offer in the ambiguous band that
    no rule acts on (``proposals``: ``propose_cases`` over the same scores) and that has not
    been test-bought yet."""
    acted = {p.subject for p in proposals}
    return [
        s
        for s in scores
        if s.detector is Detector.FOLLOW_SELL
        and s.score >= FOLLOW_SELL_TEST_BUY
        and s.subject not in acted
        and "unauthorised_seller" in s.evidence_codes
        and "test_buy_failed" not in s.evidence_codes
    ]


def _tax_fact_rule(rule_id: str, fact: str) -> Rule:
    """A rule on one looked-up tax fact (the register, the sales ledger, the inventory): it
    opens a case for an operator to ask for proof, and takes no action by itself."""
    return Rule(
        rule_id,
        frozenset({Detector.TAX_ID}),
        0.6,
        min_evidence=1,
        required_evidence=frozenset({fact}),
        recommended_actions=(ActionKind.HOLD_FUNDS, ActionKind.SUSPEND_SELLER),
    )


def default_rules() -> list[Rule]:
    """A starting policy; thresholds are to be tuned on the simulation (issue 4)."""
    return [
        Rule(
            "unit-code-block",
            frozenset({Detector.UNIT_CODE}),
            0.9,
            min_evidence=1,
            required_evidence=frozenset({"unit_code_rejected"}),
            auto_actions=(ActionKind.BLOCK_UNITS,),
            recommended_actions=(ActionKind.DESTROY_UNITS,),
        ),
        # Where codes cannot decide (brand not enrolled, first-come copies): who sends the
        # goods. Two independent facts about the sender, and only a reversible quarantine.
        Rule(
            "counterfeit-inbound",
            frozenset({Detector.COUNTERFEIT}),
            0.7,
            min_evidence=2,
            auto_actions=(ActionKind.BLOCK_UNITS,),
            recommended_actions=(ActionKind.SUSPEND_SELLER,),
        ),
        # An inspected test buy that failed is a fact about the goods: the offer goes at once.
        Rule(
            "follow-sell-test-buy",
            frozenset({Detector.FOLLOW_SELL}),
            0.9,
            min_evidence=1,
            required_evidence=frozenset({"unauthorised_seller", "test_buy_failed"}),
            auto_actions=(ActionKind.SUPPRESS_OFFER,),
            recommended_actions=(ActionKind.SUSPEND_SELLER,),
        ),
        # Without one, only what genuine resellers rarely show acts (a new or dormant account
        # far under the reference); the band below goes to a test buy (``offers_to_test_buy``).
        Rule(
            "follow-sell",
            frozenset({Detector.FOLLOW_SELL}),
            FOLLOW_SELL_ACT,
            required_evidence=frozenset({"unauthorised_seller"}),
            auto_actions=(ActionKind.SUPPRESS_OFFER,),
            recommended_actions=(ActionKind.SUSPEND_SELLER,),
        ),
        Rule(
            "tax-id",
            frozenset({Detector.TAX_ID, Detector.UNDERVALUATION}),
            0.6,
            auto_actions=(ActionKind.HOLD_FUNDS,),
            recommended_actions=(ActionKind.SUSPEND_SELLER,),
        ),
        # A number the tax register says was never issued is a looked-up fact, like a rejected
        # unit code, not a model's guess: it opens a case for an operator to ask for proof of
        # registration, and takes no action by itself.
        _tax_fact_rule("tax-id-not-issued", "invalid_tax_id"),
        # Likewise when the register lists the number under another holder (a borrowed
        # identity): a looked-up fact, so a case for an operator, no action by itself.
        _tax_fact_rule("tax-id-held-by-another", "tax_id_holder_mismatch"),
        # Sales over a registration threshold for longer than the law's deadline, with no
        # registration there: the platform's own sales ledger and the register, not a guess.
        # A case for an operator to ask for the registration; no action by itself.
        _tax_fact_rule("tax-registration-overdue", "registration_overdue"),
        # Likewise a seller the platform notified of sales over a threshold that did not
        # register within the notice's deadline: the sales ledger, the notice and the register.
        _tax_fact_rule("tax-registration-notice-ignored", "registration_notice_ignored"),
        # Stock in a fulfilment centre of a country that requires a VAT registration from the
        # first sale, and none declared there: the platform's inventory and the seller's own
        # declaration. A case for an operator to ask for the number; no action by itself.
        _tax_fact_rule("tax-stock-unregistered", "stock_without_registration"),
        Rule(
            "brushing-ring",
            frozenset({Detector.BRUSHING, Detector.FAKE_REVIEW}),
            0.7,
            min_evidence=2,
            auto_actions=(ActionKind.HOLD_FUNDS,),
            recommended_actions=(ActionKind.REMOVE_REVIEWS, ActionKind.SUSPEND_SELLER),
            subjects=frozenset({SubjectKind.SELLER}),
        ),
        # The account behind reviews: two facts about its record (age, reviews without a
        # purchase, refunds after review, co-reviewing, posting on arrival, generated text,
        # devices, a handover of its sign-in details).
        # Removing an account's reviews is reversible but not automatic: an operator confirms.
        Rule(
            "reviewer-account",
            frozenset({Detector.REVIEWER_ACCOUNT}),
            0.7,
            min_evidence=2,
            recommended_actions=(ActionKind.REMOVE_REVIEWS,),
            subjects=frozenset({SubjectKind.ACCOUNT}),
        ),
        Rule(
            "fake-review",
            frozenset({Detector.FAKE_REVIEW}),
            0.7,
            min_evidence=2,
            recommended_actions=(ActionKind.REMOVE_REVIEWS,),
            subjects=frozenset({SubjectKind.REVIEW}),
        ),
    ]
