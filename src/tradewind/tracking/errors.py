"""Errors of the tracking context, each with a stable code."""

from __future__ import annotations

from enum import StrEnum

from tradewind.shared.errors import TradewindError


class TrackingError(StrEnum):
    INVALID_IDENTIFIER = "tracking_invalid_identifier"
    INVALID_EVENT = "tracking_invalid_event"
    INVALID_EPCIS_DOCUMENT = "tracking_invalid_epcis_document"
    NO_TRACKING_EVENTS = "tracking_no_events"


class InvalidIdentifier(TradewindError):
    """A value cannot be turned into (or read as) an EPC, SGLN or business transaction URI."""

    code = TrackingError.INVALID_IDENTIFIER
    status = 422


class InvalidEvent(TradewindError):
    """An EPCIS event (or the physical step it came from) breaks an invariant."""

    code = TrackingError.INVALID_EVENT
    status = 422


class InvalidEpcisDocument(TradewindError):
    """An EPCIS document does not validate against GS1's EPCIS 2.0 JSON schema.

    ``errors`` lists one entry per violation:
    ``{"path": "/epcisBody/eventList/0", "message": ..., "rule": ...}``.
    """

    code = TrackingError.INVALID_EPCIS_DOCUMENT
    status = 422


class NoTrackingEvents(TradewindError):
    """Nothing has been recorded for the order, package or unit asked about."""

    code = TrackingError.NO_TRACKING_EVENTS
    status = 404
