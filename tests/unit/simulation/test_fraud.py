"""Injected fraud: deterministic per seed, labelled, at the configured rate, with honest
counterparts of every kind."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta

import pytest

from tradewind.shared.clock import utc
from tradewind_bench.fraud import security as fraud_security
from tradewind_bench.fraud.inject import inject
from tradewind_bench.fraud.records import (
    Activity,
    FraudKind,
    FraudParams,
    SimLine,
    SimOffer,
    SimOrder,
    SimSeller,
    WorldFacts,
)

START = utc(2026, 12, 1)
SITES = {"US": "US", "DE": "DE", "FR": "FR", "GB": "GB"}
CURRENCY = {"US": "USD", "DE": "EUR", "FR": "EUR", "GB": "GBP"}


def small_world(seed: int = 3, orders: int = 800) -> WorldFacts:
    """A hand-rolled world shaped like the simulation's output (no database)."""
    rng = random.Random(seed)
    countries = ["CN", "US", "DE", "GB", "FR"]
    sellers = [SimSeller(f"sel-{i:05d}", countries[i % 5], True, START) for i in range(1, 61)]
    sellers += [SimSeller(f"retail-{s.lower()}", s, False, START) for s in SITES]
    brands = {f"brd-{b:06d}": (sellers[b].seller_id if b % 3 == 0 else None) for b in range(40)}
    products = {f"prd-{p:07d}": f"brd-{p % 40:06d}" for p in range(400)}
    offers = []
    for p in products:
        for site in rng.sample(sorted(SITES), k=2):
            for s in rng.sample(sellers[:60], k=2):
                offers.append(
                    SimOffer(
                        f"off-{p}-{s.seller_id}-{site}",
                        s.seller_id,
                        p,
                        site,
                        rng.randint(500, 9_000),
                        CURRENCY[site],
                    )
                )
    customers = {f"cus-{s.lower()}-{i:05d}": s for s in SITES for i in range(1, 151)}
    cust = sorted(customers)
    out = []
    for k in range(orders):
        off = rng.choice(offers)
        placed = START + timedelta(days=rng.random())
        line = SimLine(
            off.seller_id,
            off.product_id,
            off.price_minor,
            rng.randint(1, 2),
            off.currency,
            rng.random() < 0.7,
        )
        buyer = rng.choice([c for c in cust if customers[c] == off.site_id])
        out.append(
            SimOrder(
                f"ord-{k:06d}",
                buyer,
                off.site_id,
                placed,
                placed + timedelta(days=rng.uniform(1, 3)),
                (line,),
            )
        )
    fcs = {s: [f"{s}-FC-{i:03d}" for i in range(1, 4)] for s in SITES}
    return WorldFacts(START, 1.0, SITES, sellers, brands, products, offers, out, customers, fcs)


@pytest.fixture(scope="module")
def act() -> Activity:
    return inject(small_world(), FraudParams(seed=0, rate=0.05))


def _signature(a: Activity) -> tuple[object, ...]:
    return (
        [(r.order_id, r.seller_id, r.ship_to, r.at, r.label) for r in a.orders],
        [(r.review_id, r.at, r.text_fake_probability, r.label) for r in a.reviews],
        [(o.offer_id, o.price_minor, o.label) for o in a.new_offers],
        [(u.unit_id, u.code, u.label) for u in a.inbound],
        [(p.seller_id, p.tax_ids, p.label) for p in a.tax_profiles],
        [(d.shipment_id, d.declared_minor, d.label) for d in a.declarations],
    )


def test_same_seed_same_injection_other_seed_differs(act: Activity) -> None:
    """Injection is a pure function of the world facts and the seed."""
    again = inject(small_world(), FraudParams(seed=0, rate=0.05))
    other = inject(small_world(), FraudParams(seed=1, rate=0.05))
    assert _signature(act) == _signature(again)
    assert _signature(act) != _signature(other)


def test_every_type_is_injected_and_labelled(act: Activity) -> None:
    """Each of the six types has bad actors, and each bad record names its actor."""
    assert set(act.injected) == set(FraudKind)
    assert all(n >= 1 for n in act.injected.values())
    records = [
        *act.orders,
        *act.reviews,
        *act.new_offers,
        *act.inbound,
        *act.tax_profiles,
        *act.declarations,
    ]
    assert all(bool(r.actor) == (r.label is not None) for r in records)
    assert {r.label for r in records} >= set(FraudKind)


