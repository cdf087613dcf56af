import pytest

from tradewind.catalog.commands import CreateBrand, CreateProduct
from tradewind.catalog.model import SizeTier, is_valid_gtin, make_gtin, size_tier_for
from tradewind.catalog.services import create_brand, create_product
from tradewind.platform.memory import FakeUnitOfWork
from tradewind.shared.errors import TradewindError


def test_gtin_check_digits():
    """GS1 mod-10: a real EAN-13 validates, a typo does not."""
    assert is_valid_gtin("4006381333931")
    assert not is_valid_gtin("4006381333932")
    assert is_valid_gtin(make_gtin(12345))


def test_size_tiers():
    """Weight and longest side choose the FBA size tier."""
    assert size_tier_for(300, 200) == SizeTier.SMALL_STANDARD
    assert size_tier_for(2000, 400) == SizeTier.LARGE_STANDARD
    assert size_tier_for(20000, 900) == SizeTier.LARGE_BULKY


def test_a_second_listing_of_the_same_product_is_refused_with_the_canonical_id():
    """Same GTIN twice: duplicate_listing names the product to attach an offer to."""
    uow = FakeUnitOfWork()
    create_brand(CreateBrand("B", "Acme", "S1"), uow)
    gtin = make_gtin(7)
    first = create_product(CreateProduct("S1", gtin, "Kettle", "kitchen", "B", 900, 250), uow)
    with pytest.raises(TradewindError) as info:
        create_product(CreateProduct("S2", gtin, "Kettle (cheap)", "kitchen", "B", 900, 250), uow)
    assert info.value.code == "duplicate_listing"
    assert info.value.errors[0]["existing_product_id"] == first
    assert len(uow.committed.products) == 1


def test_invalid_products_are_refused_with_field_errors():
    """Blank title and bad GTIN are reported per field."""
    uow = FakeUnitOfWork()
    create_brand(CreateBrand("B", "Acme"), uow)
    with pytest.raises(TradewindError) as info:
        create_product(CreateProduct(None, "123", " ", "kitchen", "B", 0, 10), uow)
    fields = {e["field"] for e in info.value.errors}
    assert {"title", "gtin", "weight_g"} <= fields
    assert not uow.committed.products


def test_product_ratings_are_optional_and_validated():
    """No reviews: no rating; with reviews, an average of 1.0..5.0 stars (x 10)."""

    from tradewind.catalog.errors import InvalidProduct
    from tradewind.catalog.model import Product, make_gtin

    def product(**kw):
        return Product("p1", make_gtin(1), "Mug", "kitchen", "b1", 300, 100, **kw)

    assert (product().rating_x10, product().review_count) == (None, 0)
    assert product(rating_x10=43, review_count=12).rating_x10 == 43
    for bad in ({"rating_x10": 55, "review_count": 3}, {"rating_x10": 40}, {"review_count": 2}):
        with pytest.raises(InvalidProduct):
            product(**bad)


def test_rating_facet_counts_n_stars_and_up():
    from tradewind.catalog.search import FacetCount, SearchQuery, rating_facet, stars_floor

    assert [stars_floor(r) for r in (None, 10, 19, 39, 40, 50)] == [0, 1, 1, 3, 4, 5]
    assert rating_facet({0: 7, 2: 1, 4: 2, 5: 1}) == (
        FacetCount("4", 3),
        FacetCount("3", 3),
        FacetCount("2", 4),
        FacetCount("1", 4),
    )
    assert rating_facet({0: 5}) == ()
    assert SearchQuery("XX").min_stars is None

    with pytest.raises(ValueError):
        SearchQuery("XX", min_stars=5)
