import pytest

from tests.unit.factories import clock
from tradewind.marketplace.commands import RegisterSeller
from tradewind.marketplace.model import KycStatus, SellerKind, TaxId
from tradewind.marketplace.services import checked_tax_id, register_seller
from tradewind.platform.memory import FakeUnitOfWork
from tradewind.platform.taxids import StdnumTaxIdValidator
from tradewind.shared.errors import TradewindError

VALID = {
    "DE": "DE 136,695 976",  # python-stdnum's documented example
    "GB": "GB 980 7806 84",
    "FR": "FR 40 303 265 045",
    "US": "91-1144442",
}


@pytest.mark.parametrize("country,number", sorted(VALID.items()))
def test_valid_tax_ids_are_normalised(country, number):
    """Checksums pass and the number is stored in compact form."""
    out = checked_tax_id(TaxId(country, number), StdnumTaxIdValidator())
    assert out.country == country and " " not in out.number and "," not in out.number


@pytest.mark.parametrize(
    "country,number", [("DE", "DE136695977"), ("GB", "GB980780685"), ("US", "12-34"), ("ZZ", "123")]
)
def test_invalid_or_unsupported_tax_ids_are_refused(country, number):
    """A wrong check digit, a wrong length or an unknown country: invalid_tax_id."""
    with pytest.raises(TradewindError) as info:
        checked_tax_id(TaxId(country, number), StdnumTaxIdValidator())
    assert info.value.code == "invalid_tax_id"


def test_registration_verifies_sellers_with_valid_tax_ids_and_refuses_bad_ones():
    """Valid IDs: verified seller; one bad ID: nothing stored."""
    uow = FakeUnitOfWork()
    cmd = RegisterSeller(
        "S9", "Kettle GmbH", SellerKind.THIRD_PARTY, "DE", (TaxId("DE", VALID["DE"]),)
    )
    register_seller(cmd, uow, StdnumTaxIdValidator(), clock())
    seller = uow.committed.sellers["S9"]
    assert seller.kyc_status == KycStatus.VERIFIED and seller.tax_ids[0].number == "136695976"
    bad = RegisterSeller(
        "S10", "Fraud Ltd", SellerKind.THIRD_PARTY, "DE", (TaxId("DE", "DE136695977"),)
    )
    with pytest.raises(TradewindError):
        register_seller(bad, uow, StdnumTaxIdValidator(), clock())
    assert "S10" not in uow.committed.sellers


def test_us_ein_one_verdict_for_registration_and_the_governance_scan():
    """One validator: a valid EIN is accepted by registration and checked valid by the
    scan's tax detector (no longer ``unsupported_country``); an EIN with an unassigned campus
    prefix (00) is refused by registration and flagged ``invalid_tax_id`` by the scan."""
    from tradewind.governance.detectors.tax import (
        DeclaredTaxId,
        SellerTaxProfile,
        score_tax_profile,
    )
    from tradewind.shared.taxids import TaxIdStatus

    v = StdnumTaxIdValidator()
    uow = FakeUnitOfWork()
    good = RegisterSeller(
        "S1", "Acme Inc", SellerKind.THIRD_PARTY, "US", (TaxId("US", "91-1144442"),)
    )
    register_seller(good, uow, v, clock())
    assert uow.committed.sellers["S1"].tax_ids == (TaxId("US", "911144442"),)
    assert v.validate("US", "91-1144442").status is TaxIdStatus.VALID
    honest = SellerTaxProfile("S1", "US", (DeclaredTaxId("US", "911144442"),), {})
    assert score_tax_profile(honest, v, {}).evidence_codes == set()

    bad = RegisterSeller(
        "S2", "Shell Inc", SellerKind.THIRD_PARTY, "US", (TaxId("US", "00-1144442"),)
    )
    with pytest.raises(TradewindError) as info:
        register_seller(bad, uow, v, clock())
    assert info.value.code == "invalid_tax_id" and "S2" not in uow.committed.sellers
    assert v.validate("US", "00-1144442").status is TaxIdStatus.INVALID_FORMAT
    flagged = SellerTaxProfile("S2", "US", (DeclaredTaxId("US", "001144442"),), {})
    assert score_tax_profile(flagged, v, {}).evidence_codes == {"invalid_tax_id"}


def test_a_country_without_rules_is_refused_at_registration_and_no_opinion_in_the_scan():
    """Same verdict, two policies: registration refuses an AE number (no stdnum rules); the
    scan's tax detector gives no ``invalid_tax_id`` evidence for it."""
    from tradewind.governance.detectors.tax import (
        DeclaredTaxId,
        SellerTaxProfile,
        score_tax_profile,
    )

    v = StdnumTaxIdValidator()
    with pytest.raises(TradewindError) as info:
        checked_tax_id(TaxId("AE", "100123456789012"), v)
    assert info.value.code == "invalid_tax_id"
    prof = SellerTaxProfile("S3", "AE", (DeclaredTaxId("AE", "100123456789012"),), {})
    assert score_tax_profile(prof, v, {}).evidence_codes == set()
