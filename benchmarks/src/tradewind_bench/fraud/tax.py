"""Tax-side bad actors: VAT fraudsters (numbers never issued, another country's, borrowed,
or no registration over a threshold) and customs undervaluers, each with honest counterparts
drawn from the same distributions (see ``fraud.py``)."""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from datetime import datetime, timedelta

from tradewind.simulation.demand import poisson_sample
from tradewind_bench.fraud.records import (
    Activity,
    DeclarationRec,
    FraudKind,
    TaxProfileRec,
    WorldFacts,
)

# Sites whose VAT register the simulation models, and their registration thresholds in local
# minor units (the EU distance-selling threshold; the UK registration threshold).
VAT_THRESHOLDS: dict[str, tuple[int, str]] = {
    "DE": (1_000_000, "EUR"),
    "FR": (1_000_000, "EUR"),
    "IT": (1_000_000, "EUR"),
    "ES": (1_000_000, "EUR"),
    "NL": (1_000_000, "EUR"),
    "GB": (9_000_000, "GBP"),
}
# Registers that confirm validity only and do not say who holds a number (Germany's answer
# to a VIES query carries no name); the others name the holder.
REGISTERS_WITHOUT_HOLDER = frozenset({"DE"})


# -- VAT fraud --------------------------------------------------------------
def _number(country: str, rng: random.Random) -> str:
    digits = "".join(str(rng.randrange(10)) for _ in range(9))
    return (
        f"{'EL' if country == 'GR' else country}{digits}" if country in VAT_THRESHOLDS else digits
    )


# The platform reviews each seller's trailing sales monthly and notifies a seller over a
# country's threshold without a registration there (the UK's rule gives a marketplace 30 days
# after HMRC's notice to see a seller registered or removed; the EU's DAC7 has the platform
# ask its sellers for their VAT numbers); the notice's deadline is the detector's
# (``TaxParams.notice_deadline``).
NOTICE_REVIEW_DAYS = 30.0


def inject_tax(
    facts: WorldFacts,
    rng: random.Random,
    act: Activity,
    lag_rng: random.Random,
    notice_rng: random.Random,
) -> None:
    """Every 3P seller declares a home tax id (registered where the simulation keeps a VAT
    register) and its trailing-12-month sales per VAT country where it has offers (log-normal,
    median 40 % of the threshold), accrued at a steady rate: sales of ``r`` times the
    threshold passed it ``365 * (1 - 1/r)`` days ago. Honest sellers register where over the
    threshold after a lag from crossing (log-normal, median 21 days, sigma 0.9: 5 % take
    more than 90 days, 1.5 % more than 150), so some are still unregistered now; elsewhere
    they register with probability 0.3. The platform's notice (0-30 days after crossing, to
    sellers not registered by then) makes an honest seller register within a reply time
    (log-normal, median 10 days, sigma 0.7: 6 % take more than the notice's 30 days) unless
    its own lag ends first; these draws are on ``notice_rng``. Fraudsters (``rate`` of 3P
    sellers) use one or two of: an unregistered number, another country's number, a number
    borrowed from another seller, or no registration where over the threshold (1.1-4 times
    it); a fraudster ignores notices."""
    act.thresholds_minor = dict(VAT_THRESHOLDS)
    countries: dict[str, set[str]] = defaultdict(set)
    for o in facts.offers:
        c = facts.site_country[o.site_id]
        if c in VAT_THRESHOLDS:
            countries[o.seller_id].add(c)
    third = sorted((s for s in facts.sellers if s.third_party), key=lambda s: s.seller_id)
    n_bad = min(len(third), max(1, round(len(third) * act.params.rate)))
    bad = set(rng.sample([s.seller_id for s in third], k=n_bad))
    registered_numbers: list[str] = []
    notices: dict[tuple[str, str], datetime] = {}
    profiles: list[tuple[str, str, list[tuple[str, str]], list[tuple[str, int]]]] = []
    for s in third:
        ids = [(s.country, _number(s.country, rng))]
        sales = []
        for c in sorted(countries.get(s.seller_id, set())):
            limit = VAT_THRESHOLDS[c][0]
            amount = int(rng.lognormvariate(0, 1.1) * 0.4 * limit)
            sales.append((c, amount))
            # Drawn for every country as before; the registration numbers drawn after an
            # over-threshold country whose outcome the lag changed do shift.
            draw = rng.random()
            if amount > limit:
                crossed = _crossed(act.start, amount, limit)
                lag = timedelta(days=lag_rng.lognormvariate(math.log(21), 0.9))
                review = timedelta(days=notice_rng.uniform(0.0, NOTICE_REVIEW_DAYS))
                reply = timedelta(days=notice_rng.lognormvariate(math.log(10), 0.7))
                if review < lag:
                    lag = min(lag, review + reply)
                    if c != s.country:  # registered at home from the start: no notice
                        notices[(s.seller_id, c)] = crossed + review
                registers = crossed + lag <= act.start
            else:
                registers = draw < 0.3
            if c != s.country and registers:
                ids.append((c, _number(c, rng)))
        for c, num in ids:
            if c in VAT_THRESHOLDS:
                act.tax_register.setdefault(c, set()).add(num)
                registered_numbers.append(num)
                if c not in REGISTERS_WITHOUT_HOLDER:
                    act.tax_holders[(c, num)] = s.seller_id
        profiles.append((s.seller_id, s.country, ids, sales))
    for seller_id, home, ids, sales in profiles:
        label = FraudKind.VAT_FRAUD if seller_id in bad else None
        over = _over_thresholds(act.start, sales)
        sent = [(c, notices[(seller_id, c)]) for c, _ in over if (seller_id, c) in notices]
        if label:
            ids, sales = _defraud(rng, act, (home, ids, sales), registered_numbers)
            over = _over_thresholds(act.start, sales)
            # A fraudster is never registered by the review: every country over is notified.
            declared = {c for c, _ in ids}
            sent = [
                (c, at + timedelta(days=notice_rng.uniform(0.0, NOTICE_REVIEW_DAYS)))
                for c, at in over
                if c not in declared
            ]
        act.tax_profiles.append(
            TaxProfileRec(
                seller_id,
                home,
                tuple(ids),
                tuple(sales),
                act.start,
                label,
                seller_id if label else "",
                tuple(over),
                tuple(sent),
            )
        )
    act.injected[FraudKind.VAT_FRAUD] = len(bad)


