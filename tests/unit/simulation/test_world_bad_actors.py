import pytest

from tradewind.marketplace.model import SellerKind
from tradewind.simulation.adapters.world_inputs import origin_cities, site_inputs
from tradewind.simulation.world import WorldParams, build_world, catalog_batches
from tradewind.simulation.world_bad_actors import (
    CHECK_DIGIT_ORIGINS,
    EU_VAT_SITES,
    BadActorKind,
    TaxFlaw,
    account_age_days,
    tax_registrations,
)


@pytest.fixture(scope="module")
def inputs():
    return site_inputs(), origin_cities()


def world(inputs, seed=0, bad=0):
    sites, origins = inputs
    params = WorldParams(seed, products=80, customers=300, third_party_sellers=30, bad_actors=bad)
    return build_world(params, sites, origins)


def catalog(w):
    rows = []
    for batch in catalog_batches(w):
        rows += [(p.product_id, p.title, p.brand_id) for p in batch.products]
        rows += [(o.offer_id, o.price.amount, o.channel.value) for o in batch.offers]
        rows += [(p.fc_id, p.sku, p.on_hand) for p, _, _ in batch.inventory]
    return rows


def test_default_world_has_no_bad_actors(inputs):
    """bad_actors defaults to 0: no labels, no extra sellers, no extra offers."""
    w = world(inputs)
    assert w.params.bad_actors == 0 and w.bad_actors == []
    assert sum(s.kind == SellerKind.THIRD_PARTY for s in w.sellers) == 30
    assert all(r.flaw is None for r in tax_registrations(w, {}))


def test_exactly_n_bad_actors_deterministic_per_seed(inputs):
    """N labelled bad actors, the same for a seed; another seed draws others."""
    a, b, c = world(inputs, 3, 6), world(inputs, 3, 6), world(inputs, 4, 6)
    assert len(a.bad_actors) == 6
    assert a.bad_actors == b.bad_actors and catalog(a) == catalog(b)
    assert a.bad_actors != c.bad_actors
    kinds = [x.kind for x in a.bad_actors]
    assert kinds.count(BadActorKind.HIJACKER) == 3
    assert len({x.seller_id for x in a.bad_actors}) == 6


def test_honest_world_is_unchanged_by_bad_actors(inputs):
    """Adding bad actors leaves honest sellers, brands and honest offers as they were."""
    plain, bad = world(inputs, 5), world(inputs, 5, 4)
    hijackers = {x.seller_id for x in bad.bad_actors if x.kind is BadActorKind.HIJACKER}
    assert bad.sellers[: len(plain.sellers)] == plain.sellers
    assert {s.seller_id for s in bad.sellers[len(plain.sellers) :]} == hijackers
    assert bad.brands == plain.brands
    honest = [r for r in catalog(bad) if not any(h in str(r[0]) for h in hijackers)]
    assert honest == catalog(plain)


def test_hijackers_undercut_brand_owners_on_registered_brands(inputs):
    """Each hijacker lists 2-3 offers on products of a brand with a registered owner, far
    below that owner's price, from a new account."""
    w = world(inputs, 1, 4)
    owner_of = {b.brand_id: b.owner_seller_id for b in w.brands}
    batch = next(catalog_batches(w))
    brand_of = {p.product_id: p.brand_id for p in batch.products}
    price = {(o.seller_id, o.product_id, o.site_id): o.price.amount for o in batch.offers}
    for a in (x for x in w.bad_actors if x.kind is BadActorKind.HIJACKER):
        mine = [o for o in batch.offers if o.seller_id == a.seller_id]
        assert 2 <= len(mine) <= 3
        assert account_age_days(w, a.seller_id) < 30
        for o in mine:
            owner = owner_of[brand_of[o.product_id]]
            assert owner is not None and owner != a.seller_id
            assert o.price.amount < 0.8 * price[(owner, o.product_id, o.site_id)]


def test_tax_registrations_home_plus_eu_stock_and_flaws(inputs):
    """Home country always; EU/GB VAT where stock is held; flawed ones only for bad actors."""
    w = world(inputs, 2, 4)
    stock = {s.seller_id: {"DE", "US", "FR"} for s in w.sellers}
    regs = tax_registrations(w, stock)
    by_seller: dict[str, list] = {}
    for r in regs:
        by_seller.setdefault(r.seller_id, []).append(r)
    for s in w.sellers:
        countries = {r.country for r in by_seller[s.seller_id]}
        assert s.country in countries
        if s.kind == SellerKind.THIRD_PARTY:
            assert {"DE", "FR"} <= countries and countries - {s.country} <= set(EU_VAT_SITES)
        else:
            assert countries == {s.country}
    flawed = {r.seller_id: r for r in regs if r.flaw is not None}
    taxed = {x.seller_id: x for x in w.bad_actors if x.kind is not BadActorKind.HIJACKER}
    assert set(flawed) == set(taxed)
    for sid, r in flawed.items():
        seller = w.sellers_by_id[sid]
        assert seller.country in CHECK_DIGIT_ORIGINS
        if r.flaw is TaxFlaw.FOREIGN:
            assert r.number_country != r.country and r.country in EU_VAT_SITES


def test_account_ages_are_established_and_seeded(inputs):
    """Honest accounts are 6 months to 8 years old, the same per seed."""
    w = world(inputs, 9)
    ages = [account_age_days(w, s.seller_id) for s in w.sellers]
    assert all(180 <= a <= 8 * 365 for a in ages)
    assert ages == [account_age_days(world(inputs, 9), s.seller_id) for s in w.sellers]


def test_stdnum_numbers_valid_and_flaws_detected(inputs):
    """The adapter writes numbers stdnum accepts; flawed ones fail as the scan will see."""
    from tradewind.governance.ports import TaxIdStatus
    from tradewind.platform.taxids import StdnumTaxIdValidator, stdnum_module
    from tradewind.simulation.adapters.world_taxids import TEMPLATES, StdnumTaxNumbers
    from tradewind.simulation.world_bad_actors import TaxRegistration

    source, check = StdnumTaxNumbers(0), StdnumTaxIdValidator()
    for country in TEMPLATES:
        number = source(TaxRegistration("sel-1", country, country))
        assert number == source(TaxRegistration("sel-1", country, country))
        module = stdnum_module(country)
        assert module is None or module.is_valid(number), (country, number)
    bad = source(TaxRegistration("sel-1", "CN", "CN", TaxFlaw.CHECKSUM))
    assert check.validate("CN", bad).status is TaxIdStatus.INVALID_CHECKSUM
    foreign = source(TaxRegistration("sel-1", "DE", "GB", TaxFlaw.FOREIGN))
    assert foreign.startswith("GB") and not check.validate("DE", foreign).valid
