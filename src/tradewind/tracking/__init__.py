"""The tracking package."""
