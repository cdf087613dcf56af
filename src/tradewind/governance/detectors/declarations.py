"""Undervaluation as a sender's pattern, not one parcel.

One low customs value happens to honest senders (gifts, replacements, mistakes). A sender
whose declarations are *mostly* far below the goods' marketplace price is a pattern, and a
pattern is evidence about every one of its parcels, earlier ones included (customs audits
after clearance). Each declaration is scored against the sender's whole known history.
"""

from __future__ import annotations

from dataclasses import dataclass

from tradewind.governance.scores import (
    Detector,
    DetectorScore,
    Evidence,
    Subject,
    SubjectKind,
    score_from_evidence,
)
from tradewind.shared.money import Money


@dataclass(frozen=True, slots=True)
class DeclarationFact:
    shipment_id: str
    sender_id: str
    declared: Money
    reference: Money  # the marketplace price of the goods

    @property
    def ratio(self) -> float:
        return self.declared.amount / self.reference.amount if self.reference.amount > 0 else 1.0


@dataclass(frozen=True, slots=True)
class SenderParams:
    floor: float = 0.4  # below this one declaration is evidence on its own
    low: float = 0.6  # below this a declaration counts towards the sender's pattern
    min_low: int = 2
    low_share: float = 0.5  # of the sender's declarations
    w_pattern: float = 0.5


def _sender_pattern(mine: list[DeclarationFact], p: SenderParams) -> int:
    """How many of the sender's declarations are low, if that makes a pattern (else 0)."""
    low = sum(d.ratio < p.low for d in mine)
    return low if low >= p.min_low and low >= p.low_share * len(mine) else 0


def score_declarations(
    declarations: list[DeclarationFact], params: SenderParams | None = None
) -> list[DetectorScore]:
    """One score per declaration, in the given order, using each sender's known history."""
    p = params or SenderParams()
    by_sender: dict[str, list[DeclarationFact]] = {}
    for d in declarations:
        by_sender.setdefault(d.sender_id, []).append(d)
    pattern = {s: _sender_pattern(mine, p) for s, mine in by_sender.items()}
    out: list[DetectorScore] = []
    for d in declarations:
        subject = Subject(SubjectKind.SHIPMENT, d.shipment_id)
        low = pattern[d.sender_id]
        ev: list[Evidence] = []
        if d.ratio < p.floor or (low and d.ratio < p.low):
            ev.append(
                Evidence(
                    "declared_below_reference",
                    f"declared {d.declared.amount} is {d.ratio:.0%} of reference "
                    f"{d.reference.amount} {d.reference.currency}",
                    min(1.0, max(0.05, 1.0 - d.ratio)),
                )
            )
        if ev and low:
            n = len(by_sender[d.sender_id])
            ev.append(
                Evidence(
                    "sender_undervalues",
                    f"{low} of {n} declarations of {d.sender_id} under {p.low:.0%} of price",
                    p.w_pattern,
                )
            )
        out.append(score_from_evidence(Detector.UNDERVALUATION, subject, ev))
    return out
