"""Fixtures for the tracking tests: a recording service over the in-memory store."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tradewind.shared.clock import FixedClock
from tradewind.tracking.adapters import (
    EpcisHashGeneratorHasher,
    InMemoryEventStore,
    JsonSchemaEpcisValidator,
)
from tradewind.tracking.services import TrackingService


@pytest.fixture(scope="session")
def hasher() -> EpcisHashGeneratorHasher:
    return EpcisHashGeneratorHasher()


@pytest.fixture(scope="session")
def validator() -> JsonSchemaEpcisValidator:
    return JsonSchemaEpcisValidator()


@pytest.fixture
def store() -> InMemoryEventStore:
    return InMemoryEventStore()


@pytest.fixture
def service(
    store: InMemoryEventStore,
    hasher: EpcisHashGeneratorHasher,
    validator: JsonSchemaEpcisValidator,
) -> TrackingService:
    clock = FixedClock(datetime(2026, 11, 28, 12, 0, tzinfo=UTC))
    return TrackingService(store, hasher, clock, validator)
