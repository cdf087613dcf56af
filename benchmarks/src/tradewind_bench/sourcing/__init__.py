"""The sourcing package."""
