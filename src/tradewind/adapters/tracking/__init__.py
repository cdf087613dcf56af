"""Adapters of the tracking context: event hashing, EPCIS schema validation, in-memory store."""

from tradewind.adapters.tracking.hashing import EpcisHashGeneratorHasher
from tradewind.adapters.tracking.memory import InMemoryEventStore
from tradewind.adapters.tracking.schema_validation import JsonSchemaEpcisValidator

__all__ = ["EpcisHashGeneratorHasher", "InMemoryEventStore", "JsonSchemaEpcisValidator"]
