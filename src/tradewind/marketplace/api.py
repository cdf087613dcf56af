"""What other contexts may use from the marketplace (its small public surface)."""

from tradewind.marketplace.buybox import Contender, decide, landed_price
from tradewind.marketplace.fees import FeeSchedule
from tradewind.marketplace.ledger import LedgerTransaction, Posting
from tradewind.marketplace.model import Channel, Offer, Seller, SellerKind, Site, sku_for
from tradewind.marketplace.settlement import SaleLine, sale_postings

__all__ = [
    "Channel",
    "Contender",
    "FeeSchedule",
    "LedgerTransaction",
    "Offer",
    "Posting",
    "SaleLine",
    "Seller",
    "SellerKind",
    "Site",
    "decide",
    "landed_price",
    "sale_postings",
    "sku_for",
]
