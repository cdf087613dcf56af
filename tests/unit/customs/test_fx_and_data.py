"""Dated FX conversion, rule-table integrity and "a threshold change is a data change"."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from importlib import resources

import pytest

from tradewind.customs.errors import CustomsError, UnknownCategory
from tradewind.customs.fx import default_fx_book
from tradewind.customs.hs import category_map, duty_table_for, hs_for_category, nomenclature
from tradewind.customs.landed_cost import QuoteEngine
from tradewind.customs.model import QuoteLine, QuoteRequest, RuleKind
from tradewind.customs.tables import default_rule_book, parse_rules
from tradewind.shared.money import Money


def test_parse_and_format_are_exact() -> None:
    """'45.00' EUR is 4500 cents; yen have no minor unit."""
    fx = default_fx_book()
    assert fx.parse("45.00", "EUR") == Money(4500, "EUR")
    assert fx.parse("0.1", "USD") == Money(10, "USD")
    assert fx.parse("1000", "JPY") == Money(1000, "JPY")
    assert fx.format(Money(5, "EUR")) == "0.05"
    assert fx.format(Money(1234, "JPY")) == "1234"


def test_conversion_uses_the_table_in_force_and_rounds_half_up() -> None:
    """USD -> EUR uses the latest table dated on/before the quote date."""
    fx = default_fx_book()
    early = fx.convert(Money(10_000, "USD"), "EUR", date(2025, 6, 1))
    late = fx.convert(Money(10_000, "USD"), "EUR", date(2026, 11, 26))
    assert early == Money(9662, "EUR")  # 100 / 1.0350 = 96.618...
    assert late == Money(8621, "EUR")  # 100 / 1.1600 = 86.206...
    assert fx.rate("EUR", "JPY", date(2026, 11, 26)) == Decimal("176.00")


def test_every_destination_has_valuation_vat_and_citations() -> None:
    """The 14 sites each have a valuation basis and a VAT/GST row; every row cites a URL."""
    book = default_rule_book()
    assert len(book.destinations) == 14
    for dest in book.destinations:
        kinds = {r.kind for r in book.in_force(dest, date(2026, 11, 26))}
        assert {RuleKind.VALUATION, RuleKind.VAT} <= kinds, dest
        duty_table_for(dest)
    assert all(r.citation.url.startswith("http") for r in book.rules)


def test_category_codes_exist_in_hs_2022() -> None:
    """Every category -> HS mapping points at a real HS 2022 subheading."""
    nom = nomenclature()
    for category, code in category_map().items():
        assert nom.get(code).level == 6, category
    assert nom.get("851713").description.startswith("Telephone sets; smartphones")


def test_threshold_change_is_a_data_change() -> None:
    """Lowering GB's GBP 135 limit in the data (no code change) moves a parcel to duty."""
    raw = resources.files("tradewind.customs.data").joinpath("rules.json").read_text("utf-8")
    doc = json.loads(raw)
    for row in doc["rules"]:
        if row["id"] in ("GB-LVC-DUTY-135", "GB-OMP-VAT-AT-SALE-135"):
            row["params"]["max_value"] = {"amount": "20.00", "currency": "GBP"}
    fx = default_fx_book()
    engine = QuoteEngine(rules=parse_rules(doc, fx))
    req = QuoteRequest(
        "CN", "GB", (QuoteLine("640411", Money(4500, "GBP")),), Money(500, "GBP"),
        date(2026, 11, 26),
    )  # fmt: skip
    changed = engine.quote(req)
    assert changed.duty.amount == 800  # 16% x 50.00 CIF
    assert not changed.collected_at_sale
    assert QuoteEngine().quote(req).duty.amount == 0


def test_single_valued_rows_never_overlap() -> None:
    """At most one valuation, VAT and rounding row is in force per country on any date."""
    book = default_rule_book()
    edges = {r.valid_from for r in book.rules} | {r.valid_to for r in book.rules if r.valid_to}
    for dest in book.destinations:
        for day in sorted(edges):
            rows = book.in_force(dest, day)
            for kind in (RuleKind.VALUATION, RuleKind.VAT, RuleKind.ROUNDING):
                assert len([r for r in rows if r.kind == kind]) <= 1, (dest, day, kind)


def test_unknown_category_has_a_code() -> None:
    """An unmapped catalog category raises customs_unknown_category."""
    assert hs_for_category("footwear.sneakers") == "640411"
    with pytest.raises(UnknownCategory) as info:
        hs_for_category("spaceships")
    assert info.value.code == CustomsError.UNKNOWN_CATEGORY


def test_one_rate_book_and_one_rounding_rule_for_customs_and_economics() -> None:
    """Economics' USD reports convert with the customs book at the 2026-11-02 table and round
    half up, as customs quotes do (the retired economics table said 155 JPY per USD and
    rounded half to even)."""
    from tradewind.economics.rates import RATES_ON, convert_minor, rates_as_of

    fx = default_fx_book()
    assert rates_as_of() == "2026-11-02"
    # 100 USD = 100 / 1.16 * 176 = 15,172.41 JPY (the old economics table: 15,500).
    assert convert_minor(10_000, "USD", "JPY") == 15_172
    assert fx.convert(Money(10_000, "USD"), "JPY", RATES_ON) == Money(15_172, "JPY")
    # 22 JPY = 22 * 1.16 / 176 = 0.145 USD exactly: a half cent, rounded up to 15 (half to
    # even would give 14), in both paths.
    assert convert_minor(22, "JPY", "USD") == 15
    assert fx.convert(Money(22, "JPY"), "USD", RATES_ON) == Money(15, "USD")
    # 22 JPY = 0.125 EUR: customs rounds the half cent up too.
    assert fx.convert(Money(22, "JPY"), "EUR", date(2026, 12, 1)) == Money(13, "EUR")
    # 100 EUR = 116 USD; 100 GBP = 100 / 0.875 * 1.16 = 132.571... USD.
    assert convert_minor(10_000, "EUR", "USD") == 11_600
    assert convert_minor(10_000, "GBP", "USD") == 13_257
    assert convert_minor(500, "USD", "USD") == 500
    with pytest.raises(KeyError):
        convert_minor(100, "XXX", "USD")
