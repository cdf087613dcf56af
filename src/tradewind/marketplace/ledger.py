"""Double-entry settlements ledger: every transaction's postings sum to zero per currency.

Sign convention: positive = debit, negative = credit. Accounts are strings:
``psp:clearing``, ``seller:<id>:payable``, ``platform:referral_fees``, ``platform:fba_fees``,
``platform:shipping_revenue``, ``retail:<site>:sales``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from tradewind.marketplace.errors import LedgerUnbalanced
from tradewind.shared.money import Money

PSP_CLEARING = "psp:clearing"
REFERRAL_FEES = "platform:referral_fees"
FBA_FEES = "platform:fba_fees"
SHIPPING_REVENUE = "platform:shipping_revenue"


def seller_payable(seller_id: str) -> str:
    return f"seller:{seller_id}:payable"


def retail_sales(site_id: str) -> str:
    return f"retail:{site_id}:sales"


@dataclass(frozen=True, slots=True)
class Posting:
    account: str
    amount: Money
    seller_id: str | None = None
    memo: str = ""


@dataclass(frozen=True, slots=True)
class LedgerTransaction:
    txn_id: str
    reference: str  # e.g. the order id
    postings: tuple[Posting, ...]

    def __post_init__(self) -> None:
        assert_balanced(self.postings)


def assert_balanced(postings: tuple[Posting, ...] | list[Posting]) -> None:
    sums: dict[str, int] = defaultdict(int)
    for p in postings:
        sums[p.amount.currency] += p.amount.amount
    bad = {c: s for c, s in sums.items() if s != 0}
    if bad:
        raise LedgerUnbalanced(f"postings do not balance: {bad}")


def balances(postings: list[Posting]) -> dict[str, Money]:
    """Balance per account (debits positive)."""
    out: dict[str, Money] = {}
    for p in postings:
        prev = out.get(p.account, Money.zero(p.amount.currency))
        out[p.account] = prev + p.amount
    return out
