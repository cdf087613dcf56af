"""Tax fraud: invalid or mismatched tax IDs and unregistered sellers over a threshold.

Checksums are the validator port's job (python-stdnum in the adapter); this module decides what
the verdicts mean together with the seller's declared country and sales. Undervaluation at
customs is scored by customs and judged as a sender's pattern in ``declarations.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tradewind.governance.ports import TaxIdStatus, TaxIdValidator
from tradewind.governance.scores import (
    Detector,
    DetectorScore,
    Evidence,
    Subject,
    SubjectKind,
    score_from_evidence,
)
from tradewind.shared.countries import EU_MEMBER_STATES
from tradewind.shared.money import Money

# Goods a seller stores in one of these countries for sale make it liable to register for VAT
# there from the first sale, whatever the amount, unless it is established there: in the EU
# the supply takes place where the goods are, and a non-established seller has no
# small-business threshold; in the UK a non-established taxable person registers from its
# first taxable supply. (Marketplaces ask for that number before they accept inbound stock.)
STORAGE_REGISTRATION_COUNTRIES = EU_MEMBER_STATES | {"GB"}

# VAT prefixes that are not the ISO country code.
_PREFIX_TO_ISO = {"EL": "GR", "XI": "GB"}


@dataclass(frozen=True, slots=True)
class DeclaredTaxId:
    country: str  # the country the seller says issued the number
    number: str


@dataclass(frozen=True, slots=True)
class SellerTaxProfile:
    seller_id: str
    establishment_country: str
    tax_ids: tuple[DeclaredTaxId, ...]
    # Trailing-12-month sales per destination country, in that country's threshold currency.
    sales_by_country: Mapping[str, Money]
    # The name the seller is registered under (compared with a register's holder); the
    # seller id when empty.
    legal_name: str = ""
    # When the platform's own sales ledger first showed the seller's trailing sales in a
    # country over that country's threshold (countries not over are absent).
    over_threshold_since: Mapping[str, datetime] = field(default_factory=dict)
    # When the platform notified the seller that its sales in a country are over the
    # threshold with no registration there (countries not notified are absent).
    registration_notices: Mapping[str, datetime] = field(default_factory=dict)
    # Countries where the seller holds stock in a fulfilment centre (on hand or inbound).
    stock_countries: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class TaxParams:
    w_invalid: float = 0.6
    w_mismatch: float = 0.5
    w_missing_home: float = 0.3
    w_unregistered: float = 0.6
    w_shared: float = 0.4
    w_holder: float = 0.6
    # How long after crossing a threshold an unregistered seller is given before the sales
    # are overdue for registration: the UK allows 30 days after the end of the month of
    # crossing (up to ~61 days); a month more for the register to process an application.
    registration_deadline: timedelta = timedelta(days=90)
    w_overdue: float = 0.6
    # A notice gives the seller this long to register (the UK gives a marketplace 30 days
    # after HMRC's notice to see the seller registered or removed).
    notice_deadline: timedelta = timedelta(days=30)
    w_notice_ignored: float = 0.6
    w_stock_unregistered: float = 0.6


def prefix_country(number: str) -> str | None:
    """The ISO country a VAT number's two-letter prefix names, if it has one."""
    compact = "".join(ch for ch in number.upper() if ch.isalnum())
    head = compact[:2]
    if len(head) == 2 and head.isalpha():
        return _PREFIX_TO_ISO.get(head, head)
    return None


def _id_evidence(
    tid: DeclaredTaxId, validator: TaxIdValidator, p: TaxParams, legal_name: str
) -> tuple[list[Evidence], bool]:
    """Evidence about one declared number, and whether the register confirmed this seller
    as its holder."""
    out: list[Evidence] = []
    named = prefix_country(tid.number)
    if named is not None and named != tid.country.upper():
        out.append(
            Evidence(
                "tax_id_country_mismatch",
                f"{tid.number} carries prefix of {named}, declared as {tid.country}",
                p.w_mismatch,
            )
        )
    verdict = validator.validate(tid.country, tid.number)
    if not verdict.valid and verdict.status is not TaxIdStatus.UNSUPPORTED_COUNTRY:
        out.append(
            Evidence("invalid_tax_id", f"{tid.country} {tid.number}: {verdict.status}", p.w_invalid)
        )
    if not verdict.valid or verdict.holder is None:
        return out, False
    if _name(verdict.holder) == _name(legal_name):
        return out, True
    out.append(
        Evidence(
            "tax_id_holder_mismatch",
            f"the {tid.country} register lists {tid.number} under {verdict.holder!r}, "
            f"not {legal_name!r}",
            p.w_holder,
        )
    )
    return out, False


