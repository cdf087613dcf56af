"""Landed-cost quote engine: interprets the rule rows in force on the quote date.

Order of evaluation (each step is a rule kind, see :class:`RuleKind`):

1. convert every amount to the destination currency at the dated FX table;
2. customs value = goods (FOB) or goods + freight + insurance (CIF);
3. duty: a simplified regime (BR, MX) if one covers the value, else the EU flat
   per-line duty if in force, else zero under a de minimis row, else ad valorem from the
   HS duty table plus surcharges and duty-on-duty;
4. VAT/GST: zero if the regime covers it or a tax de minimis applies; otherwise the rate
   (by region if given) on the base, at sale on the price for deemed-supplier schemes;
5. fixed fees per consignment or per tariff line.

Taxes are computed exactly as fractions of a minor unit and rounded once, per the
destination's rounding row (default: half up to one minor unit).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from tradewind.customs.errors import EmptyConsignment, InvalidAmount, NegativeValue
from tradewind.customs.fx import FxBook, default_fx_book
from tradewind.customs.hs import Nomenclature, duty_table_for, nomenclature
from tradewind.customs.model import (
    AppliedRule,
    Basis,
    LandedCostQuote,
    QuoteRequest,
    Rule,
    RuleKind,
)
from tradewind.customs.tables import RuleBook, check_country, default_rule_book, money_param
from tradewind.shared.money import Money

_BPS = 10_000


@dataclass(frozen=True, slots=True)
class _Rounding:
    base_step: int = 1
    tax_step: int = 1
    mode: str = "half_up"

    def tax(self, exact: Fraction) -> int:
        return _round(exact, self.tax_step, self.mode)

    def base(self, minor: int) -> int:
        """Tax bases are truncated to the base step (JP: JPY 1,000); step 1 is a no-op."""
        return _round(Fraction(minor), self.base_step, "down")


def _round(x: Fraction, step: int, mode: str) -> int:
    units = x / step
    if mode == "down":
        return (units.numerator // units.denominator) * step
    return ((units.numerator * 2 + units.denominator) // (2 * units.denominator)) * step


@dataclass(frozen=True, slots=True)
class _Ctx:
    """Everything computed once per request and shared by the steps."""

    req: QuoteRequest
    currency: str
    rules: tuple[Rule, ...]
    goods: Money
    freight: Money
    customs_value: Money
    line_values: tuple[Money, ...]
    hs_codes: tuple[str, ...]

    def of(self, kind: RuleKind) -> list[Rule]:
        return [r for r in self.rules if r.kind == kind and r.applies_to_origin(self.req.origin)]

    @property
    def distinct_lines(self) -> int:
        return len({code[:6] for code in self.hs_codes})


class QuoteEngine:
    """Pure quote engine over a rule book, an FX book and the HS nomenclature."""

    def __init__(
        self,
        rules: RuleBook | None = None,
        fx: FxBook | None = None,
        hs: Nomenclature | None = None,
    ) -> None:
        self.rules = rules or default_rule_book()
        self.fx = fx or default_fx_book()
        self.hs = hs or nomenclature()

    def quote(self, req: QuoteRequest) -> LandedCostQuote:
        """Quote duty, VAT and fees for ``req``; raises a customs error on bad input."""
        ctx = self._context(req)
        applied: list[AppliedRule] = []
        rounding = self._rounding(ctx, applied)
        value = self._show(ctx.customs_value)
        self._note(ctx.of(RuleKind.VALUATION), applied, f"customs value {value}")
        duty, covers_vat = self._duty(ctx, rounding, applied)
        fees = self._fees(ctx, applied)
        vat, at_sale = self._vat(ctx, rounding, duty, covers_vat, applied)
        return LandedCostQuote(
            currency=ctx.currency,
            goods=ctx.goods,
            shipping=ctx.freight,
            customs_value=ctx.customs_value,
            duty=duty,
            vat=vat,
            fees=fees,
            collected_at_sale=at_sale,
            rules=tuple(applied),
        )

    # -- context -------------------------------------------------------------------------
    def _context(self, req: QuoteRequest) -> _Ctx:
        check_country(req.origin)
        currency = self.rules.currency_of(check_country(req.destination))
        if not req.lines:
            raise EmptyConsignment("a quote needs at least one line")
        codes = tuple(self.hs.normalize(line.hs_code) for line in req.lines)
        for line in req.lines:
            if line.quantity < 1:
                raise InvalidAmount(f"quantity must be at least 1, got {line.quantity}")
        values = tuple(self._to_dest(line.value, currency, req) for line in req.lines)
        freight = self._to_dest(req.shipping, currency, req)
        if req.insurance is not None:
            freight = freight + self._to_dest(req.insurance, currency, req)
        goods = sum(values, Money.zero(currency))
        rules = tuple(self.rules.in_force(req.destination, req.on))
        basis = Basis.CIF
        for r in rules:
            if r.kind == RuleKind.VALUATION:
                basis = Basis(r.params["basis"])
        customs_value = goods + freight if basis == Basis.CIF else goods
        return _Ctx(req, currency, rules, goods, freight, customs_value, values, codes)

    def _show(self, money: Money) -> str:
        return f"{self.fx.format(money)} {money.currency}"

    def _to_dest(self, money: Money, currency: str, req: QuoteRequest) -> Money:
        if money.is_negative():
            raise NegativeValue(f"amounts must not be negative, got {money.amount} minor units")
        return self.fx.convert(money, currency, req.on)

    def _threshold(self, ctx: _Ctx, rule: Rule, key: str = "max_value") -> bool:
        """Is the consignment within the rule's value limit (inclusive unless told)?"""
        limit = self.fx.convert(money_param(rule, key), ctx.currency, ctx.req.on)
        value = ctx.goods if rule.params.get("value_of") == "goods" else ctx.customs_value
        if rule.params.get("inclusive", True):
            return value <= limit
        return value < limit

    def _rounding(self, ctx: _Ctx, applied: list[AppliedRule]) -> _Rounding:
        rows = ctx.of(RuleKind.ROUNDING)
        if not rows:
            return _Rounding()
        p = rows[-1].params
        self._note(rows[-1:], applied, f"base step {p['base_step']}, tax step {p['tax_step']}")
        return _Rounding(int(p["base_step"]), int(p["tax_step"]), str(p["mode"]))

    # -- duty ----------------------------------------------------------------------------
    def _duty(
        self, ctx: _Ctx, rounding: _Rounding, applied: list[AppliedRule]
    ) -> tuple[Money, bool]:
        for rule in ctx.of(RuleKind.SIMPLIFIED_REGIME):
            exact = self._regime(ctx, rule, rounding)
            if exact is not None:
                applied.append(_applied(rule, "simplified regime covers this value"))
                amount = max(rounding.tax(exact), 0)
                return Money(amount, ctx.currency), bool(rule.params.get("covers_vat", False))
        for rule in ctx.of(RuleKind.FLAT_DUTY_PER_LINE):
            if self._threshold(ctx, rule):
                unit = self.fx.convert(money_param(rule, "amount"), ctx.currency, ctx.req.on)
                applied.append(_applied(rule, f"{ctx.distinct_lines} distinct tariff line(s)"))
                return unit * ctx.distinct_lines, False
        exempt = False
        for rule in ctx.of(RuleKind.DUTY_EXEMPTION):
            within = self._threshold(ctx, rule)
            applied.append(_applied(rule, "duty exempt" if within else "above threshold"))
            exempt = exempt or within
        if exempt:
            return Money.zero(ctx.currency), False
        return Money(rounding.tax(self._ad_valorem(ctx, rounding, applied)), ctx.currency), False

    def _regime(self, ctx: _Ctx, rule: Rule, rounding: _Rounding) -> Fraction | None:
        base = Fraction(rounding.base(ctx.customs_value.amount))
        for tier in rule.params["tiers"]:
            limit = self.fx.convert(tier["up_to"], ctx.currency, ctx.req.on)
            if ctx.customs_value <= limit:
                exact = base * int(tier["rate_bps"]) / _BPS
                if "deduction" in tier:
                    ded = self.fx.convert(tier["deduction"], ctx.currency, ctx.req.on)
                    exact -= ded.amount
                return max(exact, Fraction(0))
        return None

    def _ad_valorem(self, ctx: _Ctx, rounding: _Rounding, applied: list[AppliedRule]) -> Fraction:
        table = duty_table_for(ctx.req.destination)
        extra = ctx.customs_value - ctx.goods
        weights = [v.amount for v in ctx.line_values]
        shares = extra.allocate(weights if sum(weights) else [1] * len(weights))
        base_total = rounding.base(ctx.customs_value.amount)
        cv = ctx.customs_value.amount
        scale = Fraction(base_total, cv) if cv else Fraction(0)
        exact = Fraction(0)
        seen: set[str] = set()
        for value, share, code in zip(ctx.line_values, shares, ctx.hs_codes, strict=True):
            bps, prefix = table.rate_for(code)
            exact += (value.amount + share.amount) * scale * bps / _BPS
            rid = f"DUTY-{table.key}-{prefix}"
            if rid not in seen:
                seen.add(rid)
                applied.append(AppliedRule(rid, "duty_rate", table.citation, f"{bps} bps"))
        for rule in ctx.of(RuleKind.SURCHARGE):
            rate = int(rule.params["rate_bps"])
            exact += Fraction(base_total) * rate / _BPS
            applied.append(_applied(rule, f"{rate} bps on the customs value"))
        for rule in ctx.of(RuleKind.DUTY_ON_DUTY):
            rate = int(rule.params["rate_bps"])
            exact += exact * rate / _BPS
            applied.append(_applied(rule, f"{rate} bps of the duty"))
        return exact

    # -- VAT and fees --------------------------------------------------------------------
    def _vat(
        self,
        ctx: _Ctx,
        rounding: _Rounding,
        duty: Money,
        covers_vat: bool,
        applied: list[AppliedRule],
    ) -> tuple[Money, bool]:
        zero = Money.zero(ctx.currency)
        sale = [r for r in ctx.of(RuleKind.COLLECT_AT_SALE) if self._threshold(ctx, r)]
        for rule in sale:
            applied.append(_applied(rule, "VAT collected at sale by the marketplace"))
        at_sale = bool(sale)
        if covers_vat:
            return zero, at_sale
        for rule in ctx.of(RuleKind.TAX_EXEMPTION):
            if self._threshold(ctx, rule):
                applied.append(_applied(rule, "import tax exempt"))
                return zero, at_sale
        rows = ctx.of(RuleKind.VAT)
        if not rows:
            return zero, at_sale
        rule = rows[-1]
        regions = rule.params.get("regions", {})
        bps = int(regions.get(ctx.req.region or "", rule.params["rate_bps"]))
        if sale and sale[-1].params.get("vat_base") == "price_incl_shipping":
            # VAT charged at sale is a domestic-supply VAT: no customs truncation steps.
            base, rounding = ctx.goods.amount + ctx.freight.amount, _Rounding()
        else:
            base = rounding.base(ctx.customs_value.amount) + duty.amount
            if rule.params.get("includes_shipping") and ctx.customs_value == ctx.goods:
                base += ctx.freight.amount
            base = rounding.base(base)
        if rule.params.get("gross_up"):
            exact = Fraction(base * bps, _BPS - bps)
        else:
            exact = Fraction(base * bps, _BPS)
        how = " grossed up" if rule.params.get("gross_up") else ""
        amount = rounding.tax(exact)
        if "local_ratio" in rule.params:  # JP: local consumption tax = 22/78 of national
            num, den = (int(x) for x in rule.params["local_ratio"])
            amount += rounding.tax(Fraction(amount * num, den))
            how += f" + local {num}/{den}"
        shown = self._show(Money(base, ctx.currency))
        applied.append(_applied(rule, f"{bps} bps{how} on {shown}"))
        return Money(amount, ctx.currency), at_sale

    def _fees(self, ctx: _Ctx, applied: list[AppliedRule]) -> Money:
        total = Money.zero(ctx.currency)
        for rule in ctx.of(RuleKind.FEE):
            if "max_value" in rule.params and not self._threshold(ctx, rule):
                continue
            unit = self.fx.convert(money_param(rule, "amount"), ctx.currency, ctx.req.on)
            count = ctx.distinct_lines if rule.params.get("per") == "line" else 1
            total = total + unit * count
            applied.append(_applied(rule, f"{count} x {self._show(unit)}"))
        return total

    @staticmethod
    def _note(rules: Sequence[Rule], applied: list[AppliedRule], detail: str) -> None:
        applied.extend(_applied(r, detail) for r in rules)


def _applied(rule: Rule, detail: str) -> AppliedRule:
    return AppliedRule(rule.id, str(rule.kind), rule.citation, detail)


_DEFAULT: list[QuoteEngine] = []


def quote_landed_cost(req: QuoteRequest) -> LandedCostQuote:
    """Quote with the vendored tables (engine built on first call, then reused)."""
    if not _DEFAULT:
        _DEFAULT.append(QuoteEngine())
    return _DEFAULT[0].quote(req)


__all__ = ["QuoteEngine", "quote_landed_cost"]
