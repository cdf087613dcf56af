import pytest

from tests.unit.factories import clock
from tradewind.adapters.memory import FakeUnitOfWork
from tradewind.adapters.taxids import StdnumTaxIdValidator
from tradewind.marketplace.commands import RegisterSeller
from tradewind.marketplace.model import KycStatus, SellerKind, TaxId
from tradewind.marketplace.services import register_seller
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
    out = StdnumTaxIdValidator().normalise(TaxId(country, number))
    assert out.country == country and " " not in out.number and "," not in out.number


@pytest.mark.parametrize(
    "country,number", [("DE", "DE136695977"), ("GB", "GB980780685"), ("US", "12-34"), ("ZZ", "123")]
)
def test_invalid_or_unsupported_tax_ids_are_refused(country, number):
    """A wrong check digit, a wrong length or an unknown country: invalid_tax_id."""
    with pytest.raises(TradewindError) as info:
        StdnumTaxIdValidator().normalise(TaxId(country, number))
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
