from tradewind.marketplace.buybox import Contender, decide
from tradewind.marketplace.model import (
    Channel,
    Condition,
    KycStatus,
    Offer,
    Seller,
    SellerKind,
    Site,
)
from tradewind.shared.money import Money

SITE = Site("US", "US", "USD", "en-US", standard_shipping=Money(499, "USD"))


def seller(sid: str, health: int = 1000, kyc: KycStatus = KycStatus.VERIFIED) -> Seller:
    return Seller(sid, sid, SellerKind.THIRD_PARTY, "US", kyc, health_permille=health)


def offer(
    oid: str,
    price: int,
    *,
    channel: Channel = Channel.FBA,
    ship: int = 0,
    handling: int = 1,
    condition: Condition = Condition.NEW,
) -> Offer:
    return Offer(
        oid,
        oid,
        "P",
        "US",
        Money(price, "USD"),
        Money(ship, "USD"),
        condition=condition,
        channel=channel,
        handling_days=handling,
    )


def test_cheapest_landed_price_wins_among_equals():
    """Two FBA offers with equal health: the lower price wins."""
    r = decide(
        "P",
        SITE,
        [Contender(offer("A", 2000), seller("A"), 5), Contender(offer("B", 1900), seller("B"), 5)],
    )
    assert r.winner_offer_id == "B"


def test_landed_price_includes_shipping():
    """A cheap FBM price with expensive shipping loses to an FBA offer for a member."""
    cheap_fbm = Contender(
        offer("F", 1500, channel=Channel.FBM, ship=900, handling=3), seller("F"), 5
    )
    fba = Contender(offer("A", 1900), seller("A"), 5)
    assert decide("P", SITE, [cheap_fbm, fba], member=True).winner_offer_id == "A"


def test_out_of_stock_unverified_and_used_offers_are_not_eligible_and_explained():
    """Ineligible offers never win, and explain() says why."""
    r = decide(
        "P",
        SITE,
        [
            Contender(offer("OOS", 100), seller("OOS"), 0),
            Contender(offer("KYC", 100), seller("KYC", kyc=KycStatus.PENDING), 5),
            Contender(offer("USED", 100, condition=Condition.USED), seller("USED"), 5),
            Contender(offer("OK", 5000), seller("OK"), 1),
        ],
    )
    assert r.winner_offer_id == "OK"
    text = "\n".join(r.explain())
    assert "out of stock" in text and "KYC status pending" in text and "condition used" in text
    assert r.explain()[0].startswith("OK [WINNER]")


def test_seller_health_can_outweigh_a_small_price_gap():
    """A 1 % cheaper offer from a seller with poor health loses."""
    r = decide(
        "P",
        SITE,
        [
            Contender(offer("A", 1000), seller("A", health=1000), 5),
            Contender(offer("B", 990), seller("B", health=500), 5),
        ],
    )
    assert r.winner_offer_id == "A"


def test_no_eligible_offer_means_no_winner():
    """With nothing in stock, there is no buy box."""
    assert decide("P", SITE, [Contender(offer("A", 1000), seller("A"), 0)]).winner_offer_id is None


def test_tie_breaks_deterministically_by_offer_id():
    """Identical offers: the lower offer id wins, every time."""
    r = decide(
        "P",
        SITE,
        [Contender(offer("B", 1000), seller("B"), 5), Contender(offer("A", 1000), seller("A"), 5)],
    )
    assert r.winner_offer_id == "A"


def test_import_charges_count_in_the_landed_price():
    """A foreign self-fulfilled offer that looks cheaper loses once its duty and taxes (charged
    at checkout) are part of the landed price."""
    foreign = Contender(
        offer("CN", 1700, channel=Channel.FBM, ship=200, handling=1),
        seller("CN"),
        5,
        import_charges=Money(700, "USD"),
    )
    local = Contender(offer("US", 1900, channel=Channel.FBM, ship=200, handling=1), seller("US"), 5)
    r = decide("P", SITE, [foreign, local])
    assert r.winner_offer_id == "US"
    landed = {s.offer_id: s.landed_price.amount for s in r.scores}
    assert landed == {"CN": 2600, "US": 2100}
    alone = decide("P", SITE, [foreign, local.__class__(local.offer, local.seller, 0)])
    assert alone.winner_offer_id == "CN"  # still eligible, just no longer the cheapest
