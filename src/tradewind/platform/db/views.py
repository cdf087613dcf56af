"""Read side: queries that build what pages, the API and the CLI show (no domain writes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, func, or_, select

from tradewind.catalog.model import Product
from tradewind.catalog.search import query_terms
from tradewind.marketplace.buybox import Contender, decide
from tradewind.marketplace.model import Offer, Seller, Site
from tradewind.orders.import_charges import CUSTOMS, PSP_CLEARING
from tradewind.orders.ports import ImportItem, ImportQuoter
from tradewind.orders.refunds import REFUND_MEMO, is_refund_of
from tradewind.platform.db import tables as t
from tradewind.platform.db.rows import offer_from, product_from, seller_from, site_from
from tradewind.platform.db.tokens import find_principal
from tradewind.shared.clock import Clock
from tradewind.shared.money import Money


def money(amount: int, currency: str) -> dict[str, Any]:
    return {"amount": amount, "currency": currency}


class Views:
    def __init__(self, engine: Engine, clock: Clock, importer: ImportQuoter | None = None) -> None:
        self.engine = engine
        self.clock = clock
        self.importer = importer  # quotes cross-border offers' import charges (DDP)
        self._languages: dict[str, str] = {}

    def principal(self, token_hash: str) -> tuple[str, str] | None:
        """('seller', id), ('customer', id) or ('operator', id) for a bearer token's digest
        (``tradewind.shared.tokens.token_hash``); None for an unknown, replaced or revoked one.
        One indexed lookup, then a constant-time compare (``platform/db/tokens.py``)."""
        with self.engine.connect() as c:
            return find_principal(c, token_hash)

    def sites(self) -> list[dict[str, Any]]:
        with self.engine.connect() as c:
            return [
                dict(r._mapping)
                for r in c.execute(
                    select(
                        t.sites.c.site_id, t.sites.c.country, t.sites.c.currency, t.sites.c.language
                    ).order_by(t.sites.c.site_id)
                )
            ]

    def site_languages(self, want: str | None = None) -> dict[str, str]:
        """site_id -> BCP 47 language (cached; reloaded when ``want`` is a site the cache does
        not know yet, e.g. one added after the server started)."""
        if not self._languages or (want and want not in self._languages):
            self._languages = {s["site_id"]: s["language"] for s in self.sites()}
        return dict(self._languages)

    def search_products(
        self, site_id: str, q: str = "", *, limit: int = 20, offset: int = 0
    ) -> dict[str, Any]:
        p, o, b = t.products, t.offers, t.brands
        base = (
            select(
                p.c.product_id,
                p.c.title,
                p.c.category,
                b.c.name.label("brand"),
                func.min(o.c.price_minor).label("from_minor"),
                o.c.currency,
                func.count(o.c.offer_id).label("offers"),
            )
            .join(
                o,
                (o.c.product_id == p.c.product_id)
                & (o.c.site_id == site_id)
                & o.c.active
                & ~o.c.suppressed,
            )
            .join(b, b.c.brand_id == p.c.brand_id)
            .group_by(p.c.product_id, p.c.title, p.c.category, b.c.name, o.c.currency)
        )
        for word in query_terms(q):  # the storefront's reading of the text (catalog.search)
            like = f"%{word}%"
            base = base.where(
                or_(
                    func.lower(p.c.title).like(like),
                    func.lower(b.c.name).like(like),
                    p.c.category == word,
                )
            )
        with self.engine.connect() as c:
            total = c.execute(select(func.count()).select_from(base.subquery())).scalar() or 0
            rows = c.execute(base.order_by(p.c.title, p.c.product_id).limit(limit).offset(offset))
            items = [
                {
                    "product_id": r.product_id,
                    "title": r.title,
                    "category": r.category,
                    "brand": r.brand,
                    "offers": r.offers,
                    "from_price": money(r.from_minor, r.currency),
                }
                for r in rows
            ]
        return {"data": items, "count": total}

    def product_page(
        self, product_id: str, site_id: str, *, member: bool = False
    ) -> dict[str, Any] | None:
        with self.engine.connect() as c:
            prow = c.execute(
                select(t.products, t.brands.c.name.label("brand_name"))
                .join(t.brands, t.brands.c.brand_id == t.products.c.brand_id)
                .where(t.products.c.product_id == product_id)
            ).first()
            srow = c.execute(select(t.sites).where(t.sites.c.site_id == site_id)).first()
            if prow is None or srow is None:
                return None
            rows = c.execute(
                select(t.offers, t.sellers)
                .join(t.sellers, t.sellers.c.seller_id == t.offers.c.seller_id)
                .where(
                    t.offers.c.product_id == product_id,
                    t.offers.c.site_id == site_id,
                    ~t.offers.c.suppressed,  # governance: never shown, never in the buy box
                )
            ).all()
            stock = dict(
                c.execute(
                    select(
                        t.inventory_positions.c.sku,
                        func.sum(
                            t.inventory_positions.c.on_hand - t.inventory_positions.c.reserved
                        ),
                    )
                    .where(t.inventory_positions.c.product_id == product_id)
                    .group_by(t.inventory_positions.c.sku)
                ).all()
            )
        site = site_from(srow)
        product = product_from(prow)
        contenders = []
        for r in rows:
            offer = offer_from(r)
            units = (
                offer.fbm_quantity
                if offer.channel.value == "fbm"
                else int(stock.get(offer.sku) or 0)
            )
            seller = seller_from(r)
            charges = self._import_charges(offer, seller, site, product)
            contenders.append(Contender(offer, seller, units, charges))
        result = decide(product_id, site, contenders, member=member)
        by_id = {c.offer.offer_id: c for c in contenders}
        offers = []
        for s in result.scores:
            con = by_id[s.offer_id]
            offers.append(
                {
                    "offer_id": s.offer_id,
                    "seller_id": con.seller.seller_id,
                    "seller_name": con.seller.name,
                    "price": money(con.offer.price.amount, site.currency),
                    "landed_price": money(s.landed_price.amount, site.currency),
                    "condition": con.offer.condition.value,
                    "channel": con.offer.channel.value,
                    "handling_days": con.offer.handling_days,
                    "available": con.available_units,
                    "eligible": s.eligible,
                    "score": s.total,
                    "reasons": list(s.reasons),
                    "ships_from": con.seller.country,
                    "import_charges": money(con.import_charges.amount, site.currency)
                    if con.import_charges
                    else None,
                }
            )
        return {
            "product_id": product.product_id,
            "title": product.title,
            "gtin": product.gtin,
            "category": product.category,
            "brand": prow.brand_name,
            "size_tier": product.size_tier.value,
            "site_id": site_id,
            "currency": site.currency,
            "buy_box": {"winner_offer_id": result.winner_offer_id, "explain": result.explain()},
            "offers": offers,
        }

    def _import_charges(
        self, offer: Offer, seller: Seller, site: Site, product: Product
    ) -> Money | None:
        """What one unit of a cross-border self-fulfilled offer adds at checkout, or None."""
        if self.importer is None or offer.channel.value != "fbm" or seller.country == site.country:
            return None
        item = ImportItem(product.hs_code, product.category, offer.price, 1)
        charges = self.importer.quote(
            seller.country, site.country, [item], offer.shipping_fee, self.clock.now().date()
        )
        return charges.total

    def order(self, order_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as c:
            o = c.execute(select(t.orders).where(t.orders.c.order_id == order_id)).first()
            if o is None:
                return None
            lines = c.execute(
                select(t.order_lines)
                .where(t.order_lines.c.order_id == order_id)
                .order_by(t.order_lines.c.line_no)
            ).all()
            ships = c.execute(
                select(t.shipments)
                .where(t.shipments.c.order_id == order_id)
                .order_by(t.shipments.c.shipment_id)
            ).all()
            le = t.ledger_entries.c
            # Import charges and refunds, in one read: customs accounts and clearing.
            money_rows = c.execute(
                select(le.account, le.memo, le.amount_minor).where(
                    le.reference == order_id,
                    or_(le.account.like(f"{CUSTOMS}%"), le.account == PSP_CLEARING),
                )
            ).all()
            slines = c.execute(
                select(t.shipment_lines).where(
                    t.shipment_lines.c.shipment_id.in_([s.shipment_id for s in ships])
                )
            ).all()
        return {
            "order_id": o.order_id,
            "customer_id": o.customer_id,
            "site_id": o.site_id,
            "status": o.status,
            "total": money(o.total_minor, o.currency),
            "placed_at": o.placed_at.isoformat(),
            "payment_ref": o.payment_ref,
            # Duty, import VAT/GST and fees collected at checkout (DDP), credited in the ledger
            # to what the platform owes each customs authority.
            "import_charges": _import_charges(money_rows, o.currency),
            # What the lines add up to, so a page can show lines + shipping + import charges
            # = total.
            "items_total": money(
                sum(ln.unit_price_minor * ln.quantity for ln in lines), o.currency
            ),
            "shipping_total": money(sum(ln.shipping_minor for ln in lines), o.currency),
            "lines": [
                {
                    "line_no": ln.line_no,
                    "offer_id": ln.offer_id,
                    "seller_id": ln.seller_id,
                    "product_id": ln.product_id,
                    "quantity": ln.quantity,
                    "unit_price": money(ln.unit_price_minor, ln.currency),
                    "shipping": money(ln.shipping_minor, ln.currency),
                    "channel": ln.channel,
                }
                for ln in lines
            ],
            "refunded": money(sum(-r.amount_minor for r in _paid_back(money_rows)), o.currency),
            "shipments": [
                {
                    "shipment_id": s.shipment_id,
                    "origin": s.origin,
                    "status": s.status,
                    "distance_km": s.distance_km,
                    "package_epc": s.package_epc,
                    "refunded": _refunded(money_rows, s.shipment_id, o.currency),
                    "lines": [
                        {"line_no": x.line_no, "sku": x.sku, "quantity": x.quantity}
                        for x in slines
                        if x.shipment_id == s.shipment_id
                    ],
                }
                for s in ships
            ],
        }

    def orders(self, *, customer_id: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
        q = (
            select(
                t.orders.c.order_id,
                t.orders.c.customer_id,
                t.orders.c.site_id,
                t.orders.c.status,
                t.orders.c.total_minor,
                t.orders.c.currency,
                t.orders.c.placed_at,
            )
            .order_by(t.orders.c.placed_at.desc(), t.orders.c.order_id)
            .limit(limit)
        )
        if customer_id:
            q = q.where(t.orders.c.customer_id == customer_id)
        with self.engine.connect() as c:
            return [
                {
                    "order_id": r.order_id,
                    "customer_id": r.customer_id,
                    "site_id": r.site_id,
                    "status": r.status,
                    "total": money(r.total_minor, r.currency),
                    "placed_at": r.placed_at.isoformat(),
                }
                for r in c.execute(q)
            ]

    def cart(self, customer_id: str) -> list[dict[str, Any]]:
        cl, o = t.cart_lines, t.offers
        with self.engine.connect() as c:
            rows = c.execute(
                select(cl.c.offer_id, cl.c.quantity, o.c.product_id, o.c.price_minor, o.c.currency)
                .join(o, o.c.offer_id == cl.c.offer_id)
                .where(cl.c.customer_id == customer_id)
                .order_by(cl.c.added_at, cl.c.offer_id)
            ).all()
        return [
            {
                "offer_id": r.offer_id,
                "quantity": r.quantity,
                "product_id": r.product_id,
                "unit_price": money(r.price_minor, r.currency),
            }
            for r in rows
        ]


def _import_charges(rows: Sequence[Any], currency: str) -> dict[str, dict[str, Any]]:
    """Duty / VAT / fees as charged at checkout (credited to customs), refunded or not."""
    out: dict[str, int] = {}
    for account, memo, amount in rows:
        if account.startswith(CUSTOMS) and not memo.startswith(REFUND_MEMO):
            kind = account.rsplit(":", 1)[1]
            out[kind] = out.get(kind, 0) - amount
    return {kind: money(total, currency) for kind, total in out.items()}


def _paid_back(rows: Sequence[Any]) -> list[Any]:
    """Clearing entries of refunds: money back to the shopper (negative amounts)."""
    return [r for r in rows if r.account == PSP_CLEARING and r.memo.startswith(REFUND_MEMO)]


def _refunded(rows: Sequence[Any], shipment_id: str, currency: str) -> dict[str, Any] | None:
    """The amount paid back for one parcel, or None."""
    mine = [-r.amount_minor for r in _paid_back(rows) if is_refund_of(r.memo, shipment_id)]
    return money(sum(mine), currency) if mine else None
