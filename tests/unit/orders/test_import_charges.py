"""Delivered duty paid: cross-border parcels carry their landed-cost charges at checkout."""

from datetime import timedelta

from tests.unit.factories import NOW, clock
from tradewind.catalog.model import Brand, Product, make_gtin
from tradewind.customs.adapters.quoter import CustomsImportQuoter
from tradewind.customs.api import QuoteLine, QuoteRequest, quote_landed_cost
from tradewind.marketplace.fees import FeeSchedule
from tradewind.marketplace.model import Channel, KycStatus, Offer, Seller, SellerKind, Site
from tradewind.orders.adapters.payments import FakePaymentGateway
from tradewind.orders.checkout import place_order
from tradewind.orders.commands import PlaceOrder
from tradewind.orders.model import CartLine, Customer
from tradewind.platform.memory import FakeUnitOfWork, MemoryState
from tradewind.shared.money import Money


def eur(n: int) -> Money:
    return Money(n, "EUR")


def german_shop() -> FakeUnitOfWork:
    """A DE site; a Chinese seller shipping sneakers itself, and a German one."""
    s = MemoryState()
    s.sites["DE"] = (Site("DE", "DE", "EUR", "de-DE", "standard", eur(399)), FeeSchedule("EUR"))
    s.sellers["CN1"] = Seller(
        "CN1", "Shoes CN", SellerKind.THIRD_PARTY, "CN", KycStatus.VERIFIED, lat=31.2, lon=121.5
    )
    s.sellers["DE1"] = Seller(
        "DE1", "Schuhe DE", SellerKind.THIRD_PARTY, "DE", KycStatus.VERIFIED, lat=52.5, lon=13.4
    )
    s.brands["B"] = Brand("B", "Runner")
    s.products["P"] = Product(
        "P", make_gtin(9), "Runner Sneakers", "fashion", "B", 800, 320, "640411"
    )
    for sid in ("CN1", "DE1"):
        s.offers[f"O-{sid}"] = Offer(
            f"O-{sid}",
            sid,
            "P",
            "DE",
            eur(4500),
            eur(500),
            channel=Channel.FBM,
            handling_days=2,
            fbm_quantity=5,
        )
    s.customers["C"] = Customer("C", "DE", "Kunde", "Berlin", 52.5, 13.4, NOW + timedelta(days=30))
    return FakeUnitOfWork(s)


def test_a_parcel_from_china_pays_the_quoted_duty_and_vat_at_checkout():
    """The order total is the landed cost the customs engine quotes; the ledger owes it to
    customs and still balances."""
    uow, psp = german_shop(), FakePaymentGateway()
    r = place_order(
        PlaceOrder("C", (CartLine("O-CN1", 1),), "k"),
        uow,
        psp,
        clock(),
        importer=CustomsImportQuoter(),
    )
    quote = quote_landed_cost(
        QuoteRequest("CN", "DE", (QuoteLine("640411", eur(4500), 1),), eur(500), NOW.date())
    )
    assert quote.duty.amount > 0 and quote.vat.amount > 0  # EU: EUR 3 per line + 19 % VAT
    order = uow.committed.orders[r.order_id]
    assert order.total == eur(4500 + 500) + quote.total_taxes
    ledger = [p for _, _, p in uow.committed.ledger]
    assert sum(p.amount.amount for p in ledger) == 0
    owed = sum(-p.amount.amount for p in ledger if p.account.startswith("customs:DE:"))
    assert owed == quote.total_taxes.amount
    assert psp.captured_total == order.total.amount


def test_domestic_parcels_and_checkouts_without_a_quoter_pay_no_import_charges():
    """A German seller's parcel is domestic; without an importer nothing is added."""
    uow = german_shop()
    r = place_order(
        PlaceOrder("C", (CartLine("O-DE1", 1),), "k1"),
        uow,
        FakePaymentGateway(),
        clock(),
        importer=CustomsImportQuoter(),
    )
    assert uow.committed.orders[r.order_id].total == eur(5000)
    r2 = place_order(
        PlaceOrder("C", (CartLine("O-CN1", 1),), "k2"), uow, FakePaymentGateway(), clock()
    )
    assert uow.committed.orders[r2.order_id].total == eur(5000)


def test_the_cart_quote_is_what_checkout_then_charges():
    """A mixed cart (a Chinese parcel of two, a German parcel of one): the quote shown before
    paying lists the Chinese parcel's duty and VAT and totals exactly what checkout charges."""
    from tradewind.orders.cart_quote import quote_cart

    uow = german_shop()
    cart = [CartLine("O-CN1", 2), CartLine("O-DE1", 1), CartLine("O-GONE", 1)]
    with uow:
        offers = uow.offers.for_checkout("DE", [ln.offer_id for ln in cart])
        site = uow.sites.get("DE")
    q = quote_cart(cart, offers, site, member=True, on=NOW.date(), quoter=CustomsImportQuoter())
    assert [p.ships_from for p in q.parcels] == ["CN"] and q.unavailable == ("O-GONE",)
    assert q.import_charges == q.duty + q.vat + q.fees and q.duty.amount > 0
    assert q.total == q.items + q.shipping + q.import_charges
    r = place_order(
        PlaceOrder("C", tuple(cart[:2]), "k"), uow, FakePaymentGateway(), clock(),
        importer=CustomsImportQuoter(),
    )  # fmt: skip
    assert uow.committed.orders[r.order_id].total == q.total