def test_honest_counterparts_are_present(act: Activity) -> None:
    """Every fact stream holds honest records, including the hard ones: unauthorised genuine
    resellers, shared lockers, unverified honest reviews, honest low declarations."""
    assert all(
        any(r.label is None for r in xs)
        for xs in (
            act.orders,
            act.reviews,
            act.new_offers,
            act.inbound,
            act.tax_profiles,
            act.declarations,
        )
    )
    honest_offers = [o for o in act.new_offers if o.label is None]
    unauth = [
        o
        for o in honest_offers
        if act.brand_owner.get(o.brand_id)
        and o.seller_id not in act.authorised.get(o.brand_id, set())
        and o.seller_id != act.brand_owner[o.brand_id]
    ]
    assert unauth, "genuine unauthorised resellers make follow-sell non-trivial"
    assert any(r.ship_to.startswith("locker:") for r in act.orders if r.label is None)
    assert any(r.order_id is None for r in act.reviews if r.label is None)


def test_rate_is_honoured(act: Activity) -> None:
    """Bad shares are near the rate for the types drawn per item or per seller."""
    reviews = [r for r in act.reviews if r.label is not FraudKind.BRUSHING_RING]
    share = sum(r.label is FraudKind.REVIEW_FARM for r in reviews) / len(reviews)
    assert share == pytest.approx(0.05, abs=0.015)
    offers = sum(o.label is FraudKind.HIJACKER for o in act.new_offers) / len(act.new_offers)
    assert offers == pytest.approx(0.05, abs=0.02)
    vat = sum(p.label is FraudKind.VAT_FRAUD for p in act.tax_profiles) / len(act.tax_profiles)
    assert vat == pytest.approx(0.05, abs=0.02)
    higher = inject(small_world(), FraudParams(seed=0, rate=0.2))
    assert higher.injected[FraudKind.VAT_FRAUD] > act.injected[FraudKind.VAT_FRAUD]


def test_facts_are_in_time_order_and_inside_the_window(act: Activity) -> None:
    """Streams are sorted by the time they become known, within the evaluated window."""
    for xs in (act.orders, act.reviews, act.new_offers, act.inbound, act.declarations):
        times = [x.at for x in xs]
        assert times == sorted(times)
    assert all(act.start - timedelta(hours=1) <= r.at <= act.end for r in act.reviews)


def test_counterfeit_codes_are_not_all_trivially_unknown(act: Activity) -> None:
    """Some counterfeit units carry issued codes (copied), some genuine units lack a code."""
    fake = [u for u in act.inbound if u.label is FraudKind.COUNTERFEITER]
    genuine = [u for u in act.inbound if u.label is None and u.product_id in act.enrolled]
    assert fake and genuine
    assert all(u.code is None or u.code in act.issued for u in genuine)


def test_rate_out_of_range_is_refused() -> None:
    """A rate of 0 or >= 0.5 is a configuration error."""
    with pytest.raises(ValueError):
        FraudParams(seed=0, rate=0.0)


def test_every_reviewer_has_a_history_and_honest_ones_include_hard_cases() -> None:
    """Each reviewing account has a history; honest ones include new accounts, prolific
    reviewers and gift reviewers; farm accounts include fresh, bought and veteran ones."""
    a = inject(small_world(orders=3_000), FraudParams(seed=0, rate=0.05))
    assert set(a.reviewers) == {r.reviewer_id for r in a.reviews}
    honest = [r for r in a.reviewers.values() if r.label is None]
    farm = [r for r in a.reviewers.values() if r.label is FraudKind.REVIEW_FARM]
    assert {r.actor for r in honest} == {"regular", "new", "prolific", "gift"}
    assert {r.actor.split(":")[1] for r in farm} <= {"fresh", "bought", "veteran"}
    assert all(r.created_at < a.start for r in a.reviewers.values())
    assert all(x.at < a.start for r in a.reviewers.values() for x in r.past_reviews)
    assert all(
        r.past_purchases >= sum(x.verified for x in r.past_reviews) for r in a.reviewers.values()
    )
    new_honest = [r for r in honest if (a.start - r.created_at) < timedelta(days=90)]
    assert new_honest, "new honest accounts make account age a weak signal"


