"""The fulfillment package."""
