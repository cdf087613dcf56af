"""Adapters of the tracking context: event hashing, EPCIS schema validation, in-memory store."""

from tradewind.tracking.adapters.hashing import EpcisHashGeneratorHasher
from tradewind.tracking.adapters.memory import InMemoryEventStore
from tradewind.tracking.adapters.schema_validation import JsonSchemaEpcisValidator

__all__ = ["EpcisHashGeneratorHasher", "InMemoryEventStore", "JsonSchemaEpcisValidator"]
