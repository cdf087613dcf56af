"""The transport package."""
