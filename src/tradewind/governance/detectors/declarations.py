"""Undervaluation as a sender's pattern, not one parcel.

One low customs value happens to honest senders (gifts, replacements, mistakes). A sender
whose declarations are *mostly* far below the goods' marketplace price is a pattern, and a
pattern is evidence about every one of its parcels, earlier ones included (customs audits
after clearance). Each declaration is scored against the sender's whole known history, the
parcels it cleared before as well: a pattern is a count of low declarations that the
platform's share of low declarations makes improbable.

The detector does not measure a declaration itself: customs does, once
(``customs.risk.value_ratio``), and publishes it as ``DeclarationRiskScored``; this module
consumes those events. Its thresholds (``SenderParams``) are governance's policy for
opening a case on a sender, apart from customs' inspection bands (50 % / 80 % of the price).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tradewind.customs.api import DeclarationRiskScored
from tradewind.governance.detectors.brushing import binomial_tail
from tradewind.governance.scores import (
    Detector,
    DetectorScore,
    Evidence,
    Subject,
    SubjectKind,
    score_from_evidence,
)


@dataclass(frozen=True, slots=True)
class SenderParams:
    floor: float = 0.4  # below this one declaration is evidence on its own
    low: float = 0.6  # below this a declaration counts towards the sender's pattern
    min_low: int = 2
    # A sender's low count is a pattern when it is improbable (binomial tail) under the
    # platform's share of low declarations: the threshold used for every "beyond chance"
    # test of a count in these detectors.
    alpha: float = 0.01
    # Never assume honest senders declare low less often than this (small samples, and a
    # clearance record that is mostly one country's).
    min_base_rate: float = 0.05
    w_pattern: float = 0.5


def low_declaration_rate(
    declarations: Sequence[DeclarationRiskScored],
    history: Mapping[str, Sequence[float]] | None = None,
    params: SenderParams | None = None,
) -> float:
    """The share of declarations under ``params.low`` of the price, over the parcels given and
    the senders' earlier ones (the platform's clearance record), floored at
    ``params.min_base_rate``."""
    p = params or SenderParams()
    ratios = [d.value_ratio for d in declarations] + [
        r for h in (history or {}).values() for r in h
    ]
    share = sum(r < p.low for r in ratios) / len(ratios) if ratios else 0.0
    return max(p.min_base_rate, share)


def _sender_pattern(
    mine: list[DeclarationRiskScored], earlier: Sequence[float], base: float, p: SenderParams
) -> tuple[int, int]:
    """How many of the sender's declarations (earlier ones included) are low, and of how many,
    if that makes a pattern (else 0 low)."""
    n = len(mine) + len(earlier)
    low = sum(d.value_ratio < p.low for d in mine) + sum(r < p.low for r in earlier)
    if low >= p.min_low and binomial_tail(low, n, base) < p.alpha:
        return low, n
    return 0, n


def score_declarations(
    declarations: list[DeclarationRiskScored],
    params: SenderParams | None = None,
    *,
    history: Mapping[str, Sequence[float]] | None = None,
    base_rate: float | None = None,
) -> list[DetectorScore]:
    """One score per customs-scored declaration, in the given order, using each sender's
    known history: ``history`` maps a sender to the declared/price ratios of its earlier
    parcels (cleared before these), ``base_rate`` is the platform's share of low declarations
    (:func:`low_declaration_rate` over what is given when omitted)."""
    p = params or SenderParams()
    past = history or {}
    base = base_rate if base_rate is not None else low_declaration_rate(declarations, past, p)
    by_sender: dict[str, list[DeclarationRiskScored]] = {}
    for d in declarations:
        by_sender.setdefault(d.sender_id, []).append(d)
    pattern = {s: _sender_pattern(mine, past.get(s, ()), base, p) for s, mine in by_sender.items()}
    out: list[DetectorScore] = []
    for d in declarations:
        subject = Subject(SubjectKind.SHIPMENT, d.shipment_id)
        low, n = pattern[d.sender_id]
        ev: list[Evidence] = []
        ratio = d.value_ratio
        if ratio < p.floor or (low and ratio < p.low):
            ev.append(
                Evidence(
                    "declared_below_reference",
                    f"declared {d.declared.amount} is {ratio:.0%} of reference "
                    f"{d.reference.amount} {d.reference.currency}",
                    min(1.0, max(0.05, 1.0 - ratio)),
                )
            )
        if ev and low:
            ev.append(
                Evidence(
                    "sender_undervalues",
                    f"{low} of {n} declarations of {d.sender_id} under {p.low:.0%} of price "
                    f"(platform: {base:.1%})",
                    p.w_pattern,
                )
            )
        out.append(score_from_evidence(Detector.UNDERVALUATION, subject, ev))
    return out
