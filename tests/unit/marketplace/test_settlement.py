from hypothesis import given
from hypothesis import strategies as st

from tradewind.marketplace.fees import FeeSchedule
from tradewind.marketplace.ledger import balances
from tradewind.marketplace.model import Channel, SellerKind
from tradewind.marketplace.settlement import SaleLine, sale_postings
from tradewind.shared.money import Money


def usd(n: int) -> Money:
    return Money(n, "USD")


def test_fba_sale_fees_and_payable():
    """A 20.00 FBA electronics sale: 8 % referral (1.60), small-tier FBA fee 3.22."""
    p = sale_postings(
        [
            SaleLine(
                "S1",
                SellerKind.THIRD_PARTY,
                "electronics",
                "small_standard",
                Channel.FBA,
                1,
                usd(2000),
                usd(0),
            )
        ],
        "US",
        FeeSchedule("USD"),
    )
    b = balances(p)
    assert b["platform:referral_fees"] == usd(-160)
    assert b["platform:fba_fees"] == usd(-322)
    assert b["seller:S1:payable"] == usd(-2000 + 160 + 322)
    assert b["psp:clearing"] == usd(2000)


def test_first_party_sales_pay_no_marketplace_fees():
    """1P retail books the sale to retail revenue, with no referral or FBA fee."""
    p = sale_postings(
        [
            SaleLine(
                "R",
                SellerKind.RETAIL_1P,
                "home",
                "small_standard",
                Channel.FBA,
                2,
                usd(1000),
                usd(998),
            )
        ],
        "US",
        FeeSchedule("USD"),
    )
    assert set(balances(p)) == {"psp:clearing", "retail:US:sales"}


@given(
    st.lists(
        st.tuples(
            st.sampled_from(list(SellerKind)),
            st.sampled_from(list(Channel)),
            st.sampled_from(["electronics", "fashion", "unknown"]),
            st.integers(1, 9),
            st.integers(1, 10**7),
            st.integers(0, 10**4),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_postings_always_sum_to_zero(lines):
    """Double entry: whatever is sold, debits equal credits."""
    sale = [
        SaleLine(f"S{i}", kind, cat, "large_standard", ch, q, usd(items), usd(ship))
        for i, (kind, ch, cat, q, items, ship) in enumerate(lines)
    ]
    assert sum(p.amount.amount for p in sale_postings(sale, "US", FeeSchedule("USD"))) == 0
