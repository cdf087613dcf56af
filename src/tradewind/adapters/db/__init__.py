"""The db package."""
