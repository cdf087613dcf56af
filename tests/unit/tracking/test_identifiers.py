"""EPC, SGLN and business-transaction identifiers under the Tradewind prefix."""

from __future__ import annotations

import pytest
from stdnum import ean

from tradewind.tracking.errors import InvalidIdentifier, TrackingError
from tradewind.tracking.identifiers import (
    CONTAINER_EXTENSION_DIGIT,
    Gtin,
    LocationKind,
    SsccAllocator,
    epc_class,
    giai,
    gs1_check_digit,
    order_transaction,
    parse_sgln,
    sgln,
    sgtin,
    sscc,
    tradewind_gln,
)


@pytest.mark.parametrize("body", ["400638133393", "10614141123456789", "952123000000"])
def test_check_digit_matches_python_stdnum(body: str) -> None:
    """The GS1 mod-10 check digit agrees with python-stdnum's EAN implementation."""
    assert str(gs1_check_digit(body)) == ean.calc_check_digit(body)


def test_sgln_maps_each_location_kind_to_its_reference_and_back() -> None:
    """Every kind gets its own location reference; the Tradewind id rides in the extension."""
    uris = {kind: sgln(kind, "X-1") for kind in LocationKind}
    assert uris[LocationKind.FULFILLMENT_CENTER] == "urn:epc:id:sgln:952123.100000.X-1"
    assert uris[LocationKind.CUSTOMER_ADDRESS] == "urn:epc:id:sgln:952123.900000.X-1"
    assert len(set(uris.values())) == len(LocationKind)
    for kind, uri in uris.items():
        assert parse_sgln(uri).kind is kind
        assert parse_sgln(uri).extension == "X-1"


def test_long_location_ids_become_a_stable_digest() -> None:
    """Ids over 20 characters are hashed into a 20-character extension, deterministically."""
    long_id = "addr_" + "f" * 30
    uri = sgln(LocationKind.CUSTOMER_ADDRESS, long_id)
    extension = parse_sgln(uri).extension
    assert len(extension) == 20 and extension.startswith("h")
    assert uri == sgln(LocationKind.CUSTOMER_ADDRESS, long_id)


@pytest.mark.parametrize("bad", ["", "has space", "a.b", "ü"])
def test_location_ids_with_odd_characters_are_rejected(bad: str) -> None:
    """Characters outside A-Z a-z 0-9 _ - raise InvalidIdentifier with its stable code."""
    with pytest.raises(InvalidIdentifier) as caught:
        sgln(LocationKind.FULFILLMENT_CENTER, bad)
    assert caught.value.code is TrackingError.INVALID_IDENTIFIER


def test_tradewind_gtin_and_sgtin() -> None:
    """A Tradewind item number becomes a valid GTIN-14, an SGTIN and an item-class pattern."""
    gtin = Gtin.tradewind(42)
    assert ean.is_valid(gtin.gtin14)
    epc = sgtin(gtin, "U7")
    assert epc == "urn:epc:id:sgtin:952123.0000042.U7"
    assert epc_class(epc) == gtin.epc_class == "urn:epc:idpat:sgtin:952123.0000042.*"
    assert epc_class(sscc(5)) is None


def test_brand_gtin_is_split_at_its_company_prefix() -> None:
    """A brand owner's GTIN-14 keeps its digits and check digit through the split."""
    gtin = Gtin.from_gtin14("04006381333931", prefix_length=7)
    assert (gtin.company_prefix, gtin.item_ref) == ("4006381", "033393")
    assert gtin.gtin14 == "04006381333931"
    with pytest.raises(InvalidIdentifier):
        Gtin.from_gtin14("04006381333932", prefix_length=7)


def test_sscc_giai_and_allocator() -> None:
    """Packages and containers get SSCCs of 17 digits + the prefix split; trailers GIAIs."""
    assert sscc(1) == "urn:epc:id:sscc:952123.00000000001"
    assert sscc(1, CONTAINER_EXTENSION_DIGIT) == "urn:epc:id:sscc:952123.10000000001"
    assert giai("TRL-0042") == "urn:epc:id:giai:952123.TRL-0042"
    allocator = SsccAllocator(start=41)
    assert [allocator.next(), allocator.next()] == [sscc(41), sscc(42)]
    with pytest.raises(InvalidIdentifier):
        sscc(10**10)


def test_order_transaction_uses_the_cbv_bt_form() -> None:
    """Orders become urn:epcglobal:cbv:bt:<Tradewind GLN>:<order id>."""
    assert ean.is_valid(tradewind_gln())
    assert order_transaction("ord_1") == f"urn:epcglobal:cbv:bt:{tradewind_gln()}:ord_1"
