"""The customs package."""