def test_reviewed_purchases_have_deliveries_and_some_refunds() -> None:
    """Verified honest and farm reviews know their delivery; farm reviews follow it within
    1.5 days; refunds are of reviewed purchases, after the review."""
    a = inject(small_world(orders=3_000), FraudParams(seed=0, rate=0.05))
    verified = [r for r in a.reviews if r.order_id and r.label is not FraudKind.BRUSHING_RING]
    assert verified and all(r.delivered_at is not None for r in verified)
    farm = [r for r in verified if r.label is FraudKind.REVIEW_FARM]
    assert all(r.delivered_at and r.at - r.delivered_at <= timedelta(days=1.5) for r in farm)
    by_order = {r.order_id: r for r in verified}
    assert a.refunds and all(f.at > by_order[f.order_id].at for f in a.refunds)
    assert [f.at for f in a.refunds] == sorted(f.at for f in a.refunds)


def test_no_counterfeiter_is_the_brand_owner_of_its_goods() -> None:
    """A brand owner's own units are genuine by definition: over several seeds, no
    counterfeit shipment is sent by the owner of its product's brand."""
    world = small_world()
    for seed in range(6):
        a = inject(world, FraudParams(seed=seed, rate=0.2))
        fakes = [u for u in a.inbound if u.label is FraudKind.COUNTERFEITER]
        assert fakes
        for u in fakes:
            assert u.seller_id != world.brand_owner.get(world.product_brand[u.product_id])


def test_tax_profiles_say_when_sales_crossed_a_threshold(act: Activity) -> None:
    """Every country over its threshold has a crossing date: steady sales of ``r`` times the
    threshold crossed it ``365 (1 - 1/r)`` days before the window; countries under it have
    none."""
    many = inject(small_world(orders=3_000), FraudParams(seed=0, rate=0.05))
    seen = 0
    for p in [*act.tax_profiles, *many.tax_profiles]:
        since = dict(p.over_since)
        for country, amount in p.sales_minor:
            limit = many.thresholds_minor[country][0]
            if amount <= limit:
                assert country not in since
                continue
            seen += 1
            days = (many.start - since[country]) / timedelta(days=1)
            assert days == pytest.approx(365 * (1 - limit / amount), abs=1e-3)
    assert seen > 0


def test_notices_go_to_sellers_over_a_threshold_and_fraudsters_never_answer() -> None:
    """The platform notifies 0-30 days after crossing (never about the home country, where an
    honest seller is registered from the start); an honest seller notified more than 30 days
    ago is rarely still unregistered (the notice's reply time), a fraudster over a threshold
    unregistered is notified and never registers."""
    a = inject(small_world(orders=3_000), FraudParams(seed=0, rate=0.2))
    notified = ignored = 0
    for p in a.tax_profiles:
        since, sent = dict(p.over_since), dict(p.notices)
        declared = {c for c, _ in p.tax_ids}
        for c, at in sent.items():
            assert timedelta(0) <= at - since[c] <= timedelta(days=30)
            assert p.label or c != p.establishment_country  # registered at home from the start
        for c in since:
            if p.label and c not in declared:
                assert c in sent
        if p.label is None:
            notified += bool(sent)
            ignored += any(
                c not in declared and a.start - at > timedelta(days=30) for c, at in sent.items()
            )
    assert notified > 0 and ignored <= 0.1 * notified


