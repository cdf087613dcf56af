"""Vendored, documented reference data of the transport context (pure Python, no file I/O)."""
