"""One detector family of the simulated bench: the detector, the injected type it is measured
on, its ground truth and the cases it opened (shared by the evaluator and the metrics)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tradewind.governance.case import Case
from tradewind.governance.fakes import FakeCaseRepository
from tradewind_bench.fraud.records import FraudKind


@dataclass
class Family:
    """One detector, the injected type it is measured on, and its ground truth."""

    detector: str
    kind: FraudKind
    unit: str
    bad: dict[str, datetime] = field(default_factory=dict)  # ref -> first bad act
    honest: set[str] = field(default_factory=set)
    respondent: dict[str, str] = field(default_factory=dict)
    cases: FakeCaseRepository = field(default_factory=FakeCaseRepository)
    first_case: dict[str, datetime] = field(default_factory=dict)
    example: Case | None = None

    def mark(self, ref: str, label: FraudKind | None, at: datetime, respondent: str) -> None:
        self.respondent[ref] = respondent
        if label is self.kind:
            self.bad[ref] = min(at, self.bad.get(ref, at))
            self.honest.discard(ref)
        elif label is None and ref not in self.bad:
            self.honest.add(ref)
