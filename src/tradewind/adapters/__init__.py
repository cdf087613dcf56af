"""The adapters package."""
