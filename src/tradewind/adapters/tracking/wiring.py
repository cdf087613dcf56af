"""How the tracking context is assembled from its adapters (called by ``bootstrap``)."""

from __future__ import annotations

from sqlalchemy import Engine

from tradewind.adapters.db.tracking_store import SqlEventStore
from tradewind.adapters.tracking.hashing import EpcisHashGeneratorHasher
from tradewind.adapters.tracking.schema_validation import JsonSchemaEpcisValidator
from tradewind.shared.clock import Clock, SystemClock
from tradewind.tracking.services import TrackingService


def tracking_service(engine: Engine, *, clock: Clock | None = None) -> TrackingService:
    """A ``TrackingService`` storing events in ``engine``'s database, hashing them with
    GS1's event hash and validating exported documents against the EPCIS 2.0 JSON schema."""
    return TrackingService(
        SqlEventStore(engine),
        EpcisHashGeneratorHasher(),
        clock or SystemClock(),
        JsonSchemaEpcisValidator(),
    )


__all__ = ["tracking_service"]