def _over_thresholds(now: datetime, sales: list[tuple[str, int]]) -> list[tuple[str, datetime]]:
    """The countries whose threshold the trailing sales pass, with when they passed it."""
    return [
        (c, _crossed(now, v, VAT_THRESHOLDS[c][0])) for c, v in sales if v > VAT_THRESHOLDS[c][0]
    ]


def _crossed(now: datetime, amount: int, limit: int) -> datetime:
    """When steady sales totalling ``amount`` over the trailing year passed ``limit``."""
    return now - timedelta(days=365 * (1 - limit / amount))


def _defraud(
    rng: random.Random,
    act: Activity,
    profile: tuple[str, list[tuple[str, str]], list[tuple[str, int]]],
    numbers: list[str],
) -> tuple[list[tuple[str, str]], list[tuple[str, int]]]:
    home, ids, sales = profile
    ids, sales = list(ids), list(sales)
    countries = sorted(VAT_THRESHOLDS)
    for mode in rng.sample(
        ("invalid", "mismatch", "borrowed", "unregistered"), k=rng.randint(1, 2)
    ):
        c = rng.choice(countries)
        ids = [x for x in ids if x[0] != c]
        if mode == "invalid":
            ids.append((c, _number(c, rng)))  # right format, never issued
        elif mode == "mismatch":
            other = rng.choice([x for x in countries if x != c])
            ids.append((c, _number(other, rng)))
        elif mode == "borrowed":
            ids.append((c, rng.choice(numbers)))
        else:
            limit = VAT_THRESHOLDS[c][0]
            sales = [x for x in sales if x[0] != c] + [(c, int(limit * rng.uniform(1.1, 4.0)))]
    _ = home, act
    return ids, sales


# How far back the platform's clearance record of a sender reaches in the bench.
DECLARATION_HISTORY_DAYS = 90


def _honest_ratio(rng: random.Random) -> float:
    return rng.choices(
        (rng.uniform(0.85, 1.0), rng.uniform(0.5, 0.85), rng.uniform(0.2, 0.5)), (92, 6, 2)
    )[0]


def inject_undervaluation(
    facts: WorldFacts, rng: random.Random, act: Activity, history_rng: random.Random
) -> None:
    """Customs declarations for cross-border FBM lines (seller abroad, site elsewhere). Honest
    declared/price ratio: 92 % in 0.85-1.0, 6 % in 0.5-0.85 (discounts, shipping left out),
    2 % in 0.2-0.5 (gifts, replacements, mistakes). Undervaluers (``rate`` of those sellers)
    declare 15-55 % on every parcel. Each sender also has the parcels it cleared before the
    window (:func:`_draw_history`, on ``history_rng``)."""
    country = {s.seller_id: s.country for s in facts.sellers}
    lines = [
        (o, ln)
        for o in sorted(facts.orders, key=lambda x: x.order_id)
        for ln in o.lines
        if not ln.fba and country.get(ln.seller_id, "") != facts.site_country.get(o.site_id)
    ]
    sellers = sorted({ln.seller_id for _, ln in lines})
    n_bad = min(len(sellers), max(1, round(len(sellers) * act.params.rate))) if sellers else 0
    bad = set(rng.sample(sellers, k=n_bad))
    for k, (o, ln) in enumerate(lines):
        value = ln.unit_price_minor * ln.quantity
        if ln.seller_id in bad:
            ratio, label = rng.uniform(0.15, 0.55), FraudKind.UNDERVALUATION
        else:
            ratio, label = _honest_ratio(rng), None
        act.declarations.append(
            DeclarationRec(
                f"dcl-{k + 1:06d}",
                ln.seller_id,
                max(1, round(value * ratio)),
                value,
                ln.currency,
                o.placed_at + timedelta(hours=rng.uniform(2, 30)),
                label,
                ln.seller_id if label else "",
            )
        )
    act.injected[FraudKind.UNDERVALUATION] = len(bad)
    parcels = Counter(ln.seller_id for _, ln in lines)
    created = {s.seller_id: s.created_at for s in facts.sellers}
    for seller_id in sellers:
        act.declaration_history[seller_id] = _draw_history(
            history_rng,
            parcels[seller_id] / max(facts.days, 1e-9),
            min(float(DECLARATION_HISTORY_DAYS), (act.start - created[seller_id]).days),
            seller_id in bad,
        )


def _draw_history(
    rng: random.Random, per_day: float, days: float, undervalues: bool
) -> tuple[float, ...]:
    """A sender's parcels cleared in the ``days`` before the window, at its rate in the window
    (Poisson). An undervaluer began undervaluing 0-365 days before the window (uniform): an
    ongoing practice, not a one-off; its parcels before that are honest."""
    began = rng.uniform(0.0, 365.0) if undervalues else -1.0
    out = []
    for _ in range(poisson_sample(per_day * max(days, 0.0), rng)):
        age = rng.uniform(0.0, days)
        out.append(rng.uniform(0.15, 0.55) if age <= began else _honest_ratio(rng))
    return tuple(out)
