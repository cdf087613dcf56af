"""Records of the simulated fraud model: parameters, what the simulation produced, and the
labelled facts detectors will see (see ``fraud.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum


class FraudKind(StrEnum):
    BRUSHING_RING = "brushing_ring"
    REVIEW_FARM = "review_farm"
    HIJACKER = "hijacker"
    COUNTERFEITER = "counterfeiter"
    VAT_FRAUD = "vat_fraud"
    UNDERVALUATION = "undervaluation"


@dataclass(frozen=True)
class FraudParams:
    """``rate``: share of the relevant population that is bad, per injected type."""

    seed: int
    rate: float = 0.05
    review_days: float = 7.0  # reviews keep arriving this long after demand stops
    honest_review_rate: float = 0.08  # share of delivered order lines that get a review
    honest_unverified_share: float = 0.1  # honest reviews of items bought elsewhere
    locker_share: float = 0.08  # honest orders sent to a shared parcel locker
    household_share: float = 0.15  # honest customers sharing an address with 1-2 others
    # Text classifier modelled from its measured hold-out figures (bench --dataset reviews).
    text_tpr: float = 0.95
    text_fpr: float = 0.05
    new_offers_per_day: float = 0.02  # honest new offers per existing offer per day

    def __post_init__(self) -> None:
        if not 0.0 < self.rate < 0.5:
            raise ValueError("rate must be in (0, 0.5)")


# -- what the simulation produced (read by the adapter) ---------------------------------------
@dataclass(frozen=True, slots=True)
class SimLine:
    seller_id: str
    product_id: str
    unit_price_minor: int
    quantity: int
    currency: str
    fba: bool


@dataclass(frozen=True, slots=True)
class SimOrder:
    order_id: str
    customer_id: str
    site_id: str
    placed_at: datetime
    delivered_at: datetime | None
    lines: tuple[SimLine, ...]


@dataclass(frozen=True, slots=True)
class SimSeller:
    seller_id: str
    country: str
    third_party: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class SimOffer:
    offer_id: str
    seller_id: str
    product_id: str
    site_id: str
    price_minor: int
    currency: str


@dataclass
class WorldFacts:
    start: datetime
    days: float
    site_country: dict[str, str]
    sellers: list[SimSeller]
    brand_owner: dict[str, str | None]  # brand -> registered owner (None: not registered)
    product_brand: dict[str, str]
    offers: list[SimOffer]
    orders: list[SimOrder]
    customer_site: dict[str, str]
    fcs: dict[str, list[str]] = field(default_factory=dict)  # site -> FC ids


# -- what detectors will see -------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class OrderRec:
    order_id: str
    buyer_id: str
    seller_id: str
    ship_to: str
    at: datetime
    label: FraudKind | None = None
    actor: str = ""
    site_id: str = ""  # the site the order was placed on


@dataclass(frozen=True, slots=True)
class ReviewRec:
    review_id: str
    reviewer_id: str
    product_id: str
    order_id: str | None  # None: no matching purchase (unverified)
    at: datetime
    rating: int
    text_fake_probability: float
    label: FraudKind | None = None
    actor: str = ""
    delivered_at: datetime | None = None  # delivery of the reviewed purchase, when verified


@dataclass(frozen=True, slots=True)
class PastReviewRec:
    """A review an account posted before the window (the platform's own history)."""

    product_id: str
    at: datetime
    verified: bool  # a purchase on record
    refunded: bool  # that purchase was refunded after the review was posted


@dataclass(frozen=True, slots=True)
class ContactChangeRec:
    """A change of an account's sign-in contact details, from the platform's security log."""

    at: datetime
    email: bool  # the sign-in email address was replaced
    phone: bool  # the phone number was replaced
    new_device: bool  # made from a device the account had never used before


@dataclass(frozen=True, slots=True)
class ReviewerRec:
    """A reviewing account's history before the window, known to the platform at the start."""

    reviewer_id: str
    created_at: datetime
    past_purchases: int  # verified purchases before the window, reviewed or not
    past_reviews: tuple[PastReviewRec, ...]
    label: FraudKind | None = None
    actor: str = ""  # the account profile drawn (for the docs and tests, never for detectors)
    devices: tuple[str, ...] = ()  # devices the account has logged in from
    contact_changes: tuple[ContactChangeRec, ...] = ()  # oldest first


@dataclass(frozen=True, slots=True)
class TestBuyRec:
    """What a test buy of a new offer would find, and how long after ordering it is known
    (drawn for every new offer; the bench reveals one only when the policy orders it)."""

    result: str  # genuine | counterfeit | not_received | not_as_described
    lag: timedelta


@dataclass(frozen=True, slots=True)
class RefundRec:
    """A refund of a reviewed purchase during the window (known from ``at``)."""

    order_id: str
    buyer_id: str
    at: datetime
    label: FraudKind | None = None
    actor: str = ""


@dataclass(frozen=True, slots=True)
class NewOfferRec:
    offer_id: str
    seller_id: str
    seller_created_at: datetime
    product_id: str
    brand_id: str
    site_id: str
    price_minor: int
    reference_minor: int  # median price of the product's existing offers on the site
    currency: str
    condition_new: bool
    at: datetime
    label: FraudKind | None = None
    actor: str = ""


@dataclass(frozen=True, slots=True)
class InboundUnitRec:
    unit_id: str
    shipment_id: str
    seller_id: str
    product_id: str
    fc_id: str
    code: str | None
    at: datetime
    label: FraudKind | None = None
    actor: str = ""


@dataclass(frozen=True, slots=True)
class TaxProfileRec:
    seller_id: str
    establishment_country: str
    tax_ids: tuple[tuple[str, str], ...]  # (declared country, number)
    sales_minor: tuple[tuple[str, int], ...]  # (country, trailing-12-month sales, local minor)
    at: datetime
    label: FraudKind | None = None
    actor: str = ""
    # (country, when the trailing sales first exceeded its threshold), for countries over it.
    over_since: tuple[tuple[str, datetime], ...] = ()
    # (country, when the platform told the seller it is over the threshold there unregistered)
    notices: tuple[tuple[str, datetime], ...] = ()


@dataclass(frozen=True, slots=True)
class DeclarationRec:
    shipment_id: str
    seller_id: str
    declared_minor: int
    reference_minor: int  # the marketplace price of the goods
    currency: str
    at: datetime
    label: FraudKind | None = None
    actor: str = ""


@dataclass
class Activity:
    """Honest and injected facts with their labels; fields filled by each injector."""

    params: FraudParams
    start: datetime
    demand_end: datetime
    end: datetime
    orders: list[OrderRec] = field(default_factory=list)
    reviews: list[ReviewRec] = field(default_factory=list)
    reviewers: dict[str, ReviewerRec] = field(default_factory=dict)  # reviewing accounts
    refunds: list[RefundRec] = field(default_factory=list)
    new_offers: list[NewOfferRec] = field(default_factory=list)
    test_buys: dict[str, TestBuyRec] = field(default_factory=dict)  # offer id -> outcome
    brand_owner: dict[str, str | None] = field(default_factory=dict)
    authorised: dict[str, set[str]] = field(default_factory=dict)  # brand -> resellers
    inbound: list[InboundUnitRec] = field(default_factory=list)
    enrolled: dict[str, str] = field(default_factory=dict)  # product -> brand (unit codes)
    issued: dict[str, str] = field(default_factory=dict)  # unit code -> product
    tax_profiles: list[TaxProfileRec] = field(default_factory=list)
    tax_register: dict[str, set[str]] = field(default_factory=dict)  # country -> numbers
    # (country, number) -> holder, where the register says who holds a number (not DE).
    tax_holders: dict[tuple[str, str], str] = field(default_factory=dict)
    thresholds_minor: dict[str, tuple[int, str]] = field(default_factory=dict)
    declarations: list[DeclarationRec] = field(default_factory=list)
    # sender -> declared/price ratios of its parcels cleared in the 90 days before the window
    declaration_history: dict[str, tuple[float, ...]] = field(default_factory=dict)
    injected: dict[FraudKind, int] = field(default_factory=dict)  # bad actors per type
