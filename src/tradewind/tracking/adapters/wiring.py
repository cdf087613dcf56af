"""How the tracking context is assembled from its adapters (called by ``bootstrap``)."""

from __future__ import annotations

from sqlalchemy import Engine

from tradewind.shared.clock import Clock, SystemClock
from tradewind.tracking.adapters.hashing import EpcisHashGeneratorHasher
from tradewind.tracking.adapters.schema_validation import JsonSchemaEpcisValidator
from tradewind.tracking.adapters.sql_store import SqlEventStore
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
