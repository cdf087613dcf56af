"""Shared kernel: money, ids, errors, events and clocks used by every bounded context."""
