"""The marketplace package."""
