"""Hypothesis properties of the quote engine over every destination and date range."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tradewind.customs.hs import category_map
from tradewind.customs.landed_cost import QuoteEngine
from tradewind.customs.model import LandedCostQuote, QuoteLine, QuoteRequest
from tradewind.shared.money import Money

ENGINE = QuoteEngine()
DESTS = ENGINE.rules.destinations
CODES = sorted(set(category_map().values()))
ORIGINS = ["CN", "US", "MX", "CA", "GB", "DE", "JP", "IN", "VN"]


@st.composite
def requests(draw: st.DrawFn) -> QuoteRequest:
    dest = draw(st.sampled_from(DESTS))
    cur = draw(st.sampled_from([ENGINE.rules.currency_of(dest), "USD", "EUR", "CNY"]))
    lines = draw(
        st.lists(
            st.builds(
                QuoteLine,
                st.sampled_from(CODES),
                st.builds(Money, st.integers(0, 5_000_000), st.just(cur)),
            ),
            min_size=1,
            max_size=4,
        )
    )
    return QuoteRequest(
        origin=draw(st.sampled_from(ORIGINS)),
        destination=dest,
        lines=tuple(lines),
        shipping=Money(draw(st.integers(0, 200_000)), cur),
        on=date(2025, 1, 2) + timedelta(days=draw(st.integers(0, 1500))),
        region=draw(st.sampled_from([None, "ON", "NS", "MG", "SP"])),
    )


def _parts(q: LandedCostQuote) -> list[Money]:
    return [q.goods, q.shipping, q.duty, q.vat, q.fees]


@settings(max_examples=300, deadline=None)
@given(requests())
def test_no_negative_tax(req: QuoteRequest) -> None:
    """Duty, VAT and fees are never negative, whatever the rules in force."""
    q = ENGINE.quote(req)
    assert min(q.duty.amount, q.vat.amount, q.fees.amount) >= 0


@settings(max_examples=300, deadline=None)
@given(requests())
def test_total_is_the_sum_of_its_parts(req: QuoteRequest) -> None:
    """total_landed == goods + shipping + duty + VAT + fees, in the destination currency."""
    q = ENGINE.quote(req)
    assert {m.currency for m in _parts(q)} == {ENGINE.rules.currency_of(req.destination)}
    assert q.total_landed.amount == sum(m.amount for m in _parts(q))


@settings(max_examples=150, deadline=None)
@given(requests())
def test_requote_is_idempotent(req: QuoteRequest) -> None:
    """Quoting the same request twice (and with a fresh engine) gives the same quote."""
    assert ENGINE.quote(req) == ENGINE.quote(req) == QuoteEngine().quote(req)


@settings(max_examples=150, deadline=None)
@given(requests())
def test_every_quote_cites_its_rules(req: QuoteRequest) -> None:
    """Each applied rule carries an id and a citation URL."""
    q = ENGINE.quote(req)
    assert q.rules and all(r.id and r.citation.url.startswith("http") for r in q.rules)
