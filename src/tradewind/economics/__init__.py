"""The economics package."""
