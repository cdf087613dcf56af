"""The governance package."""
