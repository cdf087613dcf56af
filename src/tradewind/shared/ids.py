"""Identifiers: short, readable, prefixed strings (``ord_...``, ``off_...``)."""

from __future__ import annotations

import secrets


def new_id(prefix: str) -> str:
    """A random id such as ``ord_3f9a0c2b7d1e4a55`` (64 bits of entropy)."""
    return f"{prefix}_{secrets.token_hex(8)}"
