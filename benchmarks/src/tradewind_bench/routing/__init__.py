"""The routing package."""