def test_senders_have_a_clearance_record_before_the_window() -> None:
    """Every cross-border sender has its earlier parcels' ratios at its window rate over the
    90 days before the window (none for an account opened at the window's start); an
    undervaluer's record is partly or wholly low, an honest sender's mostly 85-100 %."""
    world = small_world(orders=3_000)
    new = inject(world, FraudParams(seed=0, rate=0.2))
    assert set(new.declaration_history) == {d.seller_id for d in new.declarations}
    assert all(h == () for h in new.declaration_history.values())
    year_old = [replace(s, created_at=START - timedelta(days=365)) for s in world.sellers]
    a = inject(replace(world, sellers=year_old), FraudParams(seed=0, rate=0.2))
    assert [d.declared_minor for d in a.declarations] == [
        d.declared_minor for d in new.declarations
    ]
    bad = {d.seller_id for d in a.declarations if d.label}
    honest = [r for s, h in a.declaration_history.items() if s not in bad for r in h]
    low = [r for s in bad for r in a.declaration_history[s] if r < 0.6]
    assert len(honest) > 100 and sum(r < 0.6 for r in honest) / len(honest) < 0.08
    assert low and all(0.15 <= r <= 0.55 for r in low if r < 0.2)


def test_every_new_offer_has_a_test_buy_outcome_drawn_on_its_own_stream(act: Activity) -> None:
    """Each new offer has what a test buy would find and when: hijackers' items mostly fail
    inspection, genuine resellers' mostly pass, results 1-5 days after ordering."""
    assert set(act.test_buys) == {o.offer_id for o in act.new_offers}
    many = inject(small_world(), FraudParams(seed=0, rate=0.3))
    bad = [many.test_buys[o.offer_id].result for o in many.new_offers if o.label]
    good = [many.test_buys[o.offer_id].result for o in many.new_offers if not o.label]
    assert sum(r != "genuine" for r in bad) / len(bad) > 0.8
    assert sum(r == "genuine" for r in good) / len(good) > 0.95
    lags = [t.lag for t in many.test_buys.values()]
    assert timedelta(days=1) <= min(lags) and max(lags) <= timedelta(days=5)


def test_devices_are_drawn_for_every_reviewer_and_farms_share_phones() -> None:
    """Every reviewing account has devices; an honest device outside the public terminals is
    used by at most a household (3 accounts); some farm phone carries several farm accounts."""
    a = inject(small_world(orders=3_000), FraudParams(seed=0, rate=0.05))
    assert all(r.devices for r in a.reviewers.values())
    users: dict[str, set[str]] = {}
    for r in a.reviewers.values():
        for d in r.devices:
            users.setdefault(d, set()).add(r.reviewer_id)
    honest = {r.reviewer_id for r in a.reviewers.values() if r.label is None}
    for device, accounts in users.items():
        if accounts <= honest and not device.startswith("dev-public-"):
            assert len(accounts) <= 3, device
    farm = {r.reviewer_id for r in a.reviewers.values() if r.label is FraudKind.REVIEW_FARM}
    assert max(len(acc & farm) for acc in users.values()) >= 3


def test_contact_changes_show_handovers_of_bought_accounts_on_their_own_stream(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Bought farm accounts that show a handover replaced email and phone from a new device
    90-200 days before the window; other farm and ring accounts change nothing; honest
    accounts change details between their creation and the window, some both at once. The
    draw leaves every other part of the injection as it was."""
    a = inject(small_world(orders=3_000), FraudParams(seed=0, rate=0.05))
    bought = [r for r in a.reviewers.values() if r.actor.endswith(":bought")]
    assert any(r.contact_changes for r in bought)
    for r in bought:
        for c in r.contact_changes:
            assert c.email and c.phone and c.new_device
            assert timedelta(days=90) <= a.start - c.at <= timedelta(days=200)
    others = [r for r in a.reviewers.values() if r.label and not r.actor.endswith(":bought")]
    assert others and not any(r.contact_changes for r in others)
    honest = [r for r in a.reviewers.values() if r.label is None]
    changes = [c for r in honest for c in r.contact_changes]
    assert changes and any(c.email and c.phone for c in changes)
    assert any(c.email != c.phone for c in changes)
    for r in honest:
        assert [c.at for c in r.contact_changes] == sorted(c.at for c in r.contact_changes)
        assert all(r.created_at <= c.at <= a.start for c in r.contact_changes)
    monkeypatch.setattr(fraud_security, "draw_contact_changes", lambda act, rng: None)
    without = inject(small_world(orders=3_000), FraudParams(seed=0, rate=0.05))
    assert without.reviews == a.reviews and without.orders == a.orders
    assert {k: replace(r, contact_changes=()) for k, r in a.reviewers.items()} == without.reviewers
