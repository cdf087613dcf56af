"""CBV 2.0 vocabulary (web URIs) and Tradewind's own URIs for steps the CBV does not name.

The CBV 2.0 web vocabulary lives under ``https://ref.gs1.org/cbv/``: business steps are
``BizStep-<name>``, dispositions ``Disp-<name>``, business transaction types ``BTT-<name>`` and
source/destination types ``SDT-<name>``. Tradewind extensions use ``urn:tradewind:...`` URNs so
they can never be mistaken for GS1 terms (the EPCIS JSON schema accepts any URI outside the
``urn:epcglobal:cbv`` namespace for these fields). See ``docs/tracking.md``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

CBV: Final = "https://ref.gs1.org/cbv/"
TRADEWIND_BIZSTEP: Final = "urn:tradewind:bizstep:"
TRADEWIND_DISP: Final = "urn:tradewind:disp:"
TRADEWIND_NAMESPACE: Final = "urn:tradewind:epcis:"
"""JSON-LD namespace (prefix ``tw``) of Tradewind's extension fields such as ``tw:reason``."""


class BizStep(StrEnum):
    """The business steps Tradewind emits: CBV 2.0 terms plus ``urn:tradewind:bizstep:*``."""

    RECEIVING = f"{CBV}BizStep-receiving"
    STORING = f"{CBV}BizStep-storing"
    PICKING = f"{CBV}BizStep-picking"
    PACKING = f"{CBV}BizStep-packing"
    STAGING_OUTBOUND = f"{CBV}BizStep-staging_outbound"
    LOADING = f"{CBV}BizStep-loading"
    UNLOADING = f"{CBV}BizStep-unloading"
    UNPACKING = f"{CBV}BizStep-unpacking"
    DEPARTING = f"{CBV}BizStep-departing"
    ARRIVING = f"{CBV}BizStep-arriving"
    ACCEPTING = f"{CBV}BizStep-accepting"
    DESTROYING = f"{CBV}BizStep-destroying"
    REPACKAGING = f"{CBV}BizStep-repackaging"
    # Tradewind extensions: last-mile exceptions and customs, which the CBV has no terms for.
    DELIVERY_ATTEMPT_FAILED = f"{TRADEWIND_BIZSTEP}delivery_attempt_failed"
    CUSTOMS_DECLARING = f"{TRADEWIND_BIZSTEP}customs_declaring"
    CUSTOMS_HOLDING = f"{TRADEWIND_BIZSTEP}customs_holding"
    CUSTOMS_RELEASING = f"{TRADEWIND_BIZSTEP}customs_releasing"
    CUSTOMS_REFUSING = f"{TRADEWIND_BIZSTEP}customs_refusing"


class Disposition(StrEnum):
    """The dispositions Tradewind emits: CBV 2.0 terms plus ``urn:tradewind:disp:*``."""

    SELLABLE_NOT_ACCESSIBLE = f"{CBV}Disp-sellable_not_accessible"
    SELLABLE_ACCESSIBLE = f"{CBV}Disp-sellable_accessible"
    IN_PROGRESS = f"{CBV}Disp-in_progress"
    CONTAINER_CLOSED = f"{CBV}Disp-container_closed"
    CONTAINER_OPEN = f"{CBV}Disp-container_open"
    IN_TRANSIT = f"{CBV}Disp-in_transit"
    RETURNED = f"{CBV}Disp-returned"
    DESTROYED = f"{CBV}Disp-destroyed"
    NON_CONFORMANT = f"{CBV}Disp-non_conformant"
    # Tradewind extensions.
    DELIVERED = f"{TRADEWIND_DISP}delivered"
    CUSTOMS_HELD = f"{TRADEWIND_DISP}customs_held"
    CUSTOMS_CLEARED = f"{TRADEWIND_DISP}customs_cleared"


class BizTransactionType(StrEnum):
    """CBV business transaction types: a customer order is a ``po``, a return an ``rma``."""

    PURCHASE_ORDER = f"{CBV}BTT-po"
    RETURN_AUTHORIZATION = f"{CBV}BTT-rma"
    BILL_OF_LADING = f"{CBV}BTT-bol"


class SourceDestType(StrEnum):
    """CBV source/destination types."""

    LOCATION = f"{CBV}SDT-location"
    OWNING_PARTY = f"{CBV}SDT-owning_party"
    POSSESSING_PARTY = f"{CBV}SDT-possessing_party"


class ExceptionReason(StrEnum):
    """Suggested ``tw:reason`` values on exception events (any short string is accepted)."""

    RECIPIENT_ABSENT = "recipient_absent"
    ADDRESS_NOT_FOUND = "address_not_found"
    ACCESS_DENIED = "access_denied"
    REFUSED_BY_RECIPIENT = "refused_by_recipient"
    DOCUMENTS_MISSING = "documents_missing"
    RISK_INSPECTION = "risk_inspection"
    DUTY_UNPAID = "duty_unpaid"
    PROHIBITED_GOODS = "prohibited_goods"