def _name(name: str) -> str:
    return " ".join(name.casefold().split())


def score_tax_profile(
    profile: SellerTaxProfile,
    validator: TaxIdValidator,
    thresholds: Mapping[str, Money],
    params: TaxParams | None = None,
    *,
    shared: Mapping[str, list[str]] | None = None,
    now: datetime | None = None,
) -> DetectorScore:
    """Score a seller. ``thresholds`` maps a country to its registration threshold;
    ``shared`` is :func:`shared_tax_ids` over all known profiles (a number another seller
    also declares is evidence: one of the two borrowed it). Where the validator's register
    names a number's holder, the holder is compared with the seller's legal name: another
    holder is ``tax_id_holder_mismatch``, this seller clears it of ``shared_tax_id``.
    With ``now`` and the profile's ``over_threshold_since``, sales over a threshold past the
    registration deadline without a registration are ``registration_overdue`` (a fact
    about the law) instead of ``unregistered_over_threshold`` (which honest sellers show
    between crossing and registering); and with a notice in ``registration_notices`` older
    than ``notice_deadline``, ``registration_notice_ignored`` (the seller was told and did
    not register). Stock held in a country of ``STORAGE_REGISTRATION_COUNTRIES`` other than
    the establishment, with no registration there, is ``stock_without_registration``."""
    p = params or TaxParams()
    evidence: list[Evidence] = []
    legal_name = profile.legal_name or profile.seller_id
    for tid in profile.tax_ids:
        found, confirmed = _id_evidence(tid, validator, p, legal_name)
        evidence.extend(found)
        others = [x for x in (shared or {}).get(_key(tid.number), []) if x != profile.seller_id]
        # Where the register names this seller as the holder, the others borrowed it.
        if others and not confirmed:
            evidence.append(
                Evidence(
                    "shared_tax_id",
                    f"{tid.number} is also declared by {', '.join(others)}",
                    p.w_shared,
                )
            )
    registered = {t.country.upper() for t in profile.tax_ids}
    home = profile.establishment_country.upper()
    if home not in registered:
        evidence.append(
            Evidence("no_home_tax_id", f"no tax id for establishment {home}", p.w_missing_home)
        )
    for country, sales in sorted(profile.sales_by_country.items()):
        limit = thresholds.get(country.upper())
        if limit is not None and sales > limit and country.upper() not in registered:
            evidence.append(_unregistered(country, sales, limit, profile, now, p))
    for country in sorted({c.upper() for c in profile.stock_countries}):
        if country in STORAGE_REGISTRATION_COUNTRIES and country not in registered | {home}:
            evidence.append(
                Evidence(
                    "stock_without_registration",
                    f"holds stock in {country} and has no VAT registration there",
                    p.w_stock_unregistered,
                )
            )
    return score_from_evidence(
        Detector.TAX_ID, Subject(SubjectKind.SELLER, profile.seller_id), evidence
    )


def _unregistered(
    country: str,
    sales: Money,
    limit: Money,
    profile: SellerTaxProfile,
    now: datetime | None,
    p: TaxParams,
) -> Evidence:
    over = f"{country}: sales {sales.amount} > threshold {limit.amount} {limit.currency}"
    since = _by_country(profile.over_threshold_since, country)
    notice = _by_country(profile.registration_notices, country)
    if now is not None and notice is not None and now - notice > p.notice_deadline:
        return Evidence(
            "registration_notice_ignored",
            f"{over}; notified {notice:%Y-%m-%d}, {(now - notice).days} days without "
            f"registering (notice gives {p.notice_deadline.days} days)",
            p.w_notice_ignored,
        )
    if now is not None and since is not None and now - since > p.registration_deadline:
        return Evidence(
            "registration_overdue",
            f"{over} since {since:%Y-%m-%d}, {(now - since).days} days without registering "
            f"(deadline {p.registration_deadline.days} days)",
            p.w_overdue,
        )
    return Evidence("unregistered_over_threshold", over, p.w_unregistered)


def _by_country(values: Mapping[str, datetime], country: str) -> datetime | None:
    return values.get(country) or values.get(country.upper())


def _key(number: str) -> str:
    return "".join(ch for ch in number.upper() if ch.isalnum())


def shared_tax_ids(profiles: list[SellerTaxProfile]) -> dict[str, list[str]]:
    """Tax numbers declared by more than one seller (a sign of borrowed identities)."""
    owners: dict[str, set[str]] = {}
    for prof in profiles:
        for tid in prof.tax_ids:
            key = _key(tid.number)
            owners.setdefault(key, set()).add(prof.seller_id)
    return {k: sorted(v) for k, v in sorted(owners.items()) if len(v) > 1}
