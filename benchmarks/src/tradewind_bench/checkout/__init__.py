"""The checkout package."""
