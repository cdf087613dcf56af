"""Tradewind: a marketplace and the logistics network behind it, with a simulated world."""

__version__ = "0.1.0"
