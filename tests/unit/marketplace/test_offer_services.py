import pytest

from tests.unit.factories import small_world
from tradewind.marketplace.commands import CreateOffer, UpdateOffer
from tradewind.marketplace.model import Channel
from tradewind.marketplace.services import create_offer, update_offer
from tradewind.shared.errors import TradewindError


def test_offers_attach_to_existing_products_only_once_per_seller():
    """A seller adds one offer per product/site/condition; a second is refused."""
    uow = small_world()
    oid = create_offer(CreateOffer("S2", "P1", "US", 1899), uow)
    assert uow.committed.offers[oid].price.amount == 1899
    with pytest.raises(TradewindError) as info:
        create_offer(CreateOffer("S2", "P1", "US", 1799), uow)
    assert info.value.code == "offer_exists"
    with pytest.raises(TradewindError) as info:
        create_offer(CreateOffer("S2", "NOPE", "US", 1799), uow)
    assert info.value.code == "not_found"


def test_a_seller_cannot_change_another_sellers_offer():
    """S2 updating S1's offer gets offer_not_found and nothing changes."""
    uow = small_world()
    with pytest.raises(TradewindError) as info:
        update_offer(UpdateOffer("S2", "O1", price_minor=1), uow)
    assert info.value.code == "offer_not_found"
    assert uow.committed.offers["O1"].price.amount == 2000


def test_price_update_bumps_version_and_stale_writes_are_refused():
    """Optimistic concurrency: expected_version must match."""
    uow = small_world()
    v = update_offer(UpdateOffer("S1", "O1", price_minor=1500), uow)
    assert v == 2 and uow.committed.offers["O1"].price.amount == 1500
    with pytest.raises(TradewindError) as info:
        update_offer(UpdateOffer("S1", "O1", price_minor=1400, expected_version=1), uow)
    assert info.value.code == "stale_offer"


def test_bad_offer_terms_are_refused_per_field():
    """Negative shipping, FBA quantity, FBM stock on FBA: clear errors, no change."""
    uow = small_world()
    with pytest.raises(TradewindError) as info:
        create_offer(CreateOffer("S2", "P2", "US", 100, shipping_minor=-1), uow)
    assert info.value.errors[0]["field"] == "shipping_fee"
    with pytest.raises(TradewindError):
        create_offer(CreateOffer("S2", "P2", "US", 100, channel=Channel.FBA, quantity=3), uow)
    with pytest.raises(TradewindError) as info:
        update_offer(UpdateOffer("S1", "O1", quantity=3), uow)
    assert info.value.code == "invalid_offer"
    assert len(uow.committed.offers) == 3
